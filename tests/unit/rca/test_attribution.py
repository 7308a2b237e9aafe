"""Failure attribution: the planted cause wins on synthetic incidents of every kind, and the
decision list follows its documented order and thresholds on hand-made evidence."""

import pytest

from stalwart.exceptions import ParameterError
from stalwart.rca import CAUSES, Thresholds, analyse_prediction, attribute
from stalwart.rca.attribution import cause
from stalwart.testing.incidents import INCIDENT_KINDS, make_incident

SEEDS = (0, 1, 2)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("kind", INCIDENT_KINDS)
def test_the_planted_cause_is_attributed(kind, seed):
    inc = make_incident(kind, seed=seed)
    report = analyse_prediction(inc.model, inc.row, reference=inc.reference,
                                target=inc.target, expected=inc.expected,
                                production=inc.production)
    steps = {s.cause: s for s in report.attribution.steps}
    assert report.cause == kind, [(s.cause, s.fired, s.reason) for s in steps.values()]
    assert steps[kind].fired and report.attribution.supported
    # every cause before the winner was examined or said why it could not be
    names = [c.name for c in CAUSES]
    for earlier in names[:names.index(kind)]:
        assert not steps[earlier].fired and steps[earlier].reason


def test_every_cause_has_a_generator_and_a_remedy():
    assert set(INCIDENT_KINDS) == {c.name for c in CAUSES}
    assert {k for c in CAUSES for k in c.remedy_kinds} == {"data fix", "rule", "retraining"}
    assert {c.family for c in CAUSES} == {"data fault", "distribution shift", "robustness",
                                          "reliability"}
    with pytest.raises(ParameterError, match="cause"):
        cause("bad luck")


_UNIT = {"diagnosis": [], "unit_changes": [{"column": "t", "conversion": "celsius -> fahrenheit",
                                            "value": 68.0, "restored_value": 20.0,
                                            "robust_z": 8.0, "restored_robust_z": 0.5}]}
_FAULT = {"row_faults": [{"column": "d", "kind": "sentinel", "value": -999.0,
                          "message": "d = -999 is a placeholder"}]}


def test_data_faults_come_first_and_unit_change_before_schema_fault():
    a = attribute({**_UNIT, **_FAULT, "novelty": {"p_value": 0.001, "nearest_distance": 5.0,
                                                  "spacing": 0.4}})
    assert a.cause == "unit_change"
    assert a.also_consistent == ("schema_fault", "out_of_distribution")
    assert attribute({**_FAULT}).cause == "schema_fault"


def test_unit_change_needs_the_row_explained_by_the_conversion():
    unexplained = {"diagnosis": [], "unit_changes": [{**_UNIT["unit_changes"][0],
                                                      "restored_robust_z": 4.0}]}
    step = attribute(unexplained).steps[0]
    assert step.examined and not step.fired and "not explained" in step.reason
    assert not attribute({}).steps[0].examined  # no window: not examined, says why


def _covariate(ratio, p, tail):
    return {"drift": {"drifted": ["x"]}, "unusual": [{"feature": "x", "tail": tail}],
            "blast": {"density_ratio": ratio, "density_p_value": p}}


@pytest.mark.parametrize("ratio, p, tail, fired", [
    (5.0, 0.001, 0.05, True),   # dense in production, in the reference's tail
    (2.9, 0.001, 0.05, False),  # below density_ratio = 3
    (5.0, 0.02, 0.05, False),   # the count is not significant at alpha = 0.01
    (5.0, 0.001, 0.2, False),   # the row is not in the tail of the drifted feature
])
def test_covariate_shift_thresholds(ratio, p, tail, fired):
    step = attribute(_covariate(ratio, p, tail)).steps[2]
    assert step.cause == "covariate_shift" and step.fired is fired


def test_label_shift_needs_a_moved_prior_towards_the_expected_class_and_stable_p_x_given_y():
    ls = {"p_value": 1e-9, "total_variation": 0.3, "expected_share_reference": 0.5,
          "expected_share_production": 0.8,
          "conditional": {"0": {"drifted": []}, "1": {"drifted": []}}}
    assert attribute({"expected": 1, "label_shift": ls}).cause == "label_shift"
    moved_within = {**ls, "conditional": {"0": {"drifted": ["x"]}, "1": {"drifted": []}}}
    assert attribute({"expected": 1, "label_shift": moved_within}).cause == "hard_case"
    away = {**ls, "expected_share_production": 0.4}
    assert attribute({"expected": 1, "label_shift": away}).cause == "hard_case"
    small = {**ls, "total_variation": 0.05}
    assert attribute({"expected": 1, "label_shift": small}).cause == "hard_case"


def test_concept_shift_needs_taught_labels_that_production_contradicts():
    c = {"training_share": 0.9, "production_share": 0.2, "n_production": 20, "p_value": 1e-4}
    assert attribute({"concept": c}).cause == "concept_shift"
    assert attribute({"concept": {**c, "training_share": 0.5}}).cause == "hard_case"
    assert attribute({"concept": {**c, "production_share": 0.7}}).cause == "hard_case"
    assert attribute({"concept": {**c, "p_value": 0.05}}).cause == "hard_case"


def test_adversarial_vs_hard_case_near_a_boundary():
    nb = {"majority": 0, "majority_share": 0.93, "same_prediction_share": 0.07,
          "label_counts": {"0": 14, "1": 1}}
    flip = {"radius": 0.01, "spacing": 0.4}
    facts = {"prediction": 1, "expected": 0, "neighbours": nb, "flip": flip}
    assert attribute(facts).cause == "adversarial"
    # the model answers the same on the neighbours: a smooth boundary, not a pocket
    assert attribute({**facts, "neighbours": {**nb, "same_prediction_share": 0.5}}
                     ).cause == "hard_case"
    # the flip needs more than flip_tolerance (0.25) x spacing (0.4) = 0.1
    assert attribute({**facts, "flip": {"radius": 0.15, "spacing": 0.4}}).cause == "hard_case"
    assert attribute({**facts, "flip": {"radius": 0.15, "spacing": 0.4}},
                     thresholds=Thresholds(flip_tolerance=0.5)).cause == "adversarial"


def test_miscalibration_needs_confident_and_wrong_in_an_overconfident_bin():
    cal = {"bin_confidence": 0.97, "bin_accuracy": 0.7, "bin_count": 300, "p_value": 1e-20,
           "bin_lower": 0.9, "bin_upper": 1.0}
    facts = {"wrong": True, "calibration": cal, "uncertainty": {"confidence": 0.98}}
    assert attribute(facts).cause == "miscalibration"
    assert attribute({**facts, "wrong": False}).cause == "hard_case"
    assert attribute({**facts, "uncertainty": {"confidence": 0.8}}).cause == "hard_case"
    assert attribute({**facts, "calibration": {**cal, "bin_accuracy": 0.9}}
                     ).cause == "hard_case"


def test_weak_slice_and_the_hard_case_fallback():
    weak = {"conditions": ["region == west"], "ratio": 3.0, "slice_loss": 0.45,
            "rest_loss": 0.15, "adjusted_p_value": 1e-9, "size": 200}
    assert attribute({"slice": {"source": "production", "weak_segment": weak}}
                     ).cause == "weak_slice"
    assert attribute({"slice": {"source": "production", "weak_segment": {**weak, "ratio": 1.2}}}
                     ).cause == "hard_case"
    mixed = attribute({"neighbours": {"majority": 0, "majority_share": 0.55,
                                      "label_counts": {"0": 8, "1": 7}}})
    assert mixed.cause == "hard_case" and mixed.supported
    assert "mixed labels" in mixed.reason


def test_attribution_json_round_trip():
    import json
    a = attribute({**_FAULT})
    assert type(a).from_dict(json.loads(json.dumps(a.to_dict()))) == a
