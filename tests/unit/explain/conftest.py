"""Planted problems shared by the explanation tests."""

import numpy as np
import pandas as pd
import pytest


def planted(seed: int = 0, n: int = 1200, d: int = 8) -> tuple[pd.DataFrame, np.ndarray]:
    """Only f0, f1, f2 carry signal (logit 2 f0 - 1.5 f1 + f2); f3..f7 are noise."""
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(rng.normal(size=(n, d)), columns=[f"f{i}" for i in range(d)])
    logit = 2.0 * X["f0"] - 1.5 * X["f1"] + 1.0 * X["f2"]
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return X, y


@pytest.fixture(scope="module")
def planted_split():
    X, y = planted()
    return X.iloc[:800], y[:800], X.iloc[800:].reset_index(drop=True), y[800:]
