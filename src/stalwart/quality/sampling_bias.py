"""Sampling bias: does the data's distribution on chosen columns match a population?

The population is either known proportions per category (``population=``), tested with
the chi-square goodness-of-fit test, or a reference sample, tested with the chi-square test
of homogeneity (categorical columns) or the two-sample Kolmogorov-Smirnov test (numeric
columns). A reference is a sample too, so testing the data against its shares as if they
were exact (goodness of fit) would raise false alarms well above the nominal rate when
the two are of similar size; the homogeneity test accounts for both samples' noise.

P-values are corrected across columns (Holm, or Benjamini-Hochberg), and a column is
flagged only when its difference is significant AND its effect size reaches
``min_effect``, so a harmless difference in a million rows is not flagged.

Effect sizes: for categorical columns Cramér's V of the data against the expected shares,
``sqrt(sum((p_data - p_expected)**2 / p_expected) / (k - 1))`` (0.1 is small, 0.3 medium);
for numeric columns the KS statistic, the largest gap between the two CDFs.

>>> import pandas as pd
>>> frame = pd.DataFrame({"sex": ["F"] * 700 + ["M"] * 300})
>>> result = sampling_bias(frame, ["sex"], population={"sex": {"F": 0.5, "M": 0.5}})
>>> col = result.columns[0]
>>> col.test, round(col.effect_size, 3), col.biased
('chi2_goodness_of_fit', 0.4, True)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..exceptions import ParameterError
from ..stats import adjust_p_values

__all__ = ["ColumnBias", "SamplingBiasResult", "sampling_bias"]

_OTHER = "(other)"



@dataclass(frozen=True)
class ColumnBias:
    """The test of one column; ``p_value`` etc. are None with a ``reason`` when untested."""

    column: str
    test: str  # chi2_goodness_of_fit | chi2_homogeneity | ks | none (no population given)
    n: int
    n_reference: int | None = None
    statistic: float | None = None
    p_value: float | None = None
    adjusted_p_value: float | None = None
    effect_size: float | None = None
    effect_measure: str = ""  # cramers_v | ks_statistic
    significant: bool = False
    biased: bool = False
    categories: tuple[str, ...] = ()  # categorical: labels, data shares, expected shares
    shares: tuple[float, ...] = ()
    expected_shares: tuple[float, ...] = ()
    n_unlisted: int = 0  # population mode: data values outside the listed categories
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class SamplingBiasResult:
    columns: tuple[ColumnBias, ...]
    alpha: float
    correction: str
    min_effect: float

    def to_dict(self) -> dict[str, Any]:
        return {"columns": [c.to_dict() for c in self.columns], "alpha": self.alpha,
                "correction": self.correction, "min_effect": self.min_effect}


def _counts(s: pd.Series) -> dict[str, int]:
    """Counts per category, keyed by the category's text (missing values excluded)."""
    vc = s.value_counts(dropna=True)
    out: dict[str, int] = {}
    for label, count in zip(vc.index, vc.to_numpy()):  # one step per category, not per row
        key = str(label)
        out[key] = out.get(key, 0) + int(count)
    return out


def _cramers_v(shares: np.ndarray, expected: np.ndarray) -> float:
    k = len(shares)
    return float(np.sqrt(np.sum((shares - expected) ** 2 / expected) / (k - 1)))


def _against_population(name: str, s: pd.Series, proportions: Mapping[Any, float]
                        ) -> ColumnBias:
    labels = [str(k) for k in proportions]
    p = np.array([float(v) for v in proportions.values()], dtype=np.float64)
    if len(set(labels)) != len(labels) or np.any(p < 0) or abs(p.sum() - 1.0) > 0.01:
        raise ParameterError(f"population of {name!r}", expected="distinct categories with "
                             "non-negative shares that sum to 1", got=repr(dict(proportions)),
                             fix="list each category once with its expected share")
    p = p / p.sum()
    counts = _counts(s)
    observed = np.array([counts.get(label, 0) for label in labels], dtype=np.float64)
    n_unlisted = int(sum(counts.values()) - observed.sum())
    n = int(observed.sum())
    base = ColumnBias(name, "chi2_goodness_of_fit", n, categories=tuple(labels),
                      n_unlisted=n_unlisted)
    if len(labels) < 2 or n == 0:
        why = "fewer than 2 categories listed" if len(labels) < 2 else "no listed value"
        return _untested(base, why)
    if np.any(p == 0):
        return _untested(base, "a category has an expected share of 0")
    res = stats.chisquare(observed, n * p)
    shares = observed / n
    return _replace(base, statistic=float(res.statistic), p_value=float(res.pvalue),
                    effect_size=_cramers_v(shares, p), effect_measure="cramers_v",
                    shares=tuple(shares), expected_shares=tuple(p))


def _against_reference_categories(name: str, s: pd.Series, ref: pd.Series,
                                  max_categories: int) -> ColumnBias:
    cur, old = _counts(s), _counts(ref)
    names = list(dict.fromkeys([*cur, *old]))
    table = np.array([[cur.get(k, 0) for k in names], [old.get(k, 0) for k in names]],
                     dtype=np.float64).reshape(2, len(names))  # 2 x k
    order = np.argsort(-table.sum(axis=0), kind="stable")  # most common first
    table, names = table[:, order], [names[i] for i in order]
    if len(names) > max_categories:  # pool the rarest categories
        keep = max_categories - 1
        table = np.column_stack([table[:, :keep], table[:, keep:].sum(axis=1)])
        names = names[:keep] + [_OTHER]
    n, n_ref = int(table[0].sum()), int(table[1].sum())
    labels = tuple(names)
    base = ColumnBias(name, "chi2_homogeneity", n, n_ref, categories=labels)
    if n == 0 or n_ref == 0:
        return _untested(base, "no values on one side")
    if len(labels) < 2:
        return _untested(base, "a single category on both sides")
    res = stats.chi2_contingency(table, correction=False)
    shares = table[0] / n
    expected = table[1] / n_ref
    if np.any(table[1] == 0):
        # half a count per category, so that a category the reference lacks adds a large
        # but finite amount to the effect size
        expected = (table[1] + 0.5) / (n_ref + 0.5 * len(labels))
    return _replace(base, statistic=float(res.statistic), p_value=float(res.pvalue),
                    effect_size=_cramers_v(shares, expected), effect_measure="cramers_v",
                    shares=tuple(shares), expected_shares=tuple(table[1] / n_ref))


def _against_reference_numbers(name: str, s: pd.Series, ref: pd.Series) -> ColumnBias:
    x = s.to_numpy(dtype=np.float64, na_value=np.nan)
    r = ref.to_numpy(dtype=np.float64, na_value=np.nan)
    x, r = x[~np.isnan(x)], r[~np.isnan(r)]
    base = ColumnBias(name, "ks", len(x), len(r))
    if len(x) == 0 or len(r) == 0:
        return _untested(base, "no values on one side")
    res = stats.ks_2samp(x, r)
    return _replace(base, statistic=float(res.statistic), p_value=float(res.pvalue),
                    effect_size=float(res.statistic), effect_measure="ks_statistic")


def _untested(base: ColumnBias, reason: str) -> ColumnBias:
    return _replace(base, reason=reason)


def _replace(c: ColumnBias, **changes: Any) -> ColumnBias:
    return ColumnBias(**{**c.__dict__, **changes})


def _is_numeric(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype)


def _test_column(name: str, s: pd.Series, reference: pd.DataFrame | None,
                 population: Mapping[str, Mapping[Any, float]], numeric: Sequence[str],
                 max_categories: int) -> ColumnBias:
    if name in population:
        return _against_population(name, s, population[name])
    if reference is None:
        return ColumnBias(name, "none", int(s.notna().sum()),
                          reason="no reference data and no population shares")
    if name in numeric or (_is_numeric(s) and s.nunique() > max_categories):
        return _against_reference_numbers(name, s, reference[name])
    return _against_reference_categories(name, s, reference[name], max_categories)


def sampling_bias(frame: pd.DataFrame, columns: Sequence[str], *,
                  reference: pd.DataFrame | None = None,
                  population: Mapping[str, Mapping[Any, float]] | None = None,
                  numeric: Sequence[str] = (), alpha: float = 0.05, correction: str = "holm",
                  min_effect: float = 0.1, max_categories: int = 50) -> SamplingBiasResult:
    """Test each column of ``columns`` against ``population`` shares or the ``reference``.

    Columns in ``population`` are compared with its shares; the others with the reference:
    columns named in ``numeric`` (and non-boolean numeric dtypes with more than
    ``max_categories`` distinct values) with KS, the rest as categories.
    """
    population = dict(population or {})
    tested: list[ColumnBias] = []
    for name in columns:
        s = frame[name]
        try:
            tested.append(_test_column(name, s, reference, population, numeric,
                                       max_categories))
        except TypeError as exc:  # unhashable cells such as lists or dicts
            tested.append(ColumnBias(name, "none", int(s.notna().sum()),
                                     reason=f"values cannot be counted ({exc})"))
    with_p = [i for i, c in enumerate(tested) if c.p_value is not None]
    adjusted = adjust_p_values([tested[i].p_value for i in with_p], correction)  # type: ignore[misc]
    for i, adj in zip(with_p, adjusted):
        c = tested[i]
        significant = bool(adj < alpha)
        tested[i] = _replace(c, adjusted_p_value=float(adj), significant=significant,
                             biased=significant and c.effect_size >= min_effect)  # type: ignore[operator]
    return SamplingBiasResult(tuple(tested), alpha, correction, min_effect)
