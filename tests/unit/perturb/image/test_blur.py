"""Blurs: kernels sum to one, the mean is kept, widths match the severity tables."""

import numpy as np
import pytest
from scipy import ndimage

from stalwart.perturb.image import DefocusBlur, GaussianBlur, MotionBlur, ZoomBlur
from stalwart.perturb.image.blur import disk_kernel, line_kernel


@pytest.fixture
def canvas(digits):
    """Digits inside a 24 x 24 black frame wider than any kernel: nothing leaves."""
    out = np.zeros((20, 24, 24))
    out[:, 8:16, 8:16] = digits[0][:20]
    return out


@pytest.mark.parametrize("cls", [GaussianBlur, DefocusBlur, MotionBlur])
@pytest.mark.parametrize("severity", [1, 3, 5])
def test_blur_keeps_each_images_mean(cls, severity, canvas):
    y = cls(severity=severity, random_state=0).fit(canvas).transform(canvas)
    assert np.allclose(y.mean(axis=(1, 2)), canvas.mean(axis=(1, 2)), atol=1e-12)
    assert y.max() < canvas.max()  # and it does blur


@pytest.mark.parametrize("severity, sigma", [(1, 0.5), (3, 1.0), (5, 1.5)])
def test_gaussian_blur_spreads_a_point_by_sigma(severity, sigma):
    x = np.zeros((1, 21, 21))
    x[0, 10, 10] = 1.0
    y = GaussianBlur(severity=severity).fit(x).transform(x)[0]
    offsets = np.arange(21) - 10
    # variance of the spread along rows: that of a Gaussian sampled at whole pixels and
    # cut at 4 sigma (scipy's truncate)
    weights = np.exp(-offsets ** 2 / (2 * sigma ** 2)) * (np.abs(offsets) <= int(4 * sigma + 0.5))
    sampled = (weights * offsets ** 2).sum() / weights.sum()
    assert (y.sum(axis=1) * offsets ** 2).sum() == pytest.approx(sampled, rel=1e-9)
    if sigma >= 1:
        assert sampled == pytest.approx(sigma ** 2, rel=1e-3)


def test_disk_kernel_covers_the_radius_and_sums_to_one():
    for radius in (1.0, 2.0, 3.0):
        k = disk_kernel(radius, alias_sigma=1e-9)
        assert k.sum() == pytest.approx(1.0)
        # without anti-aliasing: the lattice points within the radius, equally weighted
        yy, xx = np.indices(k.shape) - k.shape[0] // 2
        inside = xx ** 2 + yy ** 2 <= radius ** 2
        assert np.allclose(k[inside], 1 / inside.sum()) and np.allclose(k[~inside], 0)


def test_line_kernel_lies_along_its_angle():
    flat = line_kernel(4.0, 0.0)
    centre = flat.shape[0] // 2
    assert flat.sum() == pytest.approx(1.0)
    assert np.allclose(flat.sum(axis=1)[np.arange(flat.shape[0]) != centre], 0)
    cols = np.arange(flat.shape[1]) - centre
    assert (flat[centre] * cols).sum() == pytest.approx(0.0, abs=1e-12)  # centred
    assert np.abs(cols[flat[centre] > 0]).max() == 2  # length 4: two pixels each way
    upright = line_kernel(4.0, 90.0)
    assert np.allclose(upright, flat.T)


def test_motion_blur_angle_is_drawn_per_image():
    x = np.zeros((2, 15, 15))
    x[:, 7, 7] = 1.0
    y = MotionBlur(severity=5, random_state=0).fit(x).transform(x)
    assert not np.allclose(y[0], y[1])


def test_zoom_blur_keeps_a_constant_image_and_grows_with_severity(digits):
    c = np.full((2, 8, 8), 0.3)
    assert np.allclose(ZoomBlur(severity=5).fit(c).transform(c), 0.3)
    x = digits[0][:50]
    mse = [((ZoomBlur(severity=s).fit(x).transform(x) - x) ** 2).mean() for s in (1, 3, 5)]
    assert mse[0] < mse[1] < mse[2]
    # the centre pixel of a zoom is itself: an image lit only there keeps a share of it
    point = np.zeros((1, 9, 9))
    point[0, 4, 4] = 1.0
    y = ZoomBlur(severity=5).fit(point).transform(point)
    assert y[0, 4, 4] == pytest.approx(1.0)


def test_gaussian_blur_equals_scipy_per_channel(rgb_uint8):
    x = rgb_uint8 / 255.0
    y = GaussianBlur(severity=2).fit(x).transform(x)
    ref = np.stack([ndimage.gaussian_filter(x[0, ..., c], 0.75) for c in range(3)], axis=-1)
    assert np.allclose(y[0], ref)
