"""Seeded data sets shared by the adapter tests (all bundled with scikit-learn, no download)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris


@pytest.fixture(scope="session")
def iris() -> tuple[pd.DataFrame, pd.Series]:
    X, y = load_iris(return_X_y=True, as_frame=True)
    return X, y


@pytest.fixture(scope="session")
def cancer() -> tuple[pd.DataFrame, pd.Series]:
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    return X, y


@pytest.fixture(scope="session")
def diabetes() -> tuple[pd.DataFrame, pd.Series]:
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    return X, y


def make_categorical(n: int = 400, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Two string columns and two numeric ones; the label depends on all of them."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "colour": rng.choice(["red", "green", "blue"], n),
        "plan": rng.choice(["basic", "pro"], n),
        "age": rng.normal(40, 10, n).round(1),
        "spend": rng.gamma(2.0, 50.0, n).round(2),
    })
    score = ((frame["colour"] == "red") * 1.5 + (frame["plan"] == "pro") * 1.0
             + (frame["age"] - 40) / 10 + rng.normal(0, 0.5, n))
    return frame, np.where(score > 1.0, "churn", "stay")


@pytest.fixture(scope="session")
def categorical() -> tuple[pd.DataFrame, np.ndarray]:
    """A frame with string (pandas 3: ``str`` dtype) and numeric columns, string labels."""
    return make_categorical()


@pytest.fixture(scope="session")
def categorical_pipeline():
    """A builder of unfitted pipelines: one-hot on the string columns, scaling, then LR."""
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    def build() -> Pipeline:
        pre = ColumnTransformer([
            ("cat", OneHotEncoder(handle_unknown="ignore"), ["colour", "plan"]),
            ("num", StandardScaler(), ["age", "spend"]),
        ])
        return Pipeline([("pre", pre), ("clf", LogisticRegression(max_iter=1000))])

    return build


@pytest.fixture(scope="session")
def iris_model(iris):
    """LogisticRegression fitted on the iris frame (shared: adapters never mutate it)."""
    from sklearn.linear_model import LogisticRegression

    X, y = iris
    return LogisticRegression(max_iter=1000).fit(X, y)
