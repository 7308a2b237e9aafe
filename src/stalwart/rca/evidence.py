"""Evidence gathering for root-cause analysis: one function per kind of evidence.

Each function reads what the fitted analysis holds (reference encodings, predictions) and
the escalated row, and returns plain values that :func:`~.attribution.attribute` reads and
the report shows. The engines are the library's own: :func:`stalwart.drift.diagnosis.diagnose`
(unit changes, schema changes), :func:`stalwart.drift.univariate.detect_drift` (covariate and
class-conditional drift), :class:`stalwart.novelty.KNNNovelty` (novelty),
:func:`stalwart.slicing.find_weak_segments` (weak slices) and
:func:`stalwart.uncertainty.reliability_diagram` (calibration).

>>> row_faults([{"feature": "age", "kind": "numeric", "status": "present", "value": -999.0,
...              "reference_min": 18.0, "reference_max": 90.0}])[0]["kind"]
'sentinel'
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..drift.diagnosis import KNOWN_SENTINELS
from ..drift.univariate import detect_drift
from ..slicing import bin_frame, find_weak_segments
from ..uncertainty import reliability_diagram

__all__ = ["calibration_at", "class_conditional_drift", "concept_evidence", "flip_search",
           "label_shift_evidence", "row_faults", "slice_evidence", "slice_table",
           "unit_change_evidence"]

#: a missing value is a fault when the reference holds fewer missing values than this share
MISSING_FAULT_SHARE = 0.01


def row_faults(unusual: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pipeline faults visible in the row itself, from its per-feature descriptions."""
    out = []
    for u in unusual:
        col, status, v = u["feature"], u["status"], u["value"]
        if status == "not a number":
            out.append({"column": col, "kind": "wrong_type", "value": v,
                        "message": f"{col} = {v!r} is not a number (the reference is numeric)"})
        elif status == "unseen category":
            out.append({"column": col, "kind": "new_category", "value": v,
                        "message": f"{col} = {v!r} is a category the training data never had"})
        elif status == "missing" and (u.get("frequency") or 0.0) < MISSING_FAULT_SHARE:
            out.append({"column": col, "kind": "missing_value", "value": None,
                        "message": f"{col} is missing (the reference has it in "
                                   f"{1 - (u.get('frequency') or 0.0):.1%} of rows)"})
        elif (u["kind"] == "numeric" and status == "present" and float(v) in KNOWN_SENTINELS
              and u["reference_min"] is not None
              and not u["reference_min"] <= float(v) <= u["reference_max"]):
            out.append({"column": col, "kind": "sentinel", "value": v,
                        "message": f"{col} = {float(v):g} is a known placeholder for "
                                   f"'unknown', outside the reference range "
                                   f"[{u['reference_min']:.4g}, {u['reference_max']:.4g}]"})
    return out


def unit_change_evidence(findings: list[dict[str, Any]], row: dict[str, Any],
                         describe: Any) -> list[dict[str, Any]]:
    """For each unit-change finding, the row's value converted back and its robust z."""
    out = []
    for f in findings:
        if f["kind"] != "unit_change":
            continue
        col = f["columns"][-1]
        ev = f["evidence"]
        scale, offset = float(ev["scale"]), float(ev["offset"])
        try:
            value = float(row[col])
        except (TypeError, ValueError, KeyError):
            continue
        restored = (value - offset) / scale
        out.append({"column": col, "conversion": ev.get("known_conversion"), "scale": scale,
                    "offset": offset, "value": value, "restored_value": restored,
                    "robust_z": describe(col, value)["robust_z"],
                    "restored_robust_z": describe(col, restored)["robust_z"]})
    return out


def class_conditional_drift(ref_x: pd.DataFrame, ref_y: np.ndarray, prod_x: pd.DataFrame,
                            prod_y: np.ndarray, *, alpha: float, min_rows: int = 20
                            ) -> dict[str, Any]:
    """Per class: does any feature's distribution differ between reference and production
    rows of that class? The test's adjusted p-value alone decides (no effect-size floor):
    a pure label shift leaves ``p(x | y)`` unchanged, so any significant change rules it out."""
    out = {}
    for c in np.unique(prod_y):
        r, p = ref_x[ref_y == c], prod_x[prod_y == c]
        if len(r) < min_rows or len(p) < min_rows:
            continue
        report = detect_drift(r, p)
        adj = {col.column: col.adjusted_p_value for col in report.columns
               if col.adjusted_p_value is not None}
        hit = sorted(k for k, v in adj.items() if v <= alpha)
        out[str(c)] = {"n_reference": int(len(r)), "n_production": int(len(p)),
                       "drifted": hit, "min_adjusted_p": min(adj.values()) if adj else None}
    return out


def label_shift_evidence(ref_y: np.ndarray, prod_y: np.ndarray, expected: Any
                         ) -> dict[str, Any]:
    """Chi-square test and total variation between the two label distributions."""
    classes = sorted(set(ref_y.tolist()) | set(prod_y.tolist()), key=str)
    r = np.array([np.count_nonzero(ref_y == c) for c in classes], dtype=float)
    p = np.array([np.count_nonzero(prod_y == c) for c in classes], dtype=float)
    table = np.vstack([r, p])
    table = table[:, table.sum(axis=0) > 0]
    p_value = float(stats.chi2_contingency(table)[1]) if table.shape[1] > 1 else 1.0
    rs, ps = r / r.sum(), p / p.sum()
    share = {str(c): (float(a), float(b)) for c, a, b in zip(classes, rs, ps)}
    exp = share.get(str(expected)) if expected is not None else None
    return {"classes": [str(c) for c in classes], "reference_share": rs.tolist(),
            "production_share": ps.tolist(), "n_production": int(p.sum()),
            "total_variation": float(0.5 * np.abs(rs - ps).sum()), "p_value": p_value,
            "expected_share_reference": None if exp is None else exp[0],
            "expected_share_production": None if exp is None else exp[1]}


def concept_evidence(train_labels: np.ndarray, prod_labels: np.ndarray, prediction: Any
                     ) -> dict[str, Any]:
    """Share of training vs labelled production neighbours carrying the predicted label,
    with the one-sided Fisher exact p-value that training neighbours carry it more often."""
    a = int(np.count_nonzero(train_labels == prediction))
    b = int(np.count_nonzero(prod_labels == prediction))
    table = [[a, train_labels.size - a], [b, prod_labels.size - b]]
    p_value = float(stats.fisher_exact(table, alternative="greater")[1])
    return {"n_training": int(train_labels.size), "n_production": int(prod_labels.size),
            "training_share": a / train_labels.size, "production_share": b / prod_labels.size,
            "p_value": p_value}


def _row_code(binned: Any, value: Any) -> int | None:
    """The bin of ``value`` under ``binned``'s edges or labels (None: in no bin)."""
    from ..slicing import MISSING, OTHER
    labels = list(binned.labels)
    if pd.isna(value) if not isinstance(value, (list, dict)) else False:
        return labels.index(MISSING) if MISSING in labels else None
    if binned.numeric and binned.edges:
        try:
            return int(np.searchsorted(np.asarray(binned.edges), float(value), side="left"))
        except (TypeError, ValueError):
            return None
    text = f"{value:.4g}" if isinstance(value, float) else str(value)
    if text in labels:
        return labels.index(text)
    return labels.index(OTHER) if OTHER in labels else None


def slice_table(x: pd.DataFrame, errors: np.ndarray, *, source: str, min_size: int,
                min_effect: float, alpha: float) -> dict[str, Any]:
    """Binned features, per-row errors and weak segments of one labelled table: the part of
    the slice evidence that does not depend on the escalated row (prefit on the reference)."""
    x = x.reset_index(drop=True)
    weak = find_weak_segments(x, errors, min_size=min_size, min_effect=min_effect,
                              alpha=alpha)
    return {"binned": bin_frame(x), "errors": errors, "weak": weak, "source": source}


def slice_evidence(table: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    """The row's slices (one per feature) with their error rates, and the worst weak
    segment (``find_weak_segments``) that contains the row."""
    errors = table["errors"]
    row_slices, row_label = [], {}
    for b in table["binned"]:
        code = _row_code(b, row[b.name])
        if code is None:
            continue
        row_label[b.name] = b.labels[code]
        inside = b.codes == code
        n = int(inside.sum())
        row_slices.append({"condition": b.condition(code), "size": n,
                           "error_rate": float(errors[inside].mean()) if n else None})
    row_slices.sort(key=lambda s: -(s["error_rate"] or 0.0))
    weak = table["weak"]
    mine = [s for s in weak.segments
            if all(row_label.get(c) == lab for c, lab in zip(s.columns, s.labels))]
    best = max(mine, key=lambda s: (s.slice_loss, -s.adjusted_p_value), default=None)
    seg = None if best is None else {
        "conditions": list(best.conditions), "size": best.size, "slice_loss": best.slice_loss,
        "rest_loss": best.rest_loss, "effect": best.effect, "ratio": best.ratio,
        "adjusted_p_value": best.adjusted_p_value}
    return {"source": table["source"], "n_rows": int(errors.size),
            "overall_error": float(errors.mean()), "row_slices": row_slices,
            "weak_segment": seg, "n_weak_segments": len(weak.segments)}


def calibration_at(y_true: np.ndarray, proba: np.ndarray, classes: np.ndarray,
                   confidence: float, *, source: str, n_bins: int = 10) -> dict[str, Any]:
    """Top-label reliability bin holding ``confidence``: accuracy, mean confidence, count,
    and the one-sided binomial p-value of so few hits if the bin were calibrated."""
    diagram = reliability_diagram(y_true, proba, n_bins=n_bins, classes=classes)
    edges = np.asarray(diagram.edges)
    i = int(np.clip(np.searchsorted(edges[1:-1], confidence), 0, len(edges) - 2))
    n = diagram.count[i]
    acc, conf = diagram.accuracy[i], diagram.confidence[i]
    p_value = float(stats.binom.cdf(round(acc * n), n, conf)) if n else 1.0
    return {"source": source, "ece": diagram.ece, "bin_lower": float(edges[i]),
            "bin_upper": float(edges[i + 1]), "bin_count": int(n),
            "bin_accuracy": float(acc) if n else None,
            "bin_confidence": float(conf) if n else None, "p_value": p_value,
            "diagram": diagram.to_dict()["bins"]}


#: perturbation sizes tried, in units of the reference's robust spread per feature
FLIP_STEPS = (0.005, 0.01, 0.02, 0.035, 0.05, 0.075, 0.1, 0.15, 0.2, 0.35, 0.5, 1.0)


def flip_search(model: Any, row: pd.DataFrame, numeric: dict[str, tuple[float, float]],
                neighbours: pd.DataFrame, prediction: Any, *, spacing: float,
                n_random: int = 16, random_state: int | None = 0) -> dict[str, Any]:
    """Smallest perturbation of the numeric features that changes the prediction.

    Directions: each numeric axis both ways, towards each training neighbour, and
    ``n_random`` random directions; sizes :data:`FLIP_STEPS` measured in robust-spread
    units (the neighbour index's scale). All candidates are scored in one ``predict``."""
    cols = [c for c in numeric if pd.api.types.is_number(row[c].iloc[0])
            and np.isfinite(float(row[c].iloc[0]))]
    if not cols:
        return {"radius": None, "spacing": spacing, "direction": None, "n_tried": 0,
                "note": "no numeric feature to perturb"}
    scale = np.array([numeric[c][1] for c in cols])
    x0 = row[cols].to_numpy(dtype=float)[0]
    dirs, names = [], []
    for j, c in enumerate(cols):
        for sign in (1.0, -1.0):
            d = np.zeros(len(cols))
            d[j] = sign
            dirs.append(d)
            names.append(f"{'+' if sign > 0 else '-'}{c}")
    nb = pd.DataFrame({c: pd.to_numeric(neighbours[c], errors="coerce") for c in cols})
    for i, v in enumerate(nb.to_numpy(dtype=float)):
        d = (v - x0) / scale
        norm = np.linalg.norm(d)
        if np.isfinite(norm) and norm > 0:
            dirs.append(d / norm)
            names.append(f"towards neighbour {i + 1}")
    rng = np.random.default_rng(random_state)
    for i in range(n_random):
        d = rng.normal(size=len(cols))
        dirs.append(d / np.linalg.norm(d))
        names.append(f"random {i + 1}")
    d = np.array(dirs)
    steps = np.array(FLIP_STEPS)
    moved = x0[None, None, :] + steps[None, :, None] * d[:, None, :] * scale[None, None, :]
    batch = pd.DataFrame(np.repeat(row.to_numpy(), moved.shape[0] * moved.shape[1], axis=0),
                         columns=row.columns)
    for j, c in enumerate(cols):
        batch[c] = moved[:, :, j].ravel()
    for c in row.columns:
        if c not in cols:
            batch[c] = batch[c].astype(row[c].dtype)
    pred = np.asarray(model.predict(batch)).reshape(moved.shape[0], moved.shape[1])
    flipped = pred != prediction
    if not flipped.any():
        return {"radius": None, "spacing": spacing, "direction": None,
                "n_tried": int(flipped.size)}
    first = np.where(flipped.any(axis=1), flipped.argmax(axis=1), len(steps))
    best = int(np.argmin(first))
    return {"radius": float(steps[first[best]]), "spacing": spacing,
            "direction": names[best], "n_tried": int(flipped.size),
            "flipped_to": pred[best, first[best]]}
