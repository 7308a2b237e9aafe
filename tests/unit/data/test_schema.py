import numpy as np
import pandas as pd
import pytest

from stalwart import ColumnSpec, Kind, Role, Schema, SchemaError


def test_infers_kinds_and_roles_with_reasons():
    df = pd.DataFrame({
        "customer_id": ["c1", "c2", "c3", "c4"],
        "age": [30, 40, 50, 60],
        "income": [1.5, 2.5, np.nan, 3.0],
        "flag": [True, False, True, True],
        "when": pd.to_datetime(["2024-01-01"] * 4),
        "city": ["a", "b", "a", "b"],
        "note": ["the quick brown fox jumps", "over the lazy dog again today",
                 "a third long free text line", "and one more sentence of words"],
        "tags": [[1], [2], [3], [4]],
        "y": [0, 1, 0, 1],
    })
    schema = Schema.infer(df, target="y")
    got = {c.name: (c.kind, c.role) for c in schema}
    assert got == {
        "customer_id": (Kind.CATEGORICAL, Role.ID),
        "age": (Kind.NUMERIC, Role.FEATURE),
        "income": (Kind.NUMERIC, Role.FEATURE),
        "flag": (Kind.BOOLEAN, Role.FEATURE),
        "when": (Kind.DATETIME, Role.TIMESTAMP),
        "city": (Kind.CATEGORICAL, Role.FEATURE),
        "note": (Kind.TEXT, Role.TEXT),
        "tags": (Kind.OTHER, Role.FEATURE),
        "y": (Kind.CATEGORICAL, Role.TARGET),
    }
    assert "declared role" in schema["y"].reason
    assert "unique" in schema["customer_id"].reason
    assert schema["age"].integer and not schema["income"].integer
    assert schema.target == "y"
    assert schema.features == ["age", "income", "flag", "city", "tags"]


def test_numeric_target_with_many_values_is_regression():
    df = pd.DataFrame({"x": range(100), "y": np.linspace(0, 1, 100)})
    assert Schema.infer(df, target="y")["y"].kind is Kind.NUMERIC


def test_id_name_with_repeated_values_stays_feature():
    df = pd.DataFrame({"store_id": [1, 1, 2, 2]})
    assert Schema.infer(df)["store_id"].role is Role.FEATURE


def test_overrides_and_declared_kinds():
    df = pd.DataFrame({"zip": [75001, 69001, 75001], "s": ["f", "m", "f"]})
    schema = Schema.infer(df, kinds={"zip": "categorical"}, roles={"s": "sensitive"})
    assert schema["zip"].kind is Kind.CATEGORICAL
    assert schema["s"].role is Role.SENSITIVE and schema.sensitive == ["s"]
    changed = schema.override("zip", role="segment", allowed=("75001",))
    assert changed["zip"].role is Role.SEGMENT and changed["zip"].allowed == ("75001",)
    assert schema["zip"].role is Role.FEATURE  # the original is untouched (frozen)


def test_sensitive_flag_keeps_feature_role():
    df = pd.DataFrame({"age": [1, 2], "y": [0, 1]})
    schema = Schema.infer(df, target="y", sensitive=["age"])
    assert schema["age"].role is Role.FEATURE and schema.sensitive == ["age"]


@pytest.mark.parametrize("kwargs, needle", [
    ({"roles": {"nope": "feature"}}, "unknown columns ['nope']"),
    ({"kinds": {"x": "weird"}}, "one of ['numeric'"),
    ({"roles": {"x": "boss"}}, "one of ['feature'"),
    ({"sensitive": ["zz"]}, "unknown columns ['zz']"),
])
def test_bad_overrides_say_what_to_do(kwargs, needle):
    df = pd.DataFrame({"x": [1, 2]})
    with pytest.raises(SchemaError) as err:
        Schema.infer(df, **kwargs)
    assert needle in str(err.value) and "Fix:" in str(err.value)


def test_missing_column_lookup_lists_choices():
    schema = Schema.infer(pd.DataFrame({"a": [1], "b": [2]}))
    with pytest.raises(SchemaError, match="use one of: a, b"):
        schema["c"]


def test_round_trip_and_duplicates_refused():
    df = pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]})
    schema = Schema.infer(df).override("a", min=0.0, max=10.0)
    assert Schema.from_dict(schema.to_dict()) == schema
    with pytest.raises(SchemaError, match="unique column names"):
        Schema((ColumnSpec("a", Kind.NUMERIC), ColumnSpec("a", Kind.NUMERIC)))
    with pytest.raises(SchemaError):
        ColumnSpec.from_dict({"name": "a", "kind": "bogus"})


def test_all_missing_and_mixed_columns_infer_safely():
    df = pd.DataFrame({"empty": [None, None], "mixed": [1, "a"]})
    schema = Schema.infer(df)
    assert schema["empty"].kind is Kind.OTHER and "no non-missing" in schema["empty"].reason
    assert schema["mixed"].kind is Kind.OTHER and "mixed Python types" in schema["mixed"].reason
