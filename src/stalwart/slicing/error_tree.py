"""Error-analysis tree: a shallow decision tree that predicts where the model errs.

A :class:`~sklearn.tree.DecisionTreeClassifier` is fitted on the features to predict the
0/1 error indicator (or a :class:`~sklearn.tree.DecisionTreeRegressor` on a continuous
loss). Every node is reported as plain data: its path as readable conditions, its size, its
error rate (mean loss) and its **error coverage**, the share of all errors (total loss) that
falls in it. Categorical columns are one-hot encoded, so their conditions read
``"city == b"`` / ``"city != b"``; missing numeric values are handled by the tree itself.

>>> import numpy as np, pandas as pd
>>> X = pd.DataFrame({"x": np.arange(100.0)})
>>> err = (X["x"] >= 80).astype(float)
>>> tree = error_tree(X, err, max_depth=1, min_samples_leaf=10)
>>> [(leaf.conditions, leaf.error_rate, leaf.error_coverage) for leaf in tree.leaves()]
[(('x > 79.5',), 1.0, 1.0), (('x <= 79.5',), 0.0, 0.0)]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from .._json import jsonable
from ..exceptions import DataError, ParameterError
from .binning import MISSING, OTHER, bin_column

__all__ = ["ErrorTree", "ErrorTreeNode", "error_tree"]


@dataclass(frozen=True)
class ErrorTreeNode:
    """One node: its path from the root, size, error rate and share of all errors."""

    node_id: int
    depth: int
    conditions: tuple[str, ...]
    size: int
    error_rate: float
    error_coverage: float
    is_leaf: bool
    parent: int | None


@dataclass(frozen=True)
class ErrorTree:
    """Every node of the fitted tree, root first (pre-order), and the overall error rate."""

    nodes: tuple[ErrorTreeNode, ...]
    n_rows: int
    overall_error_rate: float
    total_error: float
    kind: str
    max_depth: int
    min_samples_leaf: int
    schema_version: int = 1

    def leaves(self) -> list[ErrorTreeNode]:
        """The leaves, highest error rate first (then largest coverage)."""
        return sorted((n for n in self.nodes if n.is_leaf),
                      key=lambda n: (-n.error_rate, -n.error_coverage, n.node_id))

    def chart(self) -> dict[str, Any]:
        """Data for a tree or icicle chart: one entry per node with its parent."""
        return {"nodes": [{"id": n.node_id, "parent": n.parent,
                           "label": n.conditions[-1] if n.conditions else "all rows",
                           "size": n.size, "error_rate": n.error_rate,
                           "error_coverage": n.error_coverage} for n in self.nodes],
                "overall_error_rate": self.overall_error_rate}

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"schema_version": self.schema_version, "n_rows": self.n_rows,
                         "overall_error_rate": self.overall_error_rate,
                         "total_error": self.total_error, "kind": self.kind,
                         "max_depth": self.max_depth, "min_samples_leaf": self.min_samples_leaf,
                         "nodes": list(self.nodes), "chart": self.chart()})


def _encode(features: pd.DataFrame,
            max_categories: int) -> tuple[np.ndarray, list[tuple[str, str | None]]]:
    """Numeric columns as floats (NaN kept); others one-hot, one indicator per value (the
    most frequent ``max_categories - 1`` values, the rest as one "(other)" indicator)."""
    blocks, names = [], []
    for col in features.columns:
        s = features[col]
        if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
            blocks.append(s.to_numpy(dtype=float, na_value=np.nan)[:, None])
            names.append((str(col), None))
            continue
        binned = bin_column(s, max_categories=max_categories, name=str(col))
        blocks.append(np.eye(len(binned.labels))[binned.codes])
        names += [(str(col), label) for label in binned.labels]
    return np.hstack(blocks), names


def _condition(name: tuple[str, str | None], threshold: float, left: bool,
               missing_left: bool, has_missing: bool) -> str:
    col, value = name
    if value is not None:  # one-hot indicator: <= 0.5 means "not this value"
        if value in (MISSING, OTHER):
            kind = "missing" if value == MISSING else "a less frequent value"
            return f"{col} is {'not ' if left else ''}{kind}"
        return f"{col} != {value}" if left else f"{col} == {value}"
    text = f"{col} <= {threshold:.4g}" if left else f"{col} > {threshold:.4g}"
    if has_missing and missing_left == left:
        text += " or missing"
    return text


def error_tree(features: pd.DataFrame, loss: Any, *, max_depth: int = 3,
               min_samples_leaf: int = 30, max_categories: int = 20,
               random_state: int = 0) -> ErrorTree:
    """Fit a shallow tree on ``features`` to predict ``loss`` (see :func:`.row_loss`)."""
    if not isinstance(features, pd.DataFrame) or features.shape[1] == 0 or len(features) == 0:
        raise DataError("features", expected="a non-empty DataFrame", got=type(features).__name__,
                        fix="pass the feature columns")
    y = np.asarray(loss, dtype=float)
    if y.shape != (len(features),) or not np.all(np.isfinite(y)) or np.any(y < 0):
        raise DataError("loss", expected=f"{len(features)} finite, non-negative values",
                        got=f"shape {y.shape}", fix="compute it with row_loss(...)")
    for name, value in (("max_depth", max_depth), ("min_samples_leaf", min_samples_leaf)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ParameterError(name, expected="an integer >= 1", got=repr(value),
                                 fix="pass max_depth=3, min_samples_leaf=30")
    X, names = _encode(features.reset_index(drop=True), max_categories)
    binary = bool(np.all((y == 0) | (y == 1)))
    est = (DecisionTreeClassifier if binary else DecisionTreeRegressor)(
        max_depth=max_depth, min_samples_leaf=min_samples_leaf, random_state=random_state)
    est.fit(X, y.astype(int) if binary else y)
    # Exact counts from the decision path rather than tree_.value (which holds weighted
    # fractions for classifiers): one sparse product gives every node's size and loss.
    path = est.decision_path(X).tocsc()
    sizes = np.asarray(path.sum(axis=0)).ravel()
    sums = path.T @ y
    total = float(y.sum())
    t = est.tree_
    has_missing = np.isnan(X).any(axis=0)
    nodes: list[ErrorTreeNode] = []
    stack: list[tuple[int, int, tuple[str, ...], int | None]] = [(0, 0, (), None)]
    while stack:
        node, depth, conds, parent = stack.pop()
        leaf = t.children_left[node] == -1
        nodes.append(ErrorTreeNode(int(node), depth, conds, int(sizes[node]),
                                   float(sums[node] / sizes[node]),
                                   float(sums[node] / total) if total > 0 else 0.0,
                                   bool(leaf), parent))
        if leaf:
            continue
        f, thr = int(t.feature[node]), float(t.threshold[node])
        miss_left = bool(t.missing_go_to_left[node])
        for child, left in ((t.children_right[node], False), (t.children_left[node], True)):
            cond = _condition(names[f], thr, left, miss_left, bool(has_missing[f]))
            stack.append((int(child), depth + 1, (*conds, cond), int(node)))
    return ErrorTree(tuple(nodes), int(y.size), total / y.size, total,
                     "classifier" if binary else "regressor", int(max_depth),
                     int(min_samples_leaf))
