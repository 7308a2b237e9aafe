import math
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stalwart.checks.result import Chart
from stalwart.reports._svg_base import color_scale, fmt_tick, nice_ticks
from stalwart.reports.svg import KINDS, render_svg

HOSTILE = "<script>alert(1)</script>"


def _rects(svg: str, cls: str) -> list[dict[str, str]]:
    return [dict(re.findall(r'(\w[\w-]*)="([^"]*)"', m))
            for m in re.findall(rf'<rect class="{cls}"([^>]*)>', svg)]


def _titles(svg: str) -> list[str]:
    return re.findall(r"<title>(.*?)</title>", svg)


def test_kinds_are_the_four_documented():
    assert KINDS == ("bar", "histogram", "heatmap", "line")


def test_bar_heights_are_proportional_to_values_and_carry_tooltips():
    svg = render_svg(Chart("bar", "Counts", {"labels": ["a", "b", "c"], "values": [1, 2, 4]},
                           x_label="letter", y_label="count"))
    bars = _rects(svg, "bar")
    heights = [float(b["height"]) for b in bars]
    assert len(bars) == 3
    assert heights[1] / heights[0] == pytest.approx(2, rel=0.02)
    assert heights[2] / heights[0] == pytest.approx(4, rel=0.02)
    # bars stand on one baseline
    bottoms = {round(float(b["y"]) + float(b["height"]), 1) for b in bars}
    assert len(bottoms) == 1
    assert _titles(svg)[1:] == ["a: 1", "b: 2", "c: 4"]
    assert ">letter</text>" in svg and ">count</text>" in svg
    assert "http" not in svg  # no xmlns: inline SVG holds no URL


def test_bar_with_reference_draws_pairs_and_a_legend():
    svg = render_svg(Chart("bar", "Share", {"labels": ["x", "y"], "values": [0.5, None],
                                            "reference_values": [0.25, 0.75]}))
    bars = _rects(svg, "bar")
    assert len(bars) == 3  # the missing current value draws no bar
    assert "x (current): 0.5" in _titles(svg) and "y (reference): 0.75" in _titles(svg)
    assert ">current</text>" in svg and ">reference</text>" in svg
    ref_x, ref_y = (b for b in bars if b["fill"] == "#E69F00")
    assert float(ref_y["height"]) / float(ref_x["height"]) == pytest.approx(3, rel=0.02)


def test_negative_bars_hang_below_zero():
    svg = render_svg(Chart("bar", "Diff", {"labels": ["up", "down"], "values": [2.0, -1.0]}))
    up, down = _rects(svg, "bar")
    assert float(up["y"]) + float(up["height"]) == pytest.approx(float(down["y"]), abs=0.11)
    assert float(up["height"]) / float(down["height"]) == pytest.approx(2, rel=0.02)


def test_histogram_overlays_current_and_reference_bins():
    edges = np.linspace(0.0, 1.0, 6)
    svg = render_svg(Chart("histogram", "Scores", {"edges": edges, "counts": np.array([1, 2, 3, 2, 1]),
                                                   "reference_counts": [2, 2, 2, 2, 2]}))
    bins = _rects(svg, "bin")
    assert len(bins) == 10
    current = [b for b in bins if b["fill"] == "#0072B2"]
    reference = [b for b in bins if b["fill"] == "#E69F00"]
    # overlaid: bin i of both series starts at the same x
    assert [b["x"] for b in current] == [b["x"] for b in reference]
    assert float(current[2]["height"]) / float(current[0]["height"]) == pytest.approx(3, rel=0.02)
    assert "[0.2, 0.4) current: 2" in _titles(svg)
    assert "[0.2, 0.4) reference: 2" in _titles(svg)


def test_heatmap_colours_span_the_scale_and_have_a_legend():
    svg = render_svg(Chart("heatmap", "Counts", {"x": ["a", "b"], "y": ["r1", "r2"],
                                                 "z": [[0, 1], [2, None]]}))
    cells = _rects(svg, "cell")
    assert len(cells) == 4
    fills = [c["fill"] for c in cells]
    assert fills[0] == "#440154" and fills[2] == "#fde725"  # viridis ends: min and max
    assert fills[3] == "#eaeef2"  # a missing value is grey
    assert "r1 × b: 1" in _titles(svg) and "r2 × b: —" in _titles(svg)
    steps = re.findall(r'width="14" height="[\d.]+" fill="(#[0-9a-f]{6})"', svg)
    color, _ = color_scale(0, 2)
    assert len(steps) == 40  # the stepped colour bar, max on top, each step at its middle
    assert steps[0] == color(2 - 2 / 80) and steps[-1] == color(2 / 80)


def test_heatmap_with_both_signs_uses_a_diverging_scale_centred_on_zero():
    svg = render_svg(Chart("heatmap", "Correlation", {"x": ["a", "b"], "y": ["a", "b"],
                                                      "z": [[1.0, -0.5], [-0.5, 1.0]]}))
    fills = [c["fill"] for c in _rects(svg, "cell")]
    color, diverging = color_scale(-0.5, 1.0)
    assert diverging and fills == [color(1.0), color(-0.5), color(-0.5), color(1.0)]
    assert color(1.0) == "#b2182b" and color(-1.0) == "#2166ac" and color(0.0) == "#f7f7f7"


def test_line_draws_one_path_per_series_and_breaks_at_missing_values():
    svg = render_svg(Chart("line", "Trend", {"x": [1, 2, 3, 4],
                                             "series": {"auc": [0.8, None, 0.7, 0.75],
                                                        "f1": [0.5, 0.6, 0.6, 0.55]}}))
    paths = re.findall(r'<path class="series" d="([^"]*)"', svg)
    assert len(paths) == 2
    assert paths[0].count("M") == 2 and paths[1].count("M") == 1
    assert svg.count("<circle") == 7
    assert "auc at 3: 0.7" in _titles(svg)
    assert 'stroke-dasharray="7 3"' in svg  # the second series also differs by dash


def test_line_with_text_x_uses_evenly_spaced_categories():
    svg = render_svg(Chart("line", "Per month", {"x": ["jan", "feb", "mar"],
                                                 "series": {"rows": [10, 20, 15]}}))
    xs = [float(v) for v in re.findall(r'<circle cx="([\d.]+)"', svg)]
    assert xs[1] - xs[0] == pytest.approx(xs[2] - xs[1], abs=0.11)
    assert ">feb</text>" in svg


@pytest.mark.parametrize("kind, data", [
    ("bar", {"labels": [], "values": []}),
    ("bar", {"labels": ["a"], "values": [None]}),
    ("histogram", {"edges": [], "counts": []}),
    ("heatmap", {"x": [], "y": [], "z": []}),
    ("line", {"x": [], "series": {}}),
    ("line", {"x": [1, 2], "series": {"s": [float("nan"), None]}}),
    ("bar", {}),
])
def test_empty_charts_draw_a_no_data_box(kind, data):
    svg = render_svg(Chart(kind, "Nothing here", data))
    assert svg.startswith("<svg") and ">no data</text>" in svg and "Nothing here" in svg


@pytest.mark.parametrize("kind, data, reason", [
    ("bar", {"labels": ["a", "b"], "values": [1]}, "values has 1 entries but labels has 2"),
    ("bar", {"labels": ["a"], "values": ["high"]}, "not a number"),
    ("histogram", {"edges": [0, 1], "counts": [1, 2]}, "edges has 2 entries"),
    ("histogram", {"edges": [0, 2, 1], "counts": [1, 2]}, "edges must increase"),
    ("heatmap", {"x": ["a"], "y": ["r"], "z": [[1, 2]]}, "z row 0 has 2 entries"),
    ("line", {"x": [1, 2], "series": {"s": [1]}}, "series &#x27;s&#x27; has 1 entries"),
    ("pie", {"labels": ["a"], "values": [1]}, "kind &#x27;pie&#x27;"),
])
def test_undrawable_charts_say_why_instead_of_raising(kind, data, reason):
    svg = render_svg(Chart(kind, "Broken", data))
    assert svg.startswith("<svg") and "cannot draw" in svg and reason in svg


@pytest.mark.parametrize("kind, data", [
    ("bar", {"labels": [HOSTILE], "values": [1], "reference_values": [2]}),
    ("histogram", {"edges": [0, 1], "counts": [3]}),
    ("heatmap", {"x": [HOSTILE], "y": [HOSTILE], "z": [[1]]}),
    ("line", {"x": [HOSTILE, "b"], "series": {HOSTILE: [1, 2]}}),
    (HOSTILE, {}),
])
def test_every_text_is_escaped(kind, data):
    svg = render_svg(Chart(kind, f"title {HOSTILE}", data, x_label=HOSTILE, y_label='"quoted"'))
    assert "<script" not in svg and "&lt;script&gt;" in svg
    assert '"quoted"' not in svg


def test_long_crowded_labels_are_rotated_thinned_and_truncated():
    labels = [f"a_rather_long_column_name_{i}" for i in range(100)]
    svg = render_svg(Chart("bar", "Many", {"labels": labels, "values": list(range(100))}))
    assert "rotate(-40" in svg
    shown = re.findall(r'rotate\(-40[^>]*>([^<]*)</text>', svg)
    assert len(shown) == 34  # every third label
    assert all(len(s) <= 18 for s in shown) and shown[0].endswith("…")
    assert len(_rects(svg, "bar")) == 100  # value 0 still gets its bar (and tooltip)
    assert f"<title>{labels[-1]}: 99</title>" in svg


@given(lo=st.floats(-1e9, 1e9), span=st.floats(0, 1e9))
def test_nice_ticks_cover_the_range_with_round_steps(lo, span):
    hi = lo + span
    ticks, step = nice_ticks(lo, hi)
    # covered up to float noise (a billionth of a step)
    assert ticks[0] <= lo + 1e-8 * step and ticks[-1] >= hi - 1e-8 * step
    assert 2 <= len(ticks) <= 12
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert min(abs(mantissa - m) for m in (1, 2, 2.5, 5, 10)) < 1e-6
    assert np.allclose(np.diff(ticks), step, rtol=1e-6, atol=1e-9 * max(1, abs(hi)))


def test_tick_labels_keep_only_the_digits_the_step_needs():
    assert fmt_tick(0.30000000000000004, 0.1) == "0.3"
    assert fmt_tick(0.25, 0.25) == "0.25"
    assert fmt_tick(25_000, 5_000) == "25k"
    assert fmt_tick(3_000_000, 1_000_000) == "3M"
    assert fmt_tick(-4, 2) == "-4"
