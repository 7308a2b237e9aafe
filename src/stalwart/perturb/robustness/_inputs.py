"""What a stress run checks before it starts: the data's kind, the labels, the severities,
the seed, and the perturbations (registry names, classes or configured instances).

Perturbations register when their subpackage is imported; :func:`load_perturbations`
imports the ones that exist (tabular, text, image), so names resolve even when the caller
imported only :mod:`stalwart.perturb.robustness`.

>>> data_kind(np.zeros((3, 2))), data_kind(["a text"]), data_kind(np.zeros((2, 8, 8, 3)))
('tabular', 'text', 'image')
>>> seed_for(0, "gaussian_noise", 2) == seed_for(0, "gaussian_noise", 2)
True
"""

from __future__ import annotations

import importlib
import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from ...exceptions import DataError, ParameterError
from ..base import PERTURBATIONS, SEVERITIES, Perturbation, check_severity

__all__ = ["as_labels", "check_n_jobs", "check_seed", "data_kind", "load_perturbations",
           "resolve_perturbations", "resolve_severities", "seed_for"]

_SUBPACKAGES = ("tabular", "text", "image")


def load_perturbations() -> None:
    """Import every perturbation subpackage that exists, so its members register."""
    for sub in _SUBPACKAGES:
        try:
            importlib.import_module(f"stalwart.perturb.{sub}")
        except ModuleNotFoundError as exc:  # not written yet, or an extra is missing
            if exc.name != f"stalwart.perturb.{sub}":
                continue


def data_kind(X: Any) -> str:
    """'tabular' (a frame or a 2-D array), 'text' (a list of strings) or 'image' (an array
    of 3 or more dimensions)."""
    if isinstance(X, pd.DataFrame):
        return "tabular"
    if isinstance(X, (list, tuple, pd.Series)) or (isinstance(X, np.ndarray) and X.ndim == 1):
        values = list(X)
        if values and all(isinstance(v, str) for v in values):
            return "text"
    if isinstance(X, np.ndarray) and X.ndim == 2:
        return "tabular"
    if isinstance(X, np.ndarray) and X.ndim >= 3:
        return "image"
    raise DataError("X", expected="a table (DataFrame or 2-D array), a list of texts or an "
                    "array of images (n, height, width[, channels])",
                    got=f"{type(X).__name__}" + (f" of shape {X.shape}"
                                                 if hasattr(X, "shape") else ""),
                    fix="pass the model's input rows in one of those forms")


def as_labels(y: Any, n: int, *, task: str, classes: Any) -> np.ndarray | None:
    if y is None:
        return None
    labels = np.asarray(y)
    if labels.ndim != 1 or len(labels) != n:
        raise DataError("y", expected=f"one label per row of X ({n})",
                        got=f"shape {labels.shape}", fix="pass the labels of the same rows")
    if pd.isna(labels).any():
        raise DataError("y", expected="a label on every row", got=f"{int(pd.isna(labels).sum())}"
                        " missing labels", fix="drop the unlabelled rows from X and y")
    if task == "classification" and classes is not None:
        unknown = ~np.isin(labels, np.asarray(classes))
        if unknown.any():
            raise DataError("y", expected=f"classes the model knows {list(classes)[:10]}",
                            got=f"{int(unknown.sum())} rows with other labels, e.g. "
                                f"{labels[unknown][:3].tolist()}",
                            fix="drop those rows or stress a model trained on them")
    return labels


def resolve_severities(severities: Any) -> tuple[int, ...]:
    if isinstance(severities, (int, np.integer)) and not isinstance(severities, bool):
        severities = [severities]
    if not isinstance(severities, Sequence) or isinstance(severities, str) or not severities:
        raise ParameterError("severities", expected=f"a non-empty list among {list(SEVERITIES)}",
                             got=repr(severities), fix="pass e.g. severities=(1, 2, 3, 4, 5)")
    return tuple(sorted({check_severity(s) for s in severities}))


def check_n_jobs(n_jobs: Any) -> None:
    if n_jobs is not None and (isinstance(n_jobs, bool)
                               or not isinstance(n_jobs, (int, np.integer)) or n_jobs == 0):
        raise ParameterError("n_jobs", expected="None, a positive number of threads or -1 "
                             "(all cores)", got=repr(n_jobs), fix="pass n_jobs=None")


def check_seed(random_state: Any) -> None:
    if random_state is not None and (isinstance(random_state, bool)
                                     or not isinstance(random_state, (int, np.integer))):
        raise ParameterError("random_state", expected="an integer or None", got=repr(random_state),
                             fix="pass random_state=0")


def seed_for(random_state: int | None, name: str, severity: int) -> int | None:
    """A seed of its own for each perturbation and severity, keyed by the perturbation's
    *name* (not its position), so adding a perturbation to a run changes no other cell."""
    if random_state is None:
        return None
    seq = np.random.SeedSequence(int(random_state), spawn_key=(zlib.crc32(name.encode()),
                                                                int(severity)))
    return int(seq.generate_state(1)[0])


def resolve_perturbations(perturbations: Any, kind: str) -> list[Perturbation]:
    """Templates (unfitted, severity to be set) for ``perturbations``: None means every
    registered perturbation of the data's ``kind``."""
    load_perturbations()
    if perturbations is None:
        names = [n for n in PERTURBATIONS.names()
                 if PERTURBATIONS.capabilities(n)["kind"] == kind]
        if not names:
            raise ParameterError("perturbations", expected=f"registered {kind} perturbations",
                                 got=f"none of kind {kind!r} among {PERTURBATIONS.names()}",
                                 fix="pass perturbation instances or install the extra that "
                                     "provides them")
        perturbations = names
    if isinstance(perturbations, (str, Perturbation)) or not isinstance(perturbations, Sequence):
        perturbations = [perturbations]
    if not perturbations:
        raise ParameterError("perturbations", expected="at least one perturbation",
                             got="an empty list", fix="pass names such as ['gaussian_noise'] "
                                                      "or leave it unset for all")
    out: list[Perturbation] = []
    for item in perturbations:
        if isinstance(item, str):
            item = PERTURBATIONS.get(item)()
        elif isinstance(item, type) and issubclass(item, Perturbation):
            item = item()
        elif isinstance(item, Perturbation):
            item = clone(item)
        else:
            raise ParameterError("perturbations", expected="registry names, Perturbation "
                                 "classes or instances", got=repr(item)[:80],
                                 fix=f"pick names among {PERTURBATIONS.names()}")
        if item.kind != kind:
            raise ParameterError(f"perturbation {item.name!r}", expected=f"a {kind} "
                                 "perturbation for this data", got=f"a {item.kind} one",
                                 fix=f"drop it or pass {item.kind} data")
        out.append(item)
    names = [p.name for p in out]
    if len(set(names)) != len(names):
        raise ParameterError("perturbations", expected="each perturbation once",
                             got=f"repeated {sorted({n for n in names if names.count(n) > 1})}",
                             fix="configure one instance per name, or run stress_test twice")
    return out
