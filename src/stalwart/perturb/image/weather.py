"""Weather-like corruptions of ImageNet-C: fog and brightness.

- ``image_fog``: a smooth random field f in [0, 1] (three octaves of Gaussian-smoothed
  white noise, widths a quarter, an eighth and a sixteenth of the image side, each half
  as strong as the last: a cheap stand-in for ImageNet-C's plasma fractal), blended in
  as x' = (x + a f) / (1 + a) with a = 0.2, 0.5, 0.75, 1, 1.5 (CIFAR-10-C's strengths).
  ImageNet-C divides by the image's own maximum instead of 1 + a, which leaves a black
  image black; here fog shows on any image. The same field covers every channel.
- ``image_brightness``: adds c = 0.1, 0.2, 0.3, 0.4, 0.5 to the HSV value (the maximum
  over channels), clipped at 1, keeping hue and saturation, as ImageNet-C does. On grey
  images that is x' = min(x + c, 1); on colour images each channel is scaled by
  V' / V (and a black pixel becomes grey c).

Frost and snow are left out: ImageNet-C's frost pastes photographs of frost, and its snow
is a tuned layer of motion-blurred flakes meant for large photographs.

>>> import numpy as np
>>> x = np.array([[[0.0, 0.5], [0.7, 0.95]]]).repeat(2, 1).repeat(2, 2)
>>> Brightness(severity=1).fit(x).transform(x)[0, 0].round(2).tolist()
[0.1, 0.1, 0.6, 0.6]
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import ndimage

from ..base import register_perturbation
from .base import ImagePerturbation

__all__ = ["Brightness", "Fog", "smooth_field"]


def smooth_field(n: int, height: int, width: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` smooth random fields of shape (height, width), each rescaled to [0, 1]."""
    side = min(height, width)
    field = np.zeros((n, height, width))
    for octave in range(3):
        sigma = max(side / 2 ** (octave + 2), 0.5)
        noise = ndimage.gaussian_filter(rng.standard_normal((n, height, width)),
                                        sigma=(0, sigma, sigma), mode="wrap")
        noise /= noise.std(axis=(1, 2), keepdims=True)
        field += noise / 2 ** octave
    low = field.min(axis=(1, 2), keepdims=True)
    high = field.max(axis=(1, 2), keepdims=True)
    return (field - low) / (high - low)


@register_perturbation
class Fog(ImagePerturbation):
    """Fog: a smooth random field blended in with strength ``a``."""

    name = "image_fog"
    LEVELS = (0.2, 0.5, 0.75, 1.0, 1.5)

    def _corrupt(self, x: np.ndarray, level: Any,
                 rng: np.random.Generator) -> tuple[np.ndarray, dict[str, Any]]:
        fog = smooth_field(len(x), x.shape[1], x.shape[2], rng)[..., None]
        return (x + level * fog) / (1.0 + level), {"strength": level}


@register_perturbation
class Brightness(ImagePerturbation):
    """Brightness: ``c`` added to the HSV value, hue and saturation kept."""

    name = "image_brightness"
    LEVELS = (0.1, 0.2, 0.3, 0.4, 0.5)

    def _corrupt(self, x: np.ndarray, level: Any,
                 rng: np.random.Generator) -> tuple[np.ndarray, dict[str, Any]]:
        if x.shape[3] in (2, 4):  # an alpha channel is not brightness: keep it
            colour, alpha = x[..., :-1], x[..., -1:]
        else:
            colour, alpha = x, None
        value = colour.max(axis=3, keepdims=True)
        new = np.minimum(value + level, 1.0)
        out = np.where(value > 0, colour * (new / np.where(value > 0, value, 1.0)), new)
        if alpha is not None:
            out = np.concatenate([out, alpha], axis=3)
        return out, {"added_value": level}
