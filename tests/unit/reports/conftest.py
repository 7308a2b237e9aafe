"""A SuiteResult built by hand with every status, hostile text and every chart kind."""

from __future__ import annotations

import numpy as np
import pytest

from stalwart.checks.result import (Chart, CheckResult, ConditionResult, Status, SuiteResult,
                                    Table)

HOSTILE = "<script>alert(1)</script>"
AMP = "Tom & Jerry"


def _suite() -> SuiteResult:
    passing = CheckResult(
        "missing_values", "Missing values", "data", Status.PASS, "0.4% of cells are missing",
        metrics={"missing_share": 0.004, "n_missing": 12},
        conditions=(ConditionResult("missing_share < 0.05", Status.PASS, "missing_share", 0.004,
                                    "missing_share < 0.05 holds (value 0.004)"),),
        tables=(Table("Missing values per column", ("column", "missing", "share"),
                      (("age", 10, 0.01), ("city", 2, 0.002), (HOSTILE, None, float("nan"))),
                      total_rows=50),),
        charts=(Chart("bar", "Missing share per column",
                      {"labels": ["age", "city", HOSTILE], "values": [0.01, 0.002, 0.0],
                       "reference_values": [0.02, 0.001, 0.0]},
                      x_label="column", y_label="missing share"),),
        params={"threshold": 0.05}, duration_s=0.0123)
    warning = CheckResult(
        "class_imbalance", "Class imbalance", "label", Status.WARN,
        "the rarest class holds 8% of rows",
        metrics={"minority_share": 0.08, "per_class": {"a": 0.92, "b": 0.08}},
        conditions=(ConditionResult("minority_share >= 0.1", Status.WARN, "minority_share", 0.08,
                                    "minority_share >= 0.1 does not hold (value 0.08)"),),
        charts=(Chart("histogram", "Score distribution",
                      {"edges": np.linspace(0, 1, 11), "counts": np.arange(10) * 3,
                       "reference_counts": np.arange(10)[::-1] * 3},
                      x_label="score", y_label="rows"),),
        duration_s=0.2)
    failing = CheckResult(
        "duplicates", f"Duplicates {AMP}", "data", Status.FAIL, f"12 duplicate rows {HOSTILE}",
        metrics={"duplicate_share": 0.12, "n_duplicates": 12},
        conditions=(
            ConditionResult("duplicate_share < 0.05", Status.FAIL, "duplicate_share", 0.12,
                            "duplicate_share < 0.05 does not hold (value 0.12)"),
            ConditionResult("n_duplicates <= 10", Status.FAIL, "n_duplicates", 12,
                            "n_duplicates <= 10 does not hold (value 12)"),
            ConditionResult("n_rows > 0", Status.PASS, "n_rows", 100, "n_rows > 0 holds"),
        ),
        tables=(Table(f"Duplicate groups {AMP}", ("row", "copies", "note"),
                      ((1, 3, HOSTILE), (7, 2, AMP), (9, 2, "bell\x07 and esc\x1b[31m"))),),
        charts=(Chart("heatmap", "Correlation of duplicated columns",
                      {"x": ["a", "b", HOSTILE], "y": ["a", "b", HOSTILE],
                       "z": [[1.0, 0.5, -0.2], [0.5, 1.0, None], [-0.2, None, 1.0]]}),
                Chart("line", "Duplicate share over time",
                      {"x": [1, 2, 3, 4, 5],
                       "series": {"current": [0.1, 0.12, None, 0.15, 0.12],
                                  HOSTILE: [0.05, 0.05, 0.06, 0.05, 0.05]}},
                      x_label="batch", y_label="share"),
                Chart("bar", "Empty chart", {"labels": [], "values": []})),
        duration_s=0.05)
    erroring = CheckResult(
        "label_errors", "Label errors", "label", Status.ERROR,
        "the check crashed: ValueError: cannot fit <model>",
        error={"type": "ValueError", "message": "cannot fit <model>",
               "traceback": "Traceback (most recent call last):\n  File \"x.py\", line 1\n"
                            "ValueError: cannot fit <model>\n"},
        duration_s=0.01)
    skipped = CheckResult("feature_leakage", "Feature leakage", "label", Status.SKIP,
                          "not run: needs a target column (--target)")
    return SuiteResult(
        suite="audit", status=Status.ERROR,
        results=(passing, warning, failing, erroring, skipped),
        data={"name": f"train {AMP}.csv", "n_rows": 1000, "n_columns": 6,
              "fingerprint": "sha256:" + "ab" * 32, "target": "y"},
        reference={"name": "reference.csv", "n_rows": 800, "n_columns": 6,
                   "fingerprint": "sha256:" + "cd" * 32},
        model={"name": "LogisticRegression", "adapter": "SklearnAdapter",
               "task": "binary", "classes": [0, 1], "version": None},
        schema={"columns": [{"name": "age", "kind": "numeric", "role": "feature",
                             "reason": "numeric dtype"}]},
        random_state=7, settings={"random_state": 7}, stalwart_version="0.1.0",
        started_at="2024-05-01T12:00:00+00:00", duration_s=0.2723)


@pytest.fixture
def suite_result() -> SuiteResult:
    return _suite()
