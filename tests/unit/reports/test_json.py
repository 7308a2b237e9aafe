import json
import math

from stalwart.checks.result import CheckResult, Status, SuiteResult
from stalwart.reports import render_json


def test_json_round_trips_through_from_json(suite_result):
    text = render_json(suite_result)
    back = SuiteResult.from_json(text)
    assert back.to_dict() == suite_result.to_dict()
    assert back.by_check("duplicates").conditions[1].value == 12
    assert back.results[0].tables[0].total_rows == 50


def test_json_never_writes_nan_or_infinity(suite_result):
    odd = CheckResult("odd", "Odd numbers", "data", Status.PASS, "nan and inf",
                      metrics={"a": float("nan"), "b": float("inf"), "c": -math.inf})
    result = SuiteResult("s", Status.PASS, (odd, *suite_result.results), {})
    text = render_json(result)
    assert "NaN" not in text and "Infinity" not in text
    assert json.loads(text)["results"][0]["metrics"] == {"a": None, "b": None, "c": None}


def test_indent_controls_the_layout(suite_result):
    assert "\n" not in render_json(suite_result, indent=None)
    assert render_json(suite_result, indent=4).splitlines()[1].startswith('    "schema_version"')
