import datetime as dt
import decimal

import numpy as np
import pandas as pd
import pytest

from stalwart.quality.mixed_types import KINDS, mixed_types, numeric_string_mask


def _by_column(result):
    return {c.column: c for c in result.columns}


def test_scalar_column_that_turns_into_lists():
    s = pd.Series([1.0] * 95 + [[1, 2]] * 5, dtype=object)
    c = mixed_types(pd.DataFrame({"x": s})).columns[0]
    assert c.counts == {"number": 95, "container": 5}
    assert c.mixes_containers and c.dominant == "number"
    assert c.minority_share == pytest.approx(0.05)
    assert c.examples == {"container": {"row": 95, "value": "[1, 2]"}}


@pytest.mark.parametrize("dtype", [object, "str"])
def test_numeric_strings_polluted_with_words(dtype):
    values = [str(i) for i in range(97)] + ["unknown", "n/a", "-"]
    c = mixed_types(pd.DataFrame({"x": pd.Series(values, dtype=dtype)})).columns[0]
    assert c.counts == {"numeric_string": 97, "string": 3}
    assert c.dominant == "numeric_string" and not c.mixes_containers
    assert c.minority_share == pytest.approx(0.03)
    assert c.examples["string"] == {"row": 97, "value": "'unknown'"}


def test_numbers_mixed_with_strings_and_booleans():
    s = pd.Series([1, 2.5, "3", "abc", True, None, np.nan], dtype=object)
    c = mixed_types(pd.DataFrame({"x": s})).columns[0]
    assert c.n_values == 5  # missing values are not a kind
    assert c.counts == {"number": 2, "numeric_string": 1, "string": 1, "boolean": 1}
    assert c.minority_share == pytest.approx(3 / 5)
    assert set(c.examples) == {"numeric_string", "string", "boolean"}


def test_single_kind_columns_are_not_reported():
    frame = pd.DataFrame({
        "f": np.arange(10.0), "i": np.arange(10), "b": [True, False] * 5,
        "s": pd.Series(list("abcdefghij"), dtype="str"),
        "o": pd.Series(list("abcdefghij"), dtype=object),
        "nums_as_objects": pd.Series([1, 2.5] * 5, dtype=object),
        "lists": pd.Series([[i] for i in range(10)], dtype=object),
        "dicts": pd.Series([{"a": i} for i in range(10)], dtype=object),
        "when": pd.date_range("2024-01-01", periods=10),
        "cat": pd.Categorical(list("ab") * 5),
        "empty": pd.Series([None] * 10, dtype=object),
        "decimals": pd.Series([decimal.Decimal("1.5"), 2] * 5, dtype=object),
        "all_numeric_strings": pd.Series(["1", "2.5", "-3", "1e4", "1,000"] * 2, dtype="str"),
    })
    result = mixed_types(frame)
    assert result.columns == () and result.n_columns_checked == frame.shape[1]


def test_categorical_with_mixed_categories_counts_by_row():
    s = pd.Series(pd.Categorical([1, "a", 1, 1, None]))
    c = mixed_types(pd.DataFrame({"x": s})).columns[0]
    assert c.counts == {"number": 3, "string": 1}


def test_datetimes_mixed_with_strings_and_other_objects():
    s = pd.Series([dt.date(2024, 1, 1), pd.Timestamp("2024-01-02"), "soon", b"raw"],
                  dtype=object)
    assert mixed_types(pd.DataFrame({"x": s})).columns[0].counts == {
        "string": 1, "datetime": 2, "other": 1}


def test_order_puts_container_mixes_first_then_by_share():
    frame = pd.DataFrame({
        "a": pd.Series(["1"] * 6 + ["x"] * 4, dtype="str"),  # 40% minority
        "b": pd.Series([1] * 9 + [[1]], dtype=object),  # container, 10%
        "c": pd.Series([1] * 8 + ["x"] * 2, dtype=object),  # 20%
    })
    assert [c.column for c in mixed_types(frame).columns] == ["b", "a", "c"]


def test_counts_match_a_direct_tally_on_random_data():
    rng = np.random.default_rng(7)
    pool = np.array([1, 2.5, "7", "x", True, None, (1, 2)], dtype=object)
    kinds = ["number", "number", "numeric_string", "string", "boolean", None, "container"]
    pick = rng.integers(0, len(pool), 5000)
    c = mixed_types(pd.DataFrame({"x": pd.Series(pool[pick], dtype=object)})).columns[0]
    expected = pd.Series([kinds[i] for i in pick]).value_counts().to_dict()
    assert c.counts == {k: expected[k] for k in KINDS if k in expected}


def test_numeric_string_mask_formats():
    values = pd.Series(["12", " 3.5 ", "-1e-3", "+.5", "1,234,567.8", "5.", "1.2.3", "12a",
                        "", "nan", "inf", "1 000", None])
    assert numeric_string_mask(values).tolist() == [
        True, True, True, True, True, True, False, False, False, False, False, False, False]


def test_unreadable_column_is_reported_not_raised():
    class Weird:
        def __hash__(self):
            raise TypeError("no hashing")

    s = pd.Series([Weird(), "a"], dtype=object)
    result = mixed_types(pd.DataFrame({"w": s, "ok": [1, 2]}))
    # a value of an unknown class is the kind "other"; classification never hashes values
    assert result.columns[0].counts == {"string": 1, "other": 1}
    assert result.unexamined == ()


def test_to_dict_is_plain():
    import json
    s = pd.Series([1, "a"], dtype=object)
    d = mixed_types(pd.DataFrame({"x": s})).to_dict()
    json.dumps(d)
    assert d["columns"][0]["counts"] == {"number": 1, "string": 1}


def test_free_text_columns_do_not_split_numeric_strings():
    notes = pd.Series(["called back, all fine"] * 8 + ["42", "7"], dtype="str")
    frame = pd.DataFrame({"note": notes, "mixed": pd.Series([1, "x"] * 5, dtype=object)})
    assert [c.column for c in mixed_types(frame).columns] == ["mixed", "note"]
    assert [c.column for c in mixed_types(frame, text_columns=["note"]).columns] == ["mixed"]
