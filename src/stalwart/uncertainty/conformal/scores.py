"""Classification conformity scores: LAC, APS and RAPS, for every candidate label at once.

- LAC (least ambiguous set-valued classifier, Sadinle et al. 2019): ``1 - p_y``.
- APS (adaptive prediction sets, Romano et al. 2020): the probability mass of the labels
  ranked above ``y`` plus ``y`` itself; randomised, ``y``'s own mass is scaled by
  ``u ~ U(0, 1)``.
- RAPS (Angelopoulos et al. 2021): APS where every label ranked beyond ``k_reg`` costs an
  extra ``lam``; APS is RAPS with ``lam = 0``.

Each function returns an (n, n_classes) matrix: the score each label would have if it were
the true one. A calibration point's score is the entry of its true label; a label enters the
prediction set when its score is at most the threshold, so that the true label is in the
set exactly when its score is (Angelopoulos and Bates 2021, section 2.1); such a set can be
empty. ``include_last=True`` (non-randomised APS/RAPS) also keeps the label that crosses the
threshold (``mass above it < threshold``), Romano et al.'s generalised quantile: never
empty, but more conservative.
"""

from __future__ import annotations

import numpy as np

from ...exceptions import ParameterError
from ...metrics.probabilities import check_proba

__all__ = ["SCORES", "check_proba", "label_scores", "prediction_sets"]

SCORES = ("lac", "aps", "raps")


def _check_method(score: str, k_reg: int, lam: float) -> None:
    if score not in SCORES:
        raise ParameterError("score", expected=f"one of {list(SCORES)}", got=repr(score),
                             fix="pass score='lac', 'aps' or 'raps'")
    if isinstance(k_reg, bool) or not isinstance(k_reg, (int, np.integer)) or k_reg < 0:
        raise ParameterError("k_reg", expected="an integer >= 0", got=repr(k_reg),
                             fix="pass k_reg=1 (labels ranked beyond it are penalised)")
    if isinstance(lam, bool) or not isinstance(lam, (int, float, np.number)) \
            or not np.isfinite(lam) or lam < 0:
        raise ParameterError("lam", expected="a number >= 0", got=repr(lam),
                             fix="pass lam=0.01 for RAPS (0 gives APS)")


def _ranked_mass(p: np.ndarray, *, k_reg: int, lam: float) -> tuple[np.ndarray, np.ndarray]:
    """Per label: regularised mass ranked strictly above it, and its own regularised mass."""
    order = np.argsort(-p, axis=1, kind="stable")
    sorted_p = np.take_along_axis(p, order, axis=1)
    rank = np.arange(1, p.shape[1] + 1)
    own_sorted = sorted_p + lam * (rank > k_reg)
    above_sorted = np.cumsum(own_sorted, axis=1) - own_sorted
    above = np.empty_like(p)
    own = np.empty_like(p)
    np.put_along_axis(above, order, above_sorted, axis=1)
    np.put_along_axis(own, order, own_sorted, axis=1)
    return above, own


def label_scores(proba: np.ndarray, *, score: str = "lac", randomized: bool = False,
                 k_reg: int = 1, lam: float = 0.0, u: np.ndarray | None = None) -> np.ndarray:
    """Conformity score of every label for every row, shape (n, n_classes).

    ``u`` holds one uniform draw per row, used when ``randomized`` (APS/RAPS only).

    >>> p = np.array([[0.6, 0.3, 0.1]])
    >>> label_scores(p, score="lac").round(2).tolist()
    [[0.4, 0.7, 0.9]]
    >>> label_scores(p, score="aps").round(2).tolist()
    [[0.6, 0.9, 1.0]]
    >>> label_scores(p, score="raps", k_reg=1, lam=0.5).round(2).tolist()
    [[0.6, 1.4, 2.0]]
    """
    _check_method(score, k_reg, lam)
    p = check_proba(proba)
    if score == "lac":
        return 1.0 - p
    above, own = _ranked_mass(p, k_reg=k_reg, lam=lam if score == "raps" else 0.0)
    if not randomized:
        return above + own
    if u is None or np.shape(u) != (p.shape[0],):
        raise ParameterError("u", expected=f"{p.shape[0]} uniform draws, one per row",
                             got=repr(None if u is None else np.shape(u)),
                             fix="pass u=rng.uniform(size=n) with randomized=True")
    return above + np.asarray(u, dtype=float)[:, None] * own


def prediction_sets(proba: np.ndarray, threshold: float | np.ndarray, *, score: str = "lac",
                    randomized: bool = False, k_reg: int = 1, lam: float = 0.0,
                    u: np.ndarray | None = None, include_last: bool = False) -> np.ndarray:
    """Boolean (n, n_classes) membership matrix for a threshold (scalar or one per class).

    >>> p = np.array([[0.6, 0.3, 0.1], [0.2, 0.5, 0.3]])
    >>> prediction_sets(p, 0.75, score="lac").tolist()
    [[True, True, False], [False, True, True]]
    >>> prediction_sets(p, 0.65, score="aps").tolist()
    [[True, False, False], [False, True, False]]
    >>> prediction_sets(p, 0.65, score="aps", include_last=True).tolist()
    [[True, True, False], [False, True, True]]
    """
    t = np.asarray(threshold, dtype=float)
    if include_last and score in ("aps", "raps") and not randomized:
        _check_method(score, k_reg, lam)
        above, _ = _ranked_mass(check_proba(proba), k_reg=k_reg,
                                lam=lam if score == "raps" else 0.0)
        return above < t
    return label_scores(proba, score=score, randomized=randomized, k_reg=k_reg, lam=lam,
                        u=u) <= t
