"""Shared fixtures: small seeded tables used across the test suite."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from threadpoolctl import threadpool_limits

# One BLAS/OpenMP thread: on a shared 2-core machine, oversubscribed threads made
# gradient boosting 10-50x slower, and results do not depend on the thread count.
threadpool_limits(1)


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(0)


@pytest.fixture
def clean_frame() -> pd.DataFrame:
    """A realistic clean table: numeric and categorical features and a learnable target."""
    rng = np.random.default_rng(42)
    n = 2000
    age = rng.normal(40, 12, n).round(1)
    income = rng.lognormal(10, 0.5, n).round(2)
    city = rng.choice(["paris", "lyon", "nice", "lille"], n, p=[0.4, 0.3, 0.2, 0.1])
    plan = rng.choice(["basic", "pro"], n)
    score = rng.normal(0, 1, n)
    logit = 0.04 * (age - 40) + 0.8 * score + (plan == "pro") * 0.5
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return pd.DataFrame({"age": age, "income": income, "city": city, "plan": plan,
                         "score": score, "y": y})
