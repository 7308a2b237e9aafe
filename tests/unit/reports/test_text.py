from stalwart.checks.result import CheckResult, Status, SuiteResult
from stalwart.reports import render_text


def test_one_line_per_check_and_a_final_count_line(suite_result):
    lines = render_text(suite_result).splitlines()
    assert len(lines) == 1 + 5 + 1
    assert lines[0] == "audit: ERROR  (train Tom & Jerry.csv, 1,000 rows x 6 columns)"
    body = lines[1:-1]
    assert [line.split()[0] for line in body] == ["PASS", "WARN", "FAIL", "ERROR", "SKIP"]
    for line, check in zip(body, suite_result.results, strict=True):
        assert check.title in line and check.summary in line
    assert lines[-1] == "5 checks: 1 fail, 1 error, 1 warn, 1 pass, 1 skip  (272 ms)"


def test_titles_line_up_in_one_column(suite_result):
    body = render_text(suite_result).splitlines()[1:-1]
    starts = {line.index(r.summary) for line, r in zip(body, suite_result.results, strict=True)}
    assert len(starts) == 1


def test_colour_is_opt_in(suite_result):
    assert "\x1b" not in render_text(suite_result)
    coloured = render_text(suite_result, color=True)
    assert "\x1b[1;31mFAIL \x1b[0m" in coloured and "\x1b[1;32mPASS \x1b[0m" in coloured
    assert "\x1b[1;35mERROR\x1b[0m" in coloured


def test_user_text_cannot_break_lines_or_drive_the_terminal():
    nasty = CheckResult("x", "Title\nwith newline", "data", Status.FAIL,
                        "clear screen \x1b[2J and\r\nmore lines\x07")
    text = render_text(SuiteResult("s\x1b]0;pwned\x07", Status.FAIL, (nasty,), {}))
    assert "\x1b" not in text and "\x07" not in text and "\r" not in text
    lines = text.splitlines()
    assert len(lines) == 3
    assert lines[1] == "  FAIL   Title with newline  clear screen \\x1b[2J and more lines\\x07"


def test_empty_suite_and_singular_wording():
    assert render_text(SuiteResult("s", Status.SKIP, (), {})).splitlines() == [
        "s: SKIP", "0 checks: none run  (0 ms)"]
    one = CheckResult("x", "X", "data", Status.PASS, "fine")
    assert render_text(SuiteResult("s", Status.PASS, (one,), {})).splitlines()[-1].startswith(
        "1 check: 1 pass")
