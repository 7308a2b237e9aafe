"""Pipeline-path novelty: flag a sample whose path through the modules was never seen in
training for the output it produced.

A record is ``(path, output)``: ``path`` is the sequence of modules/branches the sample went
through (a list or tuple of names, or a string split on ``separator``), ``output`` what the
pipeline produced (keyed by ``str(output)``). ``fit`` counts, for every output, the paths that
produced it in the reference. A new sample is flagged when its path never produced its output
in the reference (including an output never seen at all); flagged samples list the paths seen
for that output. Its score is ``1 - count(path, output) / count(output)`` (1.0 = never seen).

The rule is fixed, not calibrated, so the model is fitted on the *whole* reference; the
expected false-flag rate is *measured* instead: the reference is split as for the other
detectors, the rule is learned on the training part and applied to the held-out part, and
the share flagged there is reported (a note warns when it exceeds ``false_flag_rate``: the
reference then does not cover the pipeline's normal paths). p-values are conformal against
those held-out scores (approximate, as the final counts include the held-out records).

>>> ref = [(("parse", "classify", "rule_a"), "approve")] * 60 + \\
...       [(("parse", "classify", "rule_b"), "reject")] * 40
>>> det = PipelinePathNovelty().fit(ref)
>>> r = det.detect([(("parse", "classify", "rule_a"), "approve"),
...                 (("parse", "classify", "rule_b"), "approve")])
>>> r.flags.tolist(), r.details[1]["seen_paths"]
([False, True], [['parse', 'classify', 'rule_a']])
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import DataError, SchemaError
from .base import BaseNovelty, take

__all__ = ["PipelinePathNovelty"]

Record = tuple[tuple[str, ...], str]


class PipelinePathNovelty(BaseNovelty):
    """Flag samples whose module path never produced their output in training."""

    method = "pipeline_path"

    def __init__(self, *, path_column: str = "path", output_column: str = "output",
                 separator: str = ">", max_seen_paths: int = 10, false_flag_rate: float = 0.01,
                 calibration_size: float = 0.3, random_state: int | None = 0,
                 top_k: int = 10) -> None:
        super().__init__(false_flag_rate=false_flag_rate, calibration_size=calibration_size,
                         random_state=random_state, top_k=top_k)
        self.path_column = path_column
        self.output_column = output_column
        self.separator = separator
        self.max_seen_paths = max_seen_paths

    # -- input ----------------------------------------------------------------------------
    def _ingest(self, data: Any, *, fitting: bool) -> list[Record]:
        what = "reference" if fitting else "data"
        if fitting:
            self.notes_ = []
        self._run_notes: list[str] = []
        if isinstance(data, pd.DataFrame):
            cols = [self.path_column, self.output_column]
            missing = [c for c in cols if c not in data.columns]
            if missing:
                raise SchemaError(what, expected=f"columns {cols}",
                                  got=f"columns {list(map(str, data.columns[:10]))}",
                                  fix="pass path_column= and output_column=")
            rows = list(zip(data[self.path_column].tolist(), data[self.output_column].tolist()))
        else:
            rows = list(data)
        if not rows:
            raise DataError(what, expected="at least one (path, output) record", got="0",
                            fix="pass a non-empty sequence of records")
        return [self._record(r, i, what) for i, r in enumerate(rows)]

    def _record(self, row: Any, i: int, what: str) -> Record:
        if isinstance(row, Mapping):
            try:
                row = (row[self.path_column], row[self.output_column])
            except KeyError:
                raise SchemaError(f"{what} record {i}", expected=f"keys {self.path_column!r} "
                                  f"and {self.output_column!r}", got=f"keys {list(row)[:10]}",
                                  fix="pass path_column= and output_column=") from None
        if not isinstance(row, (tuple, list)) or len(row) != 2:
            raise DataError(f"{what} record {i}", expected="a (path, output) pair",
                            got=repr(row)[:80], fix="pass records as (path, output)")
        path, output = row
        if isinstance(path, str):
            path = [p.strip() for p in path.split(self.separator)]
        if not isinstance(path, (tuple, list, np.ndarray)) or len(path) == 0:
            raise DataError(f"{what} record {i} path", expected="a non-empty sequence of "
                            "module names", got=repr(path)[:80],
                            fix="pass the modules the sample went through, e.g. ('a', 'b')")
        if output is None or (isinstance(output, float) and np.isnan(output)):
            raise DataError(f"{what} record {i} output", expected="an output value",
                            got="a missing value", fix="drop records without an output")
        return tuple(str(p) for p in path), str(output)

    # -- model ----------------------------------------------------------------------------
    @staticmethod
    def _count(records: list[Record]) -> dict[str, Counter]:
        counts: dict[str, Counter] = {}
        for path, out in records:
            counts.setdefault(out, Counter())[path] += 1
        return counts

    @staticmethod
    def _rarity(counts: dict[str, Counter], records: list[Record]) -> np.ndarray:
        out = np.ones(len(records))
        for i, (path, o) in enumerate(records):
            c = counts.get(o)
            if c is not None and c[path]:
                out[i] = 1.0 - c[path] / sum(c.values())
        return out

    def _min_calibration(self, rate: float) -> int:
        return 1

    def fit(self, reference: Any) -> PipelinePathNovelty:
        records = self._ingest(reference, fitting=True)
        train_idx, cal_idx = self._split(len(records))
        held_out = self._rarity(self._count(take(records, train_idx)), take(records, cal_idx))
        self.calibration_scores_ = np.sort(held_out)
        self.expected_false_flag_rate_ = float(np.mean(held_out >= 1.0))
        if self.expected_false_flag_rate_ > self.false_flag_rate:
            self.notes_.append(
                f"{self.expected_false_flag_rate_:.1%} of held-out reference records took a "
                "path not seen in the rest of the reference (more than false_flag_rate="
                f"{self.false_flag_rate:g}): the reference does not cover the normal paths; "
                "expect more flags than the chosen rate, or give more reference records")
        self._fit_model(records)  # the rule is learned from every reference record
        self.threshold_ = 1.0
        self.n_train_, self.n_calibration_ = len(records), int(cal_idx.size)
        return self

    def _fit_model(self, items: list[Record]) -> None:
        self.counts_ = self._count(items)

    def _score_items(self, items: list[Record]) -> np.ndarray:
        return self._rarity(self.counts_, items)

    def _flag(self, scores: np.ndarray) -> np.ndarray:
        return scores >= 1.0  # never seen for this output

    def seen_paths(self, output: Any) -> list[tuple[str, ...]]:
        """Paths that produced ``output`` in the reference, most frequent first."""
        self._check_fitted("seen_paths")
        return [p for p, _ in self.counts_.get(str(output), Counter()).most_common()]

    def _details(self, items: list[Record], scores: np.ndarray) -> list[dict[str, Any]]:
        out = []
        for (path, o), s in zip(items, scores):
            c = self.counts_.get(o, Counter())
            d: dict[str, Any] = {"path": list(path), "output": o, "path_count": int(c[path]),
                                 "output_seen": o in self.counts_}
            if s >= 1.0:
                d["seen_paths"] = [list(p) for p, _ in c.most_common(self.max_seen_paths)]
            out.append(d)
        return out

    def _params(self) -> dict[str, Any]:
        return {"n_outputs": len(self.counts_),
                "n_paths": sum(len(c) for c in self.counts_.values()),
                "rule": "flag when the path never produced this output in the reference"}
