"""The stalwart pytest plugin: the ``stalwart_gate`` fixture and ``--stalwart-report-dir``.

Registered through the ``pytest11`` entry point, so it is active wherever stalwart is
installed. In a test::

    def test_training_data_is_clean(stalwart_gate):
        stalwart_gate(stalwart.audit(frame, target="y"))

The gate raises ``AssertionError`` listing the failed checks and conditions (see
:func:`assert_passes`). With ``pytest --stalwart-report-dir reports/``, every result given
to the gate is also written there as JUnit XML and HTML, named after the test, before the
gate decides, so a failing run leaves its reports for CI to collect.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from .assertions import as_suite_result, assert_passes, failure_report

__all__ = ["Gate", "assert_passes", "pytest_addoption", "pytest_report_header", "stalwart_gate"]

OPTION = "--stalwart-report-dir"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("stalwart", "stalwart data and model checks")
    group.addoption(OPTION, action="store", default=None, metavar="DIR",
                    help="write the JUnit XML and HTML report of every result passed to the "
                         "stalwart_gate fixture into DIR")


def pytest_report_header(config: pytest.Config) -> str | None:
    folder = _report_dir(config)
    return None if folder is None else f"stalwart: reports written to {folder}"


def _report_dir(config: pytest.Config) -> Path | None:
    raw = config.getoption(OPTION, default=None)
    if not raw:
        return None
    folder = Path(raw).expanduser()
    return folder if folder.is_absolute() else config.invocation_params.dir / folder


def _file_stem(text: str) -> str:
    """A file-name-safe version of a test id or suite name."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_.") or "result"


class Gate:
    """What the ``stalwart_gate`` fixture returns: call it with a result to gate on it."""

    def __init__(self, *, report_dir: Path | None, test_id: str, node: Any = None) -> None:
        self.report_dir = report_dir
        self.test_id = test_id
        self.node = node
        self.written: list[Path] = []

    def write(self, result: Any) -> list[Path]:
        """Write ``result`` as JUnit XML and HTML into the report folder (if one was given)."""
        if self.report_dir is None:
            return []
        from ..reports import write_report  # jinja2 is imported only when reports are wanted

        stem = f"{_file_stem(self.test_id)}__{_file_stem(result.suite)}"
        taken = {p.name for p in self.written}
        n = 1
        while f"{stem}.junit.xml" in taken:
            n += 1
            stem = f"{_file_stem(self.test_id)}__{_file_stem(result.suite)}_{n}"
        paths = [write_report(result, self.report_dir / f"{stem}.junit.xml", format="junit"),
                 write_report(result, self.report_dir / f"{stem}.html", format="html")]
        self.written += paths
        if self.node is not None:
            for path in paths:
                self.node.user_properties.append(("stalwart_report", str(path)))
        return paths

    def __call__(self, result: Any, *, fail_on: str = "fail") -> list[Path]:
        """Write the reports (with the option), then raise if the result does not pass.

        Returns the paths written (empty without ``--stalwart-report-dir``).
        """
        __tracebackhide__ = True
        message = failure_report(result, fail_on=fail_on)  # bad arguments raise before writing
        paths = self.write(as_suite_result(result))
        if message is not None:
            if paths:
                message += "\n  reports: " + ", ".join(str(p) for p in paths)
            raise AssertionError(message)
        return paths


@pytest.fixture
def stalwart_gate(request: pytest.FixtureRequest) -> Gate:
    """A callable ``gate(result, *, fail_on="fail")`` that fails the test when checks fail."""
    return Gate(report_dir=_report_dir(request.config), test_id=request.node.nodeid,
                node=request.node)
