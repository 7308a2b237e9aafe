"""What every perturbation follows: a scikit-learn transformer with a severity, a seed and
a report of what it did.

A perturbation learns what it needs from clean data in ``fit`` (a column's spread, its
categories, a text corpus's vocabulary, an image's value range) and perturbs a *copy* in
``transform``; the input is never changed. ``severity`` runs from 1 (mild) to 5 (harsh),
as ImageNet-C's corruptions do, so degradation curves line up across perturbations; each
perturbation documents what a level means for it. ``random_state`` makes it repeatable:
the same seed, data and severity give the same output.

It never skips silently: after ``transform``, ``notes_`` holds one
:class:`PerturbationNote` per column (tables) or per input kind (text, images) saying
whether it applied and, if not, why ("a text column cannot take Gaussian noise"); what it
changed goes in ``detail`` (the share of cells changed, the noise scale used, the map).

Perturbations register in :data:`PERTURBATIONS` with their ``kind`` ("tabular", "text" or
"image"), so a stress run can list and build them by name.

>>> import numpy as np
>>> class Negate(Perturbation):  # a real one is decorated with @register_perturbation
...     name, kind = "negate_doc", "tabular"
...     def __init__(self, *, severity=1, random_state=None):
...         self.severity, self.random_state = severity, random_state
...     def _transform(self, X):
...         self.notes_ = [PerturbationNote("all", True, detail={"factor": -1})]
...         return -X
>>> Negate().fit(np.ones((2, 2))).transform(np.ones((2, 2))).tolist()
[[-1.0, -1.0], [-1.0, -1.0]]
>>> Negate().fit(np.ones(1)).transform(np.ones(1)) is not None and Negate.kind
'tabular'
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from .._json import jsonable
from .._registry import Registry
from ..exceptions import ParameterError, StageError

__all__ = ["KINDS", "PERTURBATIONS", "SEVERITIES", "Perturbation", "PerturbationNote",
           "register_perturbation"]

SEVERITIES = (1, 2, 3, 4, 5)
KINDS = ("tabular", "text", "image")

#: name -> perturbation class, with capability ``kind``
PERTURBATIONS: Registry[type[Perturbation]] = Registry("perturbation")


@dataclass(frozen=True)
class PerturbationNote:
    """Whether a perturbation applied to ``target`` (a column, or "text" / "image"), why
    not if it did not, and what it changed."""

    target: str
    applied: bool
    reason: str = ""
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"target": self.target, "applied": self.applied,
                         "reason": self.reason, "detail": self.detail})


class Perturbation(TransformerMixin, BaseEstimator, ABC):
    """Base class: subclasses set ``name`` and ``kind``, store their keyword-only options in
    ``__init__`` (scikit-learn style, no logic), and implement ``_transform`` (and
    ``_fit`` when they learn from clean data). ``severity`` and ``random_state`` are
    options of every perturbation."""

    name: ClassVar[str]
    kind: ClassVar[str]
    severity: int = 1
    random_state: Any = None

    def fit(self, X: Any, y: Any = None) -> Perturbation:
        check_severity(self.severity)
        self._fit(X)
        self.fitted_ = True
        return self

    def _fit(self, X: Any) -> None:
        """Learn from clean data; the default learns nothing."""

    def transform(self, X: Any) -> Any:
        if not getattr(self, "fitted_", False):
            raise StageError(f"{type(self).__name__}.transform before fit: call "
                             "fit(clean_data) first (it learns the scales and categories)")
        self.notes_: list[PerturbationNote] = []
        return self._transform(X)

    @abstractmethod
    def _transform(self, X: Any) -> Any:
        """Perturb a copy of ``X`` and fill ``self.notes_``."""

    def rng(self) -> np.random.Generator:
        """A generator seeded from ``random_state`` (a new one per call: repeatable)."""
        if isinstance(self.random_state, np.random.Generator):
            return self.random_state
        try:
            return np.random.default_rng(self.random_state)
        except (TypeError, ValueError) as exc:
            raise ParameterError("random_state", expected="None, a non-negative integer or a "
                                 "numpy Generator", got=repr(self.random_state),
                                 fix="pass e.g. random_state=0") from exc

    def applied(self) -> list[str]:
        """The targets the last ``transform`` changed."""
        return [n.target for n in getattr(self, "notes_", []) if n.applied]


def check_severity(severity: Any) -> int:
    if isinstance(severity, bool) or not isinstance(severity, (int, np.integer)) \
            or int(severity) not in SEVERITIES:
        raise ParameterError("severity", expected=f"an integer among {list(SEVERITIES)} "
                             "(1 mild, 5 harsh)", got=repr(severity),
                             fix="pass e.g. severity=3")
    return int(severity)


def register_perturbation(cls: type[Perturbation]) -> type[Perturbation]:
    """Class decorator: register ``cls`` under ``cls.name`` with its ``kind``."""
    if getattr(cls, "kind", None) not in KINDS:
        raise ParameterError(f"perturbation {cls.__name__} kind", expected=f"one of {KINDS}",
                             got=repr(getattr(cls, "kind", None)), fix="set kind on the class")
    PERTURBATIONS.register(cls.name, cls, kind=cls.kind)
    return cls
