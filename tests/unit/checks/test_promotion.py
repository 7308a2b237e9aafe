"""The promotion gate: fails for one weak pinned customer, passes otherwise; errors."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from stalwart import Status, Suite, SuiteResult
from stalwart.checks.promotion import PROMOTION_CHECKS, promotion_suite, run_promotion_suite
from stalwart.exceptions import DataError, ParameterError
from stalwart.lifecycle import compare_frame, gate_comparison, promotion_gate
from stalwart.reports import render_html, render_junit


def _traffic(seed: int = 0, *, acme_breaks: float = 0.0) -> pd.DataFrame:
    """1000 rows over three customers; the new version is the old one with a few fixes,
    and on acme it also turns ``acme_breaks`` of the rows the old one had right wrong."""
    rng = np.random.default_rng(seed)
    n = 1000
    customer = rng.choice(["acme", "globex", "initech"], n, p=[0.2, 0.5, 0.3])
    y = rng.integers(0, 3, n)
    old = np.where(rng.random(n) < 0.85, y, (y + 1) % 3)
    new = np.where((old != y) & (rng.random(n) < 0.5), y, old)  # fixes half the errors
    breaks = (customer == "acme") & (old == y) & (rng.random(n) < acme_breaks)
    new = np.where(breaks, (y + 2) % 3, new)
    return pd.DataFrame({"y_true": y, "old": old, "new": new, "customer": customer})


def test_gate_passes_a_compatible_update():
    result = promotion_gate(_traffic(), segment="customer", pinned=["acme", "globex"])
    assert result.status is Status.PASS and result.exit_code() == 0
    assert [r.check for r in result.results] == list(PROMOTION_CHECKS)
    nfr = result.by_check("negative_flip_rate")
    assert nfr.metrics["negative_flip_rate"] == 0.0
    assert nfr.metrics["negative_flip_rate[acme]"] == 0.0
    assert len(nfr.conditions) == 3  # overall + two pinned customers


def test_gate_fails_for_one_weak_pinned_customer_and_names_it():
    data = _traffic(acme_breaks=0.3)
    comparison = compare_frame(data, segment="customer")
    acme = comparison.segment("acme").metrics
    assert acme.negative_flip_rate > 0.05 > comparison.overall.metrics.negative_flip_rate
    result = promotion_gate(data, segment="customer", pinned=["acme", "globex"])
    assert result.status is Status.FAIL and result.exit_code() == 1
    nfr = result.by_check("negative_flip_rate")
    failed = [c.description for c in nfr.conditions if c.status is Status.FAIL]
    assert failed == ["negative flip rate at most 0.05 for pinned customer 'acme'"]
    assert "acme" in nfr.summary and "globex" not in nfr.summary.split("failing:")[1]
    assert nfr.metrics["negative_flip_rate[acme]"] == acme.negative_flip_rate
    btc = result.by_check("backward_trust_compatibility")
    assert btc.metrics["backward_trust_compatibility[acme]"] == pytest.approx(
        acme.backward_trust_compatibility)
    assert btc.status is Status.FAIL
    # the same update passes when acme is not pinned (the overall rates hold)
    unpinned = promotion_gate(data, segment="customer", pinned=["globex"])
    assert unpinned.exit_code() == 0


def test_threshold_is_inclusive_and_configurable():
    data = _traffic(acme_breaks=0.3)
    acme = compare_frame(data, segment="customer").segment("acme").metrics
    result = promotion_gate(data, segment="customer", pinned=["acme"],
                            max_negative_flip_rate=acme.negative_flip_rate,
                            min_backward_trust=acme.backward_trust_compatibility,
                            min_accuracy_change=acme.accuracy_change)
    assert result.exit_code() == 0, [r.summary for r in result.results]


def test_a_pinned_customer_without_rows_errors_naming_it():
    result = promotion_gate(_traffic(), segment="customer", pinned=["acme", "umbrella"])
    assert result.exit_code() == 1
    for r in result.results:
        assert r.status is Status.ERROR and "umbrella" in r.summary


def test_pins_need_a_segment_column():
    with pytest.raises(ParameterError, match="segment"):
        promotion_gate(_traffic(), pinned=["acme"])
    comparison = compare_frame(_traffic())
    result = gate_comparison(comparison, pinned=["acme"])
    assert all(r.status is Status.ERROR and "segment" in r.summary for r in result.results)


def test_different_label_sets_are_an_error_before_any_check():
    data = _traffic()
    data.loc[3, "new"] = 9
    with pytest.raises(DataError, match=r"new version.*\[9\]"):
        promotion_gate(data, segment="customer", pinned=["acme"])


def test_result_round_trips_and_renders():
    result = promotion_gate(_traffic(acme_breaks=0.3), segment="customer", pinned=["acme"],
                            checks=["negative_flip_rate"])
    assert [r.check for r in result.results] == ["negative_flip_rate"]
    assert result.data["n_rows"] == 1000 and result.data["target"] == "y_true"
    text = result.to_json()
    assert SuiteResult.from_json(text).to_dict() == json.loads(text)
    page = render_html(result)
    assert "pinned customer &#39;acme&#39;" in page or "pinned customer 'acme'" in page
    assert "<failure" in render_junit(result)


def test_gate_on_a_comparison_alone_records_its_size():
    comparison = compare_frame(_traffic(), segment="customer")
    result = gate_comparison(comparison, pinned=["initech"])
    assert result.exit_code() == 0 and result.data["n_rows"] == 1000


def test_checks_without_a_comparison_skip_saying_why(clean_frame):
    suite = promotion_suite()
    result = Suite("s", suite.checks).run(clean_frame, target="y")
    for r in result.results:
        assert r.status is Status.SKIP and "comparison of two model versions" in r.summary


@pytest.mark.parametrize(("kwargs", "text"), [
    ({"pinned": "acme"}, "list"),
    ({"max_negative_flip_rate": "0.1"}, "max_negative_flip_rate"),
    ({"min_backward_trust": float("nan")}, "min_backward_trust"),
    ({"checks": ["nope"]}, "nope"),
])
def test_bad_suite_options(kwargs, text):
    with pytest.raises(ParameterError, match=text):
        promotion_suite(**kwargs)


def test_run_needs_a_comparison_document():
    with pytest.raises(DataError, match="VersionComparison"):
        run_promotion_suite(promotion_suite(), {"overall": {}})
