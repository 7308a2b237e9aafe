"""The streaming-detector contract shared by every detector of :mod:`stalwart.drift.stream`.

It is river's contract (``river.base.DriftDetector``): ``update(x)`` takes one value and
returns the detector; the read-only ``drift_detected`` is True only on the step at which a
change is detected. On top of it every detector counts its steps (``n_seen``) and keeps the
0-based indices of its detections (``detections``, ``n_detections``); ``reset()`` forgets
everything. Parameters are keyword-only and only stored by the constructor (scikit-learn);
they are checked, and the state is built, on the first ``update`` (state ends in ``_``).

After a detection the method-specific statistic restarts (as in river, where the reset
happens lazily on the next ``update``), so every later detection is about the data after the
previous one.

Subclasses set ``input_kind`` ("real" or "binary"), implement ``_check_params()``,
``_init_state()`` (the statistic) and ``_step(x) -> bool``.

>>> from stalwart.drift.stream import PageHinkley
>>> det = PageHinkley()
>>> det.drift_detected, det.n_seen
(False, 0)
>>> _ = det.update_many([0.0] * 100 + [10.0] * 20)
>>> det.detections, det.n_detections
((105,), 1)
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

from ...exceptions import DataError, ParameterError

__all__ = ["StreamDetector", "check_int", "check_real"]


def check_real(name: str, value: Any, *, low: float | None = None, high: float | None = None,
               low_open: bool = False, high_open: bool = False) -> None:
    """Raise :class:`ParameterError` unless ``value`` is a real number in the range."""
    ok = (isinstance(value, numbers.Real) and not isinstance(value, bool)
          and math.isfinite(value))
    if ok and low is not None:
        ok = value > low if low_open else value >= low
    if ok and high is not None:
        ok = value < high if high_open else value <= high
    if not ok:
        left = "(" if low_open or low is None else "["
        right = ")" if high_open or high is None else "]"
        span = f"{left}{'-inf' if low is None else low}, {'inf' if high is None else high}{right}"
        raise ParameterError(name, expected=f"a real number in {span}", got=repr(value),
                             fix=f"pass {name}= a value in {span}")


def check_int(name: str, value: Any, *, low: int) -> None:
    """Raise :class:`ParameterError` unless ``value`` is an int >= ``low``."""
    if not (isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= low):
        raise ParameterError(name, expected=f"an integer >= {low}", got=repr(value),
                             fix=f"pass {name}= an integer >= {low}")


class StreamDetector:
    """Base class: bookkeeping of steps and detections around a method's ``_step``."""

    #: "real" (any finite number) or "binary" (0/1 error indicators)
    input_kind: str = "real"

    # -- to implement -------------------------------------------------------------------
    def _check_params(self) -> None:  # pragma: no cover - every subclass overrides
        pass

    def _init_state(self) -> None:  # pragma: no cover - every subclass overrides
        pass

    def _step(self, x: float) -> bool:  # pragma: no cover - every subclass overrides
        return False

    def _after_detection(self) -> None:
        """By default the statistic restarts on the data after the change."""
        self._init_state()

    # -- the contract -------------------------------------------------------------------
    @property
    def drift_detected(self) -> bool:
        """Whether a change was detected at the last ``update`` (read-only)."""
        return getattr(self, "drift_detected_", False)

    @property
    def n_seen(self) -> int:
        """Number of values passed to ``update`` since construction or ``reset()``."""
        return getattr(self, "n_seen_", 0)

    @property
    def detections(self) -> tuple[int, ...]:
        """0-based indices (in ``update`` order) of the steps at which a change was detected."""
        return tuple(getattr(self, "detections_", ()))

    @property
    def n_detections(self) -> int:
        """Number of detected changes."""
        return len(getattr(self, "detections_", ()))

    def reset(self) -> StreamDetector:
        """Forget every value and detection; parameters are kept (and checked)."""
        self._check_params()
        self.n_seen_ = 0
        self.detections_: list[int] = []
        self.drift_detected_ = False
        self._init_state()
        return self

    def update(self, x: float) -> StreamDetector:
        """Take one value; ``drift_detected`` then says whether it completed a change."""
        if not hasattr(self, "n_seen_"):
            self.reset()
        value = self._check_value(x)
        detected = bool(self._step(value))
        self.drift_detected_ = detected
        if detected:
            self.detections_.append(self.n_seen_)
            self._after_detection()
        self.n_seen_ += 1
        return self

    def update_many(self, xs: Iterable[float]) -> StreamDetector:
        """``update`` with every value of ``xs`` in order (``drift_detected`` is the last's)."""
        for x in xs:
            self.update(x)
        return self

    def _check_value(self, x: Any) -> float:
        try:
            value = float(x)
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value):
            raise DataError(f"{type(self).__name__}.update value", expected="a finite number",
                            got=repr(x), fix="drop or impute missing/infinite values first")
        if self.input_kind == "binary" and value not in (0.0, 1.0):
            raise DataError(f"{type(self).__name__}.update value",
                            expected="0 or 1 (1 = an error / a failure)", got=repr(x),
                            fix="pass the error indicator of each prediction, e.g. "
                                "int(y_pred != y_true)")
        return value

    def get_params(self) -> dict[str, Any]:
        """The constructor parameters (as stored)."""
        return {k: v for k, v in vars(self).items() if not k.endswith("_")
                and not k.startswith("_")}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"
