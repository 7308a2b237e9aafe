"""Group-aware threshold post-processing (Hardt, Price & Srebro 2016).

Fitted on held-out scores, labels and sensitive groups, the optimizer picks for every group
a threshold rule, randomised between two thresholds where an exact rate needs it, so that
the groups share one selection rate (``demographic_parity``), one TPR
(``equal_opportunity``) or one (FPR, TPR) point (``equalized_odds``), and the objective
(``accuracy`` or ``balanced_accuracy``) is as high as the constraint allows on the fit data.

For the first two, each group's best objective at rate ``r`` is its upper concave hull over
``r`` (:mod:`.operating_points`); their sum is concave, and its maximum lies at a hull vertex
of some group, so every vertex is tried. For equalized odds the common point ``(f, t)`` must
lie in every group's ROC hull; for a given FPR ``f`` the best ``t`` is the lowest of the
groups' upper ROC hulls at ``f`` (at least ``f``, since the hull holds the diagonal), tried
at every hull vertex and on a 1001-point grid. A group whose own hull passes above ``t``
reaches ``(f, t)`` by mixing its hull point with a coin that says yes with probability
``f`` (a point on the diagonal), which Hardt et al. describe as randomising inside the hull.
Randomness is seeded by ``random_state``: the same inputs give the same decisions.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> g = rng.choice(["a", "b"], 2000)
>>> y = rng.integers(0, 2, 2000)
>>> s = np.clip(0.35 * y + rng.normal(0.3, 0.2, 2000) + 0.2 * (g == "a"), 0, 1)
>>> opt = GroupThresholdOptimizer(constraint="demographic_parity").fit(s, y, sensitive=g)
>>> pred = opt.predict(s, sensitive=g)
>>> rates = [pred[g == k].mean() for k in ("a", "b")]
>>> bool(abs(rates[0] - rates[1]) < 0.03)
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..exceptions import DataError, ParameterError, StageError
from .groups import sensitive_frame
from .operating_points import candidate_cuts, on_hull, threshold_counts, upper_hull
from .outcomes import binary_outcomes

if TYPE_CHECKING:
    from .mitigation import MitigationReport

__all__ = ["CONSTRAINTS", "OBJECTIVES", "GroupThresholdOptimizer", "group_keys"]

CONSTRAINTS = ("demographic_parity", "equal_opportunity", "equalized_odds")
OBJECTIVES = ("accuracy", "balanced_accuracy")


def group_keys(sensitive: Any, n_rows: int) -> np.ndarray:
    """One label per row: the row's sensitive values joined with " & " (missing values
    read "(missing)"); values are not binned, so a group is the same at fit and predict."""
    frame = sensitive_frame(sensitive, n_rows).astype(object)
    text = frame.where(frame.notna(), "(missing)").astype(str)
    first = text.iloc[:, 0]
    if text.shape[1] > 1:  # column-wise, not a row-wise join (10 s on 100k rows)
        first = first.str.cat([text.iloc[:, i] for i in range(1, text.shape[1])], sep=" & ")
    return first.to_numpy(dtype=object)


def _scores(scores: Any, n: int | None = None) -> np.ndarray:
    s = np.asarray(scores, dtype=float)
    if s.ndim != 1 or s.size == 0 or (n is not None and s.size != n):
        raise DataError("scores", expected="a 1-D array of scores (the positive class's "
                        f"probability){'' if n is None else f', {n} rows'}",
                        got=f"shape {s.shape}", fix="pass predict_proba(X)[:, 1]")
    if not np.all(np.isfinite(s)):
        raise DataError("scores", expected="finite numbers", got="NaN or infinite values",
                        fix="drop or impute the rows without a score")
    return s


class GroupThresholdOptimizer:
    """Per-group (randomised) thresholds meeting a fairness constraint; see the module doc.

    Learned: ``rules_`` (per group: the two thresholds, the mixing probability, and for
    equalized odds the share decided by the rule rather than by the coin), ``target_`` (the
    shared rate, or the shared (FPR, TPR)), ``fit_objective_`` and ``warnings_``.
    """

    def __init__(self, *, constraint: str = "demographic_parity", objective: str = "accuracy",
                 grid: Any = None, pos_label: Any = 1, min_group_size: int = 30,
                 random_state: int = 0) -> None:
        self.constraint = constraint
        self.objective = objective
        self.grid = grid
        self.pos_label = pos_label
        self.min_group_size = min_group_size
        self.random_state = random_state

    def _validate(self) -> None:
        if self.constraint not in CONSTRAINTS:
            raise ParameterError("constraint", expected=f"one of {CONSTRAINTS}",
                                 got=repr(self.constraint), fix="pick a constraint from the list")
        if self.objective not in OBJECTIVES:
            raise ParameterError("objective", expected=f"one of {OBJECTIVES}",
                                 got=repr(self.objective), fix="pick an objective from the list")
        if not isinstance(self.random_state, (int, np.integer)) or isinstance(self.random_state,
                                                                              bool):
            raise ParameterError("random_state", expected="an integer",
                                 got=repr(self.random_state), fix="pass random_state=0")

    def fit(self, scores: Any, y: Any, *, sensitive: Any) -> GroupThresholdOptimizer:
        self._validate()
        s = _scores(scores)
        yt, _ = binary_outcomes(y, y, pos_label=self.pos_label)
        if yt.size != s.size:
            raise DataError("y", expected=f"{s.size} labels (one per score)", got=f"{yt.size}",
                            fix="pass labels of the same rows as the scores")
        keys = group_keys(sensitive, s.size)
        names = sorted(set(keys))
        if len(names) < 2:
            raise DataError("sensitive", expected="at least two groups", got=f"one ({names})",
                            fix="fit on data that holds every group")
        P, N = float(yt.sum()), float(yt.size - yt.sum())
        if self.objective == "balanced_accuracy" and (P == 0 or N == 0):
            raise DataError("y", expected="both classes for balanced accuracy",
                            got=f"{int(P)} positives and {int(N)} negatives",
                            fix="fit on data with both classes, or objective='accuracy'")
        pts, warn = {}, []
        for k in names:
            rows = keys == k
            cuts = candidate_cuts(s[rows], self.grid)
            sel, tp = threshold_counts(s[rows], yt[rows], cuts)
            n_g, p_g = float(rows.sum()), float(yt[rows].sum())
            if self.constraint != "demographic_parity" and (p_g == 0 or (
                    self.constraint == "equalized_odds" and p_g == n_g)):
                raise DataError(f"group {k!r}", expected="positive and negative labels for "
                                f"{self.constraint}", got=f"{int(p_g)} positives of {int(n_g)}",
                                fix="fit on more data, or use constraint='demographic_parity'")
            fp = sel - tp
            tn = n_g - p_g - fp
            # each group's share of the objective: correct decisions, or its part of
            # (TPR + TNR) / 2 over all rows; the shares add up to the objective
            value = tp + tn if self.objective == "accuracy" else 0.5 * (tp / P + tn / N)
            zeros = np.zeros_like(sel)
            pts[k] = {"cuts": cuts, "rate": sel / n_g, "tpr": tp / p_g if p_g else zeros,
                      "fpr": fp / (n_g - p_g) if n_g > p_g else zeros, "value": value}
            if n_g < self.min_group_size:
                warn.append(f"group {k!r} has {int(n_g)} rows (< {self.min_group_size}): "
                            "its thresholds are unstable")
        fit = self._fit_equalized_odds if self.constraint == "equalized_odds" else self._fit_rate
        self.rules_, self.target_, self.fit_objective_ = fit(pts, P, N, s.size)
        self.groups_ = tuple(names)
        self.warnings_ = tuple(warn)
        return self

    def _fit_rate(self, pts: dict, P: float, N: float, n: int) -> tuple:
        axis = "rate" if self.constraint == "demographic_parity" else "tpr"
        hulls = {k: upper_hull(p[axis], p["value"]) for k, p in pts.items()}
        candidates = np.unique(np.concatenate([p[axis][hulls[k]] for k, p in pts.items()]))
        totals = [sum(on_hull(p[axis], p["value"], hulls[k], r)[2] for k, p in pts.items())
                  for r in candidates]
        best = float(candidates[int(np.argmax(totals))])
        rules = {}
        for k, p in pts.items():
            j, mix, _ = on_hull(p[axis], p["value"], hulls[k], best)
            h = hulls[k]
            second = h[min(j + 1, h.size - 1)]
            rules[k] = {"strict": float(p["cuts"][h[j]]), "loose": float(p["cuts"][second]),
                        "p_loose": mix, "rule_share": 1.0, "coin": 0.0}
        return rules, {axis: best}, self._objective_value(max(totals), n)

    def _fit_equalized_odds(self, pts: dict, P: float, N: float, n: int) -> tuple:
        hulls = {k: upper_hull(p["fpr"], p["tpr"]) for k, p in pts.items()}
        fs = np.unique(np.concatenate([np.linspace(0.0, 1.0, 1001),
                                       *[p["fpr"][hulls[k]] for k, p in pts.items()]]))
        ts = np.array([min(on_hull(p["fpr"], p["tpr"], hulls[k], f)[2] for k, p in pts.items())
                       for f in fs])
        if self.objective == "accuracy":
            totals = P * ts + N * (1.0 - fs)
        else:
            totals = 0.5 * (ts + 1.0 - fs)
        i = int(np.argmax(totals))
        f, t = float(fs[i]), float(ts[i])
        rules = {}
        for k, p in pts.items():
            h = hulls[k]
            j, mix, up = on_hull(p["fpr"], p["tpr"], h, f)
            share = 1.0 if up - f <= 1e-12 else (t - f) / (up - f)
            rules[k] = {"strict": float(p["cuts"][h[j]]),
                        "loose": float(p["cuts"][h[min(j + 1, h.size - 1)]]),
                        "p_loose": mix, "rule_share": float(min(1.0, max(0.0, share))),
                        "coin": f}
        return rules, {"fpr": f, "tpr": t}, self._objective_value(float(totals[i]), n)

    def _objective_value(self, total: float, n: int) -> float:
        return total / n if self.objective == "accuracy" else total

    def predict(self, scores: Any, *, sensitive: Any) -> np.ndarray:
        """0/1 decisions (1: the positive class), randomised where the rules say so."""
        if not hasattr(self, "rules_"):
            raise StageError("GroupThresholdOptimizer.predict called before fit; call "
                             "fit(scores, y, sensitive=...) on held-out data first")
        s = _scores(scores)
        keys = group_keys(sensitive, s.size)
        unknown = sorted(set(keys) - set(self.rules_))
        if unknown:
            raise DataError("sensitive", expected=f"groups seen in fit {list(self.groups_)}",
                            got=f"unseen groups {unknown[:10]}",
                            fix="refit with data that holds these groups")
        rng = np.random.default_rng(self.random_state)
        u_mix, u_share, u_coin = rng.random((3, s.size))
        out = np.zeros(s.size, dtype=int)
        for k, r in self.rules_.items():
            rows = keys == k
            x = s[rows]
            rule = (x >= r["loose"]) & ((x >= r["strict"]) | (u_mix[rows] < r["p_loose"]))
            coin = u_coin[rows] < r["coin"]
            out[rows] = np.where(u_share[rows] < r["rule_share"], rule, coin)
        return out

    def report(self, scores: Any, y: Any, *, sensitive: Any,
               baseline_threshold: float = 0.5) -> MitigationReport:
        """The accuracy cost on held-out rows: decisions ``score >= baseline_threshold``
        (one threshold for all) against this optimizer's decisions."""
        from .mitigation import mitigation_report

        after = self.predict(scores, sensitive=sensitive)
        yt, _ = binary_outcomes(y, y, pos_label=self.pos_label)
        before = (_scores(scores) >= baseline_threshold).astype(int)
        return mitigation_report(yt, before, after, sensitive=sensitive, pos_label=1,
                                 method=f"group thresholds ({self.constraint})",
                                 min_group_size=self.min_group_size,
                                 details={"constraint": self.constraint,
                                          "objective": self.objective,
                                          "baseline_threshold": baseline_threshold,
                                          "target": self.target_, "rules": self.rules_,
                                          "fit_objective": self.fit_objective_,
                                          "fit_warnings": list(self.warnings_)},
                                 notes=tuple(f"fit: {w}" for w in self.warnings_))
