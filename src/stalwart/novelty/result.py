"""NoveltyResult: per-sample scores, flags and conformal p-values of one novelty detector.

Every detector in :mod:`stalwart.novelty` returns this one result. ``flags`` are the samples
whose score is above the calibrated ``threshold``; ``expected_false_flag_rate`` is the share of
new reference-like samples expected to be flagged (at most the chosen ``false_flag_rate`` for
the calibrated detectors; measured on held-out reference for fixed rules); ``top`` lists the
most unusual samples with their per-sample details (unseen words, seen paths...).

>>> import numpy as np
>>> r = NoveltyResult(method="knn", scores=np.array([0.1, 3.0]), flags=np.array([False, True]),
...                   p_values=np.array([0.6, 0.01]), threshold=2.0, false_flag_rate=0.05,
...                   expected_false_flag_rate=0.045, n_train=50, n_calibration=100)
>>> r.n_flagged, r.flagged_share, r.flagged_indices.tolist()
(1, 0.5, [1])
>>> r.to_dict()["schema_version"], r.to_dict()["flags"]
('1.0', [False, True])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._json import jsonable

__all__ = ["NoveltyResult"]


@dataclass(frozen=True)
class NoveltyResult:
    """Scores (higher = more unusual), flags and conformal p-values, one per sample."""

    method: str
    scores: np.ndarray
    flags: np.ndarray
    p_values: np.ndarray
    threshold: float
    false_flag_rate: float
    expected_false_flag_rate: float
    n_train: int
    n_calibration: int
    top: tuple[dict[str, Any], ...] = ()
    details: tuple[dict[str, Any], ...] = ()
    params: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    schema_version: str = "1.0"

    @property
    def n_samples(self) -> int:
        return int(self.scores.shape[0])

    @property
    def n_flagged(self) -> int:
        return int(np.count_nonzero(self.flags))

    @property
    def flagged_share(self) -> float:
        return self.n_flagged / self.n_samples if self.n_samples else 0.0

    @property
    def flagged_indices(self) -> np.ndarray:
        return np.flatnonzero(self.flags)

    def to_dict(self) -> dict[str, Any]:
        return jsonable({
            "schema_version": self.schema_version, "method": self.method,
            "n_samples": self.n_samples, "n_flagged": self.n_flagged,
            "flagged_share": self.flagged_share, "threshold": self.threshold,
            "false_flag_rate": self.false_flag_rate,
            "expected_false_flag_rate": self.expected_false_flag_rate,
            "n_train": self.n_train, "n_calibration": self.n_calibration,
            "scores": self.scores, "flags": self.flags, "p_values": self.p_values,
            "top": list(self.top), "details": list(self.details), "params": self.params,
            "notes": list(self.notes)})
