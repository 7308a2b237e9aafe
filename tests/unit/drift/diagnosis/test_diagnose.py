"""diagnose(): each finding on planted changes, silence on unchanged data, bad input."""

import json

import numpy as np
import pandas as pd
import pytest

from stalwart.data import Schema
from stalwart.drift.diagnosis import Diagnosis, diagnose
from stalwart.exceptions import DataError

N = 2000


def _frame(seed, n=N):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "temp": rng.normal(20, 5, n),
        "height": rng.normal(1.7, 0.1, n),
        "age": rng.integers(18, 90, n),
        "plan": rng.choice(["basic", "plus", "pro"], n, p=[0.5, 0.3, 0.2]),
        "score": rng.normal(0, 1, n),
        "city": rng.choice(["paris", "lyon", "nice"], n),
        "tags": ["x"] * n,
    })


@pytest.fixture(scope="module")
def reference():
    return _frame(0)


def _kinds(d: Diagnosis):
    return {(f.kind, f.columns) for f in d.findings}


def test_unchanged_data_has_no_findings_over_repetitions(reference):
    found = [f.kind for seed in range(1, 6) for f in diagnose(reference, _frame(seed)).findings]
    assert found == []


def test_temperature_in_fahrenheit_is_a_unit_change(reference):
    cur = _frame(1)
    cur["temp"] = cur["temp"] * 1.8 + 32
    d = diagnose(reference, cur)
    (f,) = d.by_kind("unit_change")
    assert f.columns == ("temp",) and f.severity == "fail"
    assert f.evidence["known_conversion"] == "celsius -> fahrenheit"
    assert f.evidence["scale"] == pytest.approx(1.8, rel=0.03)
    assert "celsius -> fahrenheit" in f.message


def test_height_in_centimetres(reference):
    cur = _frame(2)
    cur["height"] = cur["height"] * 100
    (f,) = diagnose(reference, cur).by_kind("unit_change")
    assert f.evidence["known_conversion"] == "metres -> centimetres"
    assert f.evidence["scale"] == pytest.approx(100, rel=0.03)


def test_noise_and_location_changes_are_not_unit_changes(reference):
    cur = _frame(3)
    rng = np.random.default_rng(3)
    cur["score"] = cur["score"] + rng.normal(0, 1, N)
    cur["temp"] = cur["temp"] + 4
    d = diagnose(reference, cur)
    assert d.by_kind("unit_change") == ()
    assert [f.column for f in d.by_kind("scale_change")] == ["score"]
    (shift,) = d.by_kind("location_shift")
    assert shift.column == "temp"
    assert shift.evidence["shift_at_median"] == pytest.approx(4, abs=0.5)


def test_renamed_column_is_found_and_not_reported_as_missing(reference):
    cur = _frame(4).rename(columns={"city": "town", "score": "score_v2"})
    d = diagnose(reference, cur)
    renamed = {f.columns for f in d.by_kind("renamed_column")}
    assert renamed == {("city", "town"), ("score", "score_v2")}
    assert d.by_kind("missing_column") == () and d.by_kind("new_column") == ()
    assert "city -> town" in d.for_column("town")[0].message


def test_missing_and_new_columns_without_a_match(reference):
    cur = _frame(5).drop(columns=["plan"])
    cur["fresh"] = np.arange(N) * 3.0
    d = diagnose(reference, cur)
    assert ("missing_column", ("plan",)) in _kinds(d)
    assert ("new_column", ("fresh",)) in _kinds(d)
    assert d.by_kind("renamed_column") == ()


def test_scalar_to_list_type_change(reference):
    cur = _frame(6)
    cur["tags"] = pd.Series([["x", "y"] if i % 4 == 0 else "x" for i in range(N)], dtype=object)
    (f,) = diagnose(reference, cur).by_kind("type_change")
    assert f.column == "tags" and f.severity == "fail"
    assert "scalar -> list" in f.message
    assert f.evidence["new_type_shares"]["list"] == pytest.approx(0.25)
    assert f.evidence["current_value_kinds"] == {"string": 1500, "container": 500}


def test_int_to_float_and_number_to_string(reference):
    cur = _frame(7)
    cur["age"] = cur["age"].astype(float) + 0.5
    cur["score"] = cur["score"].map(lambda v: f"{v:.3f}")
    d = diagnose(reference, cur)
    msgs = {f.column: f.message for f in d.by_kind("type_change")}
    assert "int -> float" in msgs["age"] and "number -> str" in msgs["score"]


def test_sentinel_999(reference):
    cur = _frame(8)
    cur.loc[cur.index[:100], "temp"] = 999.0
    d = diagnose(reference, cur)
    (f,) = d.by_kind("sentinel_value")
    assert f.column == "temp" and f.evidence["value"] == 999.0 and f.evidence["known_sentinel"]
    assert f.evidence["current_share"] == pytest.approx(0.05)
    assert d.by_kind("unit_change") == ()


def test_epoch_date_sentinel():
    rng = np.random.default_rng(9)
    days = pd.to_datetime("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, 500), unit="D")
    ref = pd.DataFrame({"signup": days})
    cur = pd.DataFrame({"signup": days.where(rng.random(500) > 0.1, pd.Timestamp(0))})
    (f,) = diagnose(ref, cur).by_kind("sentinel_value")
    assert f.evidence["shown"] == "1970-01-01 00:00:00" and f.evidence["known_sentinel"]


def test_new_and_vanished_categories(reference):
    cur = _frame(10)
    cur["plan"] = cur["plan"].replace({"pro": "enterprise"})
    d = diagnose(reference, cur)
    (new,) = d.by_kind("new_categories")
    assert new.evidence["categories"] == {"enterprise": int((cur["plan"] == "enterprise").sum())}
    assert new.evidence["share"] == pytest.approx((cur["plan"] == "enterprise").mean())
    (gone,) = d.by_kind("vanished_categories")
    assert list(gone.evidence["categories"]) == ["pro"]


def test_range_violation_against_reference_and_schema(reference):
    cur = _frame(11)
    cur.loc[cur.index[:60], "age"] = 150
    d = diagnose(reference, cur, schema=Schema.infer(reference).override("score", max=2.0))
    rules = {(f.column, f.evidence["rule"]): f for f in d.by_kind("range_violation")}
    assert rules[("age", "above_reference_range")].evidence["count"] == 60
    assert rules[("age", "above_reference_range")].evidence["p_value"] < 1e-6
    above = int((cur["score"] > 2.0).sum())
    assert rules[("score", "above_max")].evidence["count"] == above


def test_missing_share_change_counts_disguised_tokens(reference):
    cur = _frame(12)
    cur["plan"] = cur["plan"].where(np.arange(N) % 5 != 0, "N/A")
    cur.loc[cur.index[:300], "height"] = np.nan
    d = diagnose(reference, cur)
    shares = {f.column: f.evidence["current_share"] for f in d.by_kind("missing_share_change")}
    assert shares == {"plan": pytest.approx(0.2), "height": pytest.approx(0.15)}


def test_no_shared_columns_is_a_finding_not_a_crash(reference):
    cur = pd.DataFrame({"u": np.arange(10.0), "v": list("ab" * 5)})
    d = diagnose(reference, cur)
    assert d.by_kind("no_shared_columns")[0].severity == "fail"
    assert len(d.by_kind("missing_column")) == reference.shape[1]
    assert len(d.by_kind("new_column")) == 2


def test_empty_current_raises(reference):
    with pytest.raises(DataError):
        diagnose(reference, reference.iloc[:0])


def test_to_dict_is_json(reference):
    cur = _frame(13).rename(columns={"city": "town"})
    cur["temp"] = cur["temp"] * 1.8 + 32
    out = diagnose(reference, cur).to_dict()
    assert out["schema_version"] == "1.0" and out["method"] == "exact"
    assert out["worst_severity"] == "fail"
    json.dumps(out, allow_nan=False)


def test_checks_are_registered_with_what_they_find():
    from stalwart.drift.diagnosis import DIAGNOSIS_CHECKS, FINDING_KINDS

    found = {k for name in DIAGNOSIS_CHECKS.names()
             for k in DIAGNOSIS_CHECKS.capabilities(name)["findings"]}
    assert found <= set(FINDING_KINDS)
    assert all(DIAGNOSIS_CHECKS.capabilities(n)["from_profile"] for n in DIAGNOSIS_CHECKS.names())
