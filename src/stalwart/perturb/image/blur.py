"""Blur corruptions of ImageNet-C: Gaussian, defocus (disk), motion and zoom blur.

Widths are in pixels for images of side at most 32 and grow with larger images
(:func:`~stalwart.perturb.image.base.pixel_scale`). Every kernel sums to one and the
borders are reflected, so a blur keeps the image's mean exactly when the border (as
wide as the kernel) is uniform, and approximately otherwise.

- ``image_gaussian_blur``: Gaussian kernel of standard deviation 0.5, 0.75, 1, 1.25, 1.5
- ``image_defocus_blur``: a disk of radius 1, 1.5, 2, 2.5, 3 smoothed by a Gaussian of
  0.3 (anti-aliasing, as in ImageNet-C)
- ``image_motion_blur``: a line of length 2, 3, 4, 5, 6 through the pixel, at an angle
  drawn per image uniformly in [-45, 45] degrees
- ``image_zoom_blur``: the mean of the image and 6 copies zoomed about the centre by
  factors up to 1.1, 1.2, 1.3, 1.4, 1.5

>>> import numpy as np
>>> x = np.zeros((1, 16, 16)); x[0, 6:10, 6:10] = 1.0
>>> y = GaussianBlur(severity=3).fit(x).transform(x)
>>> round(float(y.mean()), 6) == round(float(x.mean()), 6), float(y.max()) < 1.0
(True, True)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import ndimage

from ..base import register_perturbation
from .base import ImagePerturbation

__all__ = ["DefocusBlur", "GaussianBlur", "MotionBlur", "ZoomBlur", "disk_kernel",
           "line_kernel"]


def disk_kernel(radius: float, alias_sigma: float = 0.3) -> np.ndarray:
    """A normalised disk of ``radius`` pixels, smoothed by a Gaussian of ``alias_sigma``."""
    half = int(np.ceil(radius)) + 1
    grid = np.arange(-half, half + 1)
    yy, xx = np.meshgrid(grid, grid, indexing="ij")
    kernel = (xx ** 2 + yy ** 2 <= radius ** 2).astype(np.float64)
    kernel = ndimage.gaussian_filter(kernel, alias_sigma, mode="constant")
    return kernel / kernel.sum()


def line_kernel(length: float, angle_deg: float) -> np.ndarray:
    """A normalised line of ``length`` pixels through the centre at ``angle_deg``
    (0 = horizontal), drawn with bilinear weights."""
    half = int(np.ceil(length / 2)) + 1
    kernel = np.zeros((2 * half + 1, 2 * half + 1))
    theta = np.deg2rad(angle_deg)
    for t in np.linspace(-length / 2, length / 2, 8 * int(np.ceil(length)) + 1):
        r, c = half - t * np.sin(theta), half + t * np.cos(theta)
        r0, c0 = int(np.floor(r)), int(np.floor(c))
        fr, fc = r - r0, c - c0
        kernel[r0, c0] += (1 - fr) * (1 - fc)
        kernel[r0 + 1, c0] += fr * (1 - fc)
        kernel[r0, c0 + 1] += (1 - fr) * fc
        kernel[r0 + 1, c0 + 1] += fr * fc
    return kernel / kernel.sum()


def _convolve(x: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Each image and channel of (N, H, W, C) convolved with a 2-D kernel."""
    return ndimage.convolve(x, kernel[None, :, :, None], mode="reflect")


@register_perturbation
class GaussianBlur(ImagePerturbation):
    """Gaussian blur of standard deviation ``sigma`` pixels."""

    name = "image_gaussian_blur"
    LEVELS = (0.5, 0.75, 1.0, 1.25, 1.5)
    SPATIAL = True

    def _corrupt(self, x: np.ndarray, level: Any,
                 rng: np.random.Generator) -> tuple[np.ndarray, dict[str, Any]]:
        out = ndimage.gaussian_filter(x, sigma=(0, level, level, 0), mode="reflect")
        return out, {"sigma_pixels": level}


@register_perturbation
class DefocusBlur(ImagePerturbation):
    """Defocus: convolution with an anti-aliased disk of ``radius`` pixels."""

    name = "image_defocus_blur"
    LEVELS = (1.0, 1.5, 2.0, 2.5, 3.0)
    SPATIAL = True

    def _corrupt(self, x: np.ndarray, level: Any,
                 rng: np.random.Generator) -> tuple[np.ndarray, dict[str, Any]]:
        return _convolve(x, disk_kernel(level)), {"radius_pixels": level}


@register_perturbation
class MotionBlur(ImagePerturbation):
    """Motion: a line kernel of ``length`` pixels at a random angle per image."""

    name = "image_motion_blur"
    LEVELS = (2.0, 3.0, 4.0, 5.0, 6.0)
    SPATIAL = True

    def _corrupt(self, x: np.ndarray, level: Any,
                 rng: np.random.Generator) -> tuple[np.ndarray, dict[str, Any]]:
        angles = rng.uniform(-45.0, 45.0, size=len(x))
        out = np.stack([ndimage.convolve(img, line_kernel(level, a)[:, :, None],
                                         mode="reflect") for img, a in zip(x, angles)])
        return out, {"length_pixels": level, "angle_range_degrees": [-45, 45]}


@register_perturbation
class ZoomBlur(ImagePerturbation):
    """Zoom: the mean of the image and 6 copies zoomed about the centre up to ``zoom``."""

    name = "image_zoom_blur"
    LEVELS = (1.1, 1.2, 1.3, 1.4, 1.5)

    def _corrupt(self, x: np.ndarray, level: Any,
                 rng: np.random.Generator) -> tuple[np.ndarray, dict[str, Any]]:
        centre = np.array([0.0, (x.shape[1] - 1) / 2, (x.shape[2] - 1) / 2, 0.0])
        total = x.copy()
        factors = np.linspace(1.0, level, 7)[1:]
        for z in factors:
            scale = np.array([1.0, 1 / z, 1 / z, 1.0])
            # output pixel o reads input at centre + (o - centre) / z: zoomed in about it
            total += ndimage.affine_transform(x, scale, offset=centre - scale * centre,
                                              order=1, mode="nearest")
        return total / (len(factors) + 1), {"max_zoom": level, "copies": len(factors)}
