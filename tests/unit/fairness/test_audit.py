"""fairness_audit: equal to fairlearn on the same inputs, rates against scikit-learn,
calibration by group against stalwart's ECE, warnings and errors."""

import json

import numpy as np
import pandas as pd
import pytest
from fairlearn import metrics as flm
from sklearn.metrics import accuracy_score, precision_score, recall_score

from stalwart.exceptions import DataError, ParameterError
from stalwart.fairness import fairness_audit, fairness_audit_per_class
from stalwart.uncertainty import expected_calibration_error

FL = {"demographic_parity": (flm.demographic_parity_difference, flm.demographic_parity_ratio),
      "equalized_odds": (flm.equalized_odds_difference, flm.equalized_odds_ratio),
      "equal_opportunity": (flm.equal_opportunity_difference, flm.equal_opportunity_ratio)}


def _data(seed, n=1500):
    rng = np.random.default_rng(seed)
    s = pd.DataFrame({"sex": rng.choice(["f", "m"], n),
                      "race": rng.choice(["x", "y", "z"], n, p=[0.5, 0.3, 0.2])})
    y = rng.integers(0, 2, n)
    proba = np.clip(0.4 * y + rng.normal(0.3, 0.25, n) + 0.15 * (s["sex"] == "m"), 0, 1)
    return s, y, (proba > 0.5).astype(int), proba


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_disparities_equal_fairlearn_on_each_column_and_the_intersection(seed):
    s, y, pred, _ = _data(seed)
    audit = fairness_audit(y, pred, sensitive=s, n_boot=0)
    assert audit.groupings == (("sex",), ("race",), ("sex", "race"))
    for cols in audit.groupings:
        sf = s[list(cols)]  # a DataFrame: fairlearn groups by the intersection
        for measure, (diff, ratio) in FL.items():
            d = audit.disparity(measure, cols)
            assert d.difference == pytest.approx(diff(y, pred, sensitive_features=sf),
                                                 abs=1e-12)
            assert d.ratio == pytest.approx(ratio(y, pred, sensitive_features=sf), abs=1e-12)


@pytest.mark.parametrize("seed", [4, 5])
def test_rates_by_group_equal_fairlearn_metricframe(seed):
    s, y, pred, _ = _data(seed)
    audit = fairness_audit(y, pred, sensitive=s, n_boot=0)
    mf = flm.MetricFrame(metrics={"selection_rate": flm.selection_rate,
                                  "tpr": flm.true_positive_rate,
                                  "fpr": flm.false_positive_rate,
                                  "fnr": flm.false_negative_rate, "count": flm.count},
                         y_true=y, y_pred=pred, sensitive_features=s)
    ours = audit.by_group(("sex", "race"))
    theirs = mf.by_group
    assert list(ours.index) == list(theirs.index)
    for col in ("selection_rate", "tpr", "fpr", "fnr"):
        np.testing.assert_allclose(ours[col].to_numpy(), theirs[col].to_numpy(), atol=1e-12)
    assert ours["size"].tolist() == theirs["count"].tolist()
    one = fairness_audit(y, pred, sensitive=s["race"], n_boot=0).by_group("race")
    mf1 = flm.MetricFrame(metrics=flm.selection_rate, y_true=y, y_pred=pred,
                          sensitive_features=s["race"])
    np.testing.assert_allclose(one["selection_rate"].to_numpy(), mf1.by_group.to_numpy(),
                               atol=1e-12)


def test_precision_accuracy_and_extra_metrics_match_scikit_learn():
    s, y, pred, _ = _data(6)
    audit = fairness_audit(y, pred, sensitive=s["race"], n_boot=0,
                           metrics={"recall": recall_score})
    frame = audit.by_group("race")
    for key in ("x", "y", "z"):
        rows = (s["race"] == key).to_numpy()
        assert frame.loc[key, "ppv"] == pytest.approx(precision_score(y[rows], pred[rows]),
                                                      abs=1e-12)
        assert frame.loc[key, "accuracy"] == pytest.approx(accuracy_score(y[rows], pred[rows]),
                                                           abs=1e-12)
        assert frame.loc[key, "recall"] == pytest.approx(frame.loc[key, "tpr"], abs=1e-12)
    assert audit.overall["accuracy"] == pytest.approx(accuracy_score(y, pred))
    pp = audit.disparity("predictive_parity", "race")
    assert pp.difference == pytest.approx(frame["ppv"].max() - frame["ppv"].min(), abs=1e-12)


def test_calibration_by_group_equals_the_ece_of_each_group():
    s, y, pred, proba = _data(7)
    audit = fairness_audit(y, pred, sensitive=s["sex"], proba=proba, n_boot=0,
                           calibration_bins=10)
    frame = audit.by_group("sex")
    eces = {}
    for key in ("f", "m"):
        rows = (s["sex"] == key).to_numpy()
        eces[key] = expected_calibration_error(y[rows], proba[rows], n_bins=10,
                                               variant="classwise")
        assert frame.loc[key, "ece"] == pytest.approx(eces[key], abs=1e-12)
        assert frame.loc[key, "mean_proba"] == pytest.approx(proba[rows].mean())
    gap = audit.disparity("calibration", "sex")
    assert gap.difference == pytest.approx(abs(eces["f"] - eces["m"]), abs=1e-12)
    assert gap.ratio is None
    assert audit.overall["ece"] == pytest.approx(
        expected_calibration_error(y, proba, n_bins=10, variant="classwise"), abs=1e-12)


def test_disparate_impact_and_the_four_fifths_rule():
    g = np.array(["a"] * 100 + ["b"] * 100)
    pred = np.r_[np.ones(50), np.zeros(50), np.ones(35), np.zeros(65)].astype(int)
    y = np.tile([0, 1], 100)
    audit = fairness_audit(y, pred, sensitive=g, n_boot=0)
    impact = {i.key: i for i in audit.disparate_impact}
    assert impact[("a",)].impact_ratio == 1.0 and impact[("a",)].passes
    assert impact[("b",)].impact_ratio == pytest.approx(0.7) and not impact[("b",)].passes
    assert audit.four_fifths_passed is False
    assert audit.disparity("demographic_parity").passes_four_fifths is False


def test_bootstrap_is_seeded_stratified_and_covers_the_estimate():
    s, y, pred, _ = _data(8, n=800)
    a = fairness_audit(y, pred, sensitive=s, n_boot=300, random_state=3)
    b = fairness_audit(y, pred, sensitive=s, n_boot=300, random_state=3)
    assert a.to_dict() == b.to_dict()
    c = fairness_audit(y, pred, sensitive=s, n_boot=300, random_state=4)
    d = a.disparity("equalized_odds", "sex")
    assert d.difference_interval.low != c.disparity("equalized_odds", "sex").difference_interval.low
    for disp in a.disparities:
        iv = disp.difference_interval
        assert iv.n_boot == 300 and iv.n_skipped == 0
        assert iv.low <= iv.high
    dp = a.disparity("demographic_parity", "sex")
    assert dp.difference_interval.low < dp.difference < dp.difference_interval.high


def test_interval_narrows_with_more_rows():
    widths = []
    for n in (400, 6400):
        s, y, pred, _ = _data(9, n=n)
        iv = fairness_audit(y, pred, sensitive=s["sex"], n_boot=200).disparity(
            "demographic_parity").difference_interval
        widths.append(iv.high - iv.low)
    assert widths[1] < widths[0] / 2.5  # about 1/sqrt(16) = 1/4 in theory


def test_small_groups_and_groups_without_positives_are_flagged_never_zero():
    rng = np.random.default_rng(10)
    g = np.array(["big"] * 200 + ["tiny"] * 8)
    y = np.r_[rng.integers(0, 2, 200), np.zeros(8, dtype=int)]
    pred = np.r_[rng.integers(0, 2, 200), np.array([1, 0, 0, 0, 1, 0, 0, 0])]
    audit = fairness_audit(y, pred, sensitive=g, n_boot=50)
    tiny = audit.by_group().loc["tiny"]
    assert bool(tiny["unstable"]) and np.isnan(tiny["tpr"]) and np.isnan(tiny["fnr"])
    assert tiny["fpr"] == 0.25
    eo = audit.disparity("equal_opportunity")
    assert eo.excluded_groups == (("tiny",),) and eo.n_groups_used == 1
    assert np.isnan(eo.difference)
    text = " ".join(audit.warnings)
    assert "fewer than 30 rows" in text and "tiny (8)" in text
    assert "TPR is undefined (not 0)" in text
    assert "equal_opportunity on sensitive is undefined" in text
    assert "demographic_parity on sensitive is driven by a group smaller" in text
    payload = json.loads(json.dumps(audit.to_dict()))
    assert payload["schema_version"] == "1.0"
    assert payload["groups"][1]["values"]["tpr"] is None


def test_errors_say_what_to_fix():
    y = np.array([0, 1, 1, 0])
    with pytest.raises(DataError, match="one group only"):
        fairness_audit(y, y, sensitive=np.array(["a"] * 4))
    with pytest.raises(DataError, match="4 rows"):
        fairness_audit(y, y, sensitive=np.array(["a", "b"]))
    with pytest.raises(DataError, match="multiclass='ovr'"):
        fairness_audit(np.array([0, 1, 2, 0]), y, sensitive=np.array(list("abab")))
    with pytest.raises(DataError, match="pos_label='yes'"):
        fairness_audit(np.array(["no", "yes"] * 2), np.array(["no"] * 4),
                       sensitive=np.array(list("abab")))
    with pytest.raises(DataError, match="positive-class"):
        fairness_audit(y, y, sensitive=np.array(list("abab")), proba=np.ones((4, 2)) / 2)
    with pytest.raises(ParameterError, match="min_group_size"):
        fairness_audit(y, y, sensitive=np.array(list("abab")), min_group_size=0)
    with pytest.raises(ParameterError, match="n_boot"):
        fairness_audit(y, y, sensitive=np.array(list("abab")), n_boot=-1)
    with pytest.raises(DataError, match="missing"):
        fairness_audit(np.array([0, 1, None, 0], dtype=object), y,
                       sensitive=np.array(list("abab")))


def test_multiclass_one_vs_rest_per_class():
    rng = np.random.default_rng(11)
    n = 600
    g = rng.choice(["a", "b"], n)
    y = rng.integers(0, 3, n)
    pred = np.where(rng.random(n) < 0.7, y, rng.integers(0, 3, n))
    audits = fairness_audit_per_class(y, pred, sensitive=g, n_boot=0)
    assert sorted(audits) == [0, 1, 2]
    for c, audit in audits.items():
        ref = flm.demographic_parity_difference((y == c).astype(int), (pred == c).astype(int),
                                                sensitive_features=g)
        assert audit.disparity("demographic_parity").difference == pytest.approx(ref, abs=1e-12)
    one = fairness_audit(y, pred, sensitive=g, pos_label=2, multiclass="ovr", n_boot=0)
    assert one.to_dict()["disparities"] == audits[2].to_dict()["disparities"]


def test_worst_grouping_by_ratio_or_by_difference():
    rng = np.random.default_rng(59)
    n = 600
    s = pd.DataFrame({"a": rng.choice(["p", "q"], n, p=[0.8, 0.2]),
                      "b": rng.choice(["x", "y"], n)})
    d = (rng.random(n) < 0.3 + 0.1 * (s["a"] == "p") + 0.25 * (s["b"] == "y")).astype(int)
    audit = fairness_audit(d, d, sensitive=s, intersections=False, n_boot=0)
    assert audit.disparity("demographic_parity").grouping == ("b",)
    low = audit.disparity("demographic_parity", worst="ratio")
    assert low.grouping == ("a",)
    assert low.ratio == pytest.approx(flm.demographic_parity_ratio(d, d, sensitive_features=s["a"]),
                                      abs=1e-12)
    with pytest.raises(ParameterError, match="worst"):
        audit.disparity("demographic_parity", worst="largest")


def test_every_category_is_its_own_group_even_beyond_twenty():
    # 30 categories: none may be merged into "(other)", or the disparity would hide groups
    rng = np.random.default_rng(12)
    n = 3000
    g = rng.choice([f"c{i:02d}" for i in range(30)], n)
    y = rng.integers(0, 2, n)
    pred = (rng.random(n) < 0.2 + 0.02 * np.char.replace(g, "c", "").astype(int)).astype(int)
    audit = fairness_audit(y, pred, sensitive=g, n_boot=0, metrics={"recall": recall_score})
    assert len(audit.by_group()) == 30
    dp = audit.disparity("demographic_parity")
    assert dp.difference == pytest.approx(flm.demographic_parity_difference(
        y, pred, sensitive_features=g), abs=1e-12)
    assert dp.ratio == pytest.approx(flm.demographic_parity_ratio(y, pred, sensitive_features=g),
                                     abs=1e-12)
    assert not np.isnan(audit.by_group()["recall"]).any()


def test_a_numeric_sensitive_column_cut_into_bins_is_said():
    rng = np.random.default_rng(13)
    n = 500
    y = rng.integers(0, 2, n)
    age = pd.Series(rng.integers(18, 80, n), name="age")
    audit = fairness_audit(y, y, sensitive=age, n_boot=0)
    assert len(audit.by_group()) == 5
    assert any("'age'" in w and "quantile bins" in w for w in audit.warnings)
    coded = fairness_audit(y, y, sensitive=pd.Series(rng.integers(0, 3, n), name="race"),
                           n_boot=0)
    assert len(coded.by_group()) == 3 and not any("quantile" in w for w in coded.warnings)
