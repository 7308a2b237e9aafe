"""Membership-inference risk: can an attacker tell the training rows from unseen ones?

A model that fits its training rows better than new rows leaks which rows it was trained
on. Each *attack* turns the model's output on a labelled row into a score, higher meaning
"more likely a member" (Yeom et al. 2018; Salem et al. 2019; Song and Mittal 2021):

================  ===========================================================  ===============
attack            score (higher = member)                                      needs
================  ===========================================================  ===============
loss              minus the per-row loss: cross-entropy of the true class, or  predict_proba
                  squared error for regression                                 (classifiers)
confidence        the largest class probability (label-free)                   predict_proba
entropy           minus the entropy of the predicted distribution               predict_proba
modified_entropy  minus Song and Mittal's modified entropy (uses the label)    predict_proba
correct           1 when the prediction is right, else 0 (Yeom's baseline)      predict
================  ===========================================================  ===============

Members (training rows) are the positive class. Per attack the result holds the ROC AUC
(threshold-free), the membership advantage max(TPR - FPR) over thresholds (Yeom et al.
2018) with its best threshold, the same advantage for a threshold chosen on a calibration
half and applied to the other half (less optimistic), TPR at low FPR (Carlini et al. 2022)
and a stratified bootstrap interval for the AUC. The larger side is subsampled (seeded) to
the size of the smaller, so 0.5 is the AUC of guessing. These are *lower bounds* on the
risk: a stronger attack (shadow models, per-example calibration) may do better.

>>> import numpy as np
>>> from sklearn.tree import DecisionTreeClassifier
>>> rng = np.random.default_rng(0)
>>> X = rng.normal(size=(400, 3)); y = (X[:, 0] + rng.normal(size=400) > 0).astype(int)
>>> tree = DecisionTreeClassifier(random_state=0).fit(X[:200], y[:200])
>>> risk = membership_inference(tree, X[:200], y[:200], X[200:], y[200:], n_boot=50)
>>> [(a.attack, round(a.auc, 3)) for a in risk.attacks][:3]
[('loss', 0.672), ('confidence', 0.5), ('entropy', 0.5)]
>>> risk.worst_attack, round(risk.worst.advantage, 3)  # a pure-leaf tree: loss is 0 or 27.6
('loss', 0.345)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._json import jsonable
from ..exceptions import DataError, ModelError, ParameterError
from ..models import wrap
from ._attack_stats import (AttackStats, GroupAUC, attack_stats, group_aucs, labels_index,
                            n_rows, take)

__all__ = ["ATTACKS", "MembershipRisk", "membership_inference", "membership_scores"]

#: attack name -> what the model must offer ("proba" or "predict") and the tasks it serves
ATTACKS: dict[str, tuple[str, tuple[str, ...]]] = {
    "loss": ("proba", ("classification", "regression")),
    "confidence": ("proba", ("classification",)),
    "entropy": ("proba", ("classification",)),
    "modified_entropy": ("proba", ("classification",)),
    "correct": ("predict", ("classification",)),
}
_TINY = 1e-12  # keeps log(0) finite: a probability of exactly 0 gives a loss of about 27.6
MIN_ROWS = 20  # per side after balancing: two halves of 10 for the calibrated threshold


def runnable_attacks(model: Any) -> list[str]:
    """The attacks this model supports, in :data:`ATTACKS` order."""
    adapter = wrap(model)
    has_proba = adapter.can("predict_proba")
    if adapter.task == "regression":
        return ["loss"]
    return [a for a, (need, _) in ATTACKS.items() if need == "predict" or has_proba]


def membership_scores(model: Any, X: Any, y: Any, *,
                      attacks: Sequence[str] | None = None) -> dict[str, np.ndarray]:
    """Per-row attack scores (higher = more likely a training row), one array per attack.

    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> m = LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
    >>> s = membership_scores(m, [[0.0], [3.0]], [0, 1], attacks=["loss", "correct"])
    >>> s["correct"].tolist(), bool((s["loss"] < 0).all())
    ([1.0, 1.0], True)
    """
    adapter = wrap(model)
    chosen = _resolve_attacks(adapter, attacks)
    y = np.asarray(y)
    if y.ndim != 1 or len(y) != n_rows(X):
        raise DataError("labels", expected=f"one label per row ({n_rows(X)} rows)",
                        got=f"shape {y.shape}", fix="pass y with one value per row of X")
    out: dict[str, np.ndarray] = {}
    if adapter.task == "regression":
        pred = np.asarray(adapter.predict(X), dtype=float)
        out["loss"] = -(np.asarray(y, dtype=float) - pred) ** 2
        return out
    col = labels_index(adapter.classes_, y)
    if any(ATTACKS[a][0] == "proba" for a in chosen):
        p = np.clip(np.asarray(adapter.predict_proba(X), dtype=float), 0.0, 1.0)
        p_true = p[np.arange(len(y)), col]
        logs = np.log(np.maximum(p, _TINY))
        for a in chosen:
            if a == "loss":
                out[a] = np.log(np.maximum(p_true, _TINY))
            elif a == "confidence":
                out[a] = p.max(axis=1)
            elif a == "entropy":
                out[a] = (p * logs).sum(axis=1)
            elif a == "modified_entropy":
                log_rest = np.log(np.maximum(1.0 - p, _TINY))
                rest = (p * log_rest).sum(axis=1) - p_true * log_rest[np.arange(len(y)), col]
                out[a] = (1.0 - p_true) * np.log(np.maximum(p_true, _TINY)) + rest
    if "correct" in chosen:
        out["correct"] = (np.asarray(adapter.predict(X)) == y).astype(float)
    return {a: out[a] for a in chosen}


def _resolve_attacks(adapter: Any, attacks: Sequence[str] | None) -> list[str]:
    possible = runnable_attacks(adapter)
    if attacks is None:
        return possible
    if isinstance(attacks, str) or not attacks:
        raise ParameterError("attacks", expected=f"a non-empty list among {sorted(ATTACKS)}",
                             got=repr(attacks), fix="pass for example attacks=['loss']")
    for a in attacks:
        if a not in ATTACKS:
            raise ParameterError("attack", expected=f"one of {sorted(ATTACKS)}", got=repr(a),
                                 fix="pick attacks from the list")
        if a not in possible:
            need, tasks = ATTACKS[a]
            why = (f"a {' or '.join(tasks)} model" if adapter.task not in tasks
                   else "a model with predict_proba")
            raise ModelError(f"attack {a!r}", expected=why,
                             got=f"a {adapter.task} model with {sorted(adapter.capabilities)}",
                             fix=f"run the attacks this model supports: {possible}")
    return list(dict.fromkeys(attacks))


@dataclass(frozen=True)
class MembershipRisk:
    """Membership-inference attacks on one model; ``attacks`` sorted as run."""

    task: str
    attacks: tuple[AttackStats, ...]
    breakdown: tuple[GroupAUC, ...]
    n_members: int  # rows per side actually attacked (after balancing)
    n_members_given: int
    n_nonmembers_given: int
    warnings: tuple[str, ...]
    options: dict[str, Any]
    model: dict[str, Any]
    schema_version: str = "1.0"

    @property
    def worst(self) -> AttackStats:
        """The attack with the highest AUC (ties: the first run)."""
        return max(self.attacks, key=lambda a: a.auc)

    @property
    def worst_attack(self) -> str:
        return self.worst.attack

    @property
    def worst_auc(self) -> float:
        return self.worst.auc

    def to_dict(self) -> dict[str, Any]:
        return jsonable({
            "schema_version": self.schema_version, "task": self.task,
            "worst_attack": self.worst_attack, "worst_auc": self.worst_auc,
            "attacks": [a.to_dict() for a in self.attacks],
            "breakdown": [g.to_dict() for g in self.breakdown],
            "n_members": self.n_members, "n_nonmembers": self.n_members,
            "n_members_given": self.n_members_given,
            "n_nonmembers_given": self.n_nonmembers_given,
            "warnings": list(self.warnings), "options": self.options, "model": self.model})


def membership_inference(model: Any, members_X: Any, members_y: Any, nonmembers_X: Any,
                         nonmembers_y: Any, *, attacks: Sequence[str] | None = None,
                         member_groups: Any = None, nonmember_groups: Any = None,
                         low_fpr: Sequence[float] = (0.001, 0.01), n_boot: int = 200,
                         confidence: float = 0.95, random_state: int = 0) -> MembershipRisk:
    """Run the threshold attacks against training rows (members) and held-out rows.

    ``attacks=None`` runs every attack the model supports. ``member_groups`` and
    ``nonmember_groups`` (one value per row) add a per-group breakdown next to the
    per-class one. See the module docstring for the method.
    """
    adapter = wrap(model)
    if not isinstance(n_boot, (int, np.integer)) or isinstance(n_boot, bool) or n_boot < 0:
        raise ParameterError("n_boot", expected="an integer >= 0 (0: no interval)",
                             got=repr(n_boot), fix="pass for example n_boot=200")
    if not (isinstance(confidence, (int, float, np.integer, np.floating))
            and not isinstance(confidence, bool) and 0.0 < confidence < 1.0):
        raise ParameterError("confidence", expected="a level in (0, 1)", got=repr(confidence),
                             fix="pass for example confidence=0.95")
    try:  # one rate or several
        fprs = tuple(float(f) for f in np.atleast_1d(np.asarray(low_fpr, dtype=float)))
    except (TypeError, ValueError):
        fprs = ()
    if not fprs or not all(0.0 < f < 1.0 for f in fprs):
        raise ParameterError("low_fpr", expected="false-positive rates in (0, 1)",
                             got=repr(low_fpr), fix="pass for example low_fpr=(0.001, 0.01)")
    chosen = _resolve_attacks(adapter, attacks)
    n_in, n_out = n_rows(members_X), n_rows(nonmembers_X)
    n = min(n_in, n_out)
    if n < MIN_ROWS:
        raise DataError("members and non-members", expected=f"at least {MIN_ROWS} rows on "
                        "each side (half choose the calibrated threshold, half test it)",
                        got=f"{n_in} members and {n_out} non-members",
                        fix="pass more training rows and more held-out rows")
    rng = np.random.default_rng(random_state)
    keep_in = np.sort(rng.choice(n_in, n, replace=False)) if n_in > n else np.arange(n)
    keep_out = np.sort(rng.choice(n_out, n, replace=False)) if n_out > n else np.arange(n)
    notes = []
    if n_in != n_out:
        notes.append(f"sides balanced: {n_in} members and {n_out} non-members, the larger "
                     f"side subsampled (seeded) to {n} rows")
    y_in, y_out = _labels(members_y, n_in, "members_y"), _labels(nonmembers_y, n_out,
                                                                  "nonmembers_y")
    s_in = membership_scores(adapter, take(members_X, keep_in), y_in[keep_in], attacks=chosen)
    s_out = membership_scores(adapter, take(nonmembers_X, keep_out), y_out[keep_out],
                              attacks=chosen)
    halves = rng.permutation(n) < n // 2  # calibration half of each side (same mask)
    stats = tuple(attack_stats(a, s_in[a], s_out[a], calib=halves, low_fpr=fprs,
                               n_boot=int(n_boot), confidence=confidence,
                               seed=int(rng.integers(2**32))) for a in chosen)
    too_fine = [f for f in fprs if f * n < 1]
    if too_fine:
        notes.append(f"with {n} non-members an FPR below {1 / n:.2g} cannot be measured: TPR "
                     f"at FPR {', '.join(f'{f:g}' for f in too_fine)} is TPR at FPR 0")
    breakdown: list[GroupAUC] = []
    if adapter.task == "classification":
        breakdown += group_aucs("class", y_in[keep_in], y_out[keep_out], s_in, s_out)
    if (member_groups is None) != (nonmember_groups is None):
        raise ParameterError("groups", expected="both member_groups and nonmember_groups, or "
                             "neither", got="only one of them",
                             fix="pass one group value per row on both sides")
    if member_groups is not None:
        g_in = _labels(member_groups, n_in, "member_groups")[keep_in]
        g_out = _labels(nonmember_groups, n_out, "nonmember_groups")[keep_out]
        breakdown += group_aucs("group", g_in, g_out, s_in, s_out)
    if any(g.auc is None for g in breakdown):
        notes.append("some classes or groups have too few rows on a side for an AUC (shown "
                     "as missing)")
    options = {"attacks": chosen, "low_fpr": list(fprs), "n_boot": int(n_boot),
               "confidence": confidence, "random_state": random_state}
    return MembershipRisk(adapter.task, stats, tuple(breakdown), n, n_in, n_out,
                          tuple(notes), options, adapter.describe())


def _labels(values: Any, n: int, name: str) -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim != 1 or len(arr) != n:
        raise DataError(name, expected=f"one value per row ({n} rows)",
                        got=f"shape {arr.shape}", fix=f"pass {name} aligned with its rows")
    return arr
