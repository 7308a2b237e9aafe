"""Occlusion, rotation and translation (not in ImageNet-C, asked for beside it).

Uncovered pixels take ``fill`` (a value in [0, 1], in the image's own units: 0 black,
1 white; default 0).

- ``image_occlusion``: one rectangle per image, at a uniform random place, of sides
  0.25, 0.375, 0.5, 0.625, 0.75 of the image's sides (rounded: 2, 3, 4, 5, 6 pixels on
  an 8 x 8 digit, so 6%, 14%, 25%, 39% and 56% of it), painted ``fill``.
- ``image_rotation``: rotation about the image centre by 10, 20, 30, 40, 50 degrees, the
  sign drawn per image, bilinear; ``angle=`` fixes one angle (degrees, counter-clockwise
  as displayed, like ``np.rot90``) for every image and ignores the severity.
- ``image_translation``: a shift of 1..5 sixteenths of the shorter side (0.5 to 2.5
  pixels on 8 x 8, 1.75 to 8.75 on 28 x 28) in a direction drawn per image, bilinear;
  ``shift=(rows, columns)`` fixes one shift for every image (positive: down and right)
  and ignores the severity; whole-pixel shifts copy values exactly.

>>> import numpy as np
>>> x = np.arange(16, dtype=float).reshape(1, 4, 4) / 15
>>> y = Translation(shift=(1, 0)).fit(x).transform(x)
>>> bool((y[0, 0] == 0).all() and np.allclose(y[0, 1:], x[0, :-1]))
True
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import ndimage

from ...exceptions import ParameterError
from ..base import register_perturbation
from .base import ImagePerturbation

__all__ = ["Occlusion", "Rotation", "Translation"]


def _check_fill(fill: Any) -> float:
    if isinstance(fill, bool) or not isinstance(fill, (int, float, np.number)) \
            or not 0.0 <= float(fill) <= 1.0:
        raise ParameterError("fill", expected="a number in [0, 1] (0 black, 1 white)",
                             got=repr(fill), fix="pass e.g. fill=0.0 or fill=0.5")
    return float(fill)


class _Filled(ImagePerturbation):
    def __init__(self, *, severity: int = 1, random_state: Any = None,
                 fill: float = 0.0) -> None:
        self.severity = severity
        self.random_state = random_state
        self.fill = fill

    def _fit(self, X: Any) -> None:
        _check_fill(self.fill)
        super()._fit(X)


@register_perturbation
class Occlusion(_Filled):
    """One rectangle per image, sides a share of the image's, painted ``fill``."""

    name = "image_occlusion"
    LEVELS = (0.25, 0.375, 0.5, 0.625, 0.75)

    def _corrupt(self, x: np.ndarray, level: Any,
                 rng: np.random.Generator) -> tuple[np.ndarray, dict[str, Any]]:
        n, height, width = x.shape[:3]
        ph, pw = max(1, round(height * level)), max(1, round(width * level))
        top = rng.integers(0, height - ph + 1, size=n)
        left = rng.integers(0, width - pw + 1, size=n)
        out = x.copy()
        for i in range(n):
            out[i, top[i]:top[i] + ph, left[i]:left[i] + pw] = self.fill
        return out, {"patch_pixels": [ph, pw], "share": ph * pw / (height * width),
                     "fill": self.fill}


@register_perturbation
class Rotation(_Filled):
    """Rotation by a severity's angle (random sign) or by a fixed ``angle``."""

    name = "image_rotation"
    LEVELS = (10.0, 20.0, 30.0, 40.0, 50.0)

    def __init__(self, *, severity: int = 1, random_state: Any = None, fill: float = 0.0,
                 angle: float | None = None) -> None:
        super().__init__(severity=severity, random_state=random_state, fill=fill)
        self.angle = angle

    def _fit(self, X: Any) -> None:
        if self.angle is not None and (isinstance(self.angle, bool) or not isinstance(
                self.angle, (int, float, np.number)) or not np.isfinite(self.angle)):
            raise ParameterError("angle", expected="None (the severity's angle) or a "
                                 "number of degrees", got=repr(self.angle),
                                 fix="pass e.g. angle=90")
        super()._fit(X)

    def _corrupt(self, x: np.ndarray, level: Any,
                 rng: np.random.Generator) -> tuple[np.ndarray, dict[str, Any]]:
        if self.angle is None:
            angles = level * rng.choice([-1.0, 1.0], size=len(x))
        else:
            angles = np.full(len(x), float(self.angle))
        out = np.stack([ndimage.rotate(img, a, axes=(1, 0), reshape=False, order=1,
                                       mode="constant", cval=self.fill)
                        for img, a in zip(x, angles)])
        return out, {"degrees": level if self.angle is None else float(self.angle),
                     "random_sign": self.angle is None, "fill": self.fill}


@register_perturbation
class Translation(_Filled):
    """Shift by a severity's length (random direction) or by a fixed ``shift``."""

    name = "image_translation"
    LEVELS = (1, 2, 3, 4, 5)  # sixteenths of the shorter side

    def __init__(self, *, severity: int = 1, random_state: Any = None, fill: float = 0.0,
                 shift: tuple[float, float] | None = None) -> None:
        super().__init__(severity=severity, random_state=random_state, fill=fill)
        self.shift = shift

    def _fit(self, X: Any) -> None:
        if self.shift is not None and not (
                isinstance(self.shift, (tuple, list)) and len(self.shift) == 2
                and all(isinstance(s, (int, float, np.number)) and not isinstance(s, bool)
                        and np.isfinite(s) for s in self.shift)):
            raise ParameterError("shift", expected="None (the severity's shift) or a pair "
                                 "of pixel counts (rows, columns)", got=repr(self.shift),
                                 fix="pass e.g. shift=(1, -2)")
        super()._fit(X)

    def _corrupt(self, x: np.ndarray, level: Any,
                 rng: np.random.Generator) -> tuple[np.ndarray, dict[str, Any]]:
        n, height, width = x.shape[:3]
        if self.shift is None:
            length = level * min(height, width) / 16
            theta = rng.uniform(0.0, 2 * np.pi, size=n)
            moves = np.stack([length * np.sin(theta), length * np.cos(theta)], axis=1)
        else:
            length = float(np.hypot(*self.shift))
            moves = np.tile(np.asarray(self.shift, dtype=float), (n, 1))
        # bilinear: whole-pixel shifts copy values exactly, fractional ones interpolate
        out = np.stack([ndimage.shift(img, (dy, dx, 0), order=1, mode="constant",
                                      cval=self.fill) for img, (dy, dx) in zip(x, moves)])
        return out, {"pixels": length, "random_direction": self.shift is None,
                     "fill": self.fill}
