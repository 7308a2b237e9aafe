"""What every image corruption shares: checked input, a float working copy, five levels.

Images come as one numpy array of shape ``(N, H, W)`` (grey) or ``(N, H, W, C)`` with
``C`` in 1..4 (grey, grey + alpha, RGB, RGBA), either ``uint8`` in 0..255 or a float
array in [0, 1]. A corruption works on a float copy in [0, 1] and gives back the
input's own dtype and range: ``uint8`` in gives ``uint8`` out (rounded), ``float32`` in
gives ``float32`` out, clipped to [0, 1]. Anything else (a flat table such as
``load_digits().data``, values in 0..16, NaN, other integer types, images smaller than
4 x 4) is a :class:`~stalwart.exceptions.DataError` saying how to fix it. ``fit`` learns
the image shape (H, W, C) and dtype; ``transform`` on images of another shape is refused,
as a scikit-learn transformer refuses another number of columns.

Each corruption has a table ``LEVELS`` of five parameters, one per severity (1 mild ..
5 harsh), monotone, in the spirit of ImageNet-C (Hendrycks & Dietterich 2019).
Parameters measured in pixels (blur widths, shifts, patch sides) are set for small
images, whose shorter side is at most 32 pixels (8 x 8 digits, 28 x 28, 32 x 32), and
grow in proportion to the side beyond that (x 7 at 224): :func:`pixel_scale`.

>>> import numpy as np
>>> x = np.zeros((2, 8, 8), dtype=np.uint8)
>>> as_float(check_images(x)).dtype, pixel_scale(8), pixel_scale(224)
(dtype('float64'), 1.0, 7.0)
>>> check_images(np.zeros((3, 64)))
Traceback (most recent call last):
...
stalwart.exceptions.DataError: images: expected an array of shape (N, H, W) or (N, H, W, C)...
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any, ClassVar

import numpy as np

from ...exceptions import DataError, StageError
from ..base import Perturbation, PerturbationNote, check_severity

__all__ = ["MIN_SIDE", "ImagePerturbation", "as_float", "check_images", "from_float",
           "pixel_scale"]

MIN_SIDE = 4
_SMALL_SIDE = 32  # pixel parameters are set for images up to this side


def check_images(X: Any, *, what: str = "images") -> np.ndarray:
    """``X`` as a numpy array of images, or a :class:`DataError` saying what is wrong."""
    if not isinstance(X, np.ndarray):
        try:
            X = np.asarray(X)
        except (ValueError, TypeError) as exc:
            raise DataError(what, expected="a numpy array of images", got=f"{type(X).__name__}"
                            f" that numpy cannot read ({exc})",
                            fix="stack the images into one array of shape (N, H, W[, C])"
                            ) from None
    shape_fix = ("reshape a flat table into images (digits: X.reshape(-1, 8, 8)); add the "
                 "batch axis to one image (img[None])")
    if X.ndim not in (3, 4):
        raise DataError(what, expected="an array of shape (N, H, W) or (N, H, W, C)",
                        got=f"a {X.ndim}-D array of shape {X.shape}", fix=shape_fix)
    if X.shape[0] == 0:
        raise DataError(what, expected="at least one image", got=f"shape {X.shape}",
                        fix="pass a non-empty batch")
    if min(X.shape[1:3]) < MIN_SIDE:
        raise DataError(what, expected=f"images of at least {MIN_SIDE} x {MIN_SIDE} pixels",
                        got=f"shape {X.shape} (H={X.shape[1]}, W={X.shape[2]})",
                        fix="check the axis order: (N, H, W[, C]), channels last")
    if X.ndim == 4 and not 1 <= X.shape[3] <= 4:
        raise DataError(what, expected="1 to 4 channels, last: (N, H, W, C)",
                        got=f"shape {X.shape} ({X.shape[3]} channels)",
                        fix="move channels last, e.g. X.transpose(0, 2, 3, 1) for (N, C, H, W)")
    if X.dtype == np.uint8:
        return X
    if X.dtype.kind != "f":
        raise DataError(f"{what} dtype", expected="uint8 (0..255) or float (0..1)",
                        got=str(X.dtype),
                        fix="X.astype(np.uint8) for 0..255 values, X / X.max() for others")
    if not np.isfinite(X).all():
        raise DataError(what, expected="finite pixel values", got="NaN or infinite values",
                        fix="fill or drop the images with missing pixels")
    low, high = float(X.min()), float(X.max())
    if low < 0.0 or high > 1.0:
        raise DataError(f"{what} range", expected="float values in [0, 1]",
                        got=f"values from {low:g} to {high:g}",
                        fix="scale them, e.g. X / 16 for scikit-learn's digits, X / 255 for "
                        "8-bit values")
    return X


def as_float(X: np.ndarray) -> np.ndarray:
    """A float64 copy in [0, 1] with a channel axis: (N, H, W, C)."""
    x = X.astype(np.float64) / 255.0 if X.dtype == np.uint8 else X.astype(np.float64)
    return x[..., None] if x.ndim == 3 else x


def from_float(x: np.ndarray, like: np.ndarray) -> np.ndarray:
    """``x`` (N, H, W, C) in [0, 1] back in the dtype, range and layout of ``like``."""
    x = np.clip(x, 0.0, 1.0)
    if like.ndim == 3:
        x = x[..., 0]
    if like.dtype == np.uint8:
        return np.rint(x * 255.0).astype(np.uint8)
    return x.astype(like.dtype)


def pixel_scale(side: int) -> float:
    """How much pixel-valued parameters grow for an image whose shorter side is ``side``."""
    return max(1.0, side / _SMALL_SIDE)


class ImagePerturbation(Perturbation):
    """Base of the image corruptions: subclasses set ``name``, ``LEVELS`` (five values)
    and ``_corrupt(x, level, rng) -> (x, detail)`` on a float (N, H, W, C) copy."""

    kind = "image"
    LEVELS: ClassVar[tuple[Any, ...]]
    #: whether LEVELS are in pixels (scaled by :func:`pixel_scale`)
    SPATIAL: ClassVar[bool] = False

    def __init__(self, *, severity: int = 1, random_state: Any = None) -> None:
        self.severity = severity
        self.random_state = random_state

    def _fit(self, X: Any) -> None:
        X = check_images(X)
        self.image_shape_ = tuple(X.shape[1:])
        self.dtype_ = X.dtype

    def level(self, side: int) -> Any:
        """This severity's parameter for images whose shorter side is ``side``."""
        value = self.LEVELS[check_severity(self.severity) - 1]
        if not self.SPATIAL:
            return value
        scale = pixel_scale(side)
        return tuple(v * scale for v in value) if isinstance(value, tuple) else value * scale

    def _transform(self, X: Any) -> np.ndarray:
        X = check_images(X)
        if tuple(X.shape[1:]) != self.image_shape_:
            seen = ", ".join(map(str, self.image_shape_))
            raise DataError(f"images for {type(self).__name__}.transform",
                            expected=f"the shape seen in fit, (N, {seen})",
                            got=f"shape {X.shape}",
                            fix="fit on images of the shape you transform")
        x = as_float(X)
        out, detail = self._corrupt(x, self.level(min(x.shape[1:3])), self.rng())
        detail = {"severity": int(self.severity), **detail}
        self.notes_ = [PerturbationNote("image", True, detail=detail)]
        return from_float(out, X)

    @abstractmethod
    def _corrupt(self, x: np.ndarray, level: Any,
                 rng: np.random.Generator) -> tuple[np.ndarray, dict[str, Any]]:
        """The corrupted float images and what was done, at ``level``."""

    def transform(self, X: Any) -> Any:
        if not getattr(self, "fitted_", False):
            raise StageError(f"{type(self).__name__}.transform before fit: call "
                             "fit(clean_images) first (it learns the image shape)")
        return super().transform(X)
