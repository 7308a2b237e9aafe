import pytest

from stalwart import ParameterError
from stalwart.checks.result import CheckResult, ConditionResult, Status, SuiteResult
from stalwart.testing import assert_passes
from stalwart.testing import pytest_plugin


def _check(name, status, *conditions):
    return CheckResult(name, name.title(), "data", status, f"{name} summary",
                       conditions=tuple(conditions))


def _cond(status, text):
    return ConditionResult(text, status, "m", 1.0, f"{text} message")


def _suite(*checks):
    return SuiteResult("gate", Status.worst([c.status for c in checks]), checks, {})


def test_passing_warning_and_skipped_checks_pass_by_default():
    assert_passes(_suite(_check("a", Status.PASS), _check("b", Status.WARN),
                         _check("c", Status.SKIP)))


def test_failure_message_lists_failed_checks_and_their_failed_conditions():
    result = _suite(
        _check("ok", Status.PASS, _cond(Status.PASS, "fine")),
        _check("dupes", Status.FAIL, _cond(Status.FAIL, "n < 10"), _cond(Status.PASS, "m > 0"),
               _cond(Status.FAIL, "share < 0.1")),
        _check("crash", Status.ERROR),
        _check("meh", Status.WARN, _cond(Status.WARN, "x > 1")))
    with pytest.raises(AssertionError) as info:
        assert_passes(result)
    assert str(info.value).splitlines() == [
        "stalwart suite 'gate' did not pass (fail_on='fail'): 2 of 4 checks",
        "  FAIL   dupes (Dupes): dupes summary",
        "         - n < 10 message",
        "         - share < 0.1 message",
        "  ERROR  crash (Crash): crash summary",
    ]


def test_fail_on_warn_also_stops_on_warnings():
    result = _suite(_check("meh", Status.WARN, _cond(Status.WARN, "x > 1")))
    assert_passes(result)
    with pytest.raises(AssertionError, match=r"(?s)WARN   meh.*- x > 1 message"):
        assert_passes(result, fail_on="warn")


def test_a_single_check_result_is_accepted():
    assert_passes(_check("a", Status.PASS))
    with pytest.raises(AssertionError, match="suite 'b'.*1 of 1 checks"):
        assert_passes(_check("b", Status.FAIL))


@pytest.mark.parametrize("bad", [{"status": "pass"}, None, "pass"])
def test_other_objects_are_an_input_error(bad):
    with pytest.raises(ParameterError, match="a SuiteResult"):
        assert_passes(bad)


def test_unknown_fail_on_is_an_input_error():
    with pytest.raises(ParameterError, match="fail_on"):
        assert_passes(_suite(_check("a", Status.PASS)), fail_on="error")


def test_the_plugin_offers_the_same_helper():
    assert pytest_plugin.assert_passes is assert_passes
