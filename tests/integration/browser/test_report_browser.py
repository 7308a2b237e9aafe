"""The HTML report in a real browser: headless Chromium loads it, runs its script, dumps the
DOM and takes a screenshot.

Skipped when Chromium is missing, except on CI (the ``CI`` environment variable), where a
missing browser is a failure: CI installs it.
"""

from __future__ import annotations

import re
import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from stalwart import Chart, Check, Condition, Evidence, Status, Suite, Table
from stalwart.reports import write_report

pytestmark = pytest.mark.browser

HOSTILE = "<script>alert(1)</script>"


class _Shares(Check):
    name = "browser_shares"
    title = "Category shares"

    def __init__(self, *, conditions=None):
        self.conditions = conditions

    def default_conditions(self):
        return [Condition("max_shift", "lt", 0.01)]

    def compute(self, ctx):
        cur = ctx.data.frame["city"].value_counts(normalize=True).sort_index()
        ref = ctx.reference.frame["city"].value_counts(normalize=True).reindex(cur.index)
        shift = float((cur - ref).abs().max())
        rows = tuple((str(k), float(cur[k]), float(ref[k])) for k in cur.index) + (
            (HOSTILE, None, None),)
        return Evidence({"max_shift": shift}, f"largest share shift {shift:.3f}",
                        tables=(Table("Shares", ("city", "data", "reference"), rows,
                                      total_rows=40),),
                        charts=(Chart("bar", "Share per city",
                                      {"labels": list(map(str, cur.index)),
                                       "values": cur.to_numpy(),
                                       "reference_values": ref.to_numpy()},
                                      x_label="city", y_label="share"),))


class _Distribution(Check):
    name = "browser_distribution"
    title = "Score distribution"

    def __init__(self, *, conditions=None):
        self.conditions = conditions

    def default_conditions(self):
        return [Condition("abs_mean_shift", "lt", 0.1, severity="warn")]

    def compute(self, ctx):
        cur, ref = ctx.data.frame["score"], ctx.reference.frame["score"]
        edges = np.histogram_bin_edges(pd.concat([cur, ref]), bins=20)
        counts, _ = np.histogram(cur, edges)
        ref_counts, _ = np.histogram(ref, edges)
        corr = ctx.data.frame[["age", "income", "score"]].corr()
        by_month = ctx.data.frame.groupby("month")[["score", "income"]].mean()
        return Evidence(
            {"abs_mean_shift": abs(float(cur.mean() - ref.mean()))}, "score moved a little",
            charts=(Chart("histogram", "Score", {"edges": edges, "counts": counts,
                                                 "reference_counts": ref_counts},
                          x_label="score", y_label="rows"),
                    Chart("heatmap", "Correlation", {"x": list(corr.columns),
                                                     "y": list(corr.index),
                                                     "z": corr.to_numpy()}),
                    Chart("line", "Monthly means", {
                        "x": [str(m) for m in by_month.index],
                        "series": {"score": by_month["score"].to_numpy(),
                                   "income / 10k": by_month["income"].to_numpy() / 1e4}},
                          x_label="month", y_label="mean"),
                    Chart("bar", "Nothing to show", {"labels": [], "values": []})))


class _Crash(Check):
    name = "browser_crash"
    title = "Crashing check"

    def __init__(self, *, conditions=None):
        self.conditions = conditions

    def compute(self, ctx):
        raise ZeroDivisionError("division by zero in <compute>")


class _NeedsModel(Check):
    name = "browser_needs_model"
    title = "Model check"
    needs = frozenset({"model"})

    def __init__(self, *, conditions=None):
        self.conditions = conditions

    def compute(self, ctx):
        return Evidence({}, "never runs")


def _frame(seed: int, n: int, shift: float) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "age": rng.normal(40, 12, n).round(1),
        "income": rng.lognormal(10, 0.5, n).round(2),
        "city": rng.choice(["paris", "lyon", "nice", "lille"], n, p=[0.4, 0.3, 0.2, 0.1]),
        "score": rng.normal(shift, 1, n),
        "month": rng.choice([f"2024-{m:02d}" for m in range(1, 13)], n),
    })


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    suite = Suite("browser", [_Shares(), _Distribution(), _Crash(), _NeedsModel()])
    result = suite.run(_frame(0, 3000, 0.0), reference=_frame(1, 2000, 0.3), random_state=3)
    assert [r.status for r in result.results] == [Status.FAIL, Status.WARN, Status.ERROR,
                                                  Status.SKIP]
    folder = tmp_path_factory.mktemp("report")
    return result, write_report(result, folder / "report.html", format="html")


def _run(chromium, tmp: Path, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(chromium.argv(f"--user-data-dir={tmp / 'profile'}", *args),
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def test_dom_holds_every_section_and_chart(chromium, report, tmp_path):
    result, page = report
    dom = _run(chromium, tmp_path, "--dump-dom", page.as_uri()).stdout
    for i, check in enumerate(result.results, start=1):
        assert f'id="check-{i}-{check.check}"' in dom
    assert dom.count("<svg") == sum(len(r.charts) for r in result.results) == 5
    assert dom.count('class="bar"') == 8 and dom.count('class="bin"') == 40
    assert dom.count('class="cell"') == 9 and dom.count('class="series"') == 2
    assert "no data" in dom
    # the hostile cell stayed text: the page has one script element, the filter
    assert dom.count("<script") == 1 and "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    # the filter script ran: buttons of present statuses were enabled, absent ones not
    buttons = dict(re.findall(r'<button[^>]*data-filter="(\w+)"([^>]*)>', dom))
    assert set(buttons) == {"pass", "warn", "fail", "error", "skip"}
    assert "disabled" in buttons["pass"]
    assert all("disabled" not in buttons[s] for s in ("warn", "fail", "error", "skip"))


def test_status_filter_hides_the_other_checks(chromium, report, tmp_path):
    result, page = report
    # a copy of the page that clicks the "fail" filter once the report's own script has run
    clicked = tmp_path / "clicked.html"
    clicked.write_text(page.read_text().replace(
        "</body>", '<script>document.querySelector(\'[data-filter="fail"]\').click()'
                   "</script></body>"))
    dom = _run(chromium, tmp_path, "--dump-dom", clicked.as_uri()).stdout
    sections = re.findall(r'<section class="check[^"]*" id="check-\d+-(\w+)"([^>]*)>', dom)
    assert [name for name, attrs in sections if "hidden" not in attrs] == ["browser_shares"]
    assert len(sections) == len(result.results)
    rows = re.findall(r'<tr data-check-status="(\w+)"([^>]*)>', dom)
    assert [status for status, attrs in rows if "hidden" not in attrs] == ["fail"]
    assert re.search(r'data-filter="fail"[^>]*aria-pressed="true"', dom)


def _png_rows(path: Path, n_rows: int) -> tuple[int, int, np.ndarray]:
    """Decode the first ``n_rows`` of an 8-bit RGB(A) PNG (zlib plus the five row filters)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
    width, height, depth, color_type = header
    assert depth == 8 and color_type in (2, 6)
    bpp = 3 if color_type == 2 else 4
    stride = width * bpp
    raw = zlib.decompressobj().decompress(idat, n_rows * (stride + 1))
    rows, prev = [], np.zeros(stride, dtype=np.int64)
    for r in range(min(n_rows, height)):
        start = r * (stride + 1)
        kind = raw[start]
        line = np.frombuffer(raw[start + 1:start + 1 + stride], dtype=np.uint8).astype(np.int64)
        if kind == 1:  # Sub: a running sum per channel
            line = np.cumsum(line.reshape(width, bpp), axis=0).reshape(-1) % 256
        elif kind == 2:  # Up
            line = (line + prev) % 256
        elif kind in (3, 4):  # Average and Paeth depend on the byte just decoded: a loop
            out = [0] * stride
            for x in range(stride):
                a = out[x - bpp] if x >= bpp else 0
                b, c = int(prev[x]), (int(prev[x - bpp]) if x >= bpp else 0)
                if kind == 3:
                    guess = (a + b) // 2
                else:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    guess = a if pa <= pb and pa <= pc else b if pb <= pc else c
                out[x] = (int(line[x]) + guess) & 255
            line = np.array(out, dtype=np.int64)
        rows.append(line)
        prev = line
    pixels = np.stack(rows).astype(np.uint8).reshape(len(rows), width, bpp)
    return width, height, pixels[:, :, :3]


def test_screenshot_is_a_rendered_page(chromium, report, tmp_path):
    _, page = report
    shot = tmp_path / "report.png"
    _run(chromium, tmp_path, f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri())
    assert shot.exists() and shot.stat().st_size > 20_000
    width, height, top = _png_rows(shot, 600)
    assert (width, height) == (1280, 2000)
    colours = np.unique(top.reshape(-1, 3), axis=0)
    assert len(colours) > 100  # text, badges and cards, not a blank page
    assert tuple(top[10, 10]) == (0x14, 0x21, 0x3D)  # the dark masthead
    assert tuple(top[-1, 10]) == (0xF3, 0xF5, 0xF8)  # the page background below it
