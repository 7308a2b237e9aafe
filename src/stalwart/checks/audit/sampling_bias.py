"""Check: whether the data's distribution on chosen columns differs from a population."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ...data.schema import Kind
from ...quality.sampling_bias import ColumnBias, SamplingBiasResult, sampling_bias
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Chart, Evidence, Table

__all__ = ["SamplingBias"]

_MAX_ROWS = 20
_MAX_CHARTS = 6
_CHOICE_SAMPLE = 20_000  # rows read to tell whether a column has few categories


@register_check
class SamplingBias(Check):
    """Compare the data's distribution on ``columns`` with a population.

    The population is ``population=`` (expected shares per category, e.g.
    ``{"sex": {"F": 0.5, "M": 0.5}}``) or the reference data. ``columns`` defaults to the
    population's columns, else the schema's sensitive columns, else the categorical
    features with at most ``max_categories`` categories. A column is biased when its
    difference is significant after the ``correction`` across columns (at ``alpha``) and
    its effect size (Cramér's V, or the KS statistic for numbers) reaches ``min_effect``;
    biased columns warn, and a medium effect (0.3) fails.
    """

    name = "sampling_bias"
    title = "Sampling bias"
    needs = frozenset({"reference"})  # unless population= gives the expected shares

    # 0.1 is Cohen's "small" effect: on a 50/50 attribute, a 55/45 sample. Below it, a
    # difference that a large sample makes significant is rarely worth acting on.
    def __init__(self, *, columns: Sequence[str] | None = None,
                 population: Mapping[str, Mapping[Any, float]] | None = None,
                 alpha: float = 0.05, correction: str = "holm", min_effect: float = 0.1,
                 max_categories: int = 20,
                 conditions: Sequence[Condition] | None = None) -> None:
        self.columns = columns
        self.population = population
        self.alpha = alpha
        self.correction = correction
        self.min_effect = min_effect
        self.max_categories = max_categories
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("n_biased_columns", "eq", 0, severity="warn"),
                Condition("max_biased_effect_size", "lt", 0.3,
                          name="no biased column with a medium effect (>= 0.3)")]

    def missing_needs(self, ctx: CheckContext) -> list[str]:
        if ctx.reference is None and not self.population:
            return ["reference data (--reference) or expected shares (population=)"]
        return []

    def _columns(self, ctx: CheckContext) -> list[str]:
        schema = ctx.data.schema
        if self.columns is not None:
            return [schema[c].name for c in self.columns]
        if self.population:
            return [schema[c].name for c in self.population]
        if schema.sensitive:
            return list(schema.sensitive)
        frame = ctx.data.frame
        sample = frame
        if len(frame) > _CHOICE_SAMPLE:
            rows = np.random.default_rng(ctx.random_state).choice(len(frame), _CHOICE_SAMPLE,
                                                                  replace=False)
            sample = frame.iloc[np.sort(rows)]
        out = []
        for name in schema.features:
            if schema[name].kind not in (Kind.CATEGORICAL, Kind.BOOLEAN):
                continue
            try:
                few = 2 <= sample[name].nunique() <= self.max_categories
            except TypeError:  # unhashable cells
                continue
            if few:
                out.append(name)
        return out

    def compute(self, ctx: CheckContext) -> Evidence:
        columns = self._columns(ctx)
        population = dict(self.population or {})
        for c in population:
            ctx.data.schema[c]  # a clear error for an unknown column
        numeric = [c for c in columns if c not in population
                   and ctx.data.schema[c].kind is Kind.NUMERIC]
        reference = None if ctx.reference is None else ctx.reference.frame
        result = sampling_bias(ctx.data.frame, columns, reference=reference,
                               population=population, numeric=numeric, alpha=self.alpha,
                               correction=self.correction, min_effect=self.min_effect)
        tested = [c for c in result.columns if c.p_value is not None]
        biased = [c for c in tested if c.biased]
        metrics = {
            "n_columns": len(columns),
            "n_columns_tested": len(tested),
            "n_biased_columns": len(biased),
            "max_effect_size": max((c.effect_size for c in tested), default=None),
            "max_biased_effect_size": max((c.effect_size for c in biased), default=0.0)
            if tested else None,
            "min_adjusted_p_value": min((c.adjusted_p_value for c in tested), default=None),
        }
        ordered = sorted(result.columns, key=lambda c: (not c.biased, -(c.effect_size or 0.0)))
        rows = tuple((c.column, c.test, c.n, c.n_reference, _r(c.statistic), _r(c.p_value),
                      _r(c.adjusted_p_value), _r(c.effect_size), c.effect_measure, c.biased,
                      _note(c)) for c in ordered[:_MAX_ROWS])
        tables = (Table("Distribution tests by column",
                        ("column", "test", "n", "n reference", "statistic", "p-value",
                         f"adjusted p-value ({result.correction})", "effect size", "measure",
                         "biased", "note"), rows, total_rows=len(ordered)),) if rows else ()
        charts = tuple(_chart(c, ctx) for c in [c for c in ordered if c.p_value is not None]
                       [:_MAX_CHARTS])
        return Evidence(metrics, _summary(result, columns, tested, biased), tables, charts)


def _r(value: float | None) -> float | None:
    return None if value is None else float(f"{value:.6g}")


def _note(c: ColumnBias) -> str:
    notes = [c.reason] if c.reason else []
    if c.n_unlisted:
        notes.append(f"{c.n_unlisted} values outside the listed categories (not tested)")
    return "; ".join(notes)


def _chart(c: ColumnBias, ctx: CheckContext) -> Chart:
    if c.test != "ks":
        return Chart("bar", f"{c.column}: share of rows per category, data vs "
                     f"{'population' if c.test == 'chi2_goodness_of_fit' else 'reference'}",
                     {"labels": list(c.categories), "values": [round(v, 6) for v in c.shares],
                      "reference_values": [round(v, 6) for v in c.expected_shares]},
                     x_label=c.column, y_label="share of rows")
    x = ctx.data.frame[c.column].to_numpy(dtype=np.float64, na_value=np.nan)
    r = ctx.reference.frame[c.column].to_numpy(dtype=np.float64, na_value=np.nan)  # type: ignore[union-attr]
    x, r = x[np.isfinite(x)], r[np.isfinite(r)]
    edges = np.histogram_bin_edges(np.concatenate([x, r]), bins=20)
    counts = np.histogram(x, edges)[0] / max(len(x), 1)
    ref_counts = np.histogram(r, edges)[0] / max(len(r), 1)
    return Chart("histogram", f"{c.column}: data vs reference",
                 {"edges": edges.tolist(), "counts": counts.round(6).tolist(),
                  "reference_counts": ref_counts.round(6).tolist()},
                 x_label=c.column, y_label="share of rows")


def _summary(result: SamplingBiasResult, columns: list[str], tested: list[ColumnBias],
             biased: list[ColumnBias]) -> str:
    if not columns:
        return ("no columns to test: no sensitive columns and no categorical features with "
                "few categories (pass columns=...)")
    if not tested:
        return f"none of {len(columns)} columns could be tested"
    if not biased:
        top = max(tested, key=lambda c: c.effect_size or 0.0)
        return (f"no sampling bias in {len(tested)} tested columns; largest effect: "
                f"{top.column} {top.effect_size:.3f}")
    worst = max(biased, key=lambda c: c.effect_size or 0.0)
    return (f"{len(biased)} of {len(tested)} columns differ from the population; worst: "
            f"{worst.column} ({worst.effect_measure} {worst.effect_size:.3f}, adjusted p "
            f"{worst.adjusted_p_value:.2g})")

