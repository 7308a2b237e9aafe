"""Corruption error, CE and relative CE, mCE: a hand computation, and a real model on digits."""

import json

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.neighbors import KNeighborsClassifier

from stalwart.exceptions import DataError, ModelError, ParameterError
from stalwart.models import ModelAdapter
from stalwart.perturb.image import CorruptionErrors, corruption_errors, mean_corruption_error


def test_mce_equals_a_hand_computation():
    errors = {"a": [0.1, 0.2, 0.3], "b": [0.2, 0.2, 0.5]}
    base = {"a": [0.2, 0.3, 0.5], "b": [0.1, 0.3, 0.4]}
    r = mean_corruption_error(errors, base, clean_error=0.05, baseline_clean_error=0.1)
    # CE_a = 0.6 / 1.0, CE_b = 0.9 / 0.8
    assert r["ce"] == pytest.approx({"a": 0.6, "b": 1.125})
    assert r["mce"] == pytest.approx((0.6 + 1.125) / 2)
    # relative: a (0.05 + 0.15 + 0.25) / (0.1 + 0.2 + 0.4); b (0.15 + 0.15 + 0.45) / (0 + 0.2 + 0.3)
    assert r["relative_ce"] == pytest.approx({"a": 0.45 / 0.7, "b": 0.75 / 0.5})
    assert r["relative_mce"] == pytest.approx((0.45 / 0.7 + 1.5) / 2)
    assert r["warnings"] == []


def test_undefined_ratios_are_none_named_and_left_out_of_the_mean():
    r = mean_corruption_error({"a": [0.1, 0.2], "b": [0.3, 0.3]},
                              {"a": [0.0, 0.0], "b": [0.2, 0.4]},
                              clean_error=0.1, baseline_clean_error=0.3)
    assert r["ce"]["a"] is None and r["ce"]["b"] == pytest.approx(1.0)
    assert r["mce"] == pytest.approx(1.0)
    # the baseline drops by (0.2 - 0.3) + (0.4 - 0.3) = 0 under b: no relative CE either
    assert r["relative_ce"] == {"a": None, "b": None} and r["relative_mce"] is None
    text = " ".join(r["warnings"])
    assert "a: the baseline makes no error" in text and "mCE averages 1 of 2" in text
    assert "b: the baseline is no worse" in text


@pytest.mark.parametrize("base, said", [
    ({"b": [0.2, 0.4]}, "none for ['a']"),            # a corruption the baseline lacks
    ({"a": [0.2], "b": [0.2, 0.4]}, "2 for the model and 1"),  # severities differ
])
def test_mismatched_error_tables_are_refused(base, said):
    with pytest.raises(DataError, match="baseline") as info:
        mean_corruption_error({"a": [0.1, 0.2], "b": [0.3, 0.3]}, base,
                              clean_error=0.1, baseline_clean_error=0.1)
    assert said in str(info.value)


@pytest.fixture(scope="module")
def fitted(digits):
    x, y = digits
    flat = x.reshape(len(x), -1)
    model = LogisticRegression(max_iter=2000).fit(flat[:1000], y[:1000])
    baseline = KNeighborsClassifier(5).fit(flat[:1000], y[:1000])
    return model, baseline, x[1000:1200], y[1000:1200]


def test_error_rises_with_severity_and_mce_matches_its_own_table(fitted):
    model, baseline, x, y = fitted
    names = ["gaussian_noise", "gaussian_blur", "contrast", "rotation", "pixelate"]
    r = corruption_errors(model, x, y, corruptions=names, baseline=baseline,
                          preprocess="flatten", random_state=0)
    assert r.corruptions == tuple(f"image_{n}" for n in names)
    assert r.clean_error == pytest.approx(np.mean(model.predict(x.reshape(200, -1)) != y))
    for c in r.corruptions:
        assert r.errors[c][-1] > r.errors[c][0] >= r.clean_error - 0.02, (c, r.errors[c])
        assert r.errors[c][-1] > r.clean_error + 0.1
    again = mean_corruption_error(r.errors, r.baseline_errors, clean_error=r.clean_error,
                                  baseline_clean_error=r.baseline_clean_error)
    assert r.mce == pytest.approx(again["mce"]) and r.relative_mce == again["relative_mce"]
    assert r.mean_error == pytest.approx(np.mean(list(r.errors.values())))
    assert r.warnings == ()


def test_the_baseline_against_itself_has_mce_one(fitted):
    model, _, x, y = fitted
    r = corruption_errors(model, x, y, corruptions=["contrast", "occlusion"], baseline=model,
                          severities=(1, 5), preprocess="flatten")
    assert r.mce == pytest.approx(1.0) and r.relative_mce == pytest.approx(1.0)
    assert r.errors == r.baseline_errors


def test_without_a_baseline_there_is_no_mce_and_it_says_so(fitted):
    model, _, x, y = fitted
    r = corruption_errors(model, x, y, corruptions=["image_fog"], severities=(2, 4),
                          preprocess="flatten")
    assert r.mce is None and r.ce is None and r.baseline_errors is None
    assert r.mean_error == pytest.approx(np.mean(r.errors["image_fog"]))
    assert "mCE and relative mCE need one" in r.warnings[0]


def test_each_corruption_draws_the_same_images_whatever_the_list(fitted):
    model, _, x, y = fitted
    alone = corruption_errors(model, x, y, corruptions=["gaussian_noise"], severities=(5,),
                              preprocess="flatten", random_state=3)
    among = corruption_errors(model, x, y, corruptions=["fog", "gaussian_noise"],
                              severities=(5,), preprocess="flatten", random_state=3)
    assert alone.errors["image_gaussian_noise"] == among.errors["image_gaussian_noise"]


def test_result_is_json_and_round_trips(fitted):
    model, baseline, x, y = fitted
    r = corruption_errors(model, x[:40], y[:40], corruptions=["brightness"], severities=(1,),
                          baseline=baseline, preprocess=lambda a: a.reshape(len(a), -1))
    d = json.loads(json.dumps(r.to_dict()))
    assert d["schema_version"] == "1.0" and d["options"]["preprocess"] == "<lambda>"
    assert CorruptionErrors.from_dict(d).to_dict() == r.to_dict()


def test_a_flat_model_without_preprocess_is_told_to_flatten(fitted):
    model, _, x, y = fitted
    with pytest.raises(ModelError, match="preprocess='flatten'"):
        corruption_errors(model, x, y, corruptions=["fog"])


class ImageAdapter(ModelAdapter):
    """A model taking image arrays itself (as a CNN's adapter would)."""

    task, capabilities, feature_names, name, version = (
        "classification", frozenset({"predict"}), None, "image-model", None)

    def __init__(self, flat_model):
        self.flat_model, self.classes_ = flat_model, flat_model.classes_

    def predict(self, X):
        assert X.ndim == 3
        return self.flat_model.predict(X.reshape(len(X), -1))

    def predict_proba(self, X):  # pragma: no cover - not used
        raise NotImplementedError


def test_a_model_taking_images_needs_no_preprocess(fitted):
    model, _, x, y = fitted
    r = corruption_errors(ImageAdapter(model), x, y, corruptions=["fog"], severities=(1,))
    flat = corruption_errors(model, x, y, corruptions=["fog"], severities=(1,),
                             preprocess="flatten")
    assert r.errors == flat.errors and r.model["name"] == "image-model"


def test_labels_outside_the_classes_are_a_warning(fitted):
    model, _, x, y = fitted
    r = corruption_errors(model, x[:20], np.full(20, 42), corruptions=["fog"],
                          severities=(1,), preprocess="flatten")
    assert r.clean_error == 1.0 and "labels [42] are not among the model's classes" in r.warnings[0]


def test_bad_input_is_refused(fitted, digits):
    model, _, x, y = fitted
    reg = LinearRegression().fit(x.reshape(200, -1), y)
    with pytest.raises(ModelError, match="a classifier"):
        corruption_errors(reg, x, y, preprocess="flatten")
    with pytest.raises(DataError, match="reshape a flat table"):
        corruption_errors(model, x.reshape(200, -1), y, preprocess="flatten")
    with pytest.raises(DataError, match="one label per image"):
        corruption_errors(model, x, y[:5], preprocess="flatten")
    with pytest.raises(ParameterError, match="pick a registered image corruption"):
        corruption_errors(model, x, y, corruptions=["frost"], preprocess="flatten")
    with pytest.raises(ParameterError, match="each corruption once"):
        corruption_errors(model, x, y, corruptions=["fog", "image_fog"], preprocess="flatten")
    with pytest.raises(ParameterError, match="corruptions"):
        corruption_errors(model, x, y, corruptions="fog", preprocess="flatten")
    with pytest.raises(ParameterError, match="severity"):
        corruption_errors(model, x, y, severities=(0, 1), preprocess="flatten")
    with pytest.raises(ParameterError, match="severities"):
        corruption_errors(model, x, y, severities=3, preprocess="flatten")
    with pytest.raises(ParameterError, match="preprocess"):
        corruption_errors(model, x, y, preprocess="ravel")
    with pytest.raises(ParameterError, match="random_state"):
        corruption_errors(model, x, y, preprocess="flatten", random_state=-1)
