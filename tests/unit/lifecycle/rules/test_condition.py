"""The condition language: every operator, missing values, type checks, injections refused."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from stalwart.exceptions import DataError, ParameterError, SchemaError
from stalwart.lifecycle.rules import RuleCondition, column_kinds

FRAME = pd.DataFrame({
    "country": ["DE", "FR", None, "DE", "IT"],
    "amount": [20000.0, 50.0, 700.0, np.nan, 3.0],
    "n": [1, 2, 3, 4, 5],
    "vip": [True, False, True, False, False],
    "loan amount": [1.0, 2.0, 3.0, 4.0, 5.0],
})


def ev(text: str) -> list[bool]:
    return RuleCondition.parse(text).evaluate(FRAME).tolist()


@pytest.mark.parametrize("text, expected", [
    ('country == "DE"', [True, False, False, True, False]),
    ('country != "DE"', [False, True, False, False, True]),  # missing: false, not true
    ("amount < 700", [False, True, False, False, True]),
    ("amount <= 700", [False, True, True, False, True]),
    ("amount > 700", [True, False, False, False, False]),
    ("amount >= 700", [True, False, True, False, False]),
    ("1 < n <= 3", [False, True, True, False, False]),
    ('country in ("DE", "IT")', [True, False, False, True, True]),
    ('country in ["DE"]', [True, False, False, True, False]),
    ('country not in ("DE", "IT")', [False, True, False, False, False]),
    ("country is missing", [False, False, True, False, False]),
    ("amount is not missing", [True, True, True, False, True]),
    ('country == "DE" and amount > 100', [True, False, False, False, False]),
    ('country == "IT" or n == 2', [False, True, False, False, True]),
    ('not country == "DE"', [False, True, True, False, True]),
    ("vip", [True, False, True, False, False]),
    ("not vip and n > 3", [False, False, False, True, True]),
    ("n + 1 == 3", [False, True, False, False, False]),
    ("n - 1 == 0", [True, False, False, False, False]),
    ("n * 2 > 7", [False, False, False, True, True]),
    ("n / 2 == 1.5", [False, False, True, False, False]),
    ("n // 2 == 1", [False, True, True, False, False]),
    ("n % 2 == 0", [False, True, False, True, False]),
    ("-n < -4", [False, False, False, False, True]),
    ("amount / 0 > 1", [True, True, True, False, True]),  # x/0 is inf, NaN stays missing
    ("`loan amount` >= 4", [False, False, False, True, True]),
    ("True", [True] * 5),
    ("n in (-1, 2)", [False, True, False, False, False]),
])
def test_every_operator(text, expected):
    assert ev(text) == expected


def test_names_are_the_columns_and_outputs_read():
    c = RuleCondition.parse('`loan amount` > 1 and prediction == "a" or proba_a < 0.5')
    assert c.names == frozenset({"loan amount", "prediction", "proba_a"})


def test_backticks_inside_a_string_literal_are_text():
    c = RuleCondition.parse('country == "`DE`"')
    assert c.names == frozenset({"country"})
    assert not c.evaluate(FRAME).any()


@pytest.mark.parametrize("text, needle", [
    ("__import__('os').system('echo x')", "function call"),
    ("open('/etc/passwd') is missing", "function call"),
    ("country.__class__ == 1", "attribute access"),
    ("amount.real > 1", "attribute access"),
    ("country[0] == 'D'", "subscript"),
    ("(lambda: 1)() == 1", "function call"),
    ("[c for c in ()] == []", "comprehension"),
    ("n ** 10 ** 10 > 1", "power"),
    ("__builtins__ == 1", "starts with '__'"),
    ("(x := 1) == 1", "assignment"),
    ("{'a': 1} == 1", "dict"),
    ("f'{n}' == '1'", "f-string"),
    ("n & 1 == 1", "bitwise"),
    ("n if n else n", "if-expression"),
    ("amount + 1", "must be true or false"),
    ("'DE'", "must be true or false"),
    ("country is None", "'is' only tests"),
    ("country == missing", "'missing' is only valid"),
    ("country in countries", "needs a tuple of literals"),
    ("country in (other,)", "must be literals"),
    ("n == b'x'", "not a string, number or boolean"),
])
def test_injection_and_unknown_constructs_are_refused(text, needle):
    with pytest.raises(ParameterError) as err:
        RuleCondition.parse(text)
    assert needle in str(err.value)


@pytest.mark.parametrize("text", ["amount >", "(", "", "   ", "a == `b", "a == ``"])
def test_syntax_errors_are_clear(text):
    with pytest.raises(ParameterError):
        RuleCondition.parse(text)


def test_very_long_or_deep_conditions_are_refused():
    with pytest.raises(ParameterError, match="at most"):
        RuleCondition.parse("n == 1 or " * 300 + "n == 2")
    with pytest.raises(ParameterError, match="levels of nesting"):
        RuleCondition.parse("not " * 400 + "vip")
    with pytest.raises(ParameterError, match="levels of nesting"):
        RuleCondition.parse("-" * 100 + "n == 1")
    assert RuleCondition.parse("not " * 20 + "vip").evaluate(FRAME).tolist() == ev("vip")


def test_check_refuses_unknown_names_and_kind_mismatches():
    kinds = column_kinds(FRAME)
    assert kinds == {"country": "text", "amount": "number", "n": "number", "vip": "bool",
                     "loan amount": "number"}
    RuleCondition.parse('country == "DE" and amount > 1').check(kinds)
    with pytest.raises(SchemaError, match=r"unknown name\(s\) \['ammount'\]"):
        RuleCondition.parse("ammount > 1").check(kinds)
    with pytest.raises(SchemaError, match="number value compared with a text"):
        RuleCondition.parse('amount > "1000"').check(kinds)
    with pytest.raises(SchemaError, match="text value compared with a number"):
        RuleCondition.parse("country in (1, 2)").check(kinds)
    with pytest.raises(SchemaError, match="arithmetic between a text"):
        RuleCondition.parse("country * 2 > 1").check(kinds)
    with pytest.raises(SchemaError, match="used as true/false"):
        RuleCondition.parse("not amount").check(kinds)


def test_evaluation_type_errors_become_data_errors():
    frame = pd.DataFrame({"mixed": [1, "a"]})
    with pytest.raises(DataError, match="values its operators can compare"):
        RuleCondition.parse("mixed > 0").evaluate(frame)


def test_non_boolean_column_used_as_truth_is_a_data_error():
    with pytest.raises(DataError, match="used as true/false"):
        RuleCondition.parse("country").evaluate(FRAME)


def test_text_never_reaches_multiplication_it_counts_as_missing():
    """pandas repeats text under `*`: "xy" * 10**9 would be a gigabyte per row."""
    import tracemalloc
    frame = pd.DataFrame({"s": ["xy", 1, 3]})
    tracemalloc.start()
    try:
        hits = RuleCondition.parse("s * 1000000000 > 2000000000").evaluate(frame)
        const = RuleCondition.parse("'x' * 100000000 == 'q'").evaluate(frame)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert hits.tolist() == [False, False, True] and const.tolist() == [False] * 3
    assert peak < 10_000_000
    joined = RuleCondition.parse("a + b == 'xy'").evaluate(
        pd.DataFrame({"a": ["x", "y"], "b": ["y", "y"]}))
    assert joined.tolist() == [True, False]  # text + text still joins


def test_a_missing_value_in_a_nullable_boolean_column_is_false():
    frame = pd.DataFrame({"flag": pd.array([True, None, False], dtype="boolean")})
    assert RuleCondition.parse("flag").evaluate(frame).tolist() == [True, False, False]
    assert RuleCondition.parse("not flag").evaluate(frame).tolist() == [False, True, True]


def test_a_backtick_inside_a_triple_quoted_string_is_refused_not_misread():
    with pytest.raises(ParameterError, match="triple-quoted"):
        RuleCondition.parse("x == '''a' `b` '''")
    assert RuleCondition.parse("`my col` == 'a`b'").names == frozenset({"my col"})
