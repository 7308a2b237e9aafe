"""Noise corruptions of ImageNet-C: Gaussian, shot (Poisson), impulse (salt and pepper)
and speckle noise, with ImageNet-C's five levels.

On pixel values x in [0, 1], per pixel and channel, independently, then clipped to [0, 1]:

- ``image_gaussian_noise``: x + N(0, sigma^2), sigma = 0.08, 0.12, 0.18, 0.26, 0.38
- ``image_shot_noise``: Poisson(x * lam) / lam, lam = 60, 25, 12, 5, 3 photons at full
  white (mean x, variance x / lam: fewer photons, more noise)
- ``image_impulse_noise``: a share p = 0.03, 0.06, 0.09, 0.17, 0.27 of the values set to
  0 or 1 (half each)
- ``image_speckle_noise``: x + x * N(0, c^2), c = 0.15, 0.2, 0.35, 0.45, 0.6

The note records the parameter and the share of values the clipping cut.

>>> import numpy as np
>>> x = np.full((1, 64, 64), 0.5)
>>> noisy = GaussianNoise(severity=1, random_state=0).fit(x).transform(x)
>>> round(float(noisy.std()), 2)
0.08
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..base import register_perturbation
from .base import ImagePerturbation

__all__ = ["GaussianNoise", "ImpulseNoise", "ShotNoise", "SpeckleNoise"]


def _clipped_share(x: np.ndarray) -> float:
    return float(np.mean((x < 0.0) | (x > 1.0)))


@register_perturbation
class GaussianNoise(ImagePerturbation):
    """Additive Gaussian noise of standard deviation sigma (ImageNet-C levels)."""

    name = "image_gaussian_noise"
    LEVELS = (0.08, 0.12, 0.18, 0.26, 0.38)

    def _corrupt(self, x: np.ndarray, level: Any,
                 rng: np.random.Generator) -> tuple[np.ndarray, dict[str, Any]]:
        out = x + rng.normal(0.0, level, size=x.shape)
        return out, {"sigma": level, "clipped_share": _clipped_share(out)}


@register_perturbation
class ShotNoise(ImagePerturbation):
    """Poisson (photon) noise: ``lam`` photons at full white, so variance x / lam."""

    name = "image_shot_noise"
    LEVELS = (60.0, 25.0, 12.0, 5.0, 3.0)

    def _corrupt(self, x: np.ndarray, level: Any,
                 rng: np.random.Generator) -> tuple[np.ndarray, dict[str, Any]]:
        out = rng.poisson(x * level) / level
        return out, {"photons": level, "clipped_share": _clipped_share(out)}


@register_perturbation
class ImpulseNoise(ImagePerturbation):
    """Salt and pepper: a share ``p`` of the values set to 0 or 1, half each."""

    name = "image_impulse_noise"
    LEVELS = (0.03, 0.06, 0.09, 0.17, 0.27)

    def _corrupt(self, x: np.ndarray, level: Any,
                 rng: np.random.Generator) -> tuple[np.ndarray, dict[str, Any]]:
        hit = rng.random(x.shape) < level
        salt = rng.random(x.shape) < 0.5
        out = np.where(hit, salt.astype(np.float64), x)
        return out, {"share": level, "share_hit": float(hit.mean())}


@register_perturbation
class SpeckleNoise(ImagePerturbation):
    """Multiplicative noise x + x * N(0, c^2): brighter pixels get more."""

    name = "image_speckle_noise"
    LEVELS = (0.15, 0.2, 0.35, 0.45, 0.6)

    def _corrupt(self, x: np.ndarray, level: Any,
                 rng: np.random.Generator) -> tuple[np.ndarray, dict[str, Any]]:
        out = x + x * rng.normal(0.0, level, size=x.shape)
        return out, {"c": level, "clipped_share": _clipped_share(out)}
