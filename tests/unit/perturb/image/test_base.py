"""Image input checks: shapes, dtypes and ranges refused clearly; dtype and layout kept."""

import numpy as np
import pytest

from stalwart.exceptions import DataError, ParameterError, StageError
from stalwart.perturb.image import GaussianBlur, GaussianNoise, check_images, pixel_scale


@pytest.mark.parametrize("bad, match", [
    (np.zeros((5, 64)), "reshape a flat table"),
    (np.zeros((8, 8)), "2-D array"),
    (np.zeros((2, 8, 8, 3, 1)), "5-D array"),
    (np.zeros((0, 8, 8)), "at least one image"),
    (np.zeros((2, 3, 8)), "at least 4 x 4"),
    (np.zeros((2, 3, 8, 8)), "at least 4 x 4"),
    (np.zeros((2, 8, 8, 5)), "channels last"),
    (np.zeros((2, 8, 8), dtype=np.int64), "uint8"),
    (np.full((2, 8, 8), 16.0), "X / 16"),
    (np.full((2, 8, 8), -0.1), "values from -0.1"),
    (np.full((2, 8, 8), np.nan), "finite"),
    (np.zeros((2, 8, 8), dtype=bool), "uint8"),
])
def test_wrong_images_are_refused_with_a_fix(bad, match):
    with pytest.raises(DataError, match=match):
        check_images(bad)
    with pytest.raises(DataError, match=match):
        GaussianNoise().fit(bad)


def test_transform_refuses_another_shape_and_before_fit():
    x = np.zeros((2, 8, 8))
    with pytest.raises(StageError, match="before fit"):
        GaussianNoise().transform(x)
    p = GaussianNoise().fit(x)
    with pytest.raises(DataError, match=r"the shape seen in fit, \(N, 8, 8\)"):
        p.transform(np.zeros((2, 8, 8, 1)))
    assert p.transform(np.zeros((5, 8, 8))).shape == (5, 8, 8)  # any number of images


@pytest.mark.parametrize("severity", [0, 6, 2.5, True, "3"])
def test_severity_outside_1_to_5_is_refused(severity):
    with pytest.raises(ParameterError, match="severity"):
        GaussianNoise(severity=severity).fit(np.zeros((1, 8, 8)))


def test_dtype_range_and_layout_are_kept(rgb_uint8):
    y = GaussianNoise(severity=5, random_state=0).fit(rgb_uint8).transform(rgb_uint8)
    assert y.dtype == np.uint8 and y.shape == rgb_uint8.shape
    assert y.min() == 0 and y.max() == 255  # sigma 0.38 reaches both ends
    f32 = (rgb_uint8 / 255.0).astype(np.float32)
    z = GaussianNoise(severity=5, random_state=0).fit(f32).transform(f32)
    assert z.dtype == np.float32 and z.min() == 0.0 and z.max() == 1.0
    # the same seed draws the same noise: uint8 output is the float output rounded
    assert np.abs(np.rint(z.astype(np.float64) * 255) - y).max() <= 1


def test_uint8_round_trip_is_exact_when_nothing_changes():
    x = np.full((1, 16, 16), 77, np.uint8)
    y = GaussianBlur(severity=5).fit(x).transform(x)  # blurring a constant changes nothing
    assert y.dtype == np.uint8 and (y == 77).all()


def test_input_is_not_changed_and_notes_say_what_was_applied():
    x = np.full((3, 8, 8), 0.5)
    before = x.copy()
    p = GaussianNoise(severity=2, random_state=1).fit(x)
    p.transform(x)
    assert np.array_equal(x, before)
    assert len(p.notes_) == 1 and p.notes_[0].target == "image" and p.notes_[0].applied
    assert p.notes_[0].detail["sigma"] == 0.12 and p.notes_[0].detail["severity"] == 2
    assert p.applied() == ["image"]


def test_pixel_scale_is_one_up_to_32_then_proportional():
    assert [pixel_scale(s) for s in (4, 8, 28, 32, 64, 224)] == [1.0, 1.0, 1.0, 1.0, 2.0, 7.0]
    x = np.zeros((1, 64, 64))
    p = GaussianBlur(severity=3).fit(x)
    p.transform(x)
    assert p.notes_[0].detail["sigma_pixels"] == 2.0
