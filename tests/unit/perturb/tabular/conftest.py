"""A mixed table every tabular perturbation test draws from."""

import numpy as np
import pandas as pd
import pytest

import stalwart.perturb.tabular

#: importing the subpackage registers the tabular perturbations
REGISTERED = stalwart.perturb.tabular.__all__


def mixed(n: int = 400, seed: int = 0) -> pd.DataFrame:
    """Numeric (float, integer), categorical (str and category dtype), boolean, datetime,
    free text and a column of lists, on a non-default index."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "height": rng.normal(170.0, 10.0, n),
        "age": rng.integers(18, 90, n),
        "city": rng.choice(["paris", "lyon", "nice"], n),
        "plan": pd.Categorical(rng.choice(["basic", "pro"], n)),
        "active": rng.random(n) < 0.5,
        "joined": pd.date_range("2020-01-01", periods=n, freq="D"),
        "review": [f"the parcel arrived on day {i} and it was fine" for i in range(n)],
        "tags": [["a", "b"]] * n,
    }, index=pd.RangeIndex(100, 100 + n, name="row"))


@pytest.fixture
def frame() -> pd.DataFrame:
    return mixed()
