"""k-anonymity, l-diversity and suppression checked against a brute-force count in Python."""

import math
from collections import Counter, defaultdict

import numpy as np
import pandas as pd
import pytest

from stalwart import InputError
from stalwart.privacy import k_anonymity, l_diversity, suppress_to_k


def _key(row, cols):
    return tuple("<NA>" if pd.isna(row[c]) else row[c] for c in cols)


def _brute(frame, qi, sensitive=None):
    classes = defaultdict(list)
    for _, row in frame.iterrows():
        classes[_key(row, qi)].append(None if sensitive is None else
                                      ("<NA>" if pd.isna(row[sensitive]) else row[sensitive]))
    return classes


def _random_table(seed, n=120):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "age": rng.choice([20, 30, 40, 50, np.nan], n, p=[0.3, 0.3, 0.2, 0.15, 0.05]),
        "zip": rng.choice(["750", "691", "130", "330"], n, p=[0.5, 0.3, 0.15, 0.05]),
        "sex": rng.choice(["F", "M"], n),
        "disease": rng.choice(["flu", "cold", "asthma", None], n, p=[0.5, 0.3, 0.15, 0.05]),
    })


@pytest.mark.parametrize("seed", range(6))
def test_k_and_class_sizes_match_brute_force(seed):
    frame = _random_table(seed)
    qi = ["age", "zip", "sex"]
    classes = _brute(frame, qi)
    sizes = [len(v) for v in classes.values()]
    r = k_anonymity(frame, qi, target_k=5)
    assert r.k == min(sizes) and r.n_classes == len(classes) and r.n_rows == len(frame)
    assert r.class_sizes == dict(sorted(Counter(sizes).items()))
    assert r.n_rows_violating == sum(s for s in sizes if s < 5)
    assert len(r.violating) == min(50, sum(s < 5 for s in sizes))
    assert [s for _, s in r.violating] == sorted(s for s in sizes if s < 5)[:50]
    assert r.satisfied is (min(sizes) >= 5)


@pytest.mark.parametrize("seed", range(6))
def test_l_diversity_matches_brute_force(seed):
    frame = _random_table(seed)
    qi = ["zip", "sex"]
    classes = _brute(frame, qi, "disease")
    distinct = [len(set(v)) for v in classes.values()]

    def entropy(values):
        n = len(values)
        return -sum(c / n * math.log(c / n) for c in Counter(values).values())
    r = l_diversity(frame, qi, "disease", target_l=3)
    assert r.distinct_l == min(distinct)
    assert r.entropy_l == pytest.approx(math.exp(min(entropy(v) for v in classes.values())))
    assert r.entropy_l <= r.distinct_l + 1e-12
    assert r.n_classes_violating == sum(d < 3 for d in distinct)
    assert r.worst[0]["distinct"] == min(distinct)


def test_violating_classes_are_masked():
    frame = pd.DataFrame({"zip": ["75011"] * 5 + ["69003"], "age": [34] * 5 + [81]})
    r = k_anonymity(frame, ["zip", "age"])
    assert r.violating == (({"zip": "6****", "age": "8*"}, 1),)
    assert "69003" not in str(r.to_dict()) and "81" not in str(r.to_dict()["violating"])


def test_suppression_reaches_k_and_reports_rows_lost():
    for seed in range(4):
        frame = _random_table(seed)
        qi = ["age", "zip", "sex"]
        for how in ("mask", "drop"):
            r = suppress_to_k(frame, qi, k=5, how=how)
            after = k_anonymity(r.frame, qi, target_k=5)
            assert after.k >= 5 and r.k_after == after.k and r.warning is None
            small = sum(len(v) for v in _brute(frame, qi).values() if len(v) < 5)
            if how == "drop":
                assert r.rows_suppressed == small == len(frame) - len(r.frame)
            else:
                assert r.rows_suppressed >= small and len(r.frame) == len(frame)
                assert (r.frame["zip"] == "*").sum() == r.rows_suppressed
    assert frame["zip"].ne("*").all()  # the input is untouched


def test_masked_class_grows_to_k_and_impossible_k_is_a_warning():
    frame = pd.DataFrame({"zip": ["750"] * 6 + ["691", "692", "693"] + ["130"] * 3})
    r = suppress_to_k(frame, ["zip"], k=4)
    # three singletons (3 rows) are not enough: the next smallest class (3 rows) joins them
    assert r.rows_suppressed == 6 and r.k_after == 6 and r.classes_suppressed == 4
    tiny = suppress_to_k(frame.iloc[:3], ["zip"], k=5)
    assert tiny.warning and "fewer than k=5" in tiny.warning and tiny.k_after == 3


def test_bad_inputs():
    frame = _random_table(0)
    with pytest.raises(InputError, match="at least one column"):
        k_anonymity(frame, [])
    with pytest.raises(InputError, match="unknown"):
        k_anonymity(frame, ["nope"])
    with pytest.raises(InputError, match="target_k"):
        k_anonymity(frame, ["zip"], target_k=0)
    with pytest.raises(InputError, match="not a quasi-identifier"):
        l_diversity(frame, ["zip"], "zip")
    with pytest.raises(InputError, match="one column name"):  # was a raw ValueError
        l_diversity(frame, ["zip"], ["age", "sex"])
    with pytest.raises(InputError, match="'mask' or 'drop'"):
        suppress_to_k(frame, ["zip"], how="delete")
    empty = k_anonymity(frame.iloc[:0], ["zip"])
    assert empty.k is None and not empty.satisfied and empty.n_classes == 0
