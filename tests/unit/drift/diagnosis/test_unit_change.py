"""Unit-change fit: recovers known maps, names the conversion, and stays quiet otherwise."""

import numpy as np
import pytest
from scipy import stats

from stalwart.drift.diagnosis import KNOWN_CONVERSIONS, fit_unit_change
from stalwart.drift.diagnosis.unit_change import ks_threshold
from stalwart.exceptions import DataError


def _readings(seed, n=5000):
    rng = np.random.default_rng(seed)
    return rng, rng.normal(15, 8, n)


def test_celsius_to_fahrenheit_same_readings_reexported():
    # the same sensor readings exported again in Fahrenheit, rounded to 0.1 F, reordered,
    # and a random 90 % of them: the map is recovered tightly
    rng, celsius = _readings(0, 20_000)
    fahrenheit = np.round(celsius * 1.8 + 32, 1)
    current = rng.permutation(fahrenheit)[: int(0.9 * len(fahrenheit))]
    fit = fit_unit_change(celsius, current)
    assert fit is not None and fit.is_unit_change
    assert fit.scale == pytest.approx(1.8, abs=0.01)
    assert fit.offset == pytest.approx(32.0, abs=0.5)
    assert fit.known_conversion == "celsius -> fahrenheit"
    assert fit.r2 > 0.999 and fit.ks_after_mapping < fit.ks_threshold < fit.ks_before


def test_celsius_to_fahrenheit_fresh_sample():
    # a fresh sample of the same population: the scale carries the sampling error of a
    # ratio of spreads (~1/sqrt(n)), and the table's exact map is still named
    rng, celsius = _readings(1, 20_000)
    current = rng.normal(15, 8, 20_000) * 1.8 + 32
    fit = fit_unit_change(celsius, current)
    assert fit.known_conversion == "celsius -> fahrenheit"
    assert fit.scale == pytest.approx(1.8, rel=0.02)
    assert fit.offset == pytest.approx(32.0, abs=1.0)
    assert fit.ks_known <= fit.ks_threshold


def test_fahrenheit_to_celsius_and_kelvin():
    _, celsius = _readings(2)
    back = fit_unit_change(celsius * 1.8 + 32, celsius)
    assert back.known_conversion == "fahrenheit -> celsius"
    assert back.scale == pytest.approx(1 / 1.8, abs=0.005)
    kelvin = fit_unit_change(celsius, celsius + 273.15)
    assert kelvin.known_conversion == "celsius -> kelvin"
    assert kelvin.offset == pytest.approx(273.15, abs=0.05)


def test_metres_to_centimetres_lists_the_alternatives_with_the_same_factor():
    rng = np.random.default_rng(3)
    metres = rng.lognormal(0.5, 0.3, 4000)
    fit = fit_unit_change(metres, rng.permutation(metres) * 100)
    assert fit.known_conversion == "metres -> centimetres"
    assert fit.alternatives == ("fraction -> percent", "dollars -> cents")
    assert fit.scale == pytest.approx(100, rel=1e-6) and abs(fit.offset) < 1e-6
    back = fit_unit_change(metres * 100, metres)
    assert back.known_conversion == "centimetres -> metres"


def test_every_table_conversion_is_recovered_and_named_with_its_map():
    rng = np.random.default_rng(4)
    x = rng.gamma(4.0, 5.0, 3000) + 10
    for name, scale, offset in KNOWN_CONVERSIONS:
        fit = fit_unit_change(x, x * scale + offset)
        assert fit is not None, name
        named = dict((n, (s, o)) for n, s, o in KNOWN_CONVERSIONS)[fit.known_conversion]
        assert named == (scale, offset), name
        assert name in (fit.known_conversion, *fit.alternatives)


def test_unchanged_data_and_noise_changes_are_not_unit_changes_over_repetitions():
    reps, n = 40, 1000
    fitted_unchanged, units = 0, 0
    for seed in range(reps):
        rng = np.random.default_rng(100 + seed)
        ref, same = rng.normal(10, 2, n), rng.normal(10, 2, n)
        noisy = rng.normal(10, 2, n) + rng.normal(0, 1.5, n)  # extra noise, same mean
        a, b = fit_unit_change(ref, same), fit_unit_change(ref, noisy)
        fitted_unchanged += a is not None
        units += (a is not None and a.is_unit_change) + (b is not None and b.is_unit_change)
    # the KS gate runs at alpha = 0.001: more than 2 of 40 would be out of the binomial law
    assert fitted_unchanged <= stats.binom.ppf(0.999, reps, 0.001)
    assert units == 0


def test_noise_change_is_fitted_as_a_rescaling_without_a_conversion():
    rng = np.random.default_rng(7)
    ref = rng.normal(10, 2, 5000)
    fit = fit_unit_change(ref, rng.normal(10, 2, 5000) + rng.normal(0, 1.5, 5000))
    assert fit is not None and fit.known_conversion is None and not fit.is_location_shift
    assert fit.scale == pytest.approx(np.sqrt(1 + 1.5**2 / 4), rel=0.03)


def test_location_shift_is_not_a_unit_change():
    rng = np.random.default_rng(8)
    ref = rng.normal(10, 2, 4000)
    fit = fit_unit_change(ref, rng.normal(13, 2, 4000))
    assert fit.is_location_shift and not fit.is_unit_change
    # the intercept trades off with the slope; the map moves the reference's centre by 3
    assert fit.scale * 10 + fit.offset == pytest.approx(13, abs=0.2)


def test_shape_changes_are_not_affine():
    rng = np.random.default_rng(9)
    ref = rng.normal(10, 2, 4000)
    assert fit_unit_change(ref, rng.exponential(10, 4000)) is None


def test_outliers_do_not_break_the_fit():
    rng, celsius = _readings(10)
    cur = celsius * 1.8 + 32
    cur[:25] = 1e6  # 0.5 % garbage
    fit = fit_unit_change(celsius, cur)
    assert fit.known_conversion == "celsius -> fahrenheit"
    # the garbage takes 0.5 % of the ranks at the top, which bends the upper quantiles a bit
    assert fit.scale == pytest.approx(1.8, abs=0.03)


def test_ks_threshold_matches_the_asymptotic_critical_value():
    c = stats.kstwobign.isf(0.001)
    assert ks_threshold(10_000, 10_000, floor=0) == pytest.approx(c * np.sqrt(2 / 10_000),
                                                                  rel=1e-3)
    assert ks_threshold(10**7, 10**7) == 0.05


def test_bad_input():
    with pytest.raises(DataError):
        fit_unit_change([1.0], [1.0, 2.0])
    assert fit_unit_change(np.ones(100), np.full(100, 2.0)) is None  # constant: no shape


def test_sorted_ks_statistic_equals_scipy_with_ties_and_unequal_sizes():
    from stalwart.drift.diagnosis.unit_change import ks_statistic_sorted

    rng = np.random.default_rng(11)
    for n, m in ((50, 80), (1000, 300), (7, 7)):
        a = np.sort(np.round(rng.normal(0, 1, n), 1))
        b = np.sort(np.round(rng.normal(0.2, 1.3, m), 1))
        assert ks_statistic_sorted(a, b) == pytest.approx(stats.ks_2samp(a, b).statistic,
                                                          abs=1e-12)


def test_clinical_units_are_named():
    rng = np.random.default_rng(0)
    bp_mmhg = rng.normal(95, 14, 3000)
    fit = fit_unit_change(bp_mmhg, rng.normal(95, 14, 2000) / 7.50062)
    assert fit.known_conversion == "mmHg -> kPa"
    assert fit.scale == pytest.approx(1 / 7.50062, rel=0.02)
    glucose = rng.normal(5.5, 1.2, 3000)  # mmol/L
    assert fit_unit_change(glucose, glucose * 18.016).known_conversion == \
        "glucose mmol/L -> mg/dL"
