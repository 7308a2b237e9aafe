"""What an attack run returns: per-row outcomes and the issue's four metrics.

The metrics (issue 8, point 6): the *success rate* (share of the attacked rows, those the
model classified correctly, for which a feasible adversarial row was found), the *median
perturbation size* of the successes (scaled units and raw units, in the attack's norm),
the *robust accuracy at each budget* ``eps`` (share of all rows classified correctly and not
flipped by a perturbation of size at most ``eps``) and the *model calls used*, counted as
rows scored: per attacked row (its own probes plus its share of the rows scored once for
all, the starting pool and the first predictions) and in total.

>>> r = AttackResult(method="decision", norm="l2", budget=10, eps=(0.5,),
...                  correct=(True, True, False), success=(True, False, False),
...                  size=(0.4, None, None), size_raw=(4.0, None, None), calls=(8, 10, 0),
...                  shared_calls=3, time_s=0.1, adversarial=((1.0,), None, None),
...                  model={}, options={}, warnings=())
>>> r.success_rate, r.robust_accuracy, r.calls_per_row
(0.5, {0.5: 0.3333333333333333}, 10.5)
>>> sorted(r.to_dict())[:4]
['adversarial', 'budget', 'calls', 'calls_per_row']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..._json import jsonable

__all__ = ["SCHEMA_VERSION", "AttackResult"]

SCHEMA_VERSION = "1"


@dataclass(frozen=True)
class AttackResult:
    """Per row: ``correct`` (classified correctly before the attack; only these rows are
    attacked), ``success``, ``size`` / ``size_raw`` (None without success), ``calls`` (rows
    scored for that row) and ``adversarial`` (the row found, in the encoded feature order).
    ``shared_calls``: rows scored once for all rows (first predictions, starting pool).
    ``warnings``: degenerate cases (no row attacked, held-fixed categorical features, a
    budget too small to search beyond the start)."""

    method: str
    norm: str
    budget: int
    eps: tuple[float, ...]
    correct: tuple[bool, ...]
    success: tuple[bool, ...]
    size: tuple[float | None, ...]
    size_raw: tuple[float | None, ...]
    calls: tuple[int, ...]
    shared_calls: int
    time_s: float
    adversarial: tuple[tuple[float, ...] | None, ...]
    model: dict[str, Any]
    options: dict[str, Any]
    warnings: tuple[str, ...]
    schema_version: str = SCHEMA_VERSION

    @property
    def n_attacked(self) -> int:
        return int(sum(self.correct))

    @property
    def success_rate(self) -> float | None:
        n = self.n_attacked
        return None if n == 0 else sum(self.success) / n

    def _median(self, sizes: tuple[float | None, ...]) -> float | None:
        found = [s for s in sizes if s is not None]
        return float(np.median(found)) if found else None

    @property
    def median_size(self) -> float | None:
        return self._median(self.size)

    @property
    def median_size_raw(self) -> float | None:
        return self._median(self.size_raw)

    @property
    def robust_accuracy(self) -> dict[float, float]:
        n = len(self.correct)
        return {e: sum(c and not (s and z is not None and z <= e)
                       for c, s, z in zip(self.correct, self.success, self.size)) / n
                for e in self.eps}

    @property
    def calls_per_row(self) -> float | None:
        """Rows scored per attacked row, the shared rows included."""
        n = self.n_attacked
        return None if n == 0 else (sum(self.calls) + self.shared_calls) / n

    @property
    def total_calls(self) -> int:
        return int(sum(self.calls) + self.shared_calls)

    def to_dict(self) -> dict[str, Any]:
        return jsonable({
            "schema_version": self.schema_version, "kind": "attack",
            "method": self.method, "norm": self.norm, "budget": self.budget,
            "eps": list(self.eps), "n_rows": len(self.correct),
            "n_attacked": self.n_attacked, "success_rate": self.success_rate,
            "median_size": self.median_size, "median_size_raw": self.median_size_raw,
            "robust_accuracy": [{"eps": e, "accuracy": a}
                                for e, a in self.robust_accuracy.items()],
            "calls_per_row": self.calls_per_row, "total_calls": self.total_calls,
            "shared_calls": self.shared_calls, "time_s": self.time_s,
            "correct": list(self.correct), "success": list(self.success),
            "size": list(self.size), "size_raw": list(self.size_raw),
            "calls": list(self.calls),
            "adversarial": [None if a is None else list(a) for a in self.adversarial],
            "model": self.model, "options": self.options, "warnings": list(self.warnings)})
