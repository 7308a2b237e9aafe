"""The numbers of one membership attack: AUC, advantage, TPR at low FPR, bootstrap interval.

Scores are "higher = member"; members are the positive class. AUC and the ROC come from
scikit-learn; the bootstrap AUC uses the Mann-Whitney rank form on a matrix of resamples
(vectorised: a loop of ``roc_auc_score`` calls would cost a hundred times more), checked
against ``roc_auc_score`` in the tests.

>>> import numpy as np
>>> s = attack_stats("x", np.array([3.0, 2.0, 1.5]), np.array([1.0, 2.5, 0.0]),
...                  calib=np.array([True, False, False]), low_fpr=(0.01,), n_boot=0,
...                  confidence=0.95, seed=0)
>>> round(s.auc, 4), round(s.advantage, 4)
(0.7778, 0.6667)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import rankdata
from sklearn.metrics import roc_auc_score, roc_curve

from .._json import jsonable
from ..exceptions import DataError

__all__ = ["AttackStats", "GroupAUC", "MIN_GROUP_ROWS", "attack_stats", "bootstrap_auc",
           "group_aucs", "labels_index", "n_rows", "take"]

MIN_GROUP_ROWS = 10  # per side: below it a group's AUC moves by 0.1 with one row
_ROC_GRID = np.linspace(0.0, 1.0, 51)
_CHUNK_CELLS = 2_000_000


@dataclass(frozen=True)
class AttackStats:
    """One attack's success. ``threshold``: score at or above it is called a member."""

    attack: str
    auc: float
    auc_low: float | None
    auc_high: float | None
    advantage: float  # max TPR - FPR over thresholds, on every row (optimistic)
    threshold: float
    calibrated_advantage: float  # threshold chosen on the calibration half, scored on the rest
    calibrated_threshold: float
    tpr_at_fpr: dict[str, float]
    roc_tpr: tuple[float, ...]  # TPR on the FPR grid 0, 0.02, ..., 1 (for the chart)

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"attack": self.attack, "auc": self.auc, "auc_low": self.auc_low,
                         "auc_high": self.auc_high, "advantage": self.advantage,
                         "threshold": self.threshold,
                         "calibrated_advantage": self.calibrated_advantage,
                         "calibrated_threshold": self.calibrated_threshold,
                         "tpr_at_fpr": self.tpr_at_fpr, "roc_fpr": _ROC_GRID.tolist(),
                         "roc_tpr": list(self.roc_tpr)})


@dataclass(frozen=True)
class GroupAUC:
    """An attack's AUC within one class or group (``auc`` None: too few rows)."""

    by: str  # "class" or "group"
    value: Any
    attack: str
    n_members: int
    n_nonmembers: int
    auc: float | None

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"by": self.by, "value": self.value, "attack": self.attack,
                         "n_members": self.n_members, "n_nonmembers": self.n_nonmembers,
                         "auc": self.auc})


def n_rows(X: Any) -> int:
    shape = getattr(X, "shape", None)
    if shape is None:
        X = np.asarray(X)
        shape = X.shape
    if len(shape) != 2:
        raise DataError("feature rows", expected="a 2-d table (rows by features)",
                        got=f"shape {tuple(shape)}", fix="pass a DataFrame or a 2-d array")
    return int(shape[0])


def take(X: Any, rows: np.ndarray) -> Any:
    """Rows of a DataFrame (by position) or of an array-like."""
    return X.iloc[rows] if hasattr(X, "iloc") else np.asarray(X)[rows]


def labels_index(classes: Any, y: np.ndarray) -> np.ndarray:
    """Column of each label in the model's class order; unknown labels are an error."""
    if classes is None:
        raise DataError("model classes", expected="a classifier that names its classes",
                        got="no classes", fix="wrap the model with classes=[...]")
    lookup = {c.item() if hasattr(c, "item") else c: i for i, c in enumerate(classes)}
    col = np.fromiter((lookup.get(v.item() if hasattr(v, "item") else v, -1) for v in y),
                      dtype=int, count=len(y))
    if (col < 0).any():
        unknown = sorted({str(v) for v in y[col < 0]})[:5]
        raise DataError("labels", expected=f"the model's classes {list(lookup)[:10]}",
                        got=f"unknown labels {unknown}",
                        fix="pass the label column the model was trained on")
    return col


def bootstrap_auc(s_in: np.ndarray, s_out: np.ndarray, *, n_boot: int,
                  seed: int) -> np.ndarray:
    """AUC on ``n_boot`` stratified resamples (members and non-members drawn apart)."""
    rng = np.random.default_rng(seed)
    n1, n0 = len(s_in), len(s_out)
    out = np.empty(n_boot)
    step = max(1, _CHUNK_CELLS // (n1 + n0))
    for start in range(0, n_boot, step):
        b = min(step, n_boot - start)
        both = np.concatenate([s_in[rng.integers(0, n1, (b, n1))],
                               s_out[rng.integers(0, n0, (b, n0))]], axis=1)
        ranks = rankdata(both, axis=1)  # ties share the average rank, as in roc_auc_score
        out[start:start + b] = (ranks[:, :n1].sum(axis=1) - n1 * (n1 + 1) / 2) / (n1 * n0)
    return out


def _best(truth: np.ndarray, scores: np.ndarray) -> tuple[float, float]:
    fpr, tpr, thr = roc_curve(truth, scores, drop_intermediate=False)
    k = int(np.argmax(tpr - fpr))
    return float(tpr[k] - fpr[k]), float(thr[k])


def attack_stats(attack: str, s_in: np.ndarray, s_out: np.ndarray, *, calib: np.ndarray,
                 low_fpr: tuple[float, ...], n_boot: int, confidence: float,
                 seed: int) -> AttackStats:
    """Every number of one attack; ``calib`` marks the calibration half of each side."""
    truth = np.r_[np.ones(len(s_in)), np.zeros(len(s_out))]
    scores = np.r_[s_in, s_out]
    auc = float(roc_auc_score(truth, scores))
    fpr, tpr, _ = roc_curve(truth, scores, drop_intermediate=False)
    advantage, threshold = _best(truth, scores)
    c_adv, c_thr = _best(np.r_[np.ones(calib.sum()), np.zeros(calib.sum())],
                         np.r_[s_in[calib], s_out[calib]])
    held_tpr = float(np.mean(s_in[~calib] >= c_thr))
    held_fpr = float(np.mean(s_out[~calib] >= c_thr))
    low = high = None
    if n_boot:
        reps = bootstrap_auc(s_in, s_out, n_boot=n_boot, seed=seed)
        tail = (1.0 - confidence) / 2.0
        low, high = (float(v) for v in np.quantile(reps, [tail, 1.0 - tail]))
    tpr_at = {f"{f:g}": float(tpr[fpr <= f].max()) for f in low_fpr}
    roc = tuple(float(v) for v in np.interp(_ROC_GRID, fpr, tpr))
    return AttackStats(attack, auc, low, high, advantage, threshold, held_tpr - held_fpr,
                       c_thr, tpr_at, roc)


def group_aucs(by: str, g_in: np.ndarray, g_out: np.ndarray, s_in: dict[str, np.ndarray],
               s_out: dict[str, np.ndarray]) -> list[GroupAUC]:
    """Each attack's AUC within each value of ``g`` (members vs non-members of the value)."""
    rows = []
    values = sorted(set(g_in.tolist()) | set(g_out.tolist()), key=str)
    for value in values:
        m_in, m_out = g_in == value, g_out == value
        k_in, k_out = int(m_in.sum()), int(m_out.sum())
        for attack in s_in:
            auc = None
            if min(k_in, k_out) >= MIN_GROUP_ROWS:
                auc = float(roc_auc_score(np.r_[np.ones(k_in), np.zeros(k_out)],
                                          np.r_[s_in[attack][m_in], s_out[attack][m_out]]))
            rows.append(GroupAUC(by, value, attack, k_in, k_out, auc))
    return rows
