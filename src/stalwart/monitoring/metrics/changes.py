"""Window metric ``data_changes``: what changed in the features, named, per window.

The drift numbers say *that* a window moved; this metric says *how*, with the diagnosis of
:func:`stalwart.drift.diagnosis.diagnose` on the window's features against the reference's:

- ``unit_changes``: columns that look converted to another unit (the fitted affine map and
  the named conversion, such as glucose mg/dL -> mmol/L, are in the details)
- ``schema_changes``: columns missing, new, renamed, or changed in kind, type or dtype
- ``new_category_columns``: categorical columns with values never seen in the reference
- ``change_failures``: findings of severity ``fail`` (all kinds)

Windows with fewer than ``min_events`` events are not diagnosed (values None, and a note): a
unit map fitted on a handful of rows is noise. The reference kept is a seeded sample of at
most ``max_reference`` rows (the diagnosis compares distributions, a sample is enough).

>>> import numpy as np, pandas as pd
>>> from stalwart.monitoring.metrics import WINDOW_METRICS
>>> rng = np.random.default_rng(0)
>>> ref = pd.DataFrame({"features.temp": rng.normal(20, 4, 400),
...                     "features.site": rng.choice(["a", "b"], 400)})
>>> cur = pd.DataFrame({"features.temp": rng.normal(20, 4, 200) * 1.8 + 32,
...                     "features.site": rng.choice(["a", "b", "c"], 200)})
>>> m = WINDOW_METRICS.get("data_changes")
>>> opts = m.resolve({})
>>> out, details = m.compute(m.fit(ref, opts), cur, opts, {})
>>> out["unit_changes"], out["new_category_columns"], details["unit_changes"][0]["column"]
(1.0, 1.0, 'temp')
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ...drift.diagnosis import diagnose
from ...exceptions import ParameterError
from ._columns import FEATURE, feature_columns, require_reference
from .registry import WindowMetric, register_window_metric

__all__ = ["KEYS", "SCHEMA_KINDS"]

KEYS = ("unit_changes", "schema_changes", "new_category_columns", "change_failures")
SCHEMA_KINDS = frozenset({"missing_column", "new_column", "renamed_column", "kind_change",
                          "type_change", "dtype_change"})


def _features(frame: pd.DataFrame) -> pd.DataFrame:
    columns = feature_columns(frame)
    return frame[columns].rename(columns=lambda c: c[len(FEATURE):]).reset_index(drop=True)


def _fit(reference: Any, options: dict[str, Any]) -> dict[str, Any]:
    ref = require_reference(reference, "data_changes")
    for key in ("min_events", "max_reference"):
        value = options[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ParameterError(f"data_changes option {key!r}", expected="an integer >= 1",
                                 got=repr(value), fix=f"set {key} to e.g. 30")
    features = _features(ref)
    if len(features) > options["max_reference"]:
        features = features.sample(options["max_reference"],
                                   random_state=options["random_state"]).reset_index(drop=True)
    return {"reference": features}


def _compute(state: dict[str, Any], frame: Any, options: dict[str, Any],
             _run: dict[str, Any]) -> tuple[dict[str, float | None], dict[str, Any]]:
    current = _features(frame)
    if len(current) < options["min_events"]:
        return dict.fromkeys(KEYS), {"note": f"{len(current)} events, fewer than min_events="
                                             f"{options['min_events']}: not diagnosed"}
    found = diagnose(state["reference"], current).findings
    units = [f for f in found if f.kind == "unit_change"]
    metrics: dict[str, float | None] = {
        "unit_changes": float(len({f.column for f in units})),
        "schema_changes": float(sum(f.kind in SCHEMA_KINDS for f in found)),
        "new_category_columns": float(len({f.column for f in found
                                           if f.kind == "new_categories"})),
        "change_failures": float(sum(f.severity == "fail" for f in found))}
    details = {"unit_changes": [{"column": f.column, "message": f.message,
                                 **{k: f.evidence[k] for k in ("known_conversion", "scale",
                                                               "offset")
                                    if k in f.evidence}} for f in units],
               "findings": [f.to_dict() for f in found if f.severity != "info"][:50]}
    return metrics, details


register_window_metric(WindowMetric(
    name="data_changes", fit=_fit, compute=_compute, keys=lambda _s, _o: KEYS,
    needs_reference=True,
    options={"min_events": 30, "max_reference": 5000, "random_state": 0},
    description="named changes per window: unit conversions, schema changes, new categories"))
