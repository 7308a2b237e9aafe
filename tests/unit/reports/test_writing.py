import os

import pytest

from stalwart import ParameterError
from stalwart.checks.result import SuiteResult
from stalwart.reports import (FORMATS, render_html, render_json, render_junit, render_text,
                              write_report)
from stalwart.reports import writing

RENDERERS = {"text": render_text, "json": render_json, "html": render_html,
             "junit": render_junit}


def test_formats():
    assert FORMATS == ("text", "json", "html", "junit")


@pytest.mark.parametrize("fmt", FORMATS)
def test_writes_each_format_into_new_folders(tmp_path, suite_result, fmt):
    target = tmp_path / "a" / "b" / f"report.{fmt}"
    out = write_report(suite_result, target, format=fmt)
    assert out == target
    assert target.read_text(encoding="utf-8") == RENDERERS[fmt](suite_result) + "\n"
    assert os.listdir(target.parent) == [target.name]  # no temporary file left behind


def test_json_file_round_trips(tmp_path, suite_result):
    out = write_report(suite_result, str(tmp_path / "r.json"), format="json")
    assert SuiteResult.from_json(out.read_text()).to_dict() == suite_result.to_dict()


def test_unknown_format_writes_nothing(tmp_path, suite_result):
    target = tmp_path / "new" / "report.pdf"
    with pytest.raises(ParameterError, match="report format.*'pdf'"):
        write_report(suite_result, target, format="pdf")
    assert not target.parent.exists()


def test_a_folder_is_not_a_file_path(tmp_path, suite_result):
    with pytest.raises(ParameterError, match="a file path"):
        write_report(suite_result, tmp_path, format="json")
    assert os.listdir(tmp_path) == []


def test_overwrites_an_existing_report(tmp_path, suite_result):
    target = tmp_path / "r.txt"
    target.write_text("old")
    write_report(suite_result, target, format="text")
    assert target.read_text().startswith("audit: ERROR")
    assert os.listdir(tmp_path) == ["r.txt"]


def test_a_failed_move_keeps_the_old_file_and_no_temp(tmp_path, suite_result, monkeypatch):
    target = tmp_path / "r.html"
    target.write_text("old report")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(writing.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_report(suite_result, target, format="html")
    assert target.read_text() == "old report"
    assert os.listdir(tmp_path) == ["r.html"]


def test_a_failing_renderer_writes_nothing(tmp_path, suite_result, monkeypatch):
    def broken(result):
        raise RuntimeError("renderer bug")

    monkeypatch.setitem(writing._RENDERERS, "json", broken)
    with pytest.raises(RuntimeError, match="renderer bug"):
        write_report(suite_result, tmp_path / "sub" / "r.json", format="json")
    assert os.listdir(tmp_path) == []


def test_file_mode_follows_the_umask(tmp_path, suite_result):
    old = os.umask(0o027)
    try:
        out = write_report(suite_result, tmp_path / "r.json", format="json")
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o640
