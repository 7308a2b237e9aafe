"""MultivariateDriftResult: what every multivariate drift detector returns.

One frozen record per test: the method, its statistic and p-value, the level it was judged
at, the verdict, the sample sizes, and method details (bandwidth, the automatic choice and
why, per-feature contributions ranked from the largest, notes on imputation or constant
columns).

>>> r = MultivariateDriftResult(method="mmd", statistic=0.02, p_value=0.01, alpha=0.05,
...                             drifted=True, n_reference=100, n_current=80)
>>> d = r.to_dict()
>>> d["schema_version"], d["drifted"], d["feature_contributions"]
('1.0', True, [])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..._json import jsonable

__all__ = ["SCHEMA_VERSION", "MultivariateDriftResult"]

SCHEMA_VERSION = "1.0"


@dataclass(frozen=True)
class MultivariateDriftResult:
    """The outcome of one multivariate (or model-output) drift test.

    ``statistic_name`` says what ``statistic`` is (``"mmd2_unbiased"``, ``"auc"``...).
    ``feature_contributions`` holds ``(name, value)`` pairs ranked from the largest (for the
    domain classifier: the drop in AUC when the feature is shuffled); empty when the method
    does not attribute. ``notes`` states anything imputed, dropped or approximated.
    """

    method: str
    statistic: float
    p_value: float | None
    alpha: float
    drifted: bool
    n_reference: int
    n_current: int
    statistic_name: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    feature_contributions: tuple[tuple[str, float], ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def threshold(self) -> float:
        """The level the p-value is compared with (``alpha``)."""
        return self.alpha

    def top_features(self, k: int = 5) -> list[str]:
        """Names of the ``k`` features contributing most to the difference."""
        return [name for name, _ in self.feature_contributions[:k]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "method": self.method,
            "statistic_name": self.statistic_name,
            "statistic": jsonable(self.statistic),
            "p_value": jsonable(self.p_value),
            "alpha": self.alpha,
            "drifted": bool(self.drifted),
            "n_reference": int(self.n_reference),
            "n_current": int(self.n_current),
            "details": jsonable(self.details),
            "feature_contributions": [{"feature": n, "value": jsonable(v)}
                                      for n, v in self.feature_contributions],
            "notes": list(self.notes),
        }
