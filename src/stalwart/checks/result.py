"""Result objects of checks and suites: frozen, plain, JSON round-trippable.

``SuiteResult.to_dict()`` is the one format: the CLI prints it with ``--format json``,
the HTML and JUnit renderers draw it, and later the server stores it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from .._json import jsonable

__all__ = ["SCHEMA_VERSION", "Chart", "CheckResult", "ConditionResult", "Evidence", "Status",
           "SuiteResult", "Table"]

SCHEMA_VERSION = "1.0"


class Status(str, Enum):
    """Outcome of a condition, a check or a suite."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    ERROR = "error"
    SKIP = "skip"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @staticmethod
    def worst(statuses: Sequence[Status]) -> Status:
        """The most severe status; SKIP only when nothing else ran.

        >>> Status.worst([Status.PASS, Status.WARN, Status.SKIP]).value
        'warn'
        >>> Status.worst([]).value
        'skip'
        """
        ran = [s for s in statuses if s is not Status.SKIP]
        if not ran:
            return Status.SKIP
        return max(ran, key=lambda s: s.rank)


_RANK = {Status.SKIP: 0, Status.PASS: 1, Status.WARN: 2, Status.FAIL: 3, Status.ERROR: 4}


@dataclass(frozen=True)
class Table:
    """A small table of evidence: the rows a person would look at first."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    total_rows: int | None = None  # rows before truncation

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "columns": list(self.columns),
                "rows": jsonable(self.rows),
                "total_rows": len(self.rows) if self.total_rows is None else self.total_rows}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Table:
        return cls(raw["title"], tuple(raw["columns"]), tuple(tuple(r) for r in raw["rows"]),
                   raw.get("total_rows"))


@dataclass(frozen=True)
class Chart:
    """Data for a chart, computed by the check; renderers only draw it.

    ``kind`` is ``bar`` (``labels``, ``values``), ``histogram`` (``edges``, ``counts``,
    optional ``reference_counts``) or ``heatmap`` (``x``, ``y``, ``z`` rows).
    """

    kind: str
    title: str
    data: Mapping[str, Any]
    x_label: str = ""
    y_label: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "title": self.title, "data": jsonable(dict(self.data)),
                "x_label": self.x_label, "y_label": self.y_label}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Chart:
        return cls(raw["kind"], raw["title"], raw["data"], raw.get("x_label", ""),
                   raw.get("y_label", ""))


@dataclass(frozen=True)
class Evidence:
    """What a check computes: scalar metrics, a one-line summary, tables and charts."""

    metrics: Mapping[str, Any]
    summary: str
    tables: tuple[Table, ...] = ()
    charts: tuple[Chart, ...] = ()
    reference_metrics: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class ConditionResult:
    description: str
    status: Status
    metric: str
    value: Any
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"description": self.description, "status": self.status.value,
                "metric": self.metric, "value": jsonable(self.value), "message": self.message}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> ConditionResult:
        return cls(raw["description"], Status(raw["status"]), raw["metric"], raw["value"],
                   raw["message"])


@dataclass(frozen=True)
class CheckResult:
    check: str
    title: str
    category: str
    status: Status
    summary: str
    metrics: Mapping[str, Any] = field(default_factory=dict)
    conditions: tuple[ConditionResult, ...] = ()
    tables: tuple[Table, ...] = ()
    charts: tuple[Chart, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)
    duration_s: float = 0.0
    error: Mapping[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check, "title": self.title, "category": self.category,
            "status": self.status.value, "summary": self.summary,
            "metrics": jsonable(dict(self.metrics)),
            "conditions": [c.to_dict() for c in self.conditions],
            "tables": [t.to_dict() for t in self.tables],
            "charts": [c.to_dict() for c in self.charts],
            "params": jsonable(dict(self.params)), "duration_s": round(self.duration_s, 6),
            "error": jsonable(self.error),
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> CheckResult:
        return cls(
            check=raw["check"], title=raw["title"], category=raw["category"],
            status=Status(raw["status"]), summary=raw["summary"], metrics=raw["metrics"],
            conditions=tuple(ConditionResult.from_dict(c) for c in raw["conditions"]),
            tables=tuple(Table.from_dict(t) for t in raw["tables"]),
            charts=tuple(Chart.from_dict(c) for c in raw["charts"]),
            params=raw["params"], duration_s=raw["duration_s"], error=raw.get("error"),
        )


@dataclass(frozen=True)
class SuiteResult:
    """The outcome of a suite run, with everything needed to reproduce and audit it."""

    suite: str
    status: Status
    results: tuple[CheckResult, ...]
    data: Mapping[str, Any]
    reference: Mapping[str, Any] | None = None
    model: Mapping[str, Any] | None = None
    schema: Mapping[str, Any] | None = None
    random_state: int = 0
    settings: Mapping[str, Any] = field(default_factory=dict)
    stalwart_version: str = ""
    started_at: str = ""
    duration_s: float = 0.0
    schema_version: str = SCHEMA_VERSION

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Status}
        for r in self.results:
            out[r.status.value] += 1
        return out

    def exit_code(self, *, fail_on: str = "fail") -> int:
        """0 when the gate passes, 1 when a check failed (or warned, with ``fail_on='warn'``).

        A check that errored also fails the gate: it could not vouch for the data.
        """
        bad = {Status.FAIL, Status.ERROR}
        if fail_on == "warn":
            bad.add(Status.WARN)
        elif fail_on != "fail":
            from ..exceptions import ParameterError
            raise ParameterError("fail_on", expected="'warn' or 'fail'", got=repr(fail_on),
                                 fix="use fail_on='fail' (default) or fail_on='warn'")
        return 1 if any(r.status in bad for r in self.results) else 0

    def by_check(self, name: str) -> CheckResult:
        for r in self.results:
            if r.check == name:
                return r
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version, "suite": self.suite,
            "status": self.status.value, "counts": self.counts(),
            "data": jsonable(self.data), "reference": jsonable(self.reference),
            "model": jsonable(self.model), "schema": jsonable(self.schema),
            "random_state": self.random_state, "settings": jsonable(self.settings),
            "stalwart_version": self.stalwart_version, "started_at": self.started_at,
            "duration_s": round(self.duration_s, 6),
            "results": [r.to_dict() for r in self.results],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> SuiteResult:
        return cls(
            suite=raw["suite"], status=Status(raw["status"]),
            results=tuple(CheckResult.from_dict(r) for r in raw["results"]),
            data=raw["data"], reference=raw.get("reference"), model=raw.get("model"),
            schema=raw.get("schema"), random_state=raw.get("random_state", 0),
            settings=raw.get("settings", {}), stalwart_version=raw.get("stalwart_version", ""),
            started_at=raw.get("started_at", ""), duration_s=raw.get("duration_s", 0.0),
            schema_version=raw.get("schema_version", SCHEMA_VERSION),
        )

    @classmethod
    def from_json(cls, text: str) -> SuiteResult:
        return cls.from_dict(json.loads(text))
