import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from stalwart.data import Schema
from stalwart.quality.invalid_values import invalid_values


def _found(result):
    return {(v.column, v.rule): v for v in result.violations}


def test_declared_bounds_allowed_and_integer():
    frame = pd.DataFrame({
        "age": [25.0, -1.0, 40.0, 150.0, 33.5, np.nan],
        "plan": ["basic", "pro", "gold", "pro", "gold", None],
        "kids": [0.0, 1.0, 2.5, 3.0, 1.0, 0.0],
    })
    schema = (Schema.infer(frame).override("age", min=0, max=120, integer=True)
              .override("plan", allowed=("basic", "pro")).override("kids", integer=True))
    found = _found(invalid_values(frame, schema))
    assert set(found) == {("age", "below_min"), ("age", "above_max"), ("age", "not_integer"),
                          ("plan", "not_allowed"), ("kids", "not_integer")}
    assert found["age", "below_min"].count == 1 and found["age", "below_min"].examples == (-1.0,)
    assert found["age", "above_max"].example_rows == (3,)
    assert found["age", "not_integer"].examples == (33.5,)
    plan = found["plan", "not_allowed"]
    assert plan.count == 2 and plan.share == pytest.approx(2 / 6)
    assert plan.examples == ("gold",) and plan.example_rows == (2, 4)  # missing is allowed
    assert found["kids", "not_integer"].count == 1


def test_missing_in_non_nullable_and_infinities():
    frame = pd.DataFrame({"x": [1.0, np.inf, -np.inf, np.nan, 2.0],
                          "s": pd.Series(["a", None, "b", None, "c"], dtype="str")})
    schema = Schema.infer(frame).override("x", nullable=False).override("s", nullable=False)
    found = _found(invalid_values(frame, schema))
    assert found["x", "infinite"].count == 2
    assert found["x", "missing_not_nullable"].example_rows == (3,)
    assert found["s", "missing_not_nullable"].count == 2
    assert found["s", "missing_not_nullable"].examples == ()


def test_infinities_are_reported_without_any_declared_rule():
    frame = pd.DataFrame({"x": [1.0, np.inf, 3.0]})
    result = invalid_values(frame, Schema.infer(frame))
    assert [(v.rule, v.count) for v in result.violations] == [("infinite", 1)]


def test_numeric_column_held_as_strings_is_parsed():
    frame = pd.DataFrame({"x": pd.Series(["1", "2", "oops", "500", None], dtype="str")})
    schema = Schema.infer(frame).override("x", kind="numeric", max=100)
    found = _found(invalid_values(frame, schema))
    assert found["x", "not_numeric"].examples == ("oops",)
    assert found["x", "above_max"].examples == ("500",)  # examples show the raw values


def test_nullable_integer_dtype():
    frame = pd.DataFrame({"n": pd.array([1, 5, None, 9], dtype="Int64")})
    schema = Schema.infer(frame).override("n", max=6)
    assert [(v.rule, v.count) for v in invalid_values(frame, schema).violations] == [
        ("above_max", 1)]


def test_reference_range_with_tolerance():
    ref = pd.DataFrame({"x": np.linspace(0.0, 100.0, 101), "c": ["a", "b"] * 50 + ["c"]})
    cur = pd.DataFrame({"x": [-10.0, -4.0, 50.0, 104.0, 106.0, np.inf],
                        "c": ["a", "z", "z", "y", None, "b"]})
    schema = Schema.infer(ref)
    found = _found(invalid_values(cur, schema, reference=ref, range_tolerance=0.05))
    # tolerance 5 on each side: -4 and 104 pass, -10 and 106 do not; inf is reported apart
    assert found["x", "below_reference_range"].examples == (-10.0,)
    assert found["x", "above_reference_range"].examples == (106.0,)
    assert found["x", "infinite"].count == 1
    new = found["c", "new_category"]
    assert new.count == 3 and new.examples == ("z", "y") and new.example_rows == (1, 2, 3)
    assert new.p_value is None
    exact = _found(invalid_values(cur, schema, reference=ref, range_tolerance=0.0))
    assert exact["x", "below_reference_range"].count == 2


def test_range_p_values_under_exchangeability():
    rng = np.random.default_rng(0)
    ref = pd.DataFrame({"x": rng.normal(size=75)})
    same = pd.DataFrame({"x": rng.normal(size=75)})
    shifted = pd.DataFrame({"x": ref["x"] / 100.0 - 5.0})  # a unit change and an offset
    schema = Schema.infer(ref)
    for v in invalid_values(same, schema, reference=ref, range_tolerance=0.0).violations:
        # k of 75 fresh values past one end of 75: beta-binomial tail
        assert v.p_value == pytest.approx(stats.betabinom.sf(v.count - 1, 75, 1, 75))
        assert v.p_value > 0.001
    moved = _found(invalid_values(shifted, schema, reference=ref))
    assert moved["x", "below_reference_range"].count == 75
    assert moved["x", "below_reference_range"].p_value < 1e-10


def test_count_past_the_reference_max_follows_the_beta_binomial_law():
    # simulate: how many of m fresh values exceed the max of n reference values
    rng = np.random.default_rng(2)
    n, m, runs = 20, 50, 20_000
    counts = (rng.random((runs, m)) > rng.random((runs, n)).max(axis=1, keepdims=True)).sum(1)
    observed = np.bincount(counts, minlength=m + 1) / runs
    assert observed[:8] == pytest.approx(stats.betabinom.pmf(np.arange(8), m, 1, n), abs=0.01)


def test_null_rate_of_range_flags_is_low():
    rng = np.random.default_rng(1)
    flagged = 0
    for _ in range(200):
        ref = pd.DataFrame({"x": rng.lognormal(size=60)})
        cur = pd.DataFrame({"x": rng.lognormal(size=400)})
        result = invalid_values(cur, Schema.infer(ref), reference=ref)
        flagged += any(v.p_value < 0.001 for v in result.violations)
    assert flagged <= 2


def test_reference_checks_skip_ids_and_text():
    ref = pd.DataFrame({"row_id": [1, 2, 3], "x": [1.0, 2.0, 3.0]})
    cur = pd.DataFrame({"row_id": [4, 5, 6], "x": [1.0, 2.0, 3.0]})
    schema = Schema.infer(ref)
    assert schema["row_id"].role.value == "id"
    assert invalid_values(cur, schema, reference=ref).violations == ()


def test_categories_compare_across_dtypes():
    ref = pd.DataFrame({"c": pd.Categorical(["a", "b"] * 3)})
    cur = pd.DataFrame({"c": pd.Series(["a", "b", "c"], dtype=object)})
    result = invalid_values(cur, Schema.infer(ref), reference=ref)
    assert [(v.rule, v.examples) for v in result.violations] == [("new_category", ("c",))]


def test_bounds_on_a_datetime_column_say_why_they_cannot_be_checked():
    frame = pd.DataFrame({"when": pd.date_range("2024-01-01", periods=3)})
    schema = Schema.infer(frame).override("when", min=0)
    result = invalid_values(frame, schema)
    assert result.violations == ()
    assert result.unexamined[0][0] == "when" and "min/max" in result.unexamined[0][1]
    assert result.n_columns_checked == 0


def test_clean_data_has_no_violations(clean_frame):
    train, test = clean_frame.iloc[:1000], clean_frame.iloc[1000:]
    schema = (Schema.infer(train, target="y").override("age", min=0, max=120)
              .override("city", allowed=("paris", "lyon", "nice", "lille")))
    result = invalid_values(test, schema, reference=train)
    assert [v for v in result.violations if v.source == "schema"] == []
    assert all(v.share < 0.01 for v in result.violations)
    json.dumps(result.to_dict())


def test_rules_from_a_schema_file():
    frame = pd.DataFrame({"grade": ["A", "B", "F", "Z"], "score": [10.0, 55.0, 101.0, 70.0]})
    raw = json.loads(json.dumps(Schema.infer(frame).to_dict()))  # as written to disk
    for col in raw["columns"]:
        if col["name"] == "grade":
            col["allowed"] = ["A", "B", "C", "D", "F"]
        if col["name"] == "score":
            col.update(min=0, max=100, nullable=False)
    found = _found(invalid_values(frame, Schema.from_dict(raw)))
    assert set(found) == {("grade", "not_allowed"), ("score", "above_max")}
    assert found["grade", "not_allowed"].examples == ("Z",)


def test_new_categories_need_a_domain_in_the_reference():
    ref = pd.DataFrame({"email": [f"u{i}@x.com" for i in range(100)],
                        "plan": ["a", "b"] * 50})
    cur = pd.DataFrame({"email": [f"v{i}@x.com" for i in range(10)], "plan": ["a"] * 9 + ["c"]})
    result = invalid_values(cur, Schema.infer(ref), reference=ref)
    assert [(v.column, v.rule) for v in result.violations] == [("plan", "new_category")]
    assert result.not_applied[0][0] == "email" and "domain" in result.not_applied[0][1]
    small = invalid_values(cur, Schema.infer(ref), reference=ref, max_categories=1)
    assert [c for c, _ in small.not_applied] == ["email", "plan"]
