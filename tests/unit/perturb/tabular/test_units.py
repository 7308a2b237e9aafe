"""Unit changes: exact affine maps, the share of rows converted, per-column maps."""

import numpy as np
import pandas as pd
import pytest

from stalwart.exceptions import ParameterError
from stalwart.perturb.tabular import UNIT_MAPS, UnitChange


def temps(n=4000, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"temp": rng.normal(37.0, 1.0, n), "height": rng.normal(1.7, 0.1, n)})


@pytest.mark.parametrize("name, a, b", [
    ("celsius->fahrenheit", 1.8, 32.0), ("m->cm", 100.0, 0.0), ("kg->lb", 2.2046226218487757, 0.0),
    ("mmHg->kPa", 0.133322387415, 0.0), ("kelvin->celsius", 1.0, -273.15),
])
def test_named_maps_are_exact(name, a, b):
    X = temps()
    u = UnitChange(units=name, share=1.0).fit(X)
    out = u.transform(X)
    assert u.notes_[0].detail["a"] == pytest.approx(a, rel=1e-15)
    np.testing.assert_array_equal(out["temp"], u.notes_[0].detail["a"] * X["temp"] + b)


def test_known_points_of_the_table():
    def conv(name, x):
        a, b = UNIT_MAPS[name]
        return a * x + b
    assert conv("celsius->fahrenheit", 100.0) == 212.0
    assert conv("fahrenheit->celsius", 212.0) == pytest.approx(100.0, abs=1e-12)
    # 760 mmHg is one atmosphere to 0.14 ppm (760 Torr is exactly 101.325 kPa)
    assert conv("mmhg->kpa", 760.0) == pytest.approx(101.325, rel=2e-7)
    assert conv("lb->kg", 1.0) == 0.45359237 and conv("ft->m", 1.0) == 0.3048


def test_severity_sets_the_share_of_rows_shared_by_columns():
    X = temps()
    for severity, share in [(1, 0.05), (3, 0.25), (5, 1.0)]:
        out = UnitChange(units="m->cm", severity=severity, random_state=2).fit(X).transform(X)
        rows_t, rows_h = out["temp"] != X["temp"], out["height"] != X["height"]
        assert rows_t.equals(rows_h)  # one upstream source: the same rows
        assert abs(rows_t.mean() - share) <= 4 * np.sqrt(share * (1 - share) / len(X))
        np.testing.assert_array_equal(out.loc[rows_t, "temp"], 100.0 * X.loc[rows_t, "temp"])


def test_per_column_maps_and_custom_pairs():
    X = temps(100)
    u = UnitChange(units={"temp": "celsius->kelvin", "height": (0.5, 1.0)}, share=1.0).fit(X)
    out = u.transform(X)
    np.testing.assert_array_equal(out["temp"], 1.0 * X["temp"] + 273.15)
    np.testing.assert_array_equal(out["height"], 0.5 * X["height"] + 1.0)
    assert u.notes_[1].detail["map"] == "0.5 * x + 1"


def test_integer_column_gets_whole_numbers_and_keeps_dtype():
    X = pd.DataFrame({"c": np.arange(-20, 40)})
    out = UnitChange(share=1.0).fit(X).transform(X)
    assert out["c"].dtype == X["c"].dtype
    np.testing.assert_array_equal(out["c"], np.round(1.8 * X["c"] + 32.0))
    raw = UnitChange(share=1.0, respect_constraints=False).fit(X).transform(X)
    np.testing.assert_array_equal(raw["c"], 1.8 * X["c"] + 32.0)


@pytest.mark.parametrize("kwargs, match", [
    ({"units": "parsec->m"}, "unit map among"), ({"units": (0, 1)}, "a != 0"),
    ({"units": "m->cm", "share": 0}, "share"), ({"units": {"temp": "m->cm"}, "columns": ["temp"]},
                                                 "None when units maps columns"),
    ({"units": {"nope": "m->cm"}}, "columns of the data"),
])
def test_bad_units(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        UnitChange(**kwargs).fit(temps(20))
