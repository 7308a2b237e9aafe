"""Window metric ``kpis``: user-defined business KPIs, ``callable(window_frame) -> float``.

In Python a spec may hold the callables themselves; a JSON spec names them, so they must be
registered first with :func:`register_kpi` (the registry :data:`KPIS`). Each KPI is reported
as ``kpi.<name>``; a KPI that raises is reported as None with the error in the details.

>>> import pandas as pd
>>> _ = register_kpi("doctest_rows", lambda frame: float(len(frame)))
>>> from stalwart.monitoring.metrics import WINDOW_METRICS
>>> m = WINDOW_METRICS.get("kpis")
>>> opts = m.resolve({"kpis": {"rows": "doctest_rows"}})
>>> m.compute(m.fit(None, opts), pd.DataFrame({"a": [1, 2]}), opts, {})[0]
{'kpi.rows': 2.0}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..._registry import Registry
from ...exceptions import ParameterError
from .registry import WindowMetric, register_window_metric

__all__ = ["KPIS", "kpi_name", "register_kpi"]

KPIS: Registry[Callable[[Any], float]] = Registry("business KPI")


def register_kpi(name: str, function: Callable[[Any], float]) -> Callable[[Any], float]:
    """Register a KPI function under ``name`` so JSON specs can refer to it."""
    if not callable(function):
        raise ParameterError(f"KPI {name!r}", expected="a callable(frame) -> float",
                             got=type(function).__name__, fix="pass a function")
    return KPIS.register(name, function)


def kpi_name(function: Any) -> str | None:
    """The registered name of ``function`` (or None)."""
    for name, member in KPIS:
        if member is function:
            return name
    return None


def _fit(_reference: Any, options: dict[str, Any]) -> dict[str, Callable[[Any], float]]:
    kpis = options["kpis"]
    if not isinstance(kpis, Mapping):
        raise ParameterError("kpis", expected="a mapping {name: callable or registered name}",
                             got=type(kpis).__name__, fix="pass kpis={'revenue': fn}")
    out = {}
    for name, fn in kpis.items():
        out[str(name)] = KPIS.get(fn) if isinstance(fn, str) else fn
        if not callable(out[str(name)]):
            raise ParameterError(f"KPI {name!r}", expected="a callable or a registered name "
                                 f"(one of {KPIS.names()})", got=repr(fn),
                                 fix="register it with register_kpi(name, fn)")
    return out


def _compute(state: dict[str, Callable[[Any], float]], frame: Any, _options: dict[str, Any],
             _run: dict[str, Any]) -> tuple[dict[str, float | None], dict[str, Any]]:
    out: dict[str, float | None] = {}
    errors = {}
    for name, fn in state.items():
        try:
            value = fn(frame)
            out[f"kpi.{name}"] = None if value is None else float(value)
        except Exception as exc:  # a user's KPI must not stop the monitor
            out[f"kpi.{name}"] = None
            errors[name] = f"{type(exc).__name__}: {exc}"
    return out, {"errors": errors} if errors else {}


register_window_metric(WindowMetric(
    name="kpis", fit=_fit, compute=_compute,
    keys=lambda state, _o: tuple(f"kpi.{n}" for n in state), options={"kpis": {}},
    description="user-defined business KPIs, callable(window frame) -> float"))
