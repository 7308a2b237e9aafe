"""Every registered image corruption: monotone severities, dtype and layout kept, repeatable,
honest notes, a scikit-learn transformer (clone, get_params)."""

import numpy as np
import pytest
from scipy import ndimage
from sklearn.base import clone
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from stalwart.perturb.base import PERTURBATIONS, SEVERITIES
from stalwart.perturb.image import image_corruptions

NAMES = image_corruptions()


def test_the_issues_families_are_all_registered():
    assert NAMES == sorted(
        ["image_brightness", "image_contrast", "image_defocus_blur", "image_elastic",
         "image_fog", "image_gaussian_blur", "image_gaussian_noise", "image_impulse_noise",
         "image_jpeg", "image_motion_blur", "image_occlusion", "image_pixelate",
         "image_rotation", "image_shot_noise", "image_speckle_noise", "image_translation",
         "image_zoom_blur"])


def _mse(name, x, severity):
    y = PERTURBATIONS.get(name)(severity=severity, random_state=0).fit(x).transform(x)
    return float(((y.astype(float) - x.astype(float)) ** 2).mean())


@pytest.mark.parametrize("name", NAMES)
def test_severity_is_monotone_in_mse_on_digits(name, digits):
    x = digits[0][:150]
    mse = [_mse(name, x, s) for s in SEVERITIES]
    assert mse[0] > 0 and all(np.diff(mse) > 0), mse


@pytest.mark.parametrize("name", NAMES)
def test_severity_is_monotone_in_mse_on_28_pixel_colour_images(name):
    # smooth random 28 x 28 RGB images, uint8: the other size and layout of the tables
    rng = np.random.default_rng(1)
    x = (ndimage.gaussian_filter(rng.random((24, 28, 28, 3)), (0, 2, 2, 0)) * 255)
    x = np.clip((x - x.mean()) * 4 + 128, 0, 255).astype(np.uint8)
    mse = [_mse(name, x, s) for s in SEVERITIES]
    assert all(np.diff(mse) > 0), mse


@pytest.mark.parametrize("name", NAMES)
def test_dtype_layout_range_kept_input_untouched_and_repeatable(name, digits, rgb_uint8):
    cls = PERTURBATIONS.get(name)
    assert cls.kind == "image" and PERTURBATIONS.capabilities(name)["kind"] == "image"
    grey32 = digits[0][:4].astype(np.float32)
    for x in (grey32, rgb_uint8, digits[0][:4, :, :, None]):
        before = x.copy()
        p = cls(severity=3, random_state=5).fit(x)
        y = p.transform(x)
        assert y.dtype == x.dtype and y.shape == x.shape
        assert y.min() >= 0 and y.max() <= (255 if x.dtype == np.uint8 else 1.0)
        assert np.array_equal(x, before)
        assert np.array_equal(y, cls(severity=3, random_state=5).fit(x).transform(x))
        assert [n.target for n in p.notes_] == ["image"] and p.notes_[0].applied
        assert p.notes_[0].detail["severity"] == 3
        assert p.notes_[0].to_dict()["detail"]  # says what it used, JSON-safe


@pytest.mark.parametrize("name", NAMES)
def test_is_a_scikit_learn_transformer(name, digits):
    p = PERTURBATIONS.get(name)(severity=2, random_state=0)
    twin = clone(p)
    assert twin.get_params() == p.get_params()
    x = digits[0][:6]
    pipe = make_pipeline(twin, FunctionTransformer(lambda a: a.reshape(len(a), -1)))
    assert pipe.fit_transform(x).shape == (6, 64)
