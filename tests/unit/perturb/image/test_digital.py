"""Contrast, brightness, fog, JPEG, pixelate and elastic: exact maps where there is one."""

import colorsys
import io

import numpy as np
import pytest
from PIL import Image

from stalwart.perturb.image import (Brightness, Contrast, ElasticTransform, Fog,
                                    JpegCompression, Pixelate)


@pytest.mark.parametrize("severity, c", [(1, 0.4), (3, 0.2), (5, 0.05)])
def test_contrast_is_the_exact_map_about_each_channels_mean(severity, c, rgb_uint8):
    x = rgb_uint8 / 255.0
    y = Contrast(severity=severity).fit(x).transform(x)
    m = x.mean(axis=(1, 2), keepdims=True)
    assert np.allclose(y, (x - m) * c + m, atol=1e-12)
    assert np.allclose(y.mean(axis=(1, 2)), x.mean(axis=(1, 2)))


@pytest.mark.parametrize("severity, c", [(1, 0.1), (4, 0.4)])
def test_brightness_adds_c_to_the_hsv_value_like_colorsys(severity, c, rgb_uint8):
    x = rgb_uint8[:2] / 255.0
    x[0, 0, 0] = 0.0  # a black pixel turns grey c
    y = Brightness(severity=severity).fit(x).transform(x)
    for idx in np.ndindex(x.shape[:3]):
        h, s, v = colorsys.rgb_to_hsv(*x[idx])
        assert np.allclose(y[idx], colorsys.hsv_to_rgb(h, s, min(v + c, 1.0)), atol=1e-12)
    grey = np.linspace(0, 1, 64).reshape(1, 8, 8)
    assert np.allclose(Brightness(severity=severity).fit(grey).transform(grey),
                       np.minimum(grey + c, 1.0))


def test_brightness_keeps_an_alpha_channel():
    x = np.random.default_rng(0).random((2, 8, 8, 4))
    y = Brightness(severity=3).fit(x).transform(x)
    assert np.array_equal(y[..., 3], x[..., 3]) and (y[..., :3] >= x[..., :3]).all()


@pytest.mark.parametrize("severity, a", [(1, 0.2), (5, 1.5)])
def test_fog_blends_a_smooth_field_spanning_zero_to_one(severity, a, rgb_uint8):
    x = rgb_uint8 / 255.0
    y = Fog(severity=severity, random_state=0).fit(x).transform(x)
    field = (y * (1 + a) - x) / a
    assert np.allclose(field.min(axis=(1, 2)), 0.0) and np.allclose(field.max(axis=(1, 2)), 1)
    assert np.allclose(field[..., 0], field[..., 2])  # one field for every channel
    # smooth: neighbours differ far less than in white noise (mean |step| 1/3)
    assert np.abs(np.diff(field, axis=2)).mean() < 0.15


def test_jpeg_differs_and_psnr_falls_with_severity(digits):
    x = (digits[0][:100] * 255).astype(np.uint8)
    psnr = []
    for s in range(1, 6):
        y = JpegCompression(severity=s).fit(x).transform(x)
        assert y.dtype == np.uint8 and not np.array_equal(x, y)
        mse = ((y.astype(float) - x) ** 2).mean()
        psnr.append(10 * np.log10(255 ** 2 / mse))
    assert all(np.diff(psnr) < 0), psnr


def test_jpeg_is_pillows_round_trip_at_the_severity_quality(rgb_uint8):
    y = JpegCompression(severity=2).fit(rgb_uint8).transform(rgb_uint8)
    buffer = io.BytesIO()
    Image.fromarray(rgb_uint8[0]).save(buffer, format="JPEG", quality=18)
    assert np.array_equal(y[0], np.asarray(Image.open(buffer)))
    rgba = np.concatenate([rgb_uint8, rgb_uint8[..., :1]], axis=3)
    z = JpegCompression(severity=2).fit(rgba).transform(rgba)
    assert np.array_equal(z[..., :3], y) and np.array_equal(z[..., 3], rgba[..., 3])


def test_pixelate_half_is_the_mean_of_2x2_blocks(digits):
    x = digits[0][:10]
    y = Pixelate(severity=3).fit(x).transform(x)
    blocks = x.reshape(10, 4, 2, 4, 2).mean(axis=(2, 4))
    assert np.allclose(y, blocks.repeat(2, axis=1).repeat(2, axis=2))


@pytest.mark.parametrize("severity, blocks", [(1, 6), (2, 5), (4, 3), (5, 2)])
def test_pixelate_cuts_an_8x8_digit_into_the_tables_blocks(severity, blocks, digits):
    x = digits[0][:30]
    p = Pixelate(severity=severity).fit(x)
    y = p.transform(x)
    assert p.notes_[0].detail["blocks"] == [blocks, blocks]
    assert max(len(np.unique(np.round(img, 12))) for img in y) <= blocks ** 2
    assert np.allclose(y.mean(axis=(1, 2)), x.mean(axis=(1, 2)))  # blocks keep their mass


def test_elastic_moves_pixels_by_the_severity_rms():
    side = 32
    rows, cols = np.indices((side, side)) / (side - 1)
    x = np.stack([cols, rows], axis=-1)[None].repeat(10, axis=0)  # ramps read the move
    p = ElasticTransform(severity=5, random_state=0).fit(x)
    y = p.transform(x)
    assert p.notes_[0].detail["rms_displacement_pixels"] == 1.2
    moved = (y - x) * (side - 1)  # bilinear on a ramp: the displacement itself
    inner = moved[:, 4:-4, 4:-4]
    assert np.sqrt((inner ** 2).sum(axis=-1).mean()) == pytest.approx(1.2, rel=0.1)
    flat = np.full((2, 8, 8), 0.6)
    assert np.allclose(ElasticTransform(severity=5).fit(flat).transform(flat), 0.6)
