"""Duplicates: continuous data never looks near-duplicated; planted copies are always found."""

import numpy as np
import pandas as pd

from stalwart.quality.duplicates import duplicates

RUNS = 200


def test_no_false_near_duplicates_and_planted_copies_found():
    false_alarms = misses = 0
    for seed in range(RUNS):
        rng = np.random.default_rng(seed)
        n = 500
        df = pd.DataFrame({"a": rng.normal(size=n), "b": rng.lognormal(size=n),
                           "c": rng.choice(["x", "y"], n)})
        r = duplicates(df)
        false_alarms += r.n_duplicate_rows + r.n_near_duplicate_rows > 0
        k = int(rng.integers(1, 10))
        copies = df.sample(k, random_state=seed).assign(c=lambda d: d.c.str.upper() + " ",
                                                        a=lambda d: d.a * (1 + 1e-10))
        planted = duplicates(pd.concat([df, copies], ignore_index=True))
        misses += planted.n_near_duplicate_rows != k
    assert false_alarms == 0
    assert misses <= 0.05 * RUNS
