"""Digital corruptions of ImageNet-C: contrast, JPEG compression, pixelation and the
elastic transform.

- ``image_contrast``: x' = (x - m) c + m, m the image's mean per channel, c = 0.4, 0.3,
  0.2, 0.1, 0.05 (ImageNet-C); it stays in [0, 1] and keeps the mean.
- ``image_jpeg``: each image saved as JPEG at quality 25, 18, 15, 10, 7 (ImageNet-C) with
  Pillow and read back (the ``image`` extra); float images pass through 8 bits. An alpha
  channel is kept as it was (JPEG has none).
- ``image_pixelate``: each image cut into a grid of round(s x side) blocks per side,
  s = 0.75, 0.6, 0.5, 0.4, 0.25 (ImageNet-C's downscale-then-upscale in whole pixels:
  blocks' sides differ by at most one pixel), each block painted with its mean; an 8 x 8
  digit becomes 6, 5, 4, 3 and 2 blocks across.
- ``image_elastic``: each pixel moved by a smooth random field (Gaussian-smoothed white
  noise of width 2 pixels, Simard et al. 2003) scaled so the root-mean-square move is
  d = 0.3, 0.5, 0.7, 0.9, 1.2 pixels in that image, read with bilinear interpolation
  and reflected borders. Both widths are in pixels for images of side at most 32.

>>> import numpy as np
>>> x = np.linspace(0, 1, 16).reshape(1, 4, 4)
>>> y = Contrast(severity=1).fit(x).transform(x)
>>> bool(np.allclose(y, (x - 0.5) * 0.4 + 0.5))
True
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
from scipy import ndimage

from ..._optional import require
from ..base import register_perturbation
from .base import ImagePerturbation, pixel_scale

__all__ = ["Contrast", "ElasticTransform", "JpegCompression", "Pixelate"]


@register_perturbation
class Contrast(ImagePerturbation):
    """Contrast reduced by the factor ``c`` about each image's mean."""

    name = "image_contrast"
    LEVELS = (0.4, 0.3, 0.2, 0.1, 0.05)

    def _corrupt(self, x: np.ndarray, level: Any,
                 rng: np.random.Generator) -> tuple[np.ndarray, dict[str, Any]]:
        mean = x.mean(axis=(1, 2), keepdims=True)
        return (x - mean) * level + mean, {"factor": level}


@register_perturbation
class JpegCompression(ImagePerturbation):
    """JPEG compression at ``quality`` (Pillow)."""

    name = "image_jpeg"
    LEVELS = (25, 18, 15, 10, 7)

    def _corrupt(self, x: np.ndarray, level: Any,
                 rng: np.random.Generator) -> tuple[np.ndarray, dict[str, Any]]:
        pil = require("PIL.Image", extra="image", purpose="JPEG compression of images")
        channels = x.shape[3]
        colour = 3 if channels >= 3 else 1
        out = x.copy()
        eight_bit = np.rint(x[..., :colour] * 255.0).astype(np.uint8)
        for i, img in enumerate(eight_bit):
            buffer = io.BytesIO()
            mode = "RGB" if colour == 3 else "L"
            pil.fromarray(img if colour == 3 else img[..., 0]).save(
                buffer, format="JPEG", quality=int(level))
            buffer.seek(0)
            back = np.asarray(pil.open(buffer).convert(mode), dtype=np.float64) / 255.0
            out[i, ..., :colour] = back if colour == 3 else back[..., None]
        return out, {"quality": level, "kept_alpha": channels in (2, 4)}


def _block_mean(x: np.ndarray, blocks: int, *, axis: int) -> np.ndarray:
    """Along ``axis``, each run of pixels of one block replaced by its mean; pixel j lies
    in block floor(j * blocks / n)."""
    n = x.shape[axis]
    member = (np.arange(n) * blocks) // n
    moved = np.moveaxis(x, axis, 0)
    sums = np.zeros((blocks,) + moved.shape[1:])
    np.add.at(sums, member, moved)
    means = sums / np.bincount(member, minlength=blocks).reshape((-1,) + (1,) * (moved.ndim - 1))
    return np.moveaxis(means[member], 0, axis)


@register_perturbation
class Pixelate(ImagePerturbation):
    """Pixelation: a grid of a share ``s`` of the side in blocks, each block its mean."""

    name = "image_pixelate"
    LEVELS = (0.75, 0.6, 0.5, 0.4, 0.25)

    def _corrupt(self, x: np.ndarray, level: Any,
                 rng: np.random.Generator) -> tuple[np.ndarray, dict[str, Any]]:
        height, width = x.shape[1:3]
        small_h, small_w = max(1, round(height * level)), max(1, round(width * level))
        # whole-pixel blocks (sizes differ by at most one), each painted with its mean:
        # a projection onto block-constant images, so no value is invented
        out = _block_mean(_block_mean(x, small_h, axis=1), small_w, axis=2)
        return out, {"share": level, "blocks": [small_h, small_w]}


@register_perturbation
class ElasticTransform(ImagePerturbation):
    """Elastic transform: a smooth random displacement of root-mean-square ``d`` pixels."""

    name = "image_elastic"
    LEVELS = (0.3, 0.5, 0.7, 0.9, 1.2)
    SPATIAL = True
    SMOOTHING = 2.0  # pixels, for images of side at most 32

    def _corrupt(self, x: np.ndarray, level: Any,
                 rng: np.random.Generator) -> tuple[np.ndarray, dict[str, Any]]:
        n, height, width, channels = x.shape
        sigma = self.SMOOTHING * pixel_scale(min(height, width))
        field = ndimage.gaussian_filter(rng.standard_normal((n, 2, height, width)),
                                        sigma=(0, 0, sigma, sigma), mode="reflect")
        rms = np.sqrt((field ** 2).sum(axis=1).mean(axis=(1, 2)))
        field *= (level / rms)[:, None, None, None]
        rows, cols = np.meshgrid(np.arange(height), np.arange(width), indexing="ij")
        out = np.empty_like(x)
        for i in range(n):
            coords = [rows + field[i, 0], cols + field[i, 1]]
            for c in range(channels):
                out[i, ..., c] = ndimage.map_coordinates(x[i, ..., c], coords, order=1,
                                                         mode="reflect")
        return out, {"rms_displacement_pixels": level, "smoothing_pixels": sigma}
