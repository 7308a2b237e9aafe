"""A Suite runs checks over a dataset and returns one :class:`SuiteResult`."""

from __future__ import annotations

import datetime as dt
import importlib
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .._config import Settings
from .._version import __version__
from ..data import Dataset
from ..exceptions import ParameterError
from .check import CHECKS, Check, CheckContext
from .result import CheckResult, Status, SuiteResult

__all__ = ["Suite", "build_suite", "load_checks"]


class Suite:
    """An ordered list of checks with a name.

    ``run`` accepts any table :class:`Dataset.from_any` accepts. With ``reference_schema=
    "current"`` (the default) reference data is read with the schema of the current data, so
    both sides use the same kinds and roles; with ``"own"`` each side keeps the schema
    inferred from its own values and columns (the drift suite, whose job is to find the
    columns and types that changed).
    """

    def __init__(self, name: str, checks: Sequence[Check], *, description: str = "",
                 reference_schema: str = "current") -> None:
        if reference_schema not in ("current", "own"):
            raise ParameterError("reference_schema", expected="'current' or 'own'",
                                 got=repr(reference_schema),
                                 fix="use 'own' to compare schemas, else 'current'")
        self.name = name
        self.checks = list(checks)
        self.description = description
        self.reference_schema = reference_schema

    def run(
        self,
        data: Any,
        *,
        reference: Any = None,
        model: Any = None,
        target: str | None = None,
        random_state: int | None = None,
        settings: Settings | None = None,
        on_check: Callable[[Check, CheckResult], None] | None = None,
    ) -> SuiteResult:
        settings = settings or Settings.from_env()
        seed = settings.random_state if random_state is None else random_state
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise ParameterError("random_state", expected="an integer", got=repr(seed),
                                 fix="pass random_state=0 or another integer")
        names = [c.name for c in self.checks]
        if len(set(names)) != len(names):
            dup = sorted({n for n in names if names.count(n) > 1})
            raise ParameterError(f"suite {self.name!r}", expected="each check once",
                                 got=f"repeated checks {dup}", fix="drop the repeated checks")
        current = Dataset.from_any(data, target=target, name="data")
        ref = None
        if reference is not None:
            ref = (_align_reference(reference, current) if self.reference_schema == "current"
                   else _own_reference(reference, target))
        if model is not None:
            from ..models import wrap
            model = wrap(model)
        ctx = CheckContext(data=current, reference=ref, model=model, random_state=seed,
                           max_rows_for_model_checks=settings.max_rows_for_model_checks)
        return self.run_context(ctx, settings=settings, on_check=on_check)

    def run_context(
        self,
        ctx: CheckContext,
        *,
        settings: Settings,
        on_check: Callable[[Check, CheckResult], None] | None = None,
        data_summary: dict[str, Any] | None = None,
        reference_summary: dict[str, Any] | None = None,
    ) -> SuiteResult:
        """Run the checks on a prepared context (``run`` builds one from tables; the drift
        suite builds one from two profiles and passes their summaries)."""
        started = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        t0 = time.perf_counter()
        results = []
        for check in self.checks:
            result = check.run(ctx)
            results.append(result)
            if on_check is not None:
                on_check(check, result)
        ref = ctx.reference
        return SuiteResult(
            suite=self.name,
            status=Status.worst([r.status for r in results]),
            results=tuple(results),
            data=data_summary or ctx.data.summary(),
            reference=reference_summary or (None if ref is None else ref.summary()),
            model=None if ctx.model is None else ctx.model.describe(),
            schema=ctx.data.schema.to_dict(),
            random_state=ctx.random_state,
            settings=settings.to_dict(),
            stalwart_version=__version__,
            started_at=started,
            duration_s=time.perf_counter() - t0,
        )

    def __repr__(self) -> str:
        return f"Suite({self.name!r}, checks={[c.name for c in self.checks]})"


def _own_reference(reference: Any, target: str | None) -> Dataset:
    """The reference with its own inferred schema; the target role where it has that column."""
    if isinstance(reference, Dataset):
        return reference
    from ..data import to_pandas

    frame = to_pandas(reference, what="reference")
    return Dataset.from_any(frame, target=target if target in frame.columns else None,
                            name="reference")


def _align_reference(reference: Any, current: Dataset) -> Dataset:
    """Read the reference with the current data's schema (columns it lacks are an error)."""
    if isinstance(reference, Dataset):
        return reference
    from ..data import to_pandas
    from ..exceptions import SchemaError

    frame = to_pandas(reference, what="reference")
    missing = [c for c in current.schema.names if c not in frame.columns]
    if missing:
        raise SchemaError("reference data", expected="the same columns as the data",
                          got=f"missing columns {missing[:10]}",
                          fix="pass a reference with the same columns (or drop them from the data)")
    return Dataset.from_any(frame[current.schema.names], schema=current.schema, name="reference")


def load_checks(catalogue: Mapping[str, str], package: str) -> None:
    """Import the module of every check in ``catalogue`` (name -> module under
    ``package``): each registers its check on import."""
    for module in catalogue.values():
        importlib.import_module(f"{package}.{module}")


def build_suite(name: str, catalogue: Mapping[str, str], package: str, *,
                checks: Sequence[str] | None, options: Mapping[str, Mapping[str, Any]] | None,
                description: str, what: str, **suite_options: Any) -> Suite:
    """A suite of the checks of ``catalogue`` (all, in its order, or the ``checks`` named),
    each built with its ``options``; unknown names are a :class:`ParameterError`."""
    load_checks(catalogue, package)
    names = list(catalogue) if checks is None else list(checks)
    options = dict(options or {})
    unknown = [n for n in list(names) + list(options) if n not in catalogue]
    if unknown:
        raise ParameterError(what, expected=f"names among {list(catalogue)}",
                             got=f"unknown {unknown}", fix="pick names from the list")
    instances: list[Check] = [CHECKS.get(n)(**dict(options.get(n, {}))) for n in names]
    return Suite(name, instances, description=description, **suite_options)
