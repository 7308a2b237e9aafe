"""Univariate drift: false alarms across many columns stay at the nominal level under each
correction (checked with a binomial bound), and planted shifts are found."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from stalwart.data.schema import Schema
from stalwart.drift.univariate import detect_drift
from stalwart.stats.multitest import adjust_p_values

ALPHA = 0.05
REPS = 200
N = 150


def _null_table(rng, n):
    cols = {}
    for i in range(40):
        draw = (rng.normal, rng.exponential, rng.uniform)[i % 3]
        cols[f"x{i:02d}"] = draw(size=n)
    for i in range(10):
        cols[f"c{i}"] = rng.choice(list("abcd"), n, p=[0.4, 0.3, 0.2, 0.1])
    return pd.DataFrame(cols)


@pytest.mark.slow  # 200 repetitions of a 50-column table (about 20 s on a quiet machine)
def test_null_table_keeps_family_wise_and_false_discovery_rates_at_nominal():
    rng = np.random.default_rng(2024)
    schema = Schema.infer(_null_table(rng, 50))
    any_rejection = dict.fromkeys(("bonferroni", "holm", "bh", "none"), 0)
    single_rejections = drifted = 0
    for _ in range(REPS):
        rep = detect_drift(_null_table(rng, N), _null_table(rng, N), schema=schema,
                           correction="none")
        p = np.array([c.p_value for c in rep.columns])
        assert p.size == 50
        single_rejections += int(np.sum(p < ALPHA))
        drifted += len(rep.drifted)
        for correction in any_rejection:
            any_rejection[correction] += bool(np.any(adjust_p_values(p, correction) < ALPHA))
    # one-sided binomial bound: a true rate <= ALPHA exceeds it with probability < 0.1 %
    bound = stats.binom.ppf(0.999, REPS, ALPHA)
    for correction in ("bonferroni", "holm", "bh"):  # under the complete null FDR == FWER
        assert any_rejection[correction] <= bound, (correction, any_rejection)
    # each single test is valid: rejections of 10 000 independent null tests
    assert single_rejections <= stats.binom.ppf(0.999, REPS * 50, ALPHA)
    # without a correction some column is "significant" in nearly every table
    assert any_rejection["none"] > 0.8 * REPS
    assert drifted <= single_rejections


def test_planted_shift_is_found_in_nearly_every_repetition():
    rng = np.random.default_rng(7)
    reps, found, false = 40, 0, 0
    for _ in range(reps):
        ref = pd.DataFrame({f"x{i}": rng.normal(size=400) for i in range(10)})
        cur = pd.DataFrame({f"x{i}": rng.normal(size=400) for i in range(10)})
        cur["x3"] += 0.5
        rep = detect_drift(ref, cur)
        found += "x3" in rep.drifted
        false += len([c for c in rep.drifted if c != "x3"])
    # KS power at n=400, D about 0.2 and 10 columns under BH is above 0.99
    assert found >= reps - 1
    assert false <= stats.binom.ppf(0.999, reps * 9, ALPHA)
