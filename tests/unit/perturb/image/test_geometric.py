"""Rotation, translation and occlusion: exact against numpy where the answer is exact."""

import numpy as np
import pytest

from stalwart.exceptions import ParameterError
from stalwart.perturb.image import Occlusion, Rotation, Translation


@pytest.mark.parametrize("k", [1, 2, 3])
def test_rotation_by_multiples_of_90_equals_rot90(k, digits, rgb_uint8):
    x = digits[0][:5]
    y = Rotation(angle=90 * k).fit(x).transform(x)
    assert np.allclose(y, np.rot90(x, k, axes=(1, 2)), atol=1e-9)
    z = Rotation(angle=90 * k).fit(rgb_uint8).transform(rgb_uint8)
    assert np.array_equal(z, np.rot90(rgb_uint8, k, axes=(1, 2)))


def test_rotation_severity_angle_with_random_sign_and_fill():
    x = np.ones((40, 9, 9))
    p = Rotation(severity=4, random_state=0, fill=0.25).fit(x)
    y = p.transform(x)
    assert p.notes_[0].detail["degrees"] == 40.0
    assert np.isclose(y[:, 0, 0], 0.25).all()  # 40 degrees turns the corners out
    assert np.allclose(y[:, 4, 4], 1.0)  # the centre stays
    # both directions occur: a ramp's rotated centre row tilts up for some, down for others
    ramp = np.tile(np.arange(9) / 8, (40, 9, 1))
    r = Rotation(severity=4, random_state=0).fit(ramp).transform(ramp)
    tilt = np.sign(r[:, 2, 4] - r[:, 6, 4])
    assert set(tilt) == {-1.0, 1.0}


@pytest.mark.parametrize("shift", [(1, 0), (0, -2), (2, 3), (-3, -1)])
def test_translation_is_an_exact_shift_with_fill(shift, digits):
    x = digits[0][:5]
    y = Translation(shift=shift, fill=0.5).fit(x).transform(x)
    dy, dx = shift
    expected = np.full_like(x, 0.5)
    expected[:, max(dy, 0):8 + min(dy, 0), max(dx, 0):8 + min(dx, 0)] = \
        x[:, max(-dy, 0):8 + min(-dy, 0), max(-dx, 0):8 + min(-dx, 0)]
    assert np.array_equal(y, expected)


@pytest.mark.parametrize("severity, pixels", [(1, 1.0), (3, 3.0), (5, 5.0)])  # side 16
def test_translation_severity_moves_the_centre_of_mass_by_its_length(severity, pixels):
    x = np.zeros((50, 16, 16))
    x[:, 6:10, 6:10] = 1.0  # far from the border: nothing falls off
    p = Translation(severity=severity, random_state=0).fit(x)
    y = p.transform(x)
    assert p.notes_[0].detail["pixels"] == pixels
    idx = np.indices((16, 16))
    moved = [np.hypot(*((idx * img).sum(axis=(1, 2)) / img.sum() - 7.5)) for img in y]
    assert np.allclose(moved, pixels, atol=1e-9)
    assert np.allclose(y.sum(axis=(1, 2)), 16.0)


@pytest.mark.parametrize("severity, side", [(1, 2), (2, 3), (3, 4), (4, 5), (5, 6)])
def test_occlusion_paints_one_patch_of_the_table_side(severity, side):
    x = np.ones((30, 8, 8))
    p = Occlusion(severity=severity, random_state=0).fit(x)
    y = p.transform(x)
    assert ((y == 0).sum(axis=(1, 2)) == side * side).all()
    assert p.notes_[0].detail["share"] == side * side / 64
    # the patch is a square: its zero rows and columns both number `side`
    assert all((img == 0).any(axis=1).sum() == side for img in y)
    corners = {(int(np.argmax((img == 0).any(axis=1))), int(np.argmax((img == 0).any(axis=0))))
               for img in y}
    assert len(corners) > 5  # placed at random


@pytest.mark.parametrize("cls, option", [(Occlusion, {"fill": 2.0}), (Rotation, {"fill": "x"}),
                                         (Rotation, {"angle": "90"}),
                                         (Translation, {"shift": (1,)}),
                                         (Translation, {"shift": (1, np.nan)})])
def test_bad_options_are_refused_at_fit(cls, option):
    with pytest.raises(ParameterError):
        cls(**option).fit(np.zeros((1, 8, 8)))
