"""ID-like columns: measurements stored as integers are not flagged; keys are."""

import numpy as np
import pandas as pd

from stalwart.quality.id_like_columns import id_like_columns

RUNS = 200


def test_integer_measurements_are_rarely_flagged():
    flagged = 0
    for seed in range(RUNS):
        rng = np.random.default_rng(seed)
        n = int(rng.integers(100, 5000))
        df = pd.DataFrame({
            "count": rng.poisson(rng.uniform(1, 500), n),
            "cents": rng.integers(0, 10 ** int(rng.integers(6, 10)), n),
            "grams": np.round(rng.lognormal(8, 1, n)).astype(int),
            "year": rng.integers(1950, 2024, n),
        })
        flagged += len(id_like_columns(df).flagged) > 0
    assert flagged <= 0.05 * RUNS


def test_keys_after_filtering_are_flagged():
    flagged = 0
    for seed in range(RUNS):
        rng = np.random.default_rng(seed)
        n = int(rng.integers(100, 5000))
        keys = rng.permutation(np.arange(1000, 1000 + n))
        kept = keys[rng.random(n) < rng.uniform(0.3, 1.0)]  # a split or a filter
        flagged += id_like_columns(pd.DataFrame({"k": kept})).flagged != ()
    assert flagged >= 0.9 * RUNS
