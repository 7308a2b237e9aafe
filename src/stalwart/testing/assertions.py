"""``assert_passes``: turn a suite result into a plain ``AssertionError`` for any test runner."""

from __future__ import annotations

from typing import Any

from ..checks.result import CheckResult, Status, SuiteResult
from ..exceptions import ParameterError

__all__ = ["as_suite_result", "assert_passes", "failure_report"]

_GATES = {"fail": (Status.FAIL, Status.ERROR), "warn": (Status.WARN, Status.FAIL, Status.ERROR)}


def as_suite_result(result: Any) -> SuiteResult:
    """A SuiteResult as is; one CheckResult as a suite of one, named after the check."""
    if isinstance(result, SuiteResult):
        return result
    if isinstance(result, CheckResult):
        return SuiteResult(result.check, result.status, (result,), {})
    raise ParameterError("result", expected="a SuiteResult (or one CheckResult)",
                         got=type(result).__name__,
                         fix="pass what Suite.run(...) or stalwart.audit(...) returned")


def failure_report(result: SuiteResult | CheckResult, *, fail_on: str = "fail") -> str | None:
    """The readable list of checks that stop the gate, or None when it passes."""
    if fail_on not in _GATES:
        raise ParameterError("fail_on", expected="'warn' or 'fail'", got=repr(fail_on),
                             fix="use fail_on='fail' (default) or fail_on='warn'")
    suite = as_suite_result(result)
    gate = _GATES[fail_on]
    bad = [r for r in suite.results if r.status in gate]
    if not bad:
        return None
    lines = [f"stalwart suite {suite.suite!r} did not pass (fail_on={fail_on!r}): "
             f"{len(bad)} of {len(suite.results)} checks"]
    for r in bad:
        lines.append(f"  {r.status.value.upper():<5}  {r.check} ({r.title}): {r.summary}")
        for c in r.conditions:
            if c.status in gate:
                lines.append(f"         - {c.message}")
    return "\n".join(lines)


def assert_passes(result: SuiteResult | CheckResult, *, fail_on: str = "fail") -> None:
    """Raise ``AssertionError`` listing the failed checks and conditions, if any.

    ``fail_on='fail'`` (default) stops on failed and errored checks; ``'warn'`` also on
    warnings. Skipped checks never stop the gate.

    >>> from stalwart.checks.result import CheckResult, ConditionResult, Status, SuiteResult
    >>> ok = CheckResult("rows", "Row count", "data", Status.PASS, "2000 rows")
    >>> assert_passes(SuiteResult("s", Status.PASS, (ok,), {}))
    >>> bad = CheckResult("dupes", "Duplicates", "data", Status.FAIL, "12 duplicate rows",
    ...     conditions=(ConditionResult("n < 10", Status.FAIL, "n", 12,
    ...                                 "n < 10 does not hold (value 12)"),))
    >>> assert_passes(SuiteResult("s", Status.FAIL, (ok, bad), {}))
    Traceback (most recent call last):
    ...
    AssertionError: stalwart suite 's' did not pass (fail_on='fail'): 1 of 2 checks
      FAIL   dupes (Duplicates): 12 duplicate rows
             - n < 10 does not hold (value 12)
    """
    __tracebackhide__ = True  # pytest shows the caller's line, not this one
    message = failure_report(result, fail_on=fail_on)
    if message is not None:
        raise AssertionError(message)
