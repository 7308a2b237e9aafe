"""The pytest plugin, run in a separate pytest session through ``pytester``."""

import xml.etree.ElementTree as ET

import pytest

from stalwart.checks.result import SuiteResult

pytest_plugins = ["pytester"]

RESULTS = '''
from stalwart.checks.result import CheckResult, ConditionResult, Status, SuiteResult

def make(status, name="audit"):
    cond = ConditionResult("n < 10", Status(status) if status != "error" else Status.ERROR,
                           "n", 12, "n < 10 does not hold (value 12)")
    check = CheckResult("dupes", "Duplicates", "data", Status(status), "12 duplicate rows",
                        conditions=(cond,))
    ok = CheckResult("rows", "Row count", "data", Status.PASS, "2000 rows")
    return SuiteResult(name, Status(status), (ok, check), {"name": "train.csv"})
'''


@pytest.fixture
def project(pytester):
    pytester.makepyfile(results=RESULTS)
    pytester.syspathinsert()
    return pytester


def test_the_entry_point_registers_the_option_and_fixture(project):
    result = project.runpytest("--help")
    result.stdout.fnmatch_lines(["*--stalwart-report-dir=DIR*"])
    result = project.runpytest("--fixtures")
    result.stdout.fnmatch_lines(["stalwart_gate*", "*fails the test when checks fail*"])


def test_gate_passes_and_fails_with_a_readable_message(project):
    project.makepyfile(test_gate='''
        from results import make

        def test_clean(stalwart_gate):
            assert stalwart_gate(make("pass")) == []

        def test_warning_passes_by_default(stalwart_gate):
            stalwart_gate(make("warn"))

        def test_warning_fails_when_asked(stalwart_gate):
            stalwart_gate(make("warn"), fail_on="warn")

        def test_dirty(stalwart_gate):
            stalwart_gate(make("fail"))
    ''')
    result = project.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines([
        "*AssertionError: stalwart suite 'audit' did not pass (fail_on='fail'): 1 of 2 checks",
        "*FAIL   dupes (Duplicates): 12 duplicate rows",
        "*- n < 10 does not hold (value 12)",
    ])
    assert "reports:" not in result.stdout.str()  # nothing written without the option


def test_assert_passes_works_in_any_test(project):
    project.makepyfile(test_plain='''
        from results import make
        from stalwart.testing import assert_passes

        def test_error_fails():
            assert_passes(make("error"))
    ''')
    result = project.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*ERROR  dupes (Duplicates): 12 duplicate rows"])


def test_report_dir_receives_junit_and_html_even_for_failures(project):
    project.makepyfile(test_gate='''
        from results import make

        def test_clean(stalwart_gate):
            paths = stalwart_gate(make("pass"))
            assert [p.suffix for p in paths] == [".xml", ".html"]

        def test_two_results(stalwart_gate):
            stalwart_gate(make("pass"))
            stalwart_gate(make("pass"))

        def test_dirty(stalwart_gate):
            stalwart_gate(make("fail", name="nightly audit"))

        def test_one_check(stalwart_gate):
            stalwart_gate(make("pass").results[0])
    ''')
    result = project.runpytest("--stalwart-report-dir", "out/reports", "--junitxml=pytest.xml")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["stalwart: reports written to *out/reports",
                                 "*reports: *test_dirty__nightly_audit.junit.xml*"])
    folder = project.path / "out" / "reports"
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([
        "test_gate.py_test_clean__audit.html", "test_gate.py_test_clean__audit.junit.xml",
        "test_gate.py_test_two_results__audit.html",
        "test_gate.py_test_two_results__audit.junit.xml",
        "test_gate.py_test_two_results__audit_2.html",
        "test_gate.py_test_two_results__audit_2.junit.xml",
        "test_gate.py_test_dirty__nightly_audit.html",
        "test_gate.py_test_dirty__nightly_audit.junit.xml",
        "test_gate.py_test_one_check__rows.html", "test_gate.py_test_one_check__rows.junit.xml"])
    suite = ET.parse(folder / "test_gate.py_test_dirty__nightly_audit.junit.xml").getroot()[0]
    assert suite.get("name") == "nightly audit" and suite.get("failures") == "1"
    page = (folder / "test_gate.py_test_dirty__nightly_audit.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and "12 duplicate rows" in page
    # pytest's own JUnit file points at the stalwart reports
    props = [p.get("value") for p in ET.parse(project.path / "pytest.xml").iter("property")
             if p.get("name") == "stalwart_report"]
    assert len(props) == 10 and all(p.startswith(str(folder)) for p in props)


def test_bad_fail_on_writes_nothing(project, tmp_path):
    project.makepyfile(test_gate='''
        from results import make

        def test_bad_option(stalwart_gate):
            stalwart_gate(make("pass"), fail_on="sometimes")
    ''')
    result = project.runpytest(f"--stalwart-report-dir={tmp_path / 'r'}")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*ParameterError: fail_on*"])
    assert not (tmp_path / "r").exists()


def test_results_module_builds_real_results():
    # guard for the helper the other tests rely on
    namespace = {}
    exec(RESULTS, namespace)
    made = namespace["make"]("fail")
    assert isinstance(made, SuiteResult) and made.exit_code() == 1
