"""Apply an anonymisation plan to a table: per-column transforms, then suppression to ``k``.

A plan maps a column to a step: ``"drop"`` (suppress the whole column) or a dict with a
``method`` and its options:

============  ==========================================  ==============================
method        options                                     function
============  ==========================================  ==============================
``hash``      ``salt`` (16+ characters), ``length``       :func:`.transforms.hash_values`
``bin``       ``width`` or ``edges``                      :func:`.transforms.bin_numbers`
``date``      ``to``: month, quarter, year                :func:`.transforms.generalise_dates`
``prefix``    ``length``                                  :func:`.transforms.keep_prefix`
``map``       ``mapping``, ``default``                    :func:`.transforms.map_hierarchy`
``drop``      none                                        the column is removed
============  ==========================================  ==============================

With ``quasi_identifiers`` and ``k``, the generalised table is then suppressed to k-anonymity
(:func:`.suppression.suppress_to_k`). The input is never changed. Salts are not echoed in the
result's ``to_dict``.

>>> import pandas as pd
>>> t = pd.DataFrame({"email": ["a@x.org", "b@y.org"], "age": [34, 38], "zip": ["75011", "75012"]})
>>> r = anonymise(t, {"email": {"method": "hash", "salt": "a-long-secret-salt"},
...                   "age": {"method": "bin", "width": 10},
...                   "zip": {"method": "prefix", "length": 2}},
...               quasi_identifiers=["age", "zip"], k=2)
>>> r.frame[["age", "zip"]].values.tolist(), r.suppression.rows_suppressed
([['[30, 40)', '75***'], ['[30, 40)', '75***']], 0)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .._json import jsonable
from ..exceptions import DataError, ParameterError, SchemaError
from .suppression import SuppressionResult, suppress_to_k
from .transforms import bin_numbers, generalise_dates, hash_values, keep_prefix, map_hierarchy

__all__ = ["AnonymisationResult", "METHODS", "anonymise"]

#: method name -> (function, allowed options)
METHODS: dict[str, tuple[Any, frozenset[str]]] = {
    "hash": (hash_values, frozenset({"salt", "length"})),
    "bin": (bin_numbers, frozenset({"width", "edges"})),
    "date": (generalise_dates, frozenset({"to"})),
    "prefix": (keep_prefix, frozenset({"length"})),
    "map": (map_hierarchy, frozenset({"mapping", "default"})),
    "drop": (None, frozenset()),
}
_SECRET = {"salt"}


@dataclass(frozen=True)
class AnonymisationResult:
    """The anonymised table, the steps applied (secrets hidden) and the suppression."""

    frame: pd.DataFrame
    steps: tuple[dict[str, Any], ...]
    suppression: SuppressionResult | None = None

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"schema_version": "1.0", "steps": list(self.steps),
                         "n_rows": len(self.frame), "columns": list(self.frame.columns),
                         "suppression": None if self.suppression is None
                         else self.suppression.to_dict()})


def _step(column: str, spec: Any) -> tuple[str, dict[str, Any]]:
    if spec == "drop":
        return "drop", {}
    if not isinstance(spec, Mapping) or "method" not in spec:
        raise ParameterError(f"plan step for {column!r}", expected="'drop' or a dict with a "
                             "'method'", got=repr(spec),
                             fix="write e.g. {'method': 'bin', 'width': 10}")
    method = spec["method"]
    if method not in METHODS:
        raise ParameterError(f"method for {column!r}", expected=f"one of {sorted(METHODS)}",
                             got=repr(method), fix="pick a listed method")
    options = {k: v for k, v in spec.items() if k != "method"}
    extra = set(options) - METHODS[method][1]
    if extra:
        raise ParameterError(f"options of {method!r} for {column!r}",
                             expected=f"options among {sorted(METHODS[method][1])}",
                             got=f"unknown {sorted(extra)}", fix="drop the unknown options")
    return method, options


def anonymise(frame: pd.DataFrame, plan: Mapping[str, Any], *,
              quasi_identifiers: Sequence[str] | None = None, k: int | None = None,
              how: str = "mask") -> AnonymisationResult:
    """Apply ``plan`` (column -> step) to a copy of ``frame``, then suppress to ``k``."""
    if not isinstance(frame, pd.DataFrame):
        raise DataError("data", expected="a pandas DataFrame", got=type(frame).__name__,
                        fix="pass a DataFrame (read files with stalwart.data.read_table)")
    if not isinstance(plan, Mapping):
        raise ParameterError("plan", expected="a dict column -> step", got=type(plan).__name__,
                             fix="pass e.g. {'age': {'method': 'bin', 'width': 10}}")
    missing = [c for c in plan if c not in frame.columns]
    if missing:
        raise SchemaError("plan", expected="columns of the data", got=f"unknown {missing}",
                          fix=f"use names among {list(frame.columns)[:12]}")
    if (quasi_identifiers is None) != (k is None):
        raise ParameterError("suppression", expected="both quasi_identifiers and k, or neither",
                             got=f"quasi_identifiers={quasi_identifiers!r}, k={k!r}",
                             fix="pass both to suppress rare combinations")
    parsed = {c: _step(c, spec) for c, spec in plan.items()}  # validate all before any work
    out = frame.copy()
    steps = []
    for column, (method, options) in parsed.items():
        if method == "drop":
            out = out.drop(columns=[column])
        else:
            out[column] = METHODS[method][0](out[column], **options)
        steps.append({"column": column, "method": method,
                      **{k_: ("<hidden>" if k_ in _SECRET else v) for k_, v in options.items()}})
    suppression = None
    if quasi_identifiers is not None:
        dropped = [q for q in quasi_identifiers if q not in out.columns]
        if dropped:
            raise ParameterError("quasi_identifiers", expected="columns kept by the plan",
                                 got=f"dropped {dropped}", fix="leave dropped columns out")
        suppression = suppress_to_k(out, quasi_identifiers, k=k, how=how)
        out = suppression.frame
    return AnonymisationResult(out, tuple(steps), suppression)
