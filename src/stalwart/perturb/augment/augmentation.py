"""Training-time augmentation: the training set plus perturbed copies of it.

A perturbation is a scikit-learn transformer, so it fits in a ``Pipeline``; but a
transformer in a pipeline *replaces* ``X`` by its transform (at fit and again at predict)
and never adds rows, so it cannot enlarge a training set (and it would perturb the rows
at prediction time too). Augmentation needs the perturbed copies *appended*:
:func:`augment` fits each perturbation on the clean ``X`` and returns ``X`` followed by
``copies`` perturbed copies per perturbation (each copy with its own seed drawn from
``random_state``), with ``y`` repeated alongside; train on that, and predict as usual.

Rows come back as the input's type (a DataFrame, an array, a list of texts), stacked by
pandas or numpy: a column whose copies gained missing values or a new type takes the
common dtype (an integer column with injected NaN becomes float). A
perturbation that changed nothing (every note says it did not apply, such as a text
perturbation on numbers) is a :class:`~stalwart.exceptions.ParameterError` quoting its
notes: appending unchanged copies would only duplicate the data.

>>> import numpy as np, pandas as pd
>>> from stalwart.perturb.tabular import GaussianNoise
>>> X = pd.DataFrame({"x": np.arange(10.0)})
>>> Xa, ya = augment(X, np.arange(10) % 2, [GaussianNoise(severity=2)], copies=2,
...                  random_state=0)
>>> len(Xa), ya[:3].tolist(), bool((Xa.iloc[:10] == X).all().all())
(30, [0, 1, 0], True)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import clone

from ...exceptions import ParameterError
from ._rows import check_xy, stack_rows, take_rows

__all__ = ["augment"]


def augment(X: Any, y: Any, perturbations: Sequence[Any], *, copies: int = 1,
            random_state: Any = None) -> tuple[Any, np.ndarray]:
    """``X`` and ``copies`` perturbed copies per perturbation; ``y`` repeated."""
    labels = check_xy(X, y)
    if isinstance(copies, bool) or not isinstance(copies, (int, np.integer)) or copies < 1:
        raise ParameterError("copies", expected="an integer >= 1", got=repr(copies),
                             fix="pass copies=1")
    if not isinstance(perturbations, (list, tuple)) or not perturbations:
        raise ParameterError("perturbations", expected="a non-empty list of perturbations",
                             got=repr(perturbations), fix="pass [GaussianNoise(severity=2)]")
    seeds = np.random.default_rng(random_state).integers(2**32, size=(len(perturbations),
                                                                      int(copies)))
    parts, n = [X], len(labels)
    for p, row_seeds in zip(perturbations, seeds, strict=True):
        if isinstance(p, type) or not callable(getattr(p, "transform", None)) \
                or not hasattr(p, "get_params"):
            raise ParameterError("perturbations", expected="stalwart perturbations "
                                 "(scikit-learn transformers)", got=type(p).__name__,
                                 fix="pass perturbation objects, not classes or names")
        fitted = clone(p).fit(X)
        for seed in row_seeds:
            out = fitted.set_params(random_state=int(seed)).transform(X)
            notes = getattr(fitted, "notes_", [])
            if notes and not any(note.applied for note in notes):
                reasons = "; ".join(f"{note.target}: {note.reason}" for note in notes)
                raise ParameterError(f"perturbation {type(p).__name__}",
                                     expected="one that applies to these data",
                                     got=f"it changed nothing ({reasons})",
                                     fix="drop it or choose one for these columns")
            parts.append(out)
    total = len(parts)
    y_out = take_rows(y if hasattr(y, "iloc") else labels, np.tile(np.arange(n), total))
    return stack_rows(parts), y_out
