"""The profile path (two DatasetProfiles) agrees with the exact raw path on the same data."""

import numpy as np
import pandas as pd
import pytest

from stalwart.drift.diagnosis import diagnose
from stalwart.exceptions import DataError
from stalwart.stats.profile import profile

N = 3000


def _pair():
    rng = np.random.default_rng(0)

    def frame(n):
        return pd.DataFrame({
            "temp": rng.normal(20, 5, n), "height": rng.normal(1.7, 0.1, n),
            "age": rng.integers(18, 90, n), "score": rng.normal(0, 1, n),
            "plan": rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2]),
            "city": rng.choice(["p", "q"], n), "tags": ["x"] * n})

    ref, cur = frame(N), frame(N)
    cur["temp"] = cur["temp"] * 1.8 + 32
    cur["height"] = cur["height"] * 100
    cur.loc[cur.index[:200], "age"] = 999
    cur["plan"] = cur["plan"].where(rng.random(N) > 0.05, "zz")
    cur["score"] = cur["score"] + rng.normal(0, 1, N)
    cur["tags"] = pd.Series([["x"] if i % 3 == 0 else "x" for i in range(N)], dtype=object)
    cur.loc[cur.index[:450], "city"] = None
    cur["extra"] = np.arange(N) * 1.0
    return ref, cur.rename(columns={"city": "town"})


def test_profile_path_finds_what_the_raw_path_finds():
    ref, cur = _pair()
    exact = diagnose(ref, cur)
    approx = diagnose(profile(ref), profile(cur))
    assert exact.method == "exact" and approx.method == "profile"

    def key(d):
        # dtype changes are raw-only (profiles keep no dtype)
        return {(f.kind, f.columns) for f in d.findings if f.kind != "dtype_change"}

    # KLL compaction is random (unseeded): the sketches may miss what is smaller than their
    # rank error, never report more. Here the added noise pushes ~0.3 % of 'score' past the
    # reference's range: the raw path sees it, a profile need not.
    assert key(approx) <= key(exact)
    for kind, cols in key(exact) - key(approx):
        assert kind == "range_violation"
        assert all(f.evidence["share"] < 0.02 for f in exact.for_column(cols[0])
                   if f.kind == kind)
    assert {"unit_change", "renamed_column", "type_change", "sentinel_value",
            "new_categories", "range_violation", "new_column"} <= set(exact.kinds)
    # the renamed column is compared under its new name: its missing share rose
    (m,) = approx.by_kind("missing_share_change")
    assert m.columns == ("town",) and m.evidence["current_share"] == pytest.approx(0.15)
    for e in exact.by_kind("unit_change"):
        (a,) = [f for f in approx.by_kind("unit_change") if f.column == e.column]
        assert a.evidence["known_conversion"] == e.evidence["known_conversion"]
        assert a.evidence["scale"] == pytest.approx(e.evidence["scale"], rel=0.03)
        assert a.evidence["approximate"] and not e.evidence["approximate"]
    (se,), (sa,) = exact.by_kind("sentinel_value"), approx.by_kind("sentinel_value")
    assert sa.evidence["value"] == se.evidence["value"] == 999.0
    assert sa.evidence["current_share"] == pytest.approx(se.evidence["current_share"],
                                                         abs=2 * sa.evidence["mass_error_bound"])
    re_ = {(f.columns, f.evidence["rule"]): f.evidence["share"]
           for f in exact.by_kind("range_violation")}
    for f in approx.by_kind("range_violation"):
        assert f.evidence["share"] == pytest.approx(re_[f.columns, f.evidence["rule"]],
                                                    abs=f.evidence["share_error_bound"] + 1e-9)
    assert {f.columns for f in approx.by_kind("range_violation")} >= {
        ("age",), ("temp",), ("height",)}
    (ne,), (na,) = exact.by_kind("new_categories"), approx.by_kind("new_categories")
    assert na.evidence["categories"] == ne.evidence["categories"]  # exact counts both ways


def test_mixed_inputs_profile_the_raw_side():
    ref, cur = _pair()
    mixed = diagnose(profile(ref), cur)
    assert mixed.method == "profile"
    assert {f.columns for f in mixed.by_kind("unit_change")} == {("temp",), ("height",)}


def test_empty_profile_raises():
    empty = profile(pd.DataFrame({"x": pd.Series([], dtype=float)}))
    with pytest.raises(DataError):
        diagnose(profile(pd.DataFrame({"x": [1.0, 2.0]})), empty)


def test_unchanged_profiles_have_no_findings():
    def frame(seed):
        rng = np.random.default_rng(seed)
        return pd.DataFrame({"x": rng.normal(5, 2, 2000), "n": rng.integers(0, 50, 2000),
                             "c": rng.choice(list("abcd"), 2000)})

    ref = profile(frame(0))
    assert [f.kind for s in (1, 2, 3) for f in diagnose(ref, profile(frame(s)))
            .findings] == []


def test_declared_ranges_and_allowed_values_on_profiles():
    from stalwart.data import Schema

    ref, cur = _pair()
    schema = (Schema.infer(ref).override("score", max=2.0)
              .override("plan", allowed=("a", "b", "c")))
    exact = diagnose(ref, cur, schema=schema)
    approx = diagnose(profile(ref), profile(cur), schema=schema)
    for d in (exact, approx):
        rules = {(f.column, f.evidence["rule"]): f.evidence for f in d.by_kind("range_violation")}
        assert rules["plan", "not_allowed"]["count"] == int((cur["plan"] == "zz").sum())
        above = (cur["score"] > 2.0).mean()
        assert rules["score", "above_max"]["share"] == pytest.approx(
            above, abs=rules["score", "above_max"]["share_error_bound"] + 1e-9)
