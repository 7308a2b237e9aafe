"""The privacy suite's data checks: pii_scan, k_anonymity, l_diversity, run through Suite.run,
and the Check contract of test_conformance.py over them."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from stalwart import Status

from .. import test_conformance as conformance

DATA_CHECKS = ["pii_scan", "k_anonymity", "l_diversity"]


def _suite():
    from stalwart.checks.privacy import privacy_audit, privacy_suite
    return privacy_audit, privacy_suite


def _people(n=300, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "age_band": rng.choice(["20-29", "30-39", "40-49"], n),
        "zip3": rng.choice(["750", "691"], n),
        "diagnosis": rng.choice(["flu", "cold", "asthma"], n),
        "comment": rng.choice(["fine", "called back", "no issue"], n),
    })


def test_clean_table_passes_every_data_check():
    privacy_audit, _ = _suite()
    r = privacy_audit(_people(), quasi_identifiers=["age_band", "zip3"], sensitive="diagnosis",
                      checks=DATA_CHECKS)
    assert [x.status for x in r.results] == [Status.PASS] * 3
    k = r.results[1]
    assert k.metrics["k"] >= 5 and k.metrics["n_rows_violating"] == 0


def test_planted_pii_fails_with_masked_evidence():
    privacy_audit, _ = _suite()
    frame = _people()
    frame.loc[::50, "comment"] = "reach me at ann.lee@example.com"
    frame["email"] = [f"user{i}@example.org" for i in range(len(frame))]
    r = privacy_audit(frame, checks=["pii_scan"]).results[0]
    assert r.status is Status.FAIL and r.metrics["n_pii_columns"] == 2
    assert r.metrics["n_text_pii_columns"] == 1 and r.metrics["n_value_pii_columns"] == 1
    text = json.dumps(r.to_dict())
    assert "ann.lee@example.com" not in text and "user1@example.org" not in text
    assert "a***@e***.com" in text and "comment (email in text)" in r.summary


def test_rare_combination_breaks_k_anonymity_and_single_valued_class_breaks_l():
    privacy_audit, _ = _suite()
    frame = _people()
    frame.loc[0, ["age_band", "zip3"]] = ["90-99", "130"]
    frame.loc[frame.zip3 == "691", "diagnosis"] = "flu"
    r = privacy_audit(frame, quasi_identifiers=["age_band", "zip3"], sensitive="diagnosis",
                      checks=["k_anonymity", "l_diversity"])
    k, ldiv = r.results
    assert k.status is Status.FAIL and k.metrics["k"] == 1 and k.metrics["n_rows_violating"] == 1
    assert k.tables[0].rows[0] == ("age_band=9****, zip3=1**", 1)
    assert ldiv.status is Status.FAIL and ldiv.metrics["distinct_l"] == 1
    assert ldiv.metrics["entropy_l"] == pytest.approx(1.0)


def test_without_quasi_identifiers_the_checks_skip_with_reason():
    privacy_audit, _ = _suite()
    r = privacy_audit(_people(), checks=["k_anonymity", "l_diversity"])
    assert [x.status for x in r.results] == [Status.SKIP, Status.SKIP]
    assert all("needs the option quasi_identifiers=" in x.summary for x in r.results)
    r = privacy_audit(_people(), quasi_identifiers=["zip3"], checks=["l_diversity"])
    assert r.results[0].status is Status.SKIP and "sensitive" in r.results[0].summary


def test_sensitive_column_from_the_schema_and_unknown_columns_error():
    from stalwart.data import Dataset
    privacy_audit, _ = _suite()
    data = Dataset.from_any(_people(), sensitive=["diagnosis"])
    r = privacy_audit(data, quasi_identifiers=["zip3"], checks=["l_diversity"]).results[0]
    assert r.status is Status.PASS and "'diagnosis'" in r.summary
    bad = privacy_audit(_people(), quasi_identifiers=["nope"], checks=["k_anonymity"])
    assert bad.results[0].status is Status.ERROR and "nope" in bad.results[0].summary


def test_suite_registry_and_unknown_names():
    from stalwart import InputError
    _, privacy_suite = _suite()
    assert [c.name for c in privacy_suite().checks][:3] == DATA_CHECKS
    with pytest.raises(InputError):
        privacy_suite(checks=["nope"])


@pytest.mark.parametrize("name", DATA_CHECKS)
@pytest.mark.parametrize("test", [conformance.test_contract,
                                  conformance.test_odd_columns_never_crash,
                                  conformance.test_single_row_never_crashes])
def test_plain_contract(test, name):
    _suite()[1]()  # registers the privacy checks
    test(name)


@pytest.mark.parametrize("name", DATA_CHECKS)
@pytest.mark.parametrize("test", [conformance.test_clean_data_passes_without_findings,
                                  conformance.test_deterministic_and_serialisable])
def test_contract_on_clean_data(test, name, clean_frame):
    _suite()[1]()
    test(name, clean_frame)


def test_missing_needs_never_skip_pii_scan(clean_frame):
    # k_anonymity and l_diversity skip by design without declared quasi-identifiers
    _suite()[1]()
    conformance.test_missing_needs_skip("pii_scan", clean_frame)
