import json

import numpy as np
import pandas as pd
from sklearn.datasets import load_breast_cancer

from stalwart import Status, Suite
from stalwart.checks.audit.pii_columns import PiiColumns


def run(frame, **options):
    return Suite("s", [PiiColumns(**options)]).run(frame).results[0]


def test_pii_columns_warn_with_masked_examples_only(clean_frame):
    n = len(clean_frame)
    frame = clean_frame.assign(
        email=[f"client{i}@example.com" for i in range(n)],
        card=["4111 1111 1111 1111"] * n,
        last_name=["Martin", "Bernard", "Dubois", "Durand"] * (n // 4),
    )
    r = run(frame)
    assert r.status is Status.WARN
    assert r.metrics["n_pii_columns"] == 3 and r.metrics["max_match_share"] == 1.0
    assert r.metrics["n_columns_scanned"] == 5  # city, plan and the three planted
    rows = {row[0]: row for row in r.tables[0].rows}
    assert rows["email"][1:3] == ("email", 1.0) and rows["email"][4] == 1000
    assert rows["card"][6] == "**** **** **** 1111"
    assert "review" in r.summary and "email" in r.summary
    text = json.dumps(r.to_dict())
    for raw in ("client0@example.com", "4111 1111 1111 1111", "Martin", "Bernard"):
        assert raw not in text


def test_contact_column_mixing_emails_and_phones_is_flagged():
    values = [f"p{i}@mail.org" if i % 2 else f"+44 20 7946 {1000 + i}" for i in range(400)]
    r = run(pd.DataFrame({"contact": values}))
    assert r.status is Status.WARN
    detectors = {row[1]: row[2] for row in r.tables[0].rows}
    assert detectors == {"email": 0.5, "phone": 0.5}


def test_a_few_stray_matches_stay_below_the_share():
    rng = np.random.default_rng(0)
    codes = ["".join(map(str, rng.integers(0, 10, 16))) for _ in range(3000)]  # random codes
    notes = ["ok"] * 95 + ["a@b.com"] * 5
    r = run(pd.DataFrame({"order_code": codes, "note": notes * 30}))
    assert r.status is Status.PASS, r.summary
    shares = {(row[0], row[1]): row[2] for row in r.tables[0].rows}
    assert shares["order_code", "payment_card"] < 0.1  # Luhn passes 1 in 10 by chance
    assert shares["note", "email"] < 0.1


def test_clean_data_passes(clean_frame):
    r = run(clean_frame)
    assert r.status is Status.PASS and r.metrics["n_pii_columns"] == 0 and r.tables == ()


def test_breast_cancer_passes():
    r = run(load_breast_cancer(as_frame=True).frame)
    assert r.status is Status.PASS and r.metrics["n_columns_scanned"] == 0


def test_threshold_and_columns_options():
    frame = pd.DataFrame({"e": ["a@b.com"] * 2 + ["x"] * 8, "f": ["a@b.com"] * 10})
    assert run(frame).metrics["n_pii_columns"] == 1
    assert run(frame, min_share=0.1).metrics["n_pii_columns"] == 2
    assert run(frame, columns=["e"], min_share=0.1).metrics["n_pii_columns"] == 1


def test_odd_columns_do_not_crash():
    n = 10
    frame = pd.DataFrame({
        "all_missing": pd.Series([None] * n, dtype=object),
        "lists": pd.Series([["a@b.com"]] * n, dtype=object),
        "dob": pd.date_range("1980-01-01", periods=n),
        "mixed": pd.Series([1, "a"] * 5, dtype=object), "num": np.arange(n),
        "s": pd.Series(["x", None] * 5, dtype="str"),
    })
    r = run(frame)
    assert r.status is Status.WARN  # the birth dates
    assert r.tables[0].rows[0][:2] == ("dob", "date_of_birth")
    assert run(frame.iloc[:1]).status is not Status.ERROR
