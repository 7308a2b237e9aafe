import hashlib
import hmac

import numpy as np
import pandas as pd
import pytest

from stalwart import DataError, InputError, ParameterError
from stalwart.privacy import (anonymise, bin_numbers, generalise_dates, hash_values,
                              k_anonymity, keep_prefix, map_hierarchy)

SALT = "0123456789abcdef-salt"


def test_hash_is_hmac_sha256_truncated_and_deterministic_per_salt():
    s = pd.Series(["ann@example.com", "bob@example.com", None, 42])
    out = hash_values(s, salt=SALT, length=20)
    expected = hmac.new(SALT.encode(), b"ann@example.com", hashlib.sha256).hexdigest()[:20]
    assert out.iloc[0] == expected and out.iloc[2] is None
    assert out.iloc[3] == hmac.new(SALT.encode(), b"42", hashlib.sha256).hexdigest()[:20]
    assert out.equals(hash_values(s, salt=SALT, length=20))
    other = hash_values(s, salt=SALT + "x", length=20)
    assert not (other.dropna() == out.dropna()).any()


@pytest.mark.parametrize("salt", ["", "short", b"123456789012345", 12345678901234567890,
                                  None])
def test_short_salts_are_refused(salt):
    with pytest.raises(ParameterError, match="at least 16 characters") as info:
        hash_values(["a"], salt=salt)
    assert "secrets.token_hex" in info.value.fix


def test_bins():
    s = pd.Series([0, 9.99, 10, -1, np.nan, 120])
    assert bin_numbers(s, width=10).tolist() == ["[0, 10)", "[0, 10)", "[10, 20)", "[-10, 0)",
                                                 None, "[120, 130)"]
    assert bin_numbers(s, edges=[0, 18, 65]).tolist() == ["[0, 18)", "[0, 18)", "[0, 18)",
                                                          "< 0", None, ">= 65"]
    with pytest.raises(DataError):
        bin_numbers(pd.Series(["a"]), width=1)
    with pytest.raises(ParameterError):
        bin_numbers(s)
    with pytest.raises(ParameterError):
        bin_numbers(s, edges=[3, 1])
    # numpy scalars are numbers too (a width read from an array); a bool is not
    assert bin_numbers(s, width=np.int64(10)).equals(bin_numbers(s, width=10))
    with pytest.raises(ParameterError):
        bin_numbers(s, width=True)


def test_dates_prefixes_and_hierarchy():
    d = pd.Series(pd.to_datetime(["2024-03-15", None, "2023-12-31"]))
    assert generalise_dates(d, to="month").tolist() == ["2024-03", None, "2023-12"]
    assert generalise_dates(d, to="year").tolist() == ["2024", None, "2023"]
    assert generalise_dates(d, to="quarter").tolist() == ["2024-Q1", None, "2023-Q4"]
    with pytest.raises(DataError):
        generalise_dates(pd.Series(["not a date"]))
    assert keep_prefix(pd.Series(["75011", None, "6"]), length=2).tolist() == ["75***", None, "6"]
    cities = pd.Series(["Lyon", "Paris", "Nice", None])
    mapping = {"Lyon": "ARA", "Paris": "IDF"}
    with pytest.raises(DataError, match="1 values without a parent"):
        map_hierarchy(cities, mapping=mapping)
    assert map_hierarchy(cities, mapping=mapping, default="other").tolist() == [
        "ARA", "IDF", "other", None]


def test_plan_generalises_then_suppresses_to_k():
    rng = np.random.default_rng(0)
    n = 400
    frame = pd.DataFrame({"email": [f"u{i}@example.com" for i in range(n)],
                          "age": rng.integers(18, 90, n), "zip": rng.integers(10000, 99999, n)
                          .astype(str), "visit": pd.date_range("2023-01-01", periods=n, freq="D"),
                          "notes": ["x"] * n})
    assert k_anonymity(frame, ["age", "zip"]).k == 1
    plan = {"email": {"method": "hash", "salt": SALT}, "age": {"method": "bin", "width": 20},
            "zip": {"method": "prefix", "length": 1}, "visit": {"method": "date", "to": "year"},
            "notes": "drop"}
    r = anonymise(frame, plan, quasi_identifiers=["age", "zip"], k=5)
    assert k_anonymity(r.frame, ["age", "zip"]).k >= 5
    assert "notes" not in r.frame.columns and len(r.frame) == n
    assert r.suppression.rows_suppressed == r.suppression.to_dict()["rows_suppressed"] < n // 5
    d = r.to_dict()
    assert SALT not in str(d) and d["steps"][0]["salt"] == "<hidden>"
    assert frame["age"].dtype.kind == "i"  # input unchanged


@pytest.mark.parametrize("plan, match", [
    ({"nope": "drop"}, "unknown"), ({"a": {"method": "blur"}}, "one of"),
    ({"a": {"method": "bin", "size": 3}}, "unknown \\['size'\\]"), ({"a": 5}, "'drop' or a dict"),
])
def test_bad_plans(plan, match):
    with pytest.raises(InputError, match=match):
        anonymise(pd.DataFrame({"a": [1, 2]}), plan)
    with pytest.raises(DataError, match="a pandas DataFrame"):  # was an AttributeError
        anonymise([[1, 2]], plan)
    with pytest.raises(InputError, match="both quasi_identifiers and k"):
        anonymise(pd.DataFrame({"a": [1, 2]}), {}, k=5)
