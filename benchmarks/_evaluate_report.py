"""Draw the evaluate benchmark's raw measurements as the Markdown section of benchmarks.md."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from typing import Any

from _sections import replace_between

START, END = "<!-- evaluate:start -->", "<!-- evaluate:end -->"
PEER_NAMES = {"deepchecks": "Deepchecks `model_evaluation()`", "giskard": "Giskard `scan`"}

__all__ = ["END", "START", "render", "replace_section"]


def _median(runs: Sequence[Mapping[str, Any]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def _mib(n: float) -> str:
    return f"{n / 2 ** 20:,.0f} MiB"


def render(run: Mapping[str, Any]) -> str:
    cfg, sides, skipped = run["config"], run["sides"], run["skipped"]
    m = run["machine"]
    lines = [START, "## Model evaluation: stalwart vs Deepchecks and Giskard", "",
             f"Run on {cfg['date']} with `{cfg['command']}` on {m['cpu']} "
             f"({m['usable_cores']} usable cores), one BLAS/OpenMP thread per side. Data: "
             "scikit-learn's bundled breast cancer table (569 rows, 30 features), split "
             "75/25 stratified (`random_state=0`); model `GradientBoostingClassifier"
             "(random_state=0)` fitted in each side's own environment (fit not timed). "
             "Suite time covers building the side's wrappers and running its suite; peak "
             "RSS is the process's high-water mark while the suite runs.", ""]
    stalwart = sides.get("stalwart") or []
    base = _median(stalwart, "suite_s") if stalwart else None
    lines += ["| side | runs | suite time (median) | ratio to stalwart | peak RSS (suite) "
              "| reported issues | errors |", "|---|---|---|---|---|---|---|"]
    for side in ("stalwart", "deepchecks", "giskard"):
        runs = sides.get(side) or []
        name = "stalwart `evaluate_suite_run`" if side == "stalwart" else PEER_NAMES[side]
        if not runs:
            lines.append(f"| {name} | 0 | not run | | | | |")
            continue
        t = _median(runs, "suite_s")
        ratio = f"{t / base:,.1f}x" if base else ""
        lines.append(f"| {name} | {len(runs)} | {t:,.2f} s | {ratio} | "
                     f"{_mib(max(r['peak_rss_suite_bytes'] for r in runs))} | "
                     f"{runs[-1]['findings']} | {runs[-1]['errors']} |")
    lines.append("")
    ratios = {s: _median(sides[s], "suite_s") / base for s in PEER_NAMES
              if base and sides.get(s)}
    if ratios:
        ok = all(r >= 5 for r in ratios.values()) and len(ratios) == len(PEER_NAMES)
        lines.append("Target, at least 5x faster than either peer: "
                     + ("**met**" if ok else "**not met**") + " ("
                     + ", ".join(f"{PEER_NAMES[s].split()[0]} {r:,.1f}x"
                                 for s, r in ratios.items()) + ").")
        lines.append("")
    for side, why in skipped.items():
        lines.append(f"- {PEER_NAMES.get(side, side)} was not run: {why}")
    if skipped:
        lines.append("")
    if stalwart:
        lines += ["stalwart's checks (last run):", "", "| check | status | time | summary |",
                  "|---|---|---|---|"]
        for c in stalwart[-1]["checks"]:
            d = c["duration_s"]
            summary = c["summary"].replace("|", "\\|")
            lines.append(f"| {c['check']} | {c['status']} | "
                         f"{'' if d is None else f'{d * 1000:,.1f} ms'} | {summary} |")
        lines.append("")
    for side in PEER_NAMES:
        runs = sides.get(side) or []
        if runs:
            rows = runs[-1]["checks"]
            counts: dict[tuple[str, str], int] = {}
            for r in rows:
                if r["status"] in ("fail", "warn", "error"):
                    key = (r["check"], r["status"])
                    counts[key] = counts.get(key, 0) + 1
            listed = [f"{check} ({status}{'' if n == 1 else f' x{n}'})"
                      for (check, status), n in counts.items()]
            lines.append(f"{PEER_NAMES[side]} reported {runs[-1]['findings']} issue(s)"
                         + (": " + "; ".join(listed) if listed else "") + ".")
            lines.append("")
    null = sides.get("null") or []
    if null:
        d = null[-1]["detail"]
        seeds = d["seeds"]
        lines += ["Null model (spurious slices): stalwart's `weak_segments` on all 569 rows "
                  "with the labels shuffled and `DummyClassifier(strategy=\"stratified\")`, "
                  "so errors cannot depend on the features. "
                  f"{d['seeds_with_slices']} of {len(seeds)} seeds reported a slice "
                  f"({null[-1]['findings']} slice(s) in all, "
                  f"{seeds[0]['n_candidates']:,} candidate slices per seed, Holm-corrected "
                  f"at 0.05); {null[-1]['suite_s']:,.2f} s for all seeds.", ""]
    for note in run.get("notes", []):
        lines.append(f"- {note}")
    if run.get("notes"):
        lines.append("")
    versions = {k: v for r in (stalwart[-1:] + [x for s in PEER_NAMES
                                                 for x in (sides.get(s) or [])[-1:]])
                for k, v in r["versions"].items() if k in ("stalwart", "deepchecks",
                                                          "giskard")}
    if versions:
        lines.append("Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()) + ".")
        lines.append("")
    lines.append(END)
    return "\n".join(lines)


def replace_section(text: str, section: str) -> str:
    """Put ``section`` in place of the evaluate section of ``text`` (or append it)."""
    return replace_between(text, section, START, END)
