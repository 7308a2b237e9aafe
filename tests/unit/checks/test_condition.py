import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stalwart import Condition, ParameterError, Status


@pytest.mark.parametrize("op, value, threshold, ok", [
    ("lt", 1, 2, True), ("lt", 2, 2, False), ("le", 2, 2, True), ("gt", 3, 2, True),
    ("ge", 2, 2, True), ("ge", 1.9, 2, False), ("eq", 0.1 + 0.2, 0.3, True),
    ("between", 0.5, (0, 1), True), ("between", 1.5, (0, 1), False),
    ("outside", 1.5, (0, 1), True), ("outside", 0.5, (0, 1), False),
])
def test_operators(op, value, threshold, ok):
    out = Condition("m", op, threshold).evaluate({"m": value})
    assert out.status is (Status.PASS if ok else Status.FAIL)


def test_severity_and_messages():
    out = Condition("ece", "lt", 0.05, severity="warn").evaluate({"ece": 0.2})
    assert out.status is Status.WARN and "does not hold" in out.message and out.value == 0.2


def test_missing_metric_is_an_error_listing_metrics():
    out = Condition("nope", "lt", 1).evaluate({"a": 1, "b": 2})
    assert out.status is Status.ERROR and "['a', 'b']" in out.message


def test_undefined_metric_is_skipped():
    assert Condition("m", "lt", 1).evaluate({"m": None}).status is Status.SKIP
    assert Condition("m", "lt", 1).evaluate({"m": math.nan}).status is Status.SKIP


def test_relative_conditions():
    diff = Condition("share", "le", 0.02, relative="difference")
    assert diff.evaluate({"share": 0.06}, {"share": 0.05}).status is Status.PASS
    assert diff.evaluate({"share": 0.10}, {"share": 0.05}).status is Status.FAIL
    assert diff.evaluate({"share": 0.10}, None).status is Status.SKIP
    ratio = Condition("share", "lt", 1.5, relative="ratio")
    assert ratio.evaluate({"share": 0.2}, {"share": 0.1}).status is Status.FAIL
    assert ratio.evaluate({"share": 0.2}, {"share": 0.0}).status is Status.SKIP
    assert diff.describe() == "share - reference share <= 0.02"


def test_parse():
    c = Condition.parse(" auc>=0.8 ", severity="warn")
    assert (c.metric, c.op, c.threshold, c.severity) == ("auc", "ge", 0.8, "warn")
    with pytest.raises(ParameterError, match="'metric OP number'"):
        Condition.parse("auc is big")


@pytest.mark.parametrize("kwargs, needle", [
    ({"op": "less"}, "one of"), ({"severity": "fatal"}, "'warn' or 'fail'"),
    ({"relative": "percent"}, "None, 'difference' or 'ratio'"),
    ({"op": "between", "threshold": 1}, "(low, high) pair"),
    ({"threshold": (1, 2)}, "a number"),
])
def test_bad_conditions(kwargs, needle):
    args = {"metric": "m", "op": "lt", "threshold": 1.0} | kwargs
    with pytest.raises(ParameterError) as err:
        Condition(**args)
    assert needle in str(err.value)


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6))
def test_lt_and_ge_are_complements(value, threshold):
    lt = Condition("m", "lt", threshold).evaluate({"m": value}).status
    ge = Condition("m", "ge", threshold).evaluate({"m": value}).status
    assert {lt, ge} == {Status.PASS, Status.FAIL}


def test_numpy_thresholds_and_nan_edges():
    import numpy as np
    assert Condition("m", "lt", np.int64(3)).evaluate({"m": 2}).status is Status.PASS
    assert Condition("m", "lt", 1).evaluate({"m": np.float32("nan")}).status is Status.SKIP
    for bad in ({"threshold": float("nan")}, {"op": "between", "threshold": (2, 1)},
                {"op": "between", "threshold": (0, float("nan"))}, {"threshold": True}):
        with pytest.raises(ParameterError):
            Condition(**({"metric": "m", "op": "lt", "threshold": 1.0} | bad))
