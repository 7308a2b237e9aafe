import json

import numpy as np
import pandas as pd
import pytest

from stalwart import DataError, ParameterError, SchemaError

from stalwart.privacy import sample_text_values, scan_pii


def test_each_planted_column_is_found_with_its_detector(pii_values):
    frame = pd.DataFrame(pii_values)
    result = scan_pii(frame)
    best = {}
    for f in result.findings:
        best.setdefault(f.column, f)
    assert {c: f.detector for c, f in best.items()} == {
        "email": "email", "phone": "phone", "card": "payment_card", "iban": "iban",
        "ip": "ipv4", "ssn": "us_ssn"}
    assert all(f.match_share == 1.0 and f.n_sampled == 200 for f in best.values())
    assert result.n_columns_scanned == 6


def test_no_raw_value_reaches_the_result(pii_values):
    frame = pd.DataFrame(pii_values)
    text = json.dumps(scan_pii(frame).to_dict())
    for column, values in pii_values.items():
        for v in values:
            assert v not in text, (column, v)
    assert "**** **** **** " in text and "***@e***.com" in text


def test_name_and_birth_date_columns(pii_values):
    frame = pd.DataFrame({
        "first_name": ["Ann", "Bob", "Chloé", None] * 10,
        "date_of_birth": pd.to_datetime(["1980-01-02", "1975-12-31", None, "2001-07-04"] * 10),
        "comment": ["Ann", "Bob", "Chloé", "x"] * 10,  # same words, not a name column
    })
    result = scan_pii(frame)
    found = {(f.column, f.detector): f for f in result.findings}
    assert set(found) == {("first_name", "person_name"), ("date_of_birth", "date_of_birth")}
    assert found["first_name", "person_name"].examples == ("A***", "B***", "C***")
    assert found["date_of_birth", "date_of_birth"].examples[0] == "****-**-**"
    assert found["date_of_birth", "date_of_birth"].n_sampled == 30  # missing values dropped


def test_sample_is_capped_seeded_and_skips_missing():
    rng = np.random.default_rng(0)
    s = pd.Series(np.where(rng.random(100_000) < 0.5, None,
                           [f"u{i}@example.com" for i in range(100_000)]), dtype="str")
    a = sample_text_values(s, 500, np.random.default_rng(1))
    b = sample_text_values(s, 500, np.random.default_rng(1))
    assert len(a) == 500 and a.equals(b) and a.notna().all()
    result = scan_pii(pd.DataFrame({"e": s}), sample_size=500)
    assert result.findings[0].n_sampled == 500 and result.sample_size == 500


def test_numbers_lists_and_mixed_objects():
    frame = pd.DataFrame({
        "card_as_int": [4111111111111111] * 10,  # numbers are not scanned
        "lists": pd.Series([["a@b.com"]] * 10, dtype=object),
        "mixed": pd.Series(["a@example.com", 5, None, "b@example.org", 2.5] * 2, dtype=object),
        "cat": pd.Categorical(["10.0.0.1", "10.0.0.2"] * 5),
    })
    result = scan_pii(frame)
    found = {(f.column, f.detector): f for f in result.findings}
    assert set(found) == {("mixed", "email"), ("cat", "ipv4")}
    assert found["mixed", "email"].n_sampled == 4  # only the strings
    assert result.n_columns_scanned == 3


def test_detector_subset_and_columns():
    frame = pd.DataFrame({"a": ["x@y.com"] * 3, "b": ["10.0.0.1"] * 3})
    assert [f.detector for f in scan_pii(frame, detectors=["ipv4"]).findings] == ["ipv4"]
    assert [f.column for f in scan_pii(frame, columns=["a"]).findings] == ["a"]


def test_clean_text_has_no_findings(clean_frame):
    assert scan_pii(clean_frame).findings == ()


def test_bad_input_is_refused_with_a_message():
    frame = pd.DataFrame({"contact": ["ann@example.com"] * 5})
    with pytest.raises(SchemaError, match="unknown \\['nope'\\]"):
        scan_pii(frame, ["contact", "nope"])
    with pytest.raises(DataError, match="a pandas DataFrame"):
        scan_pii([["ann@example.com"]])
    for bad in (0, -1, 2.5, True):  # used to mark every column "could not read", silently
        with pytest.raises(ParameterError, match="sample_size"):
            scan_pii(frame, sample_size=bad)
    # one column name as a string is one column, not its characters
    assert [f.column for f in scan_pii(frame, "contact").findings] == ["contact"]
