"""Turn the drift benchmark's measurements into the Markdown section of docs/benchmarks.md.

Rendering computes no measurement: it takes medians and ratios of the runs it is given and
compares each side's flagged columns with the planted ones. The section sits between
``<!-- drift:start -->`` and ``<!-- drift:end -->`` so other benchmarks share the file.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from typing import Any

from _sections import replace_between

__all__ = ["END", "EVIDENTLY_TARGET", "MEMORY_TARGET", "SCIPY_TARGET", "SIDE_TITLES",
           "STREAM_TOLERANCE", "START", "flag_summary", "render", "replace_section",
           "summarise"]

START, END = "<!-- drift:start -->", "<!-- drift:end -->"
SCIPY_TARGET = 2.0  # stalwart / scipy time at the largest size, at most
EVIDENTLY_TARGET = 20.0  # Evidently / stalwart time at the largest size, at least
MEMORY_TARGET = 1.0  # memory stalwart adds at its peak / the data's own size, at most
STREAM_TOLERANCE = 1.10  # peak RSS of the largest streamed profile / the smallest's, at most
SIDE_TITLES = {
    "scipy": "scipy baseline (`ks_2samp` / `chi2_contingency`, BH 5 %)",
    "stalwart": "stalwart `detect_drift(ref, cur)`",
    "stalwart_profile": "stalwart `profile` x2 + `detect_drift` on the profiles",
    "evidently": "Evidently `DataDriftPreset`",
    "nannyml": "NannyML `UnivariateDriftCalculator` (one chunk)",
    "nannyml_chunked": "NannyML `UnivariateDriftCalculator` (its default 10 chunks)",
    "whylogs": "whylogs `calculate_drift_scores`",
}
_MIB = 2 ** 20


def summarise(runs: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Medians over the runs of one side at one size."""
    times = [r["run_s"] for r in runs]
    extra = statistics.median(r["peak_rss_run_bytes"] - r["rss_before_run_bytes"] for r in runs)
    data = runs[0]["data_bytes"]
    return {"runs": len(runs), "time": statistics.median(times), "min": min(times),
            "max": max(times), "cpu": statistics.median(r["cpu_s"] for r in runs),
            "data_bytes": data, "peak": statistics.median(r["peak_rss_run_bytes"] for r in runs),
            "extra": extra, "extra_ratio": extra / data, "flagged": list(runs[-1]["flagged"]),
            "stable": all(r["flagged"] == runs[-1]["flagged"] for r in runs),
            "each_run": [list(r["flagged"]) for r in runs],
            "peak_reset": all(r["peak_reset"] for r in runs)}


def flag_summary(flagged: Sequence[str], planted: Sequence[str]) -> dict[str, Any]:
    """Which planted columns a side found, which it missed, which it flagged wrongly.

    >>> flag_summary(["a", "c"], ["a", "b"])
    {'exact': False, 'found': ['a'], 'missed': ['b'], 'false': ['c']}
    """
    return {"exact": sorted(flagged) == sorted(planted),
            "found": [c for c in flagged if c in planted],
            "missed": [c for c in planted if c not in flagged],
            "false": [c for c in flagged if c not in planted]}


def _mib(n: float) -> str:
    return f"{n / _MIB:,.0f}"


def _verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def _cols(names: Sequence[str]) -> str:
    return ", ".join(f"`{n}`" for n in names) if names else "none"


def _headline(run: Mapping[str, Any], summ: Mapping[str, Mapping[str, Any]]) -> list[str]:
    planted = list(run["planted"])
    out = []
    for rows, by_side in summ.items():
        for side in ("stalwart", "stalwart_profile"):
            if side not in by_side:
                reason = run["sizes"][rows]["failed"].get(side) or \
                    run["skipped"].get(side, "not run")
                out.append(f"- Flags at {int(rows):,} rows, {SIDE_TITLES[side]}: not measured "
                           f"({reason}): **not met**.")
                continue
            each = [flag_summary(f, planted) for f in by_side[side]["each_run"]]
            n_exact = sum(f["exact"] for f in each)
            detail = f"exactly the 5 planted in {n_exact} of {len(each)} runs"
            for i, f in enumerate(each):
                if not f["exact"]:
                    detail += (f"; run {i + 1} missed {_cols(f['missed'])}, false alarms "
                               f"{_cols(f['false'])}")
            out.append(f"- Flags at {int(rows):,} rows, {SIDE_TITLES[side]}: {detail} "
                       f"(target exactly the 5 planted: {_verdict(n_exact == len(each))}).")
    largest = max(summ, key=int) if summ else None
    big = summ.get(largest, {})
    s, b, e = big.get("stalwart"), big.get("scipy"), big.get("evidently")
    if s and b:
        r, rc = s["time"] / b["time"], s["cpu"] / b["cpu"]
        out.append(f"- Speed at {int(largest):,} rows: stalwart / scipy = **{r:.2f}x** wall "
                   f"time, {rc:.2f}x CPU time (target at most {SCIPY_TARGET:.0f}x: wall "
                   f"{_verdict(r <= SCIPY_TARGET)}, CPU {_verdict(rc <= SCIPY_TARGET)}).")
    if s and e:
        r, rc = e["time"] / s["time"], e["cpu"] / s["cpu"]
        out.append(f"- Speed at {int(largest):,} rows: Evidently / stalwart = **{r:.1f}x** "
                   f"wall time, {rc:.1f}x CPU time (target at least {EVIDENTLY_TARGET:.0f}x: "
                   f"wall {_verdict(r >= EVIDENTLY_TARGET)}, CPU "
                   f"{_verdict(rc >= EVIDENTLY_TARGET)}).")
        if e["cpu"] < 0.8 * e["time"]:
            out.append(f"  Evidently's {'run' if e['runs'] == 1 else 'runs'} at this size "
                       f"had the CPU for only {100 * e['cpu'] / e['time']:.0f} % of the wall "
                       "time (the machine was busy), so the CPU-time ratio is the fairer one.")
    elif s and largest is not None:
        why = run["sizes"][largest]["failed"].get("evidently") or \
            run["skipped"].get("evidently", "not run")
        out.append(f"- Speed at {int(largest):,} rows against Evidently: no ratio, Evidently "
                   f"{why}: **not measured**.")
    for rows, by_side in summ.items():
        if "stalwart" in by_side:
            x = by_side["stalwart"]
            out.append(f"- Memory at {int(rows):,} rows: `detect_drift` added "
                       f"**{x['extra_ratio']:.2f}x** the data's size at its peak "
                       f"({_mib(x['extra'])} of {_mib(x['data_bytes'])} MiB; target at most "
                       f"{MEMORY_TARGET:.0f}x: {_verdict(x['extra_ratio'] <= MEMORY_TARGET)}).")
    for rows, by_side in summ.items():
        peers = [f"{SIDE_TITLES[p].split(' ')[0]}"
                 + (" (one chunk)" if p == "nannyml" else " (10 chunks)" if p == "nannyml_chunked"
                    else "") + f" {len(by_side[p]['flagged'])}"
                 for p in ("evidently", "nannyml", "nannyml_chunked", "whylogs", "scipy")
                 if p in by_side]
        if peers:
            out.append(f"- Columns flagged at {int(rows):,} rows by the others (5 planted): "
                       + ", ".join(peers) + ".")
    ok = [r for r in run.get("stream", []) if "error" not in r]
    if len(ok) >= 2:
        lo, hi = min(ok, key=lambda r: r["rows"]), max(ok, key=lambda r: r["rows"])
        ratio = hi["peak_rss_run_bytes"] / lo["peak_rss_run_bytes"]
        out.append(f"- Profile in constant memory: peak RSS {_mib(hi['peak_rss_run_bytes'])} "
                   f"MiB at {hi['rows']:,} rows vs {_mib(lo['peak_rss_run_bytes'])} MiB at "
                   f"{lo['rows']:,} rows (**{ratio:.2f}x** for {hi['rows'] / lo['rows']:.0f}x "
                   f"the rows; target at most {STREAM_TOLERANCE:.2f}x: "
                   f"{_verdict(ratio <= STREAM_TOLERANCE)}).")
    else:
        out.append("- Profile in constant memory: not measured (" + "; ".join(
            f"{r['rows']:,} rows: {r['error']}" for r in run.get("stream", []) if "error" in r)
            + "): **not met**.")
    return out


def _machine(run: Mapping[str, Any]) -> list[str]:
    m = run["machine"]
    out = ["### Machine and versions", "", "| | |", "|---|---|",
           f"| processor | {m['cpu']}, {m['cores']} cores ({m['usable_cores']} usable) |",
           f"| memory | {m['memory_bytes'] / 2 ** 30:.1f} GiB |" if m.get("memory_bytes")
           else "| memory | unknown |",
           f"| system | {m['os']} ({m['machine']}) |",
           "| threads | `OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1` on every "
           "side |"]
    seen = {}
    for size in run["sizes"].values():
        for side, runs in size["sides"].items():
            if runs and side not in seen:
                seen[side] = runs[0]
    own = [s for s in ("scipy", "stalwart", "stalwart_profile") if s in seen]
    groups = ([("scipy and stalwart", seen[own[0]])] if own else []) + [
        (side, r) for side, r in seen.items() if side not in own]
    shown = []
    for who, r in groups:
        if r["versions"] in shown:  # a second side of the same environment
            continue
        shown.append(r["versions"])
        libs = ", ".join(f"{k} {v}" for k, v in r["versions"].items())
        out.append(f"| {who} side | Python {r['python']}; {libs} |")
    return out + [""]


def _data(run: Mapping[str, Any], summ: Mapping[str, Mapping[str, Any]]) -> list[str]:
    cols = run["columns"]
    out = ["### Data", "",
           "Reference and current sets of " + " and ".join(
               f"{int(r):,}" for r in run["sizes"]) + f" rows each, {len(cols['numeric'])} "
           f"numeric and {len(cols['categorical'])} string columns, generated with seed "
           f"{run['config']['seed']} (`benchmarks/_drift_data.py`) and written once to "
           "Parquet. Drift is planted in exactly 5 columns; the other 20 are drawn from the "
           "same distribution for both sets, with independent random numbers.", "",
           "| planted column | change |", "|---|---|"]
    out += [f"| `{c}` | {what} |" for c, what in run["planted"].items()]
    out += ["", "| rows per set | Parquet files (MiB) | in memory, both sets (MiB) |",
            "|---|---|---|"]
    for rows, size in run["sizes"].items():
        sizes = sorted({f"{_mib(v['data_bytes'])} ({k})" for k, v in summ[rows].items()
                        if k in ("scipy", "evidently")})
        out.append(f"| {int(rows):,} | {_mib(size['file_bytes'])} | {'; '.join(sizes)} |")
    by_major: dict[str, list[str]] = {}
    for size in run["sizes"].values():
        for side, runs in size["sides"].items():
            if runs:
                major = str(runs[0]["versions"].get("pandas", "?")).split(".")[0]
                name = SIDE_TITLES[side].split(" ")[0]
                if name not in by_major.setdefault(major, []):
                    by_major[major].append(name)
    kept = {"3": "keeps strings in Arrow buffers", "2": "as Python objects"}
    out += ["", "In memory is `memory_usage(deep=True)` of both frames on that side: "
            + ", ".join(f"pandas {m} ({', '.join(names)}) {kept.get(m, '')}".rstrip()
                        for m, names in sorted(by_major.items(), reverse=True))
            + ". Memory ratios use each side's own size.", ""]
    return out


def _results(run: Mapping[str, Any], summ: Mapping[str, Mapping[str, Any]]) -> list[str]:
    cfg, planted = run["config"], list(run["planted"])
    out = ["### Results", "",
           f"Time is the median of the runs (scipy and stalwart: {cfg['repeats']} each; peers: "
           f"{cfg['peer_repeats']}, or 1 where one run took over "
           f"{cfg['peer_repeat_limit']:.0f} s), each in a fresh process. Importing the "
           "library and reading the Parquet files are not counted. Memory: the resident-set "
           "peak is reset after loading; *added* is the peak while the side runs minus the "
           "RSS just before (the loaded data, interpreter and libraries are not in it). CPU "
           "time is the process's own: on this shared machine, CPU time well below the wall "
           "time means other work held the cores, so the CPU-time ratios are the steadier "
           "ones.", ""]
    for rows, by_side in summ.items():
        base = by_side.get("scipy")
        out += [f"#### {int(rows):,} rows per set", "",
                "| side | runs | time, median (s) | min-max (s) | CPU (s) | time / scipy "
                "| CPU / scipy | data (MiB) | added at peak (MiB) | added / data "
                "| peak RSS (MiB) | flagged (last run) | exactly the 5 planted | missed (any run) "
                "| false alarms (any run) |",
                "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for side, v in by_side.items():
            each = [flag_summary(f, planted) for f in v["each_run"]]
            n_exact = sum(f["exact"] for f in each)
            exact = f"{'yes' if n_exact == len(each) else 'no'} ({n_exact} of {len(each)} runs)"
            missed = [c for c in planted if any(c in f["missed"] for f in each)]
            seen = {c for f in each for c in f["false"]}
            order = [*run["columns"]["numeric"], *run["columns"]["categorical"]]
            false = [c for c in order if c in seen] + sorted(seen - set(order))
            ratio = (f"{v['time'] / base['time']:.2f}x", f"{v['cpu'] / base['cpu']:.2f}x") \
                if base else ("-", "-")
            out.append(f"| {SIDE_TITLES[side]} | {v['runs']} | {v['time']:.2f} | "
                       f"{v['min']:.2f}-{v['max']:.2f} | {v['cpu']:.2f} | {ratio[0]} | "
                       f"{ratio[1]} | {_mib(v['data_bytes'])} | {_mib(v['extra'])} | "
                       f"{v['extra_ratio']:.2f}x | {_mib(v['peak'])} | {len(v['flagged'])} | "
                       f"{exact} | {_cols(missed)} | {_cols(false)} |")
        size = run["sizes"][rows]
        for side, why in size["failed"].items():
            out.append(f"| {SIDE_TITLES[side]} | 0 | {why} | | | | | | | | | | | | |")
        out += _gate_notes(run, rows)
        unstable = [f"{SIDE_TITLES[s]} ("
                    + "; ".join(f"run {i + 1}: {len(f)}" for i, f in enumerate(v["each_run"]))
                    + ")" for s, v in by_side.items() if not v["stable"]]
        if unstable:
            out += ["", "Flags differed between runs (the columns table shows the last run; "
                    "numbers flagged per run): " + ", ".join(unstable) + "."]
        out.append("")
    return out


def _gate_notes(run: Mapping[str, Any], rows: str) -> list[str]:
    """Why stalwart left out a column the scipy baseline flagged (its effect-size gate)."""
    sides = run["sizes"][rows]["sides"]
    if not sides.get("scipy") or not sides.get("stalwart"):
        return []
    base, ours = sides["scipy"][-1], sides["stalwart"][-1]
    out = []
    for column in base["flagged"]:
        d = ours.get("detail", {}).get(column)
        if column in ours["flagged"] or not d or d.get("adjusted_p") is None:
            continue
        gate = f" (threshold {d['effect_threshold']:g})" if d.get("effect_threshold") else ""
        p_base = base["detail"]["adjusted_p"][column]
        out.append(f"- scipy flags `{column}` (adjusted p {p_base:.3g}); "
                   f"stalwart runs the same {d['method']} test (adjusted p "
                   f"{d['adjusted_p']:.3g}) but its default decision also needs the effect "
                   f"size past its threshold, and the {d['effect_name']} effect is "
                   f"{d['effect']:.3g}{gate}.")
    return ([""] + out) if out else []


def _parts(run: Mapping[str, Any]) -> list[str]:
    out = []
    for rows, size in run["sizes"].items():
        for side in ("stalwart_profile", "whylogs"):
            runs = [r for r in size["sides"].get(side, []) if r.get("parts")]
            if not runs:
                continue
            prof = statistics.median(r["parts"]["profile_s"] for r in runs)
            det = statistics.median(r["parts"]["detect_s"] for r in runs)
            extra = ""
            if "profile_bytes" in runs[-1]["parts"]:
                extra = (f"; the two profiles serialise to "
                         f"{runs[-1]['parts']['profile_bytes'] / 1024:,.0f} KiB")
            if runs[-1]["parts"].get("possible_drift"):
                extra = (f"; also POSSIBLE_DRIFT (not counted): "
                         f"{_cols(runs[-1]['parts']['possible_drift'])}")
            out.append(f"- {SIDE_TITLES[side]} at {int(rows):,} rows: profiling both sets "
                       f"{prof:.2f} s, drift from the profiles {det:.2f} s{extra}.")
    return (["Where the time goes (medians):", ""] + out + [""]) if out else []


def _stream(run: Mapping[str, Any]) -> list[str]:
    rows = run.get("stream", [])
    if not rows:
        return []
    out = ["### Profile of generated chunks (constant memory)", "",
           "`stalwart.stats.profile.profile` of the reference set's 25 columns, fed chunk by "
           "chunk from the generator (100,000 rows a chunk), so the rows are never held "
           "whole. Peak RSS is the whole process's high-water mark while profiling (the "
           "interpreter and libraries included); generating the chunks is timed apart.", "",
           "| rows | time (s) | of which generating (s) | CPU (s) | RSS before (MiB) "
           "| peak RSS (MiB) | profile size (KiB) |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        if "error" in r:
            out.append(f"| {r['rows']:,} | failed: {r['error']} | | | | | |")
            continue
        out.append(f"| {r['rows']:,} | {r['run_s']:.1f} | {r['generate_s']:.1f} | "
                   f"{r['cpu_s']:.1f} | {_mib(r['rss_before_run_bytes'])} | "
                   f"{_mib(r['peak_rss_run_bytes'])} | {r['profile_bytes'] / 1024:,.0f} |")
    return out + [""]


def _flags(run: Mapping[str, Any], summ: Mapping[str, Mapping[str, Any]]) -> list[str]:
    out = ["### Columns flagged", "", "Planted columns in bold.", "",
           "| rows | side | columns flagged |", "|---|---|---|"]
    for rows, by_side in summ.items():
        for side, v in by_side.items():
            shown = ", ".join(f"**`{c}`**" if c in run["planted"] else f"`{c}`"
                              for c in v["flagged"]) or "none"
            out.append(f"| {int(rows):,} | {SIDE_TITLES[side]} | {shown} |")
    return out + [""]


def render(run: Mapping[str, Any]) -> str:
    """The Markdown section, markers included, for one benchmark run."""
    summ = {rows: {side: summarise(runs) for side, runs in size["sides"].items() if runs}
            for rows, size in run["sizes"].items()}
    cfg = run["config"]
    out = [START, "## Univariate drift: stalwart vs Evidently, NannyML, whylogs and scipy", "",
           f"Measured {cfg['date']} with:", "", "```", cfg["command"], "```", ""]
    out += _headline(run, summ) + [""]
    not_run = {s: why for s, why in run.get("skipped", {}).items()}
    if not_run:
        out += ["Not run: " + "; ".join(f"{SIDE_TITLES[s]} ({why})"
                                        for s, why in not_run.items()) + ".", ""]
    out += _machine(run) + _data(run, summ) + _results(run, summ) + _parts(run)
    out += _flags(run, summ) + _stream(run)
    out += ["### How each side decides", "",
            "- scipy: `ks_2samp` per numeric column, `chi2_contingency` on the 2 x k table of "
            "counts per string column; Benjamini-Hochberg-adjusted p below 0.05.",
            "- stalwart: `detect_drift(reference, current)` with its defaults (`method="
            "\"auto\"`, `correction=\"bh\"`, `alpha=0.05`); the profile side runs the same "
            "function on two `DatasetProfile`s.",
            "- Evidently 0.7: `Report([DataDriftPreset()]).run(current, reference)`; a column "
            "counts when its `ValueDrift` value is past its threshold (for these sizes its "
            "defaults are the normed Wasserstein distance >= 0.1 for numeric and the "
            "Jensen-Shannon distance >= 0.1 for categorical columns).",
            "- NannyML: `UnivariateDriftCalculator(column_names=..., chunk_size=<rows>)` so the "
            "whole current set is one chunk, default methods (Jensen-Shannon for both kinds) "
            "and thresholds; a column counts when a method alerts. Its default thresholds are "
            "the reference chunks' mean + 3 standard deviations: with one reference chunk "
            "the threshold is 0 and every column alerts (NannyML warns that the number of "
            "chunks is too low). The second NannyML row keeps its default chunking (10 chunks "
            "a set) and counts a column when any current chunk alerts.",
            "- whylogs: `why.log` of both sets, `calculate_drift_scores(..., with_thresholds="
            "True)` (KS on its KLL sketches for numeric, chi-squared for categorical "
            "columns); a column counts when its category is `DRIFT` (p < 0.05).", ""]
    out.append(END)
    return "\n".join(out) + "\n"


def replace_section(text: str, section: str) -> str:
    """Put ``section`` in place of the drift section of ``text`` (or append it)."""
    return replace_between(text, section, START, END)
