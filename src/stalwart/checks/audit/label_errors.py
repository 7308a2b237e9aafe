"""Check: likely label errors by confident learning on out-of-fold probabilities."""

from __future__ import annotations

from collections.abc import Sequence

from ...quality.label_errors import LabelErrorResult, label_errors
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Chart, Evidence, Table
from .class_imbalance import regression_target_reason

__all__ = ["LabelErrors"]

_TOP = 20


@register_check
class LabelErrors(Check):
    """Flag rows whose label a cross-validated model confidently contradicts.

    Confident learning (Northcutt et al., 2021) on out-of-fold probabilities of a
    gradient-boosted tree model, on a seeded sample of at most ``max_rows`` rows (and at
    most the run's ``max_rows_for_model_checks``): the error share is estimated from it
    and its suspects are listed; raise ``max_rows`` to list the suspects of more rows.
    ``method`` is ``"prune_by_noise_rate"`` (cleanlab's default) or
    ``"confident_off_diagonal"``; see :mod:`stalwart.quality.label_errors`.

    Confident learning can only tell a wrong label from a hard row when the model is
    good: where the features explain the label weakly, its flags mostly mark rows whose
    label is uncertain by nature. So the gated metric ``label_error_share`` is reported
    only when the model's skill (``(accuracy - majority share) / (1 - majority share)``,
    out of fold) reaches ``min_model_skill``; the flags are listed either way, and
    ``flagged_share`` always holds their share. Regression targets are skipped.
    """

    name = "label_errors"
    title = "Likely label errors"
    category = "data"
    needs = frozenset({"target"})

    # 10%: real benchmark data sets carry a few per cent of wrong labels (Northcutt et al.
    # 2021 found 3.3% on average in ten common test sets), so a gate below that would
    # fire on most tables; past 10% the noise measurably costs accuracy. A skill of 0.5
    # (the model avoids half the errors of always predicting the majority) is where the
    # flags on planted-noise data stop being dominated by hard rows. 50,000 rows estimate
    # the error share to about +-0.3 points and train five models in seconds, where
    # 200,000 rows of 50 columns take minutes on two cores.
    def __init__(self, *, n_folds: int = 5, method: str = "prune_by_noise_rate",
                 max_share: float = 0.10, min_model_skill: float = 0.5,
                 max_rows: int = 50_000,
                 conditions: Sequence[Condition] | None = None) -> None:
        self.n_folds = n_folds
        self.method = method
        self.max_share = max_share
        self.min_model_skill = min_model_skill
        self.max_rows = max_rows
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("label_error_share", "le", self.max_share, severity="warn",
                          name=f"at most {self.max_share:.0%} of rows have a likely label "
                               f"error")]

    def missing_needs(self, ctx: CheckContext) -> list[str]:
        missing = super().missing_needs(ctx)
        reason = None if missing else regression_target_reason(ctx)
        return missing + ([reason] if reason else [])

    def compute(self, ctx: CheckContext) -> Evidence:
        data = ctx.data
        r = label_errors(data.frame, features=data.features, target=data.target,
                         n_folds=self.n_folds, method=self.method,
                         max_rows=min(self.max_rows, ctx.max_rows_for_model_checks),
                         random_state=ctx.random_state)
        skill = None
        if r.examined and r.majority_share is not None and r.majority_share < 1:
            skill = (r.oof_accuracy - r.majority_share) / (1 - r.majority_share)
        reliable = skill is not None and skill >= self.min_model_skill
        metrics = {"n_sampled": r.n_sampled, "n_excluded_rows": r.n_excluded,
                   "n_flagged": r.n_issues if r.examined else None,
                   "flagged_share": r.issue_share,
                   "label_error_share": r.issue_share if reliable else None,
                   "estimated_error_share": r.estimated_error_share,
                   "oof_accuracy": r.oof_accuracy, "majority_share": r.majority_share,
                   "model_skill": skill, "n_features_used": len(r.features_used)}
        return Evidence(metrics, _summary(r, skill, reliable, self.min_model_skill),
                        _tables(r), _charts(r))


def _tables(r: LabelErrorResult) -> tuple[Table, ...]:
    tables = []
    if r.n_issues:
        rows = tuple((row, g, s, round(c, 6)) for row, g, s, c in
                     zip(r.issue_rows[:_TOP], r.given, r.suggested, r.self_confidence))
        tables.append(Table("Likely label errors (lowest self-confidence first)",
                            ("row index", "given label", "suggested label",
                             "self-confidence"), rows, total_rows=r.n_issues))
    if r.features_skipped:
        tables.append(Table("Features the model could not use", ("column", "reason"),
                            r.features_skipped[:_TOP], total_rows=len(r.features_skipped)))
    return tuple(tables)


def _charts(r: LabelErrorResult) -> tuple[Chart, ...]:
    if not r.examined or len(r.classes) > _TOP:
        return ()
    names = [str(c) for c in r.classes]
    return (Chart("heatmap", "Confident joint: given label (rows) by suggested label (columns)",
                  {"x": names, "y": names, "z": [list(row) for row in r.confident_joint]},
                  x_label="suggested label", y_label="given label"),)


def _summary(r: LabelErrorResult, skill: float | None, reliable: bool,
             min_skill: float) -> str:
    sample = f" (sample of {r.n_sampled} of {r.n_rows} rows)" if r.n_sampled < r.n_rows else ""
    if not r.examined:
        return f"not examined: {r.reason}"
    text = (f"{r.n_issues} of {r.n_sampled} rows ({r.issue_share:.1%}) have a label the "
            f"out-of-fold model confidently contradicts{sample}")
    if r.n_issues:
        text += (f"; most suspect: row {r.issue_rows[0]!r} labelled {r.given[0]!r}, "
                 f"model says {r.suggested[0]!r} (self-confidence {r.self_confidence[0]:.2f})")
    if not reliable and skill is not None:
        text += (f"; the model's skill {skill:.2f} is below {min_skill:g}, so these are mostly "
                 f"rows whose label is hard to predict, not proven errors (not gated)")
    if r.n_excluded:
        text += f"; {r.n_excluded} rows of classes with too few rows left out"
    return text
