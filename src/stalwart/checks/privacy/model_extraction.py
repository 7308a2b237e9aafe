"""Check: model-extraction risk (how many queries a surrogate needs to copy the model).

The attacker's queries are drawn from the reference data (rows like the training data); the
agreement of each surrogate with the model is measured on the checked data. The check warns
when a surrogate reaches ``target_agreement`` within ``min_queries`` queries.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...exceptions import DataError
from ...privacy.extraction import extraction_risk
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..evaluation._common import features_of
from ..result import Chart, Evidence, Table

__all__ = ["ModelExtraction"]


@register_check
class ModelExtraction(Check):
    """Train a random-forest surrogate on growing query budgets answered by the model.

    Reports the agreement (same class, or a prediction within ``tolerance`` standard
    deviations for regression) per budget and the queries needed to reach each target. The
    condition warns when ``target_agreement`` is reached within ``min_queries`` queries, that
    is, when copying the model is cheap. A lower bound on the risk: a better attacker may
    need fewer queries.
    """

    name = "model_extraction"
    title = "Model extraction"
    category = "privacy"
    needs = frozenset({"model", "reference"})

    # Default N = 1000 queries: a public endpoint answers a thousand queries in seconds for
    # free, so a model copied at 95% agreement within them is cheap to steal (Tramer et al.
    # 2016 copied their targets with a few hundred to a few thousand queries).
    def __init__(self, *, budgets: Sequence[int] = (50, 100, 200, 500, 1000, 2000),
                 target_agreement: float = 0.95, min_queries: int = 1000,
                 query_strategy: str = "random", tolerance: float = 0.1,
                 max_eval_rows: int = 5000,
                 conditions: Sequence[Condition] | None = None) -> None:
        self.budgets = budgets
        self.target_agreement = target_agreement
        self.min_queries = min_queries
        self.query_strategy = query_strategy
        self.tolerance = tolerance
        self.max_eval_rows = max_eval_rows
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("agreement_within_min_queries", "lt", self.target_agreement,
                          severity="warn",
                          name=f"more than {self.min_queries} queries needed for "
                               f"{self.target_agreement:.0%} agreement")]

    def compute(self, ctx: CheckContext) -> Evidence:
        assert ctx.reference is not None  # guaranteed by needs
        columns = features_of(ctx, ctx.data)
        missing = [c for c in columns if c not in ctx.reference.frame.columns]
        if missing:
            raise DataError("columns of the reference data", expected=f"the model inputs "
                            f"{columns[:10]}", got=f"missing {missing[:10]}",
                            fix="pass reference data with the same columns as the data")
        pool = ctx.reference.frame[columns]
        if len(pool) > ctx.max_rows_for_model_checks:
            pool = pool.sample(n=ctx.max_rows_for_model_checks, random_state=ctx.random_state)
        evaluation = ctx.data.frame[columns]
        if len(evaluation) > self.max_eval_rows:
            evaluation = evaluation.sample(n=self.max_eval_rows, random_state=ctx.random_state)
        grid = sorted(set(int(b) for b in self.budgets) | {int(self.min_queries)})
        risk = extraction_risk(ctx.model, pool, eval_X=evaluation, budgets=grid,
                               target_agreement=(self.target_agreement,),
                               query_strategy=self.query_strategy, tolerance=self.tolerance,
                               random_state=ctx.random_state)
        within = [a for b, a in zip(risk.budgets, risk.agreement) if b <= self.min_queries]
        reached = risk.queries_to(self.target_agreement)
        # the bound is known when the target was reached by then, or min_queries was tried
        known = (reached is not None and reached <= self.min_queries) or \
            self.min_queries in risk.budgets
        metrics = {"agreement_within_min_queries": max(within) if known and within else None,
                   "queries_to_target": reached, "max_budget": risk.budgets[-1],
                   "final_agreement": risk.agreement[-1],
                   "baseline_agreement": risk.baseline_agreement}
        table = Table("Agreement of the surrogate per query budget",
                      ("queries", "agreement"),
                      tuple((b, round(a, 4)) for b, a in zip(risk.budgets, risk.agreement)))
        chart = Chart("line", "Surrogate agreement by queries",
                      {"x": list(risk.budgets),
                       "series": {"agreement": list(risk.agreement),
                                  "constant answer": [risk.baseline_agreement] * len(risk.budgets),
                                  "target": [self.target_agreement] * len(risk.budgets)}},
                      x_label="queries", y_label="agreement")
        how = (f"reached at {reached} queries" if reached is not None
               else f"not reached within {risk.budgets[-1]} queries")
        summary = (f"{self.target_agreement:.0%} agreement {how} ({risk.query_strategy} "
                   f"queries, agreement {risk.agreement[-1]:.3f} at {risk.budgets[-1]}, "
                   f"constant answer {risk.baseline_agreement:.3f})")
        if not known:
            summary += (f"; the reference data has too few rows to try {self.min_queries} "
                        "queries")
        if risk.warnings:
            summary += "; " + "; ".join(risk.warnings)
        return Evidence(metrics, summary, (table,), (chart,))
