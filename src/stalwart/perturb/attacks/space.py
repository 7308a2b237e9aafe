"""Where an attack may move a row: constraints, scaled units and norms.

The constraints are those of the counterfactual search, reused from
:class:`stalwart.explain.counterfactual_space.FeatureSpace` and learned from the reference
rows: ``immutable`` features keep their value, ``increase_only`` / ``decrease_only``
features move one way, a changed numeric value stays in ``ranges`` (default: the reference
minimum and maximum) and ``integer`` features (default: those whose reference values are
all whole) take whole values. Categorical features are not attacked (they are held fixed,
and the result says so). Every candidate an attack scores is first projected onto this
feasible set, so every adversarial row it returns respects the constraints.

Sizes are measured in *scaled units*: each feature's change divided by its reference
standard deviation (1 when that is zero), so that a feature in thousands and one in
thousandths weigh alike; the L2 norm is the root of the summed squares over features, the
L-inf norm the largest one. The same norms in raw units are reported beside them.

>>> import pandas as pd
>>> X = pd.DataFrame({"a": [0.0, 2.0, 4.0], "b": [1, 2, 3]})
>>> space = AttackSpace.learn(X, constraints={"immutable": ["b"]})
>>> space.scale.round(3).tolist(), space.mutable.tolist()
([1.633, 0.816], [True, False])
>>> float(space.size(space.encode(X)[0], space.encode(X)[[1]], "l2")[0].round(3))
1.732
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ...exceptions import ParameterError
from ...explain.counterfactual_space import FeatureSpace

__all__ = ["CONSTRAINT_KEYS", "NORMS", "AttackSpace", "as_frame"]

NORMS = ("l2", "linf")
CONSTRAINT_KEYS = ("decrease_only", "immutable", "increase_only", "integer", "ranges")


def as_frame(X: Any, what: str = "X") -> tuple[pd.DataFrame, bool]:
    """``X`` as a frame, and whether it came as a frame (arrays go back as arrays)."""
    if isinstance(X, pd.DataFrame):
        return X.reset_index(drop=True), True
    arr = np.asarray(X)
    if arr.ndim != 2 or arr.shape[0] == 0 or arr.shape[1] == 0:
        from ...exceptions import DataError
        raise DataError(what, expected="a 2-D table of rows and features",
                        got=f"an array of shape {arr.shape}",
                        fix="pass a DataFrame or an array of shape (rows, features)")
    return pd.DataFrame(arr, columns=[f"x{j}" for j in range(arr.shape[1])]), False


@dataclass(frozen=True)
class AttackSpace:
    """The feasible set (``features``), scales and attackable features of a table."""

    features: FeatureSpace
    scale: np.ndarray
    mutable: np.ndarray       # numeric, not immutable
    held: tuple[str, ...]     # categorical features held fixed
    as_frame: bool

    @classmethod
    def learn(cls, reference: Any, *, constraints: Mapping[str, Any] | None = None
              ) -> AttackSpace:
        frame, is_frame = as_frame(reference, "reference")
        given = dict(constraints or {})
        unknown = sorted(set(given) - set(CONSTRAINT_KEYS))
        if unknown:
            raise ParameterError("constraints", expected=f"keys among {list(CONSTRAINT_KEYS)}",
                                 got=f"unknown keys {unknown}",
                                 fix="e.g. constraints={'immutable': ['age'], "
                                     "'ranges': {'income': (0, 1e6)}}")
        features = FeatureSpace.learn(
            frame, immutable=given.get("immutable"), integer=given.get("integer"),
            ranges=given.get("ranges"), increase_only=given.get("increase_only"),
            decrease_only=given.get("decrease_only"), categorical=None)
        num = features.numeric
        values = features.encode(frame, what="reference")
        std = values.std(axis=0)
        scale = np.where(num & (std > 0), std, 1.0)
        mutable = num & features.mutable & (features.hi > features.lo)
        if not mutable.any():
            raise ParameterError("constraints", expected="at least one numeric feature the "
                                 "attack may change", got="every feature immutable, "
                                 "categorical or with an empty range",
                                 fix="free some features (immutable=[...] lists fewer)")
        held = tuple(c for c, n in zip(features.columns, num) if not n)
        return cls(features=features, scale=scale, mutable=mutable, held=held,
                   as_frame=is_frame)

    @property
    def n_mutable(self) -> int:
        return int(self.mutable.sum())

    def encode(self, X: Any, what: str = "X") -> np.ndarray:
        frame, _ = as_frame(X, what)
        return self.features.encode(frame, what=what)

    def decode(self, Z: np.ndarray) -> Any:
        """Rows back into the model's input: a frame with the reference dtypes, or an array."""
        return self.features.decode(Z) if self.as_frame else Z

    def project(self, x: np.ndarray, Z: np.ndarray) -> np.ndarray:
        """Candidates moved onto the feasible set around the row ``x``."""
        Z = np.where(self.mutable, Z, x)
        return self.features.project(x, Z)

    def size(self, x: np.ndarray, Z: np.ndarray, norm: str, *, raw: bool = False
             ) -> np.ndarray:
        """Perturbation size of each row of ``Z`` from ``x`` in ``norm`` (scaled units, or
        the features' own units with ``raw=True``)."""
        D = np.atleast_2d(Z) - x
        if not raw:
            D = D / self.scale
        return np.sqrt((D ** 2).sum(axis=1)) if norm == "l2" else np.abs(D).max(axis=1)
