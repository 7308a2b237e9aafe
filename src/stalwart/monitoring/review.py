"""ReviewPolicy: which logged predictions go to the human review queue, and why.

A policy is part of a saved monitor (``MonitorSpec(review=...)``) and runs on the server
side, so every client (HTTP, in-process, batch) is covered without changing it: each run
of the monitor routes the uncertain events logged since its last routing pass, including
those of the window still open, so a reviewer's label arrives before that window is
evaluated and counts in its realised performance. The same policy judges one event dict
(:meth:`ReviewPolicy.reason`) for a client that wants to flag at prediction time.

Conditions (any one routes the event; the reason names every one that held):

- ``max_proba_below``: the top class probability (``outputs.proba.<class>``) is below it;
- ``max_set_size``: a conformal prediction set (``outputs.prediction_set``, a list) has
  more members than this (``1`` routes every ambiguous set);
- ``flag``: a logged boolean column is true (default ``None``; e.g.
  ``"outputs.novel"`` written by a novelty detector, or ``"metadata.ood"``).

>>> import pandas as pd
>>> policy = ReviewPolicy(max_proba_below=0.6, max_set_size=1)
>>> frame = pd.DataFrame({"event_id": ["a", "b", "c"],
...                       "outputs.proba.0": [0.55, 0.9, 0.2], "outputs.proba.1": [0.45, 0.1, 0.8],
...                       "outputs.prediction_set": [["0", "1"], ["0"], ["1"]]})
>>> policy.select(frame)
[('a', 'top probability 0.55 < 0.6; prediction set of 2 > 1')]
>>> ReviewPolicy.from_dict(policy.to_dict()) == policy
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import ParameterError
from .metrics._columns import PROBA

__all__ = ["PREDICTION_SET", "ReviewPolicy"]

PREDICTION_SET = "outputs.prediction_set"


@dataclass(frozen=True)
class ReviewPolicy:
    """Route uncertain predictions to review (see the module docstring)."""

    max_proba_below: float | None = None
    max_set_size: int | None = None
    flag: str | None = None

    def __post_init__(self) -> None:
        p = self.max_proba_below
        if p is not None and (isinstance(p, bool) or not isinstance(p, (int, float))
                              or not 0 < p <= 1):
            raise ParameterError("review max_proba_below", expected="a probability in (0, 1]",
                                 got=repr(p), fix="pass e.g. max_proba_below=0.6")
        k = self.max_set_size
        if k is not None and (isinstance(k, bool) or not isinstance(k, int) or k < 1):
            raise ParameterError("review max_set_size", expected="an integer >= 1",
                                 got=repr(k), fix="pass max_set_size=1 to route ambiguous sets")
        if self.flag is not None and (not isinstance(self.flag, str) or not self.flag):
            raise ParameterError("review flag", expected="a logged column such as "
                                 "'outputs.novel'", got=repr(self.flag),
                                 fix="pass flag='outputs.novel' or None")
        if p is None and k is None and self.flag is None:
            raise ParameterError("review policy", expected="at least one condition",
                                 got="none", fix="pass max_proba_below=, max_set_size= or "
                                 "flag=")

    def to_dict(self) -> dict[str, Any]:
        return {"max_proba_below": self.max_proba_below, "max_set_size": self.max_set_size,
                "flag": self.flag}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReviewPolicy:
        if isinstance(data, ReviewPolicy):
            return data
        if not isinstance(data, Mapping):
            raise ParameterError("review policy", expected="a mapping such as "
                                 "{'max_proba_below': 0.6}", got=repr(data)[:80],
                                 fix="pass ReviewPolicy(...).to_dict()")
        unknown = sorted(set(data) - {"max_proba_below", "max_set_size", "flag"})
        if unknown:
            raise ParameterError("review policy", expected="keys max_proba_below, "
                                 "max_set_size, flag", got=f"unknown keys {unknown}",
                                 fix="drop those keys")
        return cls(**dict(data))

    def reasons(self, frame: pd.DataFrame) -> list[str]:
        """One reason per row ("" when the row is not routed)."""
        n = len(frame)
        parts: list[list[str]] = [[] for _ in range(n)]
        if self.max_proba_below is not None:
            probas = [c for c in frame.columns if str(c).startswith(PROBA)]
            if probas:
                top = frame[probas].apply(pd.to_numeric, errors="coerce").max(axis=1)
                for i, v in enumerate(top.to_numpy(float)):
                    if np.isfinite(v) and v < self.max_proba_below:
                        parts[i].append(f"top probability {v:.3g} < {self.max_proba_below:g}")
        if self.max_set_size is not None and PREDICTION_SET in frame.columns:
            for i, s in enumerate(frame[PREDICTION_SET]):
                if isinstance(s, (list, tuple)) and len(s) > self.max_set_size:
                    parts[i].append(f"prediction set of {len(s)} > {self.max_set_size}")
        if self.flag is not None and self.flag in frame.columns:
            for i, v in enumerate(frame[self.flag]):
                if v is True or (isinstance(v, (int, float, np.bool_)) and not
                                 (isinstance(v, float) and math.isnan(v)) and bool(v)):
                    parts[i].append(f"{self.flag} is set")
        return ["; ".join(p) for p in parts]

    def select(self, frame: pd.DataFrame) -> list[tuple[str, str]]:
        """``(event_id, reason)`` of every routed row of an events frame."""
        if len(frame) == 0:
            return []
        reasons = self.reasons(frame)
        return [(str(e), r) for e, r in zip(frame["event_id"], reasons) if r]

    def reason(self, event: Mapping[str, Any]) -> str | None:
        """The reason to route one event dict (as logged: nested ``outputs``), or None."""
        row: dict[str, Any] = {"event_id": event.get("event_id")}
        for key in ("outputs", "metadata", "features"):
            if isinstance(event.get(key), Mapping):
                row.update(_flatten(event[key], key))
        frame = pd.DataFrame([{k: v for k, v in row.items() if k != PREDICTION_SET}])
        if PREDICTION_SET in row:
            frame[PREDICTION_SET] = pd.Series([row[PREDICTION_SET]], dtype=object)
        return self.reasons(frame)[0] or None


def _flatten(mapping: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in mapping.items():
        if isinstance(value, Mapping):
            out.update(_flatten(value, f"{prefix}.{key}"))
        else:
            out[f"{prefix}.{key}"] = value
    return out
