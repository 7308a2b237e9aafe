"""Reference against current distribution of one feature of a model, for charts.

The reference is the model's stored reference profile (``store.load_reference``) when no
reference period is given, else the model's events in ``[reference_start, reference_end)``;
the current data are the model's events in ``[start, end)``. The drift statistic and the
chart data (numeric: counts on shared bin edges; categorical: counts of the same
categories) come from :func:`stalwart.drift.detect_drift`, so the chart shows exactly what
the test compared.

>>> import pandas as pd
>>> from stalwart.store import open_store
>>> store = open_store("sqlite://")
>>> _ = store.ingest_events([{"event_id": str(i), "model": "m", "model_version": "1",
...     "timestamp": f"2026-01-0{1 + i // 50}T00:00Z", "outputs": {"prediction": 0},
...     "features": {"x": float(i % 50 + 10 * (i >= 50))}} for i in range(100)])
>>> d = feature_distribution(store, "m", "x", start="2026-01-02", end="2026-01-03",
...                          reference_start="2026-01-01", reference_end="2026-01-02")
>>> d.kind, d.method, d.n_reference, d.n_current, d.reference_source
('numeric', 'ks', 50, 50, 'events')
>>> round(d.statistic, 2), sum(d.reference["counts"]), d.reference["edges"] == d.current["edges"]
(0.2, 50, True)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .._json import jsonable
from ..exceptions import DataError, ParameterError

__all__ = ["FeatureDistribution", "feature_distribution", "model_features"]

SCHEMA_VERSION = "1.0"
FEATURE = "features."


@dataclass(frozen=True)
class FeatureDistribution:
    """One feature's reference and current chart data with the drift test that compared them.

    ``reference`` and ``current`` are ``{"edges": [...], "counts": [...], "shares": [...]}``
    (numeric and datetime, shared edges) or ``{"categories": [...], "counts": [...],
    "shares": [...]}`` (categorical, the same categories in the same order), ``shares``
    being the counts over their sum; both are None when the column was not tested
    (``note`` says why). ``reference_source`` is ``"profile:<name>"`` or ``"events"``.
    """

    model: str
    feature: str
    kind: str
    reference_source: str
    reference: dict[str, list[Any]] | None
    current: dict[str, list[Any]] | None
    n_reference: int
    n_current: int
    method: str | None
    statistic: float | None
    p_value: float | None
    effect_name: str | None
    effect_size: float | None
    effect_threshold: float | None
    drifted: bool
    approximate: bool
    note: str
    period: dict[str, Any] = field(default_factory=dict)
    schema_version: str = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"schema_version": self.schema_version, "model": self.model,
                         "feature": self.feature, "kind": self.kind,
                         "reference_source": self.reference_source,
                         "reference": self.reference, "current": self.current,
                         "n_reference": self.n_reference, "n_current": self.n_current,
                         "method": self.method, "statistic": self.statistic,
                         "p_value": self.p_value, "effect_name": self.effect_name,
                         "effect_size": self.effect_size,
                         "effect_threshold": self.effect_threshold, "drifted": self.drifted,
                         "approximate": self.approximate, "note": self.note,
                         "period": self.period})


def _with_shares(hist: dict[str, list[Any]] | None) -> dict[str, list[Any]] | None:
    if hist is None:
        return None
    total = sum(hist["counts"])
    return {**hist, "shares": [c / total if total else 0.0 for c in hist["counts"]]}


def _features(frame: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in frame.columns if str(c).startswith(FEATURE)]
    return frame[cols].rename(columns=lambda c: c[len(FEATURE):])


def model_features(store: Any, model: str, *, start: Any = None, end: Any = None,
                   limit: int = 1000) -> list[str]:
    """Sorted feature names seen in the first ``limit`` events of ``model`` in the period."""
    frame = store.events(model, start=start, end=end, with_labels=False, limit=limit)
    return sorted(_features(frame).columns)


def _reference(store: Any, model: str, feature: str, *, name: str, start: Any, end: Any
               ) -> tuple[Any, str]:
    """The reference (a one-column profile or frame) and where it came from."""
    if start is not None or end is not None:
        frame = _features(store.events(model, start=start, end=end, with_labels=False))
        if frame.empty:
            raise DataError("reference period", expected=f"events of model {model!r}",
                            got=f"none in [{start}, {end})",
                            fix="pick reference_start/reference_end around logged events")
        return frame, "events"
    if name not in store.references(model):
        raise DataError("reference", expected=f"a stored reference profile {name!r} of "
                        f"model {model!r} or a reference period",
                        got=f"profiles {list(store.references(model))}",
                        fix="upload a reference profile or pass reference_start and "
                            "reference_end")
    profile = store.load_reference(model, name=name)
    for column in (feature, FEATURE + feature):
        if column in profile.columns:  # one column, named as the current frame names it
            one = type(profile)(profile.n_rows, {feature: profile[column]}, profile.meta)
            return one, f"profile:{name}"
    raise DataError("feature", expected=f"a column of reference profile {name!r}",
                    got=repr(feature), fix="pick from: " + ", ".join(sorted(profile.columns)))


def feature_distribution(store: Any, model: str, feature: str, *, start: Any = None,
                         end: Any = None, reference_start: Any = None,
                         reference_end: Any = None, reference: str = "default",
                         method: str = "auto", alpha: float = 0.05) -> FeatureDistribution:
    """Compare ``feature`` of ``model``'s events in ``[start, end)`` with its reference.

    The reference is the events in ``[reference_start, reference_end)`` when either bound is
    given, else the stored reference profile named ``reference`` (then numbers are
    approximate, from the profile's sketches). ``method`` and ``alpha`` go to
    :func:`stalwart.drift.detect_drift`.
    """
    from ..drift import detect_drift

    if not isinstance(feature, str) or not feature:
        raise ParameterError("feature", expected="a feature name", got=repr(feature),
                             fix="pass a name from model_features(store, model)")
    ref, source = _reference(store, model, feature, name=reference, start=reference_start,
                             end=reference_end)
    if source == "events" and feature not in ref.columns:
        raise DataError("feature", expected="a feature of the reference events",
                        got=repr(feature), fix="pick from: " + ", ".join(sorted(ref.columns)))
    cur = _features(store.events(model, start=start, end=end, with_labels=False))
    if cur.empty:
        raise DataError("current period", expected=f"events of model {model!r}",
                        got=f"none in [{start}, {end})", fix="pick start/end around logged "
                        "events")
    if feature not in cur.columns:
        raise DataError("feature", expected="a feature of the current events",
                        got=repr(feature), fix="pick from: " + ", ".join(sorted(cur.columns)))
    ref_data = ref if source != "events" else ref[[feature]]
    col = detect_drift(ref_data, cur[[feature]], columns=[feature], method=method,
                       alpha=alpha)[feature]
    period = {"start": start, "end": end, "reference_start": reference_start,
              "reference_end": reference_end}
    return FeatureDistribution(
        model=model, feature=feature, kind=col.kind, reference_source=source,
        reference=_with_shares(col.reference_hist), current=_with_shares(col.current_hist),
        n_reference=int(col.n_reference), n_current=int(col.n_current), method=col.method,
        statistic=col.statistic, p_value=col.p_value, effect_name=col.effect_name,
        effect_size=col.effect_size, effect_threshold=col.effect_threshold,
        drifted=bool(col.drifted), approximate=bool(col.approximate), note=col.note,
        period={k: (str(v) if v is not None else None) for k, v in period.items()})
