"""Turn the audit benchmark's measurements into the Markdown section of docs/benchmarks.md.

Rendering computes no measurement: it takes the medians and ratios of the runs it is
given. The section sits between ``<!-- audit:start -->`` and ``<!-- audit:end -->`` so
other benchmarks can share the file.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from typing import Any

from _sections import replace_between

__all__ = ["END", "SIDE_TITLES", "START", "TIME_TARGET", "MEMORY_TARGET", "render",
           "replace_section", "summarise"]

START, END = "<!-- audit:start -->", "<!-- audit:end -->"
TIME_TARGET = 10.0  # Deepchecks / stalwart suite time, at least
MEMORY_TARGET = 3.0  # memory the suite adds / the data's own size, below
SIDE_TITLES = {"baseline": "pandas baseline (`isna().mean()` + `duplicated().sum()`)",
               "stalwart": "stalwart `audit()`", "deepchecks": "Deepchecks `data_integrity()`"}
_MIB = 2 ** 20
_OUTSIDE = {"stalwart": "reading the table into a Dataset, schema inference, fingerprint",
            "deepchecks": "building the Dataset, suite bookkeeping"}


def summarise(runs: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Medians over the runs of one side."""
    times = [r["suite_s"] for r in runs]
    extra = [r["peak_rss_suite_bytes"] - r["rss_before_suite_bytes"] for r in runs]
    data = runs[0]["data_bytes"]
    peak = statistics.median(r["peak_rss_suite_bytes"] for r in runs)
    return {
        "runs": len(runs), "time": statistics.median(times), "min": min(times),
        "max": max(times), "load": statistics.median(r["load_s"] for r in runs),
        "cpu": statistics.median(r.get("suite_cpu_s", float("nan")) for r in runs),
        "import": statistics.median(r.get("import_s", 0.0) for r in runs),
        "data_bytes": data, "before": statistics.median(r["rss_before_suite_bytes"] for r in runs),
        "peak": peak, "extra": statistics.median(extra),
        "extra_ratio": statistics.median(extra) / data, "peak_ratio": peak / data,
        "findings": runs[-1]["findings"], "errors": runs[-1]["errors"],
        "peak_reset": all(r["peak_reset"] for r in runs),
    }


def _mib(n: float) -> str:
    return f"{n / _MIB:,.0f}"


def _check_times(runs: Sequence[Mapping[str, Any]]) -> list[tuple[str, str, float | None]]:
    names = [c["check"] for c in runs[-1]["checks"]]
    out = []
    for name in names:
        per_run = [c["duration_s"] for r in runs for c in r["checks"]
                   if c["check"] == name and c["duration_s"] is not None]
        status = next(c["status"] for c in runs[-1]["checks"] if c["check"] == name)
        out.append((name, status, statistics.median(per_run) if per_run else None))
    return out


def _verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def _headline(s: Mapping[str, Any], d: Mapping[str, Any] | None, partial: list[str],
              skipped: Mapping[str, str]) -> list[str]:
    lines = []
    if partial:
        lines.append(f"> **Incomplete run:** {len(partial)} audit checks did not exist yet "
                     f"({', '.join(partial)}); the numbers below leave them out.")
        lines.append("")
    if d is not None:
        ratio = d["time"] / s["time"]
        lines.append(f"- Speed: Deepchecks / stalwart = **{ratio:.1f}x** in wall time "
                     f"(target at least {TIME_TARGET:.0f}x: {_verdict(ratio >= TIME_TARGET)}); "
                     f"{d['cpu'] / s['cpu']:.1f}x in CPU time.")
    else:
        lines.append(f"- Speed: Deepchecks not run ({skipped.get('deepchecks', 'skipped')}); "
                     "no ratio.")
    lines.append(f"- Memory: the stalwart suite added **{s['extra_ratio']:.2f}x** the data's "
                 f"size at its peak (target below {MEMORY_TARGET:.0f}x: "
                 f"{_verdict(s['extra_ratio'] < MEMORY_TARGET)}); the whole process peaked at "
                 f"{s['peak_ratio']:.2f}x (interpreter, libraries and the data included).")
    return lines


def _planted_table(sides: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[str]:
    """What each side said about each planted issue, by the check meant to catch it."""
    from _audit_data import PLANTED

    def status(side: str, check: str | None) -> str:
        if check is None:
            return "no check in the suite"
        if side not in sides:
            return "not run"
        found = [c["status"] for c in sides[side][-1]["checks"]
                 if c["check"] == check or c["check"].startswith(check + " - ")]
        return f"`{check}`: {found[0]}" if found else f"`{check}`: not run"

    out = ["Planted issues and the check of each side that looks for them:", "",
           "| planted issue | stalwart | Deepchecks |", "|---|---|---|"]
    for issue, ours, theirs in PLANTED:
        out.append(f"| {issue} | {status('stalwart', ours)} | "
                   f"{status('deepchecks', theirs)} |")
    return out + [""]


def render(run: Mapping[str, Any]) -> str:
    """The Markdown section, markers included, for one benchmark run."""
    cfg, machine, data = run["config"], run["machine"], run["data"]
    sides = {k: v for k, v in run["sides"].items() if v}
    summ = {k: summarise(v) for k, v in sides.items()}
    s, b, d = summ["stalwart"], summ.get("baseline"), summ.get("deepchecks")
    partial = sides["stalwart"][-1].get("missing_checks", [])
    out = [START, "## Data audit: stalwart vs Deepchecks", "",
           f"Measured {cfg['date']} with:", "", "```", cfg["command"], "```", ""]
    if cfg.get("checks"):
        out += [f"> **Subset:** only these stalwart checks ran: {', '.join(cfg['checks'])}.", ""]
    out += _headline(s, d, partial, run.get("skipped", {}))
    out += ["", "### Machine and versions", "", "| | |", "|---|---|",
            f"| processor | {machine['cpu']}, {machine['cores']} cores "
            f"({machine['usable_cores']} usable) |",
            f"| memory | {machine['memory_bytes'] / 2 ** 30:.1f} GiB |"
            if machine.get("memory_bytes") else "| memory | unknown |",
            f"| system | {machine['os']} ({machine['machine']}) |",
            "| threads | `OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1` on every "
            "side |"]
    for side, runs in sides.items():
        first = runs[0]
        if side == "baseline" and "stalwart" in sides:
            continue  # same process kind and environment as stalwart's
        libs = ", ".join(f"{k} {v}" for k, v in first["versions"].items())
        blas = "; ".join(f"{x['internal_api']} {x['version'] or ''} {x['architecture'] or ''}"
                         .strip() for x in first["blas"])
        who = "stalwart and baseline" if side == "stalwart" and "baseline" in sides else side
        out.append(f"| {who} side | Python {first['python']}; {libs}"
                   + (f"; BLAS: {blas}" if blas else "") + " |")
    out += ["", "### Data", "",
            f"{data['rows']:,} rows x {data['features']} feature columns "
            f"({data['numeric']} numeric, {data['categorical']} string) plus a binary "
            f"`target`, generated with seed {cfg['seed']} (`benchmarks/_audit_data.py`), "
            f"Parquet file of {_mib(data['file_bytes'])} MiB. Planted: missing values, a "
            "near-constant column, a column that leaks the target, case/whitespace variants "
            "of one string column, 0.5 % duplicated rows and 0.1 % rows with conflicting "
            "labels. Each side reads the file with its own pandas; in memory "
            "(`memory_usage(deep=True)`) the table takes "
            + ", ".join(f"{_mib(v['data_bytes'])} MiB on the {k} side" for k, v in summ.items())
            + " (pandas 3 keeps strings in Arrow buffers, pandas 2 as Python objects). "
            "Memory ratios use each side's own size.", ""]
    out += ["### Results", "",
            f"Suite time is the median of the runs (stalwart and baseline: {cfg['repeats']} "
            f"each; Deepchecks: {cfg['peer_repeats']}, as one run takes minutes), each in a "
            "fresh process. Importing the library and its suite modules, and loading the "
            "Parquet file, are timed apart and not counted; building each side's dataset "
            "object (schema inference) is counted. Peak RSS is the high-water mark while the "
            "suite runs (reset after loading). CPU time is the process's own; with one "
            "thread per side, CPU time well below the wall time means the machine was busy "
            "with other work during that run.", "",
            "| side | runs | suite time, median (s) | min-max (s) | CPU time (s) | import (s) "
            "| load (s) | data (MiB) "
            "| RSS before suite (MiB) | peak RSS (MiB) | suite added / data | peak RSS / data "
            "| findings | errors |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for side, v in summ.items():
        found = ("-", "-") if side == "baseline" else (v["findings"], v["errors"])
        out.append(f"| {SIDE_TITLES[side]} | {v['runs']} | {v['time']:.2f} | {v['min']:.2f}-"
                   f"{v['max']:.2f} | {v['cpu']:.2f} | {v['import']:.2f} | {v['load']:.2f} | "
                   f"{_mib(v['data_bytes'])} | "
                   f"{_mib(v['before'])} | {_mib(v['peak'])} | {v['extra_ratio']:.2f}x | "
                   f"{v['peak_ratio']:.2f}x | {found[0]} | {found[1]} |")
    out += ["", "Ratios of suite time:", ""]
    if d is not None:
        out.append(f"- Deepchecks / stalwart: **{d['time'] / s['time']:.1f}x** "
                   f"(CPU time: {d['cpu'] / s['cpu']:.1f}x)")
    if b is not None:
        out.append(f"- stalwart / pandas baseline: {s['time'] / b['time']:.1f}x")
        if d is not None:
            out.append(f"- Deepchecks / pandas baseline: {d['time'] / b['time']:.1f}x")
    out += ["", "Findings are checks that failed or warned; errors are checks that could not "
            "run on this data.", ""]
    out += _planted_table(sides)
    for side in ("stalwart", "deepchecks"):
        if side not in sides:
            continue
        rows = _check_times(sides[side])
        total = summ[side]["time"]
        out += [f"### {SIDE_TITLES[side]}: time per check (median)", "",
                "| check | status | time (s) | share of suite |", "|---|---|---|---|"]
        for name, status, t in sorted(rows, key=lambda r: -(r[2] or 0.0)):
            shown = "-" if t is None else f"{t:.3f}"
            share = "-" if t is None else f"{100 * t / total:.1f} %"
            out.append(f"| {name} | {status} | {shown} | {share} |")
        rest = statistics.median(
            r["suite_s"] - sum(c["duration_s"] or 0.0 for c in r["checks"]) for r in sides[side])
        out.append(f"| (outside the checks: {_OUTSIDE[side]}) | - | {rest:.3f} | "
                   f"{100 * rest / total:.1f} % |")
        out.append("")
    notes = run.get("notes", [])
    if notes:
        out += ["### Notes", ""] + [f"- {n}" for n in notes] + [""]
    out.append(END)
    return "\n".join(out) + "\n"


def replace_section(text: str, section: str) -> str:
    """Put ``section`` in place of the audit section of ``text`` (or append it)."""
    return replace_between(text, section, START, END)
