import json

import numpy as np
import pytest

from stalwart import (CHECKS, Chart, Check, CheckResult, Condition, DataError, Evidence,
                      ParameterError, Status, Suite, SuiteResult, Table, register_check)
from stalwart.checks.result import ConditionResult


class RowCount(Check):
    name = "row_count_test"
    title = "Row count"

    def __init__(self, *, min_rows=10, conditions=None):
        self.min_rows = min_rows
        self.conditions = conditions

    def default_conditions(self):
        return [Condition("n_rows", "ge", self.min_rows)]

    def compute(self, ctx):
        return Evidence({"n_rows": ctx.data.n_rows}, f"{ctx.data.n_rows} rows",
                        tables=(Table("rows", ("n",), ((ctx.data.n_rows,),)),),
                        charts=(Chart("bar", "n", {"labels": ["rows"], "values": [ctx.data.n_rows]}),))


class NeedsTarget(RowCount):
    name = "needs_target_test"
    needs = frozenset({"target", "reference"})


class Crashes(RowCount):
    name = "crashes_test"

    def compute(self, ctx):
        return 1 / 0


class BadInput(RowCount):
    name = "bad_input_test"

    def compute(self, ctx):
        raise DataError("column x", expected="numbers", got="text", fix="cast it")


def test_check_passes_and_fails(clean_frame):
    suite = Suite("s", [RowCount(min_rows=10)])
    res = suite.run(clean_frame, target="y")
    assert res.status is Status.PASS and res.exit_code() == 0
    res = Suite("s", [RowCount(min_rows=10_000)]).run(clean_frame)
    r = res.results[0]
    assert r.status is Status.FAIL and r.metrics == {"n_rows": 2000}
    assert r.conditions[0].message.startswith("n_rows >= 10000 does not hold")
    assert res.exit_code() == 1


def test_warn_gates_only_with_fail_on_warn(clean_frame):
    check = RowCount(conditions=[Condition("n_rows", "gt", 1e6, severity="warn")])
    res = Suite("s", [check]).run(clean_frame)
    assert res.status is Status.WARN
    assert res.exit_code() == 0 and res.exit_code(fail_on="warn") == 1
    with pytest.raises(ParameterError):
        res.exit_code(fail_on="sometimes")


def test_missing_needs_skip_with_reason(clean_frame):
    r = Suite("s", [NeedsTarget()]).run(clean_frame).results[0]
    assert r.status is Status.SKIP
    assert r.summary == "not run: needs a target column (--target) and reference data (--reference)"


def test_errors_are_contained(clean_frame):
    res = Suite("s", [Crashes(), BadInput(), RowCount()]).run(clean_frame)
    crash, bad, ok = res.results
    assert crash.status is Status.ERROR and "ZeroDivisionError" in crash.summary
    assert "Traceback" in crash.error["traceback"]
    assert bad.status is Status.ERROR and bad.error["fix"] == "cast it"
    assert ok.status is Status.PASS
    assert res.status is Status.ERROR and res.exit_code() == 1


def test_result_records_reproducibility_facts(clean_frame):
    res = Suite("s", [RowCount()]).run(clean_frame, target="y", reference=clean_frame.head(100),
                                      random_state=7)
    d = res.to_dict()
    assert d["schema_version"] == "1.0" and d["random_state"] == 7
    assert d["data"]["fingerprint"].startswith("sha256:") and d["reference"]["n_rows"] == 100
    assert d["results"][0]["params"] == {
        "min_rows": 10,
        "conditions": [{"metric": "n_rows", "op": "ge", "threshold": 10, "severity": "fail",
                        "relative": None, "name": None}]}
    assert d["schema"]["columns"][-1]["role"] == "target"


def test_json_round_trip(clean_frame):
    res = Suite("s", [RowCount(), NeedsTarget(), Crashes()]).run(clean_frame)
    text = res.to_json()
    back = SuiteResult.from_json(text)
    assert back.to_dict() == res.to_dict()
    json.loads(text)  # strict JSON: no NaN


def test_nan_metrics_become_null():
    r = CheckResult("c", "C", "data", Status.PASS, "s", metrics={"a": np.nan, "b": np.int64(3)},
                    conditions=(ConditionResult("d", Status.PASS, "a", np.float32(1.5), "m"),))
    d = r.to_dict()
    assert d["metrics"] == {"a": None, "b": 3} and d["conditions"][0]["value"] == 1.5


def test_suite_refuses_repeats_and_bad_seed(clean_frame):
    with pytest.raises(ParameterError, match="repeated checks"):
        Suite("s", [RowCount(), RowCount()]).run(clean_frame)
    with pytest.raises(ParameterError, match="an integer"):
        Suite("s", [RowCount()]).run(clean_frame, random_state="seven")


def test_reference_must_have_the_same_columns(clean_frame):
    from stalwart import SchemaError
    with pytest.raises(SchemaError, match="missing columns \\['y'\\]"):
        Suite("s", [RowCount()]).run(clean_frame, reference=clean_frame.drop(columns="y"))


def test_register_check_and_bad_needs(monkeypatch):
    monkeypatch.setattr(CHECKS, "_members", dict(CHECKS._members))
    monkeypatch.setattr(CHECKS, "_caps", dict(CHECKS._caps))
    register_check(RowCount)
    assert CHECKS.get("row_count_test") is RowCount
    assert CHECKS.capabilities("row_count_test") == {"category": "data", "needs": []}

    class Odd(RowCount):
        name = "odd"
        needs = frozenset({"gpu"})

    with pytest.raises(TypeError, match="unknown entries"):
        register_check(Odd)
    with pytest.raises(ParameterError, match="one of"):
        CHECKS.get("no_such_check")


def test_status_worst():
    assert Status.worst([Status.PASS, Status.ERROR, Status.FAIL]) is Status.ERROR
    assert Status.worst([Status.SKIP, Status.SKIP]) is Status.SKIP


def test_repr_shows_params():
    assert repr(RowCount(min_rows=3)) == "RowCount(min_rows=3)"


def test_a_check_that_examined_nothing_is_skip_not_pass(clean_frame):
    class NothingToSee(RowCount):
        name = "nothing_test"

        def compute(self, ctx):
            return Evidence({"n_rows": None}, "not examined: no usable column")

    res = Suite("s", [NothingToSee()]).run(clean_frame)
    assert res.results[0].status is Status.SKIP and res.exit_code() == 0


def test_reference_with_its_own_schema_keeps_its_columns_and_types(clean_frame):
    class Columns(RowCount):
        name = "columns_seen"
        needs = frozenset({"reference"})

        def compute(self, ctx):
            self.seen = (ctx.reference.schema.names, ctx.reference.schema["age"].kind.value,
                         ctx.reference.target)
            return Evidence({"n_rows": ctx.data.n_rows}, "seen")

    ref = clean_frame.drop(columns="y").assign(age=clean_frame["age"].astype(str) + " years")
    check = Columns()
    Suite("s", [check], reference_schema="own").run(clean_frame, target="y", reference=ref)
    names, kind, target = check.seen
    assert "y" not in names and kind != "numeric" and target is None
    with pytest.raises(ParameterError, match="reference_schema"):
        Suite("s", [], reference_schema="theirs")
