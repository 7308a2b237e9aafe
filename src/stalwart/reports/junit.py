"""JUnit XML, so CI systems (GitHub Actions, GitLab, Jenkins, Azure) show each check as a test.

One ``<testsuite>`` named after the suite holds a ``<testcase>`` per check:
fail is a ``<failure>``, error an ``<error>``, skip ``<skipped>``; a warning passes and its
messages go to ``<system-out>``. XML 1.0 forbids most control characters even when escaped,
so they are written as visible ``\\xNN`` text instead.

>>> import xml.etree.ElementTree as ET
>>> from stalwart.checks.result import CheckResult, Status, SuiteResult
>>> r = SuiteResult("audit", Status.FAIL, (
...     CheckResult("dupes", "Duplicates", "data", Status.FAIL, "12 duplicate rows"),), {})
>>> suite = ET.fromstring(render_junit(r)).find("testsuite")
>>> suite.get("name"), suite.get("tests"), suite.get("failures")
('audit', '1', '1')
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from ..checks.result import CheckResult, Status, SuiteResult
from ._format import fmt_value, printable

__all__ = ["render_junit"]


def _conditions(result: CheckResult, statuses: set[Status]) -> list[str]:
    # a condition's message usually restates its description; show it once
    return [f"[{c.status.value}] " + (c.message if c.description in c.message
                                       else f"{c.description}: {c.message}")
            for c in result.conditions if c.status in statuses]


def _error_text(error: Mapping[str, Any] | None) -> str:
    if not error:
        return ""
    parts = [f"{key}: {value}" for key, value in error.items() if key != "traceback"]
    if error.get("traceback"):
        parts.append(str(error["traceback"]))
    return "\n".join(parts)


def _testcase(parent: ET.Element, result: CheckResult, classname: str) -> None:
    case = ET.SubElement(parent, "testcase", name=printable(result.check), classname=classname,
                         time=f"{result.duration_s:.3f}")
    summary = printable(result.summary)
    if result.status is Status.FAIL:
        failed = _conditions(result, {Status.FAIL})
        node = ET.SubElement(case, "failure", message=summary, type="fail")
        node.text = printable("\n".join(failed or [result.summary]))
    elif result.status is Status.ERROR:
        node = ET.SubElement(case, "error", message=summary,
                             type=printable(str((result.error or {}).get("type", "error"))))
        details = [_error_text(result.error)] + _conditions(result, {Status.ERROR})
        node.text = printable("\n".join(d for d in details if d) or result.summary)
    elif result.status is Status.SKIP:
        ET.SubElement(case, "skipped", message=summary)
    out = [f"{result.title}: {result.summary}"]
    if result.status is Status.WARN:
        out += ["warnings:"] + [f"  {line}" for line in _conditions(result, {Status.WARN})]
    if result.metrics:
        out.append("metrics: " + ", ".join(f"{k}={fmt_value(v)}"
                                            for k, v in result.metrics.items()))
    ET.SubElement(case, "system-out").text = printable("\n".join(out))


def render_junit(result: SuiteResult) -> str:
    """``result`` as a JUnit XML document (``<testsuites>`` holding one ``<testsuite>``)."""
    counts = result.counts()
    totals = {"tests": str(len(result.results)), "failures": str(counts["fail"]),
              "errors": str(counts["error"]), "skipped": str(counts["skip"]),
              "time": f"{result.duration_s:.3f}"}
    root = ET.Element("testsuites", name="stalwart", **totals)
    suite_attrs = dict(name=printable(result.suite), **totals)
    if result.started_at:
        suite_attrs["timestamp"] = printable(result.started_at)
    suite = ET.SubElement(root, "testsuite", **suite_attrs)
    properties = ET.SubElement(suite, "properties")
    facts = {"stalwart.version": result.stalwart_version, "random_state": result.random_state,
             "status": result.status.value}
    for side, info in (("data", result.data), ("reference", result.reference)):
        for key in ("name", "n_rows", "n_columns", "fingerprint"):
            if info and info.get(key) is not None:
                facts[f"{side}.{key}"] = info[key]
    for name, value in facts.items():
        ET.SubElement(properties, "property", name=name, value=printable(str(value)))
    classname = f"stalwart.{printable(result.suite)}"
    for check in result.results:
        _testcase(suite, check, classname)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
