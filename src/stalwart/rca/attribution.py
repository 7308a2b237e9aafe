"""Failure attribution: one cause from a fixed list, chosen by an explicit decision list.

The causes (:data:`CAUSES`), in the order the decision list examines them: data faults
first (a broken pipeline explains everything downstream of it), then distribution shifts,
then robustness failures, then in-distribution unreliability, with the genuinely hard case
as the fallback. Every step is evaluated and recorded (examined or not and why, fired or
not, the evidence it read), and the attribution is the first step that fired, so a report
also shows which other causes were consistent with the evidence.

=====================  ======================================================================
cause                  fires when (thresholds are :class:`Thresholds` fields)
=====================  ======================================================================
unit_change            the production window's diagnosis found a unit conversion on a column
                       and converting the row's value back makes it ordinary (|robust z|
                       drops and is at most ``unit_restored_z``)
schema_fault           the row itself carries a pipeline fault: a known sentinel outside the
                       reference range, a category the reference never had, text in a
                       numeric column, or a missing value where the reference has
                       (almost) none
covariate_shift        the window drifted on a feature where the row is in the reference's
                       tail (tail <= ``covariate_tail``) and the row's neighbourhood is at
                       least ``density_ratio`` times denser in production than in training
                       (and the production count is significant: binomial p <= ``alpha``)
out_of_distribution    the row is novel: its kNN novelty p-value is at most ``novelty_rate``
adversarial            the row is not novel, yet its training neighbours agree (share >=
                       ``agreement``) on a label other than the prediction (the expected one,
                       when known), the model answers differently from its answers on those
                       neighbours, and a perturbation of at most ``flip_tolerance`` times the
                       reference's nearest-neighbour spacing flips the prediction
label_shift            the labelled window's label distribution differs (chi-square p <=
                       ``alpha``, total variation >= ``label_shift_tv``), the expected class
                       became more frequent, and no feature drifted *within* a class (so
                       p(x | y) held while p(y) moved)
concept_shift          the training neighbours taught the prediction (share >=
                       ``taught_share``) while labelled production neighbours carry other
                       labels (share lower by >= ``concept_gap``, one-sided Fisher p <=
                       ``alpha``)
weak_slice             the row belongs to a weak segment (``stalwart.slicing``) whose error
                       rate is at least ``slice_min_ratio`` times the overall rate
miscalibration         the prediction is wrong and confident (>= ``confident``) and at that
                       confidence the model's accuracy falls short by >= ``calibration_gap``
                       (one-sided binomial p <= ``alpha``)
hard_case              fallback; *supported* when the neighbours' labels are mixed or the
                       model was unsure (confidence < ``confident``)
=====================  ======================================================================

>>> facts = {"row_faults": [{"column": "age", "kind": "sentinel", "value": -999.0,
...                          "message": "age = -999 is a known placeholder"}]}
>>> attribute(facts).cause
'schema_fault'
>>> attribute({}).cause, attribute({}).supported
('hard_case', False)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from .._json import jsonable
from ..exceptions import ParameterError

__all__ = ["CAUSES", "Attribution", "Cause", "DecisionStep", "Thresholds", "attribute",
           "cause"]


@dataclass(frozen=True)
class Cause:
    """One failure cause of the fixed list, with its family and the remedy it calls for."""

    name: str
    label: str
    family: str
    remedy_kinds: tuple[str, ...]
    remedy: str


#: the fixed list, in decision order
CAUSES: tuple[Cause, ...] = (
    Cause("unit_change", "unit change", "data fault", ("data fix", "rule"),
          "convert the column back at ingestion (or fix the upstream export); until then, a "
          "rule that rejects values outside the reference range of the column"),
    Cause("schema_fault", "pipeline or schema fault", "data fault", ("data fix", "rule"),
          "fix the pipeline at the source (placeholder values, renamed or retyped columns, "
          "new categories); until then, a rule that routes rows with the fault to review"),
    Cause("covariate_shift", "covariate shift", "distribution shift", ("retraining", "rule"),
          "retrain (or reweight) with recent production data that covers the new region; "
          "until then, route inputs from the shifted region to review"),
    Cause("out_of_distribution", "out-of-distribution input", "robustness",
          ("rule", "retraining"),
          "abstain on or review inputs flagged as novel; label such inputs and add them to "
          "the next training set"),
    Cause("adversarial", "adversarial input", "robustness", ("rule", "retraining"),
          "reject or review inputs whose prediction flips under small perturbations; harden "
          "the model (smoother model, adversarial training, input validation)"),
    Cause("label_shift", "label shift", "distribution shift", ("retraining",),
          "re-estimate the class priors on recent labelled data and correct the model's "
          "probabilities or threshold for them (prior correction); retrain if it persists"),
    Cause("concept_shift", "concept shift", "distribution shift", ("retraining", "rule"),
          "retrain on recent labelled data (the old labels of this region are stale); a "
          "hot-fix rule for the region until the new version ships"),
    Cause("weak_slice", "weak slice", "reliability", ("retraining", "rule"),
          "collect more or better-labelled data for the slice, add features that separate "
          "it, or route the slice to review with a rule until a retrained model passes"),
    Cause("miscalibration", "miscalibration", "reliability", ("retraining",),
          "recalibrate the model on held-out data (temperature, Platt or isotonic) and set "
          "abstention thresholds on the calibrated confidence"),
    Cause("hard_case", "genuinely hard case", "reliability", ("rule",),
          "no model fix is indicated: similar training rows disagree; route low-confidence "
          "predictions to review (abstention) and explain the expected error rate"),
)

_BY_NAME = {c.name: c for c in CAUSES}


def cause(name: str) -> Cause:
    """The :class:`Cause` called ``name``."""
    if name not in _BY_NAME:
        raise ParameterError("cause", expected="one of " + ", ".join(_BY_NAME), got=repr(name),
                             fix="use a name of stalwart.rca.CAUSES")
    return _BY_NAME[name]


@dataclass(frozen=True)
class Thresholds:
    """The numbers the decision list compares evidence with (documented in the module)."""

    unit_restored_z: float = 3.0
    covariate_tail: float = 0.1
    density_ratio: float = 3.0
    novelty_rate: float = 0.01
    agreement: float = 0.8
    flip_tolerance: float = 0.25
    alpha: float = 0.01
    label_shift_tv: float = 0.1
    taught_share: float = 0.6
    concept_gap: float = 0.3
    slice_min_ratio: float = 1.5
    confident: float = 0.9
    calibration_gap: float = 0.1

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True)
class DecisionStep:
    """One examined cause: whether it could be examined, whether it fired, and why."""

    cause: str
    examined: bool
    fired: bool
    reason: str
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return jsonable(asdict(self))


@dataclass(frozen=True)
class Attribution:
    """The chosen cause, its evidence and remedy, and every step of the decision list."""

    cause: str
    label: str
    family: str
    remedy_kinds: tuple[str, ...]
    remedy: str
    reason: str
    evidence: dict[str, Any]
    supported: bool
    also_consistent: tuple[str, ...]
    steps: tuple[DecisionStep, ...]
    thresholds: dict[str, float]
    schema_version: str = "1.0"

    def to_dict(self) -> dict[str, Any]:
        return jsonable({**{k: getattr(self, k) for k in (
            "schema_version", "cause", "label", "family", "remedy_kinds", "remedy", "reason",
            "evidence", "supported", "also_consistent", "thresholds")},
            "steps": [s.to_dict() for s in self.steps]})

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Attribution:
        steps = tuple(DecisionStep(s["cause"], s["examined"], s["fired"], s["reason"],
                                   s.get("evidence", {})) for s in raw["steps"])
        return cls(raw["cause"], raw["label"], raw["family"], tuple(raw["remedy_kinds"]),
                   raw["remedy"], raw["reason"], raw["evidence"], raw["supported"],
                   tuple(raw["also_consistent"]), steps, raw["thresholds"],
                   raw.get("schema_version", "1.0"))


_Outcome = tuple[bool, bool, str, dict[str, Any]]  # examined, fired, reason, evidence


def _unit_change(f: Mapping[str, Any], t: Thresholds) -> _Outcome:
    if f.get("diagnosis") is None:
        return False, False, "no production window to diagnose", {}
    hits = [u for u in f.get("unit_changes", ())
            if u.get("restored_robust_z") is not None and u.get("robust_z") is not None
            and abs(u["restored_robust_z"]) < abs(u["robust_z"])
            and abs(u["restored_robust_z"]) <= t.unit_restored_z]
    if not hits:
        seen = [u["column"] for u in f.get("unit_changes", ())]
        return True, False, ("no unit change in the window" if not seen else
                             f"unit change on {seen}, but the row's value is not explained "
                             "by it"), {"unit_changes": list(f.get("unit_changes", ()))}
    u = hits[0]
    return True, True, (f"column {u['column']!r} arrives converted ({u['conversion']}): the "
                        f"row's {u['value']:.4g} is {u['restored_value']:.4g} in reference "
                        f"units (robust z {u['robust_z']:.1f} -> "
                        f"{u['restored_robust_z']:.1f})"), {"unit_changes": hits}


def _schema_fault(f: Mapping[str, Any], t: Thresholds) -> _Outcome:
    faults = list(f.get("row_faults", ()))
    if not faults:
        return True, False, "the row's values have the reference's types and domains", {}
    cols = {x["column"] for x in faults}
    related = [x for x in (f.get("diagnosis") or ()) if set(x.get("columns", ())) & cols]
    return True, True, "; ".join(x["message"] for x in faults), {
        "row_faults": faults, "window_findings": related}


def _covariate_shift(f: Mapping[str, Any], t: Thresholds) -> _Outcome:
    drift, blast = f.get("drift"), f.get("blast")
    if drift is None or blast is None:
        return False, False, "no production window to compare with the reference", {}
    tails = {u["feature"]: u["tail"] for u in f.get("unusual", ())}
    drifted = list(drift.get("drifted", ()))
    where = [c for c in drifted if tails.get(c, 1.0) <= t.covariate_tail]
    ratio = blast.get("density_ratio")
    ev = {"drifted": drifted, "row_in_tail_of": where, "density_ratio": ratio}
    if not drifted:
        return True, False, "no feature drifted in the production window", ev
    if not where:
        return True, False, (f"features {drifted} drifted, but the row is not in the "
                             "reference's tail on any of them"), ev
    ev["density_p_value"] = blast.get("density_p_value")
    if ratio is None or ratio < t.density_ratio or (blast.get("density_p_value") or 0.0) > t.alpha:
        return True, False, (f"the row's neighbourhood is not denser in production than in "
                             f"training (ratio {ratio if ratio is None else round(ratio, 2)}, "
                             f"p {blast.get('density_p_value')})"), ev
    return True, True, (f"production moved on {where}: the row lies where the reference is "
                        f"thin and production is {ratio:.1f} times denser"), ev


def _out_of_distribution(f: Mapping[str, Any], t: Thresholds) -> _Outcome:
    nov = f.get("novelty")
    if nov is None:
        return False, False, "no novelty score", {}
    unusual = [u["feature"] for u in f.get("unusual", ()) if u.get("unusual")]
    ev = {**nov, "unusual_features": unusual}
    if nov["p_value"] > t.novelty_rate:
        return True, False, (f"the row looks like the reference (novelty p-value "
                             f"{nov['p_value']:.3g})"), ev
    return True, True, (f"the row is far from the training data (novelty p-value "
                        f"{nov['p_value']:.3g}, nearest training row at "
                        f"{nov['nearest_distance']:.3g} vs typical spacing "
                        f"{nov['spacing']:.3g}); unusual features: {unusual}"), ev


def _adversarial(f: Mapping[str, Any], t: Thresholds) -> _Outcome:
    nb, flip = f.get("neighbours"), f.get("flip")
    if nb is None or flip is None:
        return False, False, "no neighbours or perturbation search", {}
    ev = {"neighbour_majority": nb["majority"], "majority_share": nb["majority_share"],
          "same_prediction_share": nb["same_prediction_share"], **flip}
    pred, exp = f.get("prediction"), f.get("expected")
    if nb["majority_share"] < t.agreement or nb["majority"] == pred:
        return True, False, "the training neighbours do not agree on another label", ev
    if exp is not None and nb["majority"] != exp:
        return True, False, "the neighbours' label is not the expected output", ev
    if nb["same_prediction_share"] > 1 - t.agreement:
        return True, False, ("the model gives the same answer on the neighbours: the "
                             "prediction is not an isolated pocket"), ev
    if flip["radius"] is None or flip["radius"] > t.flip_tolerance * flip["spacing"]:
        return True, False, ("no small perturbation flips the prediction (smallest flip "
                             f"{flip['radius']})"), ev
    return True, True, (f"{nb['majority_share']:.0%} of the training neighbours say "
                        f"{nb['majority']!r} and the model agrees on them, but answers "
                        f"{pred!r} here; a perturbation of {flip['radius']:.3g} (typical "
                        f"spacing {flip['spacing']:.3g}) flips it back"), ev


def _label_shift(f: Mapping[str, Any], t: Thresholds) -> _Outcome:
    ls = f.get("label_shift")
    if ls is None:
        return False, False, "no labelled production rows to compare label distributions", {}
    exp = f.get("expected")
    if ls["p_value"] > t.alpha or ls["total_variation"] < t.label_shift_tv:
        return True, False, (f"the label distribution did not move enough (TV "
                             f"{ls['total_variation']:.3f}, p {ls['p_value']:.3g})"), ls
    if exp is not None and ls.get("expected_share_production") is not None \
            and ls["expected_share_production"] <= ls["expected_share_reference"]:
        return True, False, "labels moved, but not towards the expected class", ls
    drifted = {c: v for c, v in ls.get("conditional", {}).items() if v["drifted"]}
    if not ls.get("conditional"):
        return True, False, "too few rows per class to test p(x | y)", ls
    if drifted:
        return True, False, (f"features drifted within classes ({drifted}): not a pure "
                             "label shift"), ls
    return True, True, (f"the class mix moved (TV {ls['total_variation']:.2f}, p "
                        f"{ls['p_value']:.2g}) while p(x | y) held; the expected class went "
                        f"from {ls['expected_share_reference']:.0%} to "
                        f"{ls['expected_share_production']:.0%}"), ls


def _concept_shift(f: Mapping[str, Any], t: Thresholds) -> _Outcome:
    c = f.get("concept")
    if c is None:
        return False, False, "no labelled production rows near the row", {}
    if c["training_share"] < t.taught_share:
        return True, False, ("the training neighbours did not teach the prediction (share "
                             f"{c['training_share']:.2f})"), c
    gap = c["training_share"] - c["production_share"]
    if gap < t.concept_gap or c["p_value"] > t.alpha:
        return True, False, (f"production neighbours carry the same labels (gap {gap:.2f}, "
                             f"p {c['p_value']:.3g})"), c
    return True, True, (f"{c['training_share']:.0%} of training neighbours have the "
                        f"predicted label but only {c['production_share']:.0%} of "
                        f"{c['n_production']} labelled production neighbours (p "
                        f"{c['p_value']:.2g}): the same inputs now get other labels"), c


def _weak_slice(f: Mapping[str, Any], t: Thresholds) -> _Outcome:
    s = f.get("slice")
    if s is None:
        return False, False, "no labelled data to slice", {}
    weak = s.get("weak_segment")
    if weak is None:
        return True, False, "the row is in no weak segment", {"row_slices": s.get("row_slices")}
    if weak["ratio"] < t.slice_min_ratio:
        return True, False, (f"the row's weakest segment is only {weak['ratio']:.2f} times "
                             "worse than the rest"), weak
    return True, True, (f"the row is in {' & '.join(weak['conditions'])}: error "
                        f"{weak['slice_loss']:.1%} vs {weak['rest_loss']:.1%} elsewhere "
                        f"({s['source']} data, adjusted p {weak['adjusted_p_value']:.2g})"), weak


def _miscalibration(f: Mapping[str, Any], t: Thresholds) -> _Outcome:
    cal, unc = f.get("calibration"), f.get("uncertainty")
    if cal is None or unc is None:
        return False, False, "no labelled data to measure calibration", {}
    ev = {**cal, "confidence": unc["confidence"]}
    if f.get("wrong") is False:
        return True, False, "the prediction equals the expected output", ev
    if unc["confidence"] < t.confident:
        return True, False, f"the model was not confident ({unc['confidence']:.2f})", ev
    gap = cal["bin_confidence"] - cal["bin_accuracy"]
    if gap < t.calibration_gap or cal["p_value"] > t.alpha:
        return True, False, (f"at confidence {cal['bin_lower']:.2f}-{cal['bin_upper']:.2f} "
                             f"the model is right {cal['bin_accuracy']:.0%} of the time "
                             f"(gap {gap:.2f})"), ev
    return True, True, (f"confident ({unc['confidence']:.2f}) and wrong where the model is "
                        f"overconfident: at confidence {cal['bin_confidence']:.2f} it is right "
                        f"only {cal['bin_accuracy']:.0%} of {cal['bin_count']} times (p "
                        f"{cal['p_value']:.2g})"), ev


def _hard_case(f: Mapping[str, Any], t: Thresholds) -> _Outcome:
    nb, unc = f.get("neighbours"), f.get("uncertainty")
    mixed = nb is not None and nb["majority_share"] < t.agreement
    unsure = unc is not None and unc["confidence"] < t.confident
    ev = {"neighbour_label_counts": None if nb is None else nb["label_counts"],
          "confidence": None if unc is None else unc["confidence"], "mixed_neighbours": mixed,
          "model_unsure": unsure}
    if mixed or unsure:
        why = [w for w, on in (("similar training rows carry mixed labels", mixed),
                               ("the model was unsure", unsure)) if on]
        return True, True, " and ".join(why), ev
    return True, True, "no other cause had decisive evidence (fallback)", ev


_STEPS: tuple[tuple[str, Callable[[Mapping[str, Any], Thresholds], _Outcome]], ...] = (
    ("unit_change", _unit_change), ("schema_fault", _schema_fault),
    ("covariate_shift", _covariate_shift), ("out_of_distribution", _out_of_distribution),
    ("adversarial", _adversarial), ("label_shift", _label_shift),
    ("concept_shift", _concept_shift), ("weak_slice", _weak_slice),
    ("miscalibration", _miscalibration), ("hard_case", _hard_case))


def attribute(facts: Mapping[str, Any], *, thresholds: Thresholds | None = None) -> Attribution:
    """Run the decision list over ``facts`` (the evidence gathered by the analysis)."""
    t = thresholds if thresholds is not None else Thresholds()
    steps = []
    for name, step in _STEPS:
        examined, fired, reason, evidence = step(facts, t)
        steps.append(DecisionStep(name, examined, fired, reason, jsonable(evidence)))
    chosen = next(s for s in steps if s.fired)
    c = cause(chosen.cause)
    supported = not (c.name == "hard_case" and not (chosen.evidence.get("mixed_neighbours")
                                                     or chosen.evidence.get("model_unsure")))
    also = tuple(s.cause for s in steps if s.fired and s.cause not in (c.name, "hard_case"))
    return Attribution(c.name, c.label, c.family, c.remedy_kinds, c.remedy, chosen.reason,
                       chosen.evidence, supported, also, tuple(steps), t.to_dict())
