import json
import math

import numpy as np
import pytest

from stalwart import InputError
from stalwart.privacy.dp import (PrivacyAccountant, PrivacyBudgetError, dp_count, dp_mean,
                                 dp_profile)


def test_basic_composition_adds_up_and_fits_exactly():
    acc = PrivacyAccountant(epsilon=0.3, delta=1e-5)
    acc.spend(0.1, label="a")
    acc.spend(0.2, 1e-5, label="b", mechanism="gaussian")  # 0.1 + 0.2 == 0.3 in floats: fits
    assert acc.spent_epsilon == pytest.approx(0.3) and acc.spent_delta == pytest.approx(1e-5)
    assert acc.remaining_epsilon == pytest.approx(0.0, abs=1e-12)
    assert [e.label for e in acc.ledger] == ["a", "b"]


def test_exhausted_budget_gives_a_clear_error_and_records_nothing():
    acc = PrivacyAccountant(epsilon=1.0)
    acc.spend(0.6, label="count")
    with pytest.raises(PrivacyBudgetError) as info:
        acc.spend(0.5, label="mean")
    err = info.value
    assert isinstance(err, InputError)
    assert "spent 0.6 of 1" in err.expected and "at most epsilon=0.4" in err.expected
    assert "'mean' asking epsilon=0.5" in err.got and "0.4 or less" in err.fix
    assert len(acc.ledger) == 1
    acc.spend(0.4, label="last")
    with pytest.raises(PrivacyBudgetError, match="the budget is spent"):
        acc.spend(0.01)


def test_delta_budget_is_enforced_too():
    acc = PrivacyAccountant(epsilon=10.0, delta=1e-6)
    with pytest.raises(PrivacyBudgetError, match="delta"):
        acc.spend(0.1, 1e-5)


def test_releases_spend_before_drawing_noise():
    acc = PrivacyAccountant(epsilon=1.0)
    dp_count(np.arange(10), epsilon=0.5, accountant=acc)
    dp_mean(np.arange(10), lower=0, upper=10, epsilon=0.5, accountant=acc)
    with pytest.raises(PrivacyBudgetError):
        dp_count(np.arange(10), epsilon=0.1, accountant=acc)
    assert [e.label for e in acc.ledger] == ["count", "mean"]


def test_profile_release_is_refused_whole_when_it_does_not_fit():
    import pandas as pd

    from stalwart.stats.profile import profile
    p = profile(pd.DataFrame({"x": [1.0, 2.0], "y": [3.0, 4.0]}))
    acc = PrivacyAccountant(epsilon=1.0)
    acc.spend(0.5)
    with pytest.raises(PrivacyBudgetError):
        dp_profile(p, epsilon=0.8, accountant=acc)
    assert len(acc.ledger) == 1  # nothing half-spent
    dp_profile(p, epsilon=0.5, accountant=acc)
    assert len(acc.ledger) == 3 and acc.spent_epsilon == pytest.approx(1.0)


def test_advanced_composition_matches_the_theorem():
    k, eps, slack = 200, 0.01, 1e-6
    acc = PrivacyAccountant(epsilon=5.0, delta=2e-6, composition="advanced", delta_slack=slack)
    for i in range(k):
        acc.spend(eps, label=f"q{i}")
    # Dwork, Rothblum & Vadhan: sqrt(2k ln(1/delta')) eps + k eps (e^eps - 1)
    expected = math.sqrt(2 * k * math.log(1 / slack)) * eps + k * eps * math.expm1(eps)
    assert expected < k * eps  # many small steps: advanced beats basic here
    assert acc.spent_epsilon == pytest.approx(expected)
    assert acc.spent_delta == pytest.approx(slack)
    assert acc.to_dict()["bound_used"] == "advanced"
    few = PrivacyAccountant(epsilon=5.0, delta=2e-6, composition="advanced")
    few.spend(0.5)
    few.spend(0.5)
    assert few.spent_epsilon == pytest.approx(1.0) and few.to_dict()["bound_used"] == "basic"


def test_json_round_trip_keeps_the_ledger():
    acc = PrivacyAccountant(epsilon=2.0, delta=1e-5, composition="advanced")
    acc.spend(0.3, label="count", mechanism="laplace")
    acc.spend(0.2, 1e-6, label="mean", mechanism="gaussian")
    raw = json.loads(acc.to_json())
    assert raw["schema_version"] == "1.0" and len(raw["ledger"]) == 2
    back = PrivacyAccountant.from_json(acc.to_json())
    assert back.to_dict() == acc.to_dict()


@pytest.mark.parametrize("kwargs", [{"epsilon": 0}, {"epsilon": -1}, {"epsilon": float("nan")},
                                    {"epsilon": 1, "delta": -1},
                                    {"epsilon": 1, "composition": "rdp"},
                                    {"epsilon": 1, "composition": "advanced"}])
def test_bad_budgets_are_refused(kwargs):
    with pytest.raises(InputError, match="Fix:"):
        PrivacyAccountant(**kwargs)


def test_numpy_budgets_are_numbers():
    # the mechanisms accept numpy scalars, so the accountant must too (np.float32 was refused)
    acc = PrivacyAccountant(np.float32(1.0))
    dp_count([1.0, 2.0], epsilon=np.float32(0.5), accountant=acc)
    acc.spend(np.float64(0.25), label="x")
    assert acc.spent_epsilon == pytest.approx(0.75) and len(acc.ledger) == 2
