import re
from html.parser import HTMLParser

import pytest
from markupsafe import escape

from stalwart.checks.result import (Chart, CheckResult, ConditionResult, Status, SuiteResult,
                                    Table)
from stalwart.reports import render_html

HOSTILE = "<script>alert(1)</script>"

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class _Structure(HTMLParser):
    """Checks that every element is closed in order and collects tags and attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems, self.tags, self.ids = [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.ids += [v for k, v in attrs if k == "id"]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:]}")
        else:
            self.stack.pop()


def _structure(page: str) -> _Structure:
    parser = _Structure()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture
def page(suite_result):
    return render_html(suite_result)


def test_page_is_well_formed_with_unique_ids(page):
    parsed = _structure(page)
    assert parsed.problems == [] and parsed.stack == []
    assert len(parsed.ids) == len(set(parsed.ids))
    anchors = {a["href"][1:] for t, a in parsed.tags if t == "a" and a.get("href", "").startswith("#")}
    assert anchors <= set(parsed.ids)  # every in-page link has its target


def test_page_loads_nothing_from_outside(page):
    assert "http://" not in page and "https://" not in page
    assert "<script src" not in page and "//" not in re.sub(r"/\*.*?\*/", "", page, flags=re.S)
    parsed = _structure(page)
    assert [t for t, a in parsed.tags if "src" in a or t in ("link", "iframe", "img")] == []
    assert "url(" not in page and "@import" not in page and "@font-face" not in page
    assert page.count("<script") == 1  # the inline status filter only


def test_hostile_text_is_escaped_everywhere(page):
    assert HOSTILE not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Tom & Jerry" not in page and "Tom &amp; Jerry" in page
    assert "cannot fit &lt;model&gt;" in page


def test_control_characters_are_shown_as_escapes(page):
    assert "\x07" not in page and "\x1b" not in page
    assert "bell\\x07 and esc\\x1b[31m" in page


def test_every_check_has_a_titled_section_in_suite_order(page, suite_result):
    positions = []
    for i, check in enumerate(suite_result.results, start=1):
        anchor = f'id="check-{i}-{check.check}"'
        assert page.count(anchor) == 1
        positions.append(page.index(anchor))
        assert f">{escape(check.title)}</h3>" in page
    assert positions == sorted(positions)


def test_overview_lists_the_most_severe_first(page):
    overview = page[page.index('class="overview"'):page.index("</table>")]
    links = re.findall(r'href="#check-\d+-(\w+)"', overview)
    assert links == ["label_errors", "duplicates", "class_imbalance", "missing_values",
                     "feature_leakage"]


def test_header_shows_status_counts_and_provenance(page):
    head = page[:page.index('id="checks"')]
    assert "ERROR</span>" in head
    for status, n in {"pass": 1, "warn": 1, "fail": 1, "error": 1, "skip": 1}.items():
        assert f'data-filter="{status}" data-count="{n}"' in head
    for text in ("train Tom &amp; Jerry.csv", "1,000", "reference.csv", "800",
                 "LogisticRegression", "SklearnAdapter", "0.1.0", "<dd>7</dd>",
                 "2024-05-01 12:00 UTC", 'title="sha256:' + "ab" * 32 + '"'):
        assert text in head, text


def test_one_svg_per_chart(page, suite_result):
    charts = sum(len(r.charts) for r in suite_result.results)
    assert page.count("<svg") == charts == 5
    assert ">no data</text>" in page  # the empty chart is a box, not an error


def test_conditions_metrics_and_tables_are_shown(page, suite_result):
    for check in suite_result.results:
        for cond in check.conditions:
            assert f'<code class="cond-desc">{escape(cond.description)}</code>' in page
    section = page[page.index('id="check-3-duplicates"'):page.index('id="check-4-')]
    assert section.count("badge badge-sm s-fail") == 2 and section.count("badge badge-sm s-pass") == 1
    # the message is shown once: the description is in the chip beside it
    assert re.findall(r'<span class="cond-msg">([^<]*)</span>', section) == [
        "does not hold (value 0.12)", "does not hold (value 12)", "holds"]
    assert "<dt>duplicate_<wbr>share</dt>" in section and ">0.12</dd>" in section
    assert "showing 3 of 50 rows" in page and ">3 rows</span>" in section
    assert "<summary>Metric <code>per_class</code></summary>" in page  # nested metric folded


def test_error_traceback_is_collapsed(page):
    assert re.search(r"<details><summary>Traceback</summary><pre class=\"traceback\">"
                     r"Traceback \(most recent call last\)", page)
    assert "<strong>ValueError</strong>: cannot fit &lt;model&gt;" in page


def test_page_reads_without_javascript(page):
    # nothing is hidden until the script runs; filter buttons start disabled
    parsed = _structure(page)
    assert [a for t, a in parsed.tags if "hidden" in a and "data-filter-reset" not in a] == []
    buttons = [a for t, a in parsed.tags if t == "button" and "data-filter" in a]
    assert len(buttons) == 5 and all("disabled" in a for a in buttons)


def test_title_option_and_escaping():
    result = SuiteResult("s", Status.PASS, (), {})
    assert "<title>s · stalwart report</title>" in render_html(result)
    assert f"<title>{escape(HOSTILE)}</title>" in render_html(result, title=HOSTILE)
    assert "This suite ran no checks." in render_html(result)


def test_a_message_that_does_not_restate_its_condition_is_shown_whole():
    cond = ConditionResult("auc >= 0.8", Status.SKIP, "auc", None, "auc is not defined here")
    check = CheckResult("c", "C", "model", Status.PASS, "ok", conditions=(cond,))
    page = render_html(SuiteResult("s", Status.PASS, (check,), {}))
    assert '<span class="cond-msg">auc is not defined here</span>' in page


def test_minimal_results_render_without_optional_parts():
    check = CheckResult("c", "Only check", "data", Status.PASS, "fine",
                        tables=(Table("t", ("a",), ()),),
                        charts=(Chart("bar", "b", {"labels": ["x"], "values": [1]}),))
    page = render_html(SuiteResult("s", Status.PASS, (check,), {}))
    assert "No data summary recorded." in page and "No model" in page
    assert "No conditions: this check informs and does not gate." in page
    assert ">0 rows</span>" in page and page.count("<svg") == 1
    assert _structure(page).problems == []
