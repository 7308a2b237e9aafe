"""Build and run the drift suite: what changed between reference and current data.

Fed two tables, every check runs on raw rows (exact statistics). Fed two profiles (or asked
for ``profiles=True``), the suite compares
:class:`~stalwart.stats.profile.DatasetProfile` objects built in constant memory: schema,
unit and value changes and per-feature drift come from the sketches (approximate, with the
error bounds in docs/profiles.md), and checks that need raw rows skip, saying so.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from ..._config import Settings
from ...data import Dataset
from ...stats.profile import DatasetProfile, profile
from ..check import Check, CheckContext
from ..result import CheckResult, SuiteResult
from ..suite import Suite, build_suite, load_checks
from ._inputs import PROFILES, TARGET

__all__ = ["DRIFT_CHECKS", "check_drift", "drift_suite"]

#: check name -> module under ``stalwart.checks.drift``, in the order the suite runs them
DRIFT_CHECKS: dict[str, str] = {
    "schema_changes": "schema_changes",
    "unit_changes": "unit_changes",
    "value_changes": "value_changes",
    "feature_drift": "feature_drift",
    "multivariate_drift": "multivariate_drift",
    "novelty_rate": "novelty_rate",
    "prediction_drift": "prediction_drift",
    "label_drift": "label_drift",
    "estimated_performance": "estimated_performance",
}


def _load() -> None:
    load_checks(DRIFT_CHECKS, __package__)


def drift_suite(*, checks: Sequence[str] | None = None,
                options: Mapping[str, Mapping[str, Any]] | None = None) -> Suite:
    """The drift suite; ``checks`` picks a subset, ``options`` sets check options.

    >>> drift_suite(checks=["feature_drift"], options={"feature_drift": {"alpha": 0.01}}).checks
    [FeatureDrift(..., alpha=0.01, ...)]
    """
    return build_suite("drift", DRIFT_CHECKS, __package__, checks=checks,
                       options=options,
                       description="What changed between reference (training) and current data",
                       what="drift checks", reference_schema="own")


def check_drift(reference: Any, current: Any, *, model: Any = None, target: str | None = None,
                profiles: bool = False, checks: Sequence[str] | None = None,
                options: Mapping[str, Mapping[str, Any]] | None = None,
                random_state: int | None = None, settings: Settings | None = None,
                on_check: Callable[[Check, CheckResult], None] | None = None) -> SuiteResult:
    """Run the drift suite on ``current`` against ``reference``.

    Both may be tables (anything :meth:`Dataset.from_any` reads) or
    :class:`DatasetProfile` objects; with ``profiles=True`` tables are profiled first (in
    chunks) and compared through their profiles only.
    """
    suite = drift_suite(checks=checks, options=options)
    given = isinstance(reference, DatasetProfile) or isinstance(current, DatasetProfile)
    if not (profiles or given):
        # labels usually arrive later than the inputs: the target may be in the reference
        # only (then label drift skips and performance is estimated without labels)
        cur = _table(current, target, "data")
        ref = _table(reference, target, "reference")
        if target is not None and cur.target is None and ref.target is None:
            from ...exceptions import SchemaError
            raise SchemaError("target column", expected="a column of the reference or the "
                              "current data", got=f"{target!r}, in neither",
                              fix="pass the label column's name, or no target")
        return suite.run(cur, reference=ref, model=model, random_state=random_state,
                         settings=settings, on_check=on_check)
    settings = settings or Settings.from_env()
    seed = settings.random_state if random_state is None else random_state
    ref_p = reference if isinstance(reference, DatasetProfile) else profile(reference)
    cur_p = current if isinstance(current, DatasetProfile) else profile(current)
    data = _stand_in(cur_p, "current (profile)")
    ref = _stand_in(ref_p, "reference (profile)")
    if model is not None:
        from ...models import wrap
        model = wrap(model)
    ctx = CheckContext(data=data, reference=ref, model=model, random_state=seed,
                       max_rows_for_model_checks=settings.max_rows_for_model_checks)
    ctx.cache[PROFILES] = (ref_p, cur_p)
    ctx.cache[TARGET] = target
    return suite.run_context(ctx, settings=settings, on_check=on_check,
                             data_summary=_summary(cur_p, "current (profile)"),
                             reference_summary=_summary(ref_p, "reference (profile)"))


def _table(data: Any, target: str | None, name: str) -> Dataset:
    if isinstance(data, Dataset):
        return data
    from ...data import to_pandas

    frame = to_pandas(data, what=name)
    return Dataset.from_any(frame, target=target if target in frame.columns else None,
                            name=name)


_DTYPES = {"numeric": "float64", "boolean": "boolean", "datetime": "datetime64[ns]"}


def _stand_in(prof: DatasetProfile, name: str) -> Dataset:
    """A zero-row table with the profile's columns and kinds: checks read the schema from
    it, and the statistics from the profiles in the run's cache."""
    frame = pd.DataFrame({c: pd.Series([], dtype=_DTYPES.get(k, "object"))
                          for c, k in prof.kinds.items()})
    return Dataset.from_any(frame, name=name, allow_empty=True)


def _summary(prof: DatasetProfile, name: str) -> dict[str, Any]:
    digest = hashlib.sha256(prof.to_bytes()).hexdigest()
    return {"name": name, "n_rows": prof.n_rows, "n_columns": len(prof), "target": None,
            "fingerprint": f"sha256:{digest}", "from_profile": True}
