"""The demo's stress run (issue 8): the diabetes model under perturbed inputs and simulated
shift, as a team would run it before shipping.

The stress suite runs on the held-out rows: every tabular perturbation at severities 1-5
(degradation curves, flip rates, the column whose corruption costs most), flips under
rounding declared harmless, and the cost of simulated covariate and label shift. Reports go
to ``reports/stress-test.{html,json,junit.xml}``; one or two lines are echoed. The lead's
:func:`~stalwart.demo.run.run_demo` calls :func:`stress_story` after training.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..checks import SuiteResult
from ..checks.stress import stress_suite_run
from ..reports import write_report

__all__ = ["StressStory", "stress_story"]

_FORMATS = (("html", "html"), ("json", "json"), ("junit", "junit.xml"))


@dataclass(frozen=True)
class StressStory:
    """The stress suite's result and the report files by format."""

    result: SuiteResult
    reports: dict[str, Path] = field(default_factory=dict)


def stress_story(model: Any, test_frame: pd.DataFrame, target: str, features: Sequence[str],
                 reports_dir: str | Path, *, random_state: int = 0,
                 reference: pd.DataFrame | None = None,
                 echo: Callable[[str], Any] = print) -> StressStory:
    """Run the stress suite of ``model`` on ``test_frame`` (its ``features`` and
    ``target``), write ``stress-test.*`` into ``reports_dir`` and echo the verdict."""
    columns = [*features, target]
    ref = None if reference is None else reference[columns]
    result = stress_suite_run(test_frame[columns], model=model, target=target, reference=ref,
                              random_state=random_state)
    folder = Path(reports_dir)
    folder.mkdir(parents=True, exist_ok=True)
    reports = {fmt: write_report(result, folder / f"stress-test.{ext}", format=fmt)
               for fmt, ext in _FORMATS}
    robust = result.by_check("perturbation_robustness")
    line = robust.summary.split("; the model raised")[0]
    echo(f"stress: {result.status.value} - {line}")
    shift = result.by_check("shift_robustness")
    echo(f"  simulated shift: {shift.summary} -> {reports['html']}")
    return StressStory(result, reports)
