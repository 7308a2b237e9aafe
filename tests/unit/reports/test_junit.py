import xml.etree.ElementTree as ET

from stalwart.checks.result import CheckResult, ConditionResult, Status, SuiteResult
from stalwart.reports import render_junit


def _parse(result):
    root = ET.fromstring(render_junit(result))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1
    return root, suites[0]


def test_counts_match_the_statuses(suite_result):
    root, suite = _parse(suite_result)
    expected = {"tests": "5", "failures": "1", "errors": "1", "skipped": "1"}
    for node in (root, suite):
        assert {k: node.get(k) for k in expected} == expected
    assert suite.get("name") == "audit" and suite.get("time") == "0.272"
    assert suite.get("timestamp") == "2024-05-01T12:00:00+00:00"
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [r.check for r in suite_result.results]
    assert {c.get("classname") for c in cases} == {"stalwart.audit"}
    assert [c.get("time") for c in cases] == ["0.012", "0.200", "0.050", "0.010", "0.000"]
    assert len(suite.findall("testcase/failure")) == 1
    assert len(suite.findall("testcase/error")) == 1
    assert len(suite.findall("testcase/skipped")) == 1


def test_failure_lists_the_failed_conditions_only(suite_result):
    _, suite = _parse(suite_result)
    failure = suite.find("testcase[@name='duplicates']/failure")
    assert failure.get("message") == "12 duplicate rows <script>alert(1)</script>"
    assert failure.text.splitlines() == [
        "[fail] duplicate_share < 0.05 does not hold (value 0.12)",
        "[fail] n_duplicates <= 10 does not hold (value 12)"]


def test_error_carries_type_and_traceback(suite_result):
    _, suite = _parse(suite_result)
    error = suite.find("testcase[@name='label_errors']/error")
    assert error.get("type") == "ValueError"
    assert "Traceback (most recent call last)" in error.text
    assert "message: cannot fit <model>" in error.text


def test_warning_passes_with_its_messages_in_system_out(suite_result):
    _, suite = _parse(suite_result)
    case = suite.find("testcase[@name='class_imbalance']")
    assert case.find("failure") is None and case.find("error") is None
    out = case.find("system-out").text
    assert "[warn] minority_share >= 0.1 does not hold (value 0.08)" in out


def test_skipped_has_its_reason(suite_result):
    _, suite = _parse(suite_result)
    skipped = suite.find("testcase[@name='feature_leakage']/skipped")
    assert skipped.get("message") == "not run: needs a target column (--target)"


def test_properties_record_data_and_run(suite_result):
    _, suite = _parse(suite_result)
    props = {p.get("name"): p.get("value") for p in suite.find("properties")}
    assert props["data.fingerprint"] == suite_result.data["fingerprint"]
    assert props["data.name"] == "train Tom & Jerry.csv"
    assert props["reference.n_rows"] == "800" and props["random_state"] == "7"


def test_control_characters_become_visible_escapes():
    bad = "nul\x00 bell\x07 esc\x1b[31m vt\x0b"
    cond = ConditionResult(f"x < 1 {bad}", Status.FAIL, "x", 2, f"x < 1 does not hold {bad}")
    check = CheckResult(f"c{bad}", "T", "data", Status.FAIL, bad, conditions=(cond,),
                        metrics={bad: 1})
    text = render_junit(SuiteResult(f"s{bad}", Status.FAIL, (check,), {"name": bad},
                                    started_at=bad))
    _, suite = _parse(SuiteResult(f"s{bad}", Status.FAIL, (check,), {"name": bad}))
    assert suite.get("name") == "snul\\x00 bell\\x07 esc\\x1b[31m vt\\x0b"
    assert "\\x1b" in suite.find("testcase/failure").text
    # the XML with a control-character start time still parses, and keeps it visible
    assert ET.fromstring(text).tag in ("testsuite", "testsuites")
    assert "\\x1b" in text and "\x1b" not in text


def test_empty_suite_is_valid():
    root, suite = _parse(SuiteResult("empty", Status.SKIP, (), {}))
    assert suite.get("tests") == "0" and suite.findall("testcase") == []
