"""Constraints: honoured on every row, and impossible ones refused at fit."""

import numpy as np
import pandas as pd
import pytest

from stalwart.data import Schema
from stalwart.exceptions import ParameterError
from stalwart.perturb.tabular import (Constraints, GaussianNoise, MissingValues, Outliers,
                                      Scaling, TypeCorruption, UnitChange)


def table(n=2000, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"age": rng.integers(18, 90, n), "score": rng.uniform(0, 1, n),
                         "income": rng.lognormal(10, 1, n), "sex": rng.choice(["f", "m"], n)})


C = Constraints(ranges={"age": (18, 99), "score": (0.0, 1.0)}, integer=["age"],
                immutable=["income", "sex"])


@pytest.mark.parametrize("perturbation", [GaussianNoise(severity=5, random_state=0),
                                          Outliers(share=0.3, random_state=0),
                                          Scaling(factor=3.0, random_state=0)])
def test_every_row_in_range_integers_whole_immutable_byte_equal(perturbation):
    X = table()
    out = perturbation.set_params(constraints=C).fit(X).transform(X)
    assert out["age"].between(18, 99).all() and out["score"].between(0, 1).all()
    assert out["age"].dtype == X["age"].dtype  # integer column stays integer
    assert out["income"].to_numpy().tobytes() == X["income"].to_numpy().tobytes()
    assert out["sex"].equals(X["sex"])
    notes = {n.target: n for n in perturbation.notes_}
    assert notes["income"].reason == "immutable (declared constraint): left untouched"
    assert (out["age"] != X["age"]).any()  # it did perturb the mutable columns


def test_integer_declared_on_a_float_column_gives_whole_numbers():
    X = pd.DataFrame({"n": np.arange(500.0)})
    out = GaussianNoise(severity=5, random_state=1,
                        constraints={"integer": ["n"]}).fit(X).transform(X)
    assert out["n"].dtype == float and (out["n"] == np.round(out["n"])).all()
    assert (out["n"] != X["n"]).mean() > 0.5


def test_only_changed_cells_are_clipped():
    X = pd.DataFrame({"v": [-5.0, 0.5, 0.6, 0.7]})  # -5 was already outside [0, 1]
    out = Scaling(factor=10.0, share=1.0, constraints=Constraints(ranges={"v": (-10, 1)})) \
        .fit(X).transform(X)
    assert out["v"].tolist() == [-10.0, 1.0, 1.0, 1.0]
    out = MissingValues(share=0.99, random_state=0, constraints=Constraints(
        ranges={"v": (0, 1)})).fit(X).transform(X)
    assert out["v"].isna().sum() >= 3  # missing stays missing under a range


def test_from_schema_reads_declared_ranges_and_integer():
    X = table(50)
    schema = Schema.infer(X).override("score", min=0.0, max=1.0).override("age", min=0)
    c = Constraints.from_schema(schema, immutable=["sex"])
    assert c.ranges == {"age": (0.0, np.inf), "score": (0.0, 1.0)}
    assert c.integer == ("age",) and c.immutable == ("sex",)
    out = GaussianNoise(severity=5, constraints=schema, random_state=0).fit(X).transform(X)
    assert out["score"].between(0, 1).all()


def test_unit_change_and_type_corruption_break_constraints_only_when_told():
    X = table(300)
    u = UnitChange(units="kg->lb", share=1.0, constraints=C).fit(X)
    out = u.transform(X)
    notes = {n.target: n for n in u.notes_}
    assert "declared range" in notes["score"].reason and out["score"].equals(X["score"])
    assert "immutable" in notes["income"].reason
    loose = UnitChange(units="kg->lb", share=1.0, constraints=C, respect_constraints=False)
    out = loose.fit(X).transform(X)
    np.testing.assert_array_equal(out["score"], X["score"] * (1 / 0.45359237) + 0.0)
    np.testing.assert_array_equal(out["income"], X["income"] * (1 / 0.45359237) + 0.0)
    t = TypeCorruption(share=1.0, mode="list", constraints=C).fit(X)
    out = t.transform(X)
    assert out["income"].equals(X["income"]) and out["score"].iloc[0] == [X["score"].iloc[0]]


@pytest.mark.parametrize("constraints, match", [
    (Constraints(immutable=["age", "score", "income"]), "every selected column is immutable"),
    ({"ranges": {"nope": (0, 1)}}, "unknown columns"),
    ({"ranges": {"sex": (0, 1)}}, "numeric column"),
    ({"ranges": {"age": (20.2, 20.8)}}, "whole number"),
    ({"colour": ["age"]}, "unknown keys"),
    ("age", "Constraints"),
])
def test_impossible_constraints_are_clear_errors_at_fit(constraints, match):
    with pytest.raises(ParameterError, match=match):
        GaussianNoise(constraints=constraints).fit(table(50))


def test_empty_or_malformed_ranges_refused_when_declared():
    with pytest.raises(ParameterError, match="non-empty range"):
        Constraints(ranges={"age": (10, 5)})
    with pytest.raises(ParameterError, match="pair"):
        Constraints(ranges={"age": 5})
    with pytest.raises(ParameterError, match="list of column names"):
        Constraints(immutable="age")


def test_all_immutable_is_fine_when_constraints_are_waived():
    X = table(50)
    c = Constraints(immutable=["age", "score", "income"])
    out = GaussianNoise(constraints=c, respect_constraints=False, random_state=0).fit(X) \
        .transform(X)
    assert (out["income"] != X["income"]).all()
    with pytest.raises(ParameterError, match="True or False"):
        GaussianNoise(respect_constraints="yes").fit(X)
