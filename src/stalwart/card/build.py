"""Fill a :class:`ModelCard` from suite results, a model, an evaluation and slice metrics.

Every number on the card is computed here or copied from a result; renderers only draw.
Where an input is absent the section says so in ``missing`` instead of being left empty.

Data roles: a suite's ``reference`` is the data the model was trained on (checks such as
``train_test_overlap`` compare against it), so it goes under *training data*, and the
``data`` of that suite is then held-out data, under *evaluation data*. Without a reference,
the ``data`` of the data-audit suite (``data_audit``, a table's fitness for training) is
training data and the ``data`` of any other suite is evaluation data.

>>> from stalwart.card import CardFields
>>> card = build_model_card(fields=CardFields(name="m", version="1"))
>>> "no evaluation was provided" in card.metrics.missing[0]
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from ..checks.result import Status, SuiteResult, Table
from ..exceptions import ParameterError
from .fields import CardFields
from .model import SECTIONS, CardSection, ModelCard

__all__ = ["build_model_card"]

_DATA_AUDIT = "data_audit"
_DATA_COLUMNS = ("role", "suite", "name", "rows", "columns", "target", "fingerprint")


def build_model_card(*, fields: CardFields | Mapping[str, Any], results: Sequence[SuiteResult] = (),
                     model: Any = None, evaluation: Any = None,
                     slices: Any = None, created_at: str | None = None) -> ModelCard:
    """A model card from user ``fields`` plus whatever results are given.

    ``results`` are :class:`SuiteResult` objects, ``model`` a
    :class:`~stalwart.models.ModelAdapter` (or anything with ``describe()``),
    ``evaluation`` an :class:`~stalwart.metrics.EvaluationResult` and ``slices`` one
    :class:`~stalwart.slicing.SliceMetrics` (from ``metric_frame``) or a sequence of them.
    ``created_at`` (an ISO timestamp, default now in UTC) is fixed for reproducible cards.
    """
    if isinstance(fields, Mapping):
        fields = CardFields.from_dict(fields)
    if not isinstance(fields, CardFields):
        raise ParameterError("fields", expected="CardFields or a mapping",
                             got=type(fields).__name__, fix="pass CardFields.from_dict({...})")
    results = (results,) if isinstance(results, SuiteResult) else tuple(results)
    bad = [type(r).__name__ for r in results if not isinstance(r, SuiteResult)]
    if bad:
        raise ParameterError("results", expected="SuiteResult objects", got=f"{bad}",
                             fix="pass the results of suite runs (e.g. stalwart.audit)")
    slice_list = _slice_list(slices)
    described = _describe(model, evaluation, results)
    from .._version import __version__
    return ModelCard(
        model_details=_model_details(fields, described),
        intended_use=_intended_use(fields),
        factors=_factors(fields, slice_list),
        metrics=_metrics(evaluation, slice_list),
        evaluation_data=_evaluation_data(results, evaluation),
        training_data=_training_data(results),
        quantitative_analyses=_quantitative(results, evaluation, slice_list),
        ethical_considerations=_ethics(fields, results),
        caveats_and_recommendations=_caveats(fields, results, slice_list),
        stalwart_version=__version__,
        created_at=created_at if created_at is not None else
        dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
    )


def _slice_list(slices: Any) -> tuple[Any, ...]:
    if slices is None:
        return ()
    items = (slices,) if hasattr(slices, "groups") else tuple(slices)
    bad = [type(s).__name__ for s in items if not hasattr(s, "groups")]
    if bad:
        raise ParameterError("slices", expected="SliceMetrics from stalwart.slicing.metric_frame",
                             got=f"{bad}", fix="pass metric_frame(...) results")
    return items


def _describe(model: Any, evaluation: Any, results: tuple[SuiteResult, ...]) -> dict[str, Any]:
    """The model's description: the adapter's, else the evaluation's, else a suite's."""
    if model is not None:
        if not callable(getattr(model, "describe", None)):
            from ..models import wrap
            model = wrap(model)
        return dict(model.describe())
    if evaluation is not None and evaluation.model:
        return dict(evaluation.model)
    for r in results:
        if r.model:
            return dict(r.model)
    return {}


def _section(name: str, items: Sequence[tuple[str, Any]], tables: Sequence[Table] = (),
             missing: Sequence[str] = ()) -> CardSection:
    kept = tuple((k, v) for k, v in items if v not in (None, "", ()))
    # total_rows set now, as Table.to_dict would, so that a JSON round trip compares equal
    full = tuple(replace(t, total_rows=len(t.rows)) if t.total_rows is None else t
                 for t in tables)
    return CardSection(SECTIONS[name], kept, full, tuple(missing))


def _model_details(f: CardFields, d: Mapping[str, Any]) -> CardSection:
    library = d.get("library") or {}
    recorded = "" if d.get("version") is None else str(d["version"])
    version = f.version or recorded
    items = [("name", f.name or d.get("name", "")), ("version", version),
             ("version recorded by the model", recorded if recorded != version else ""),
             ("owners", f.owners), ("date", f.date), ("type", f.type),
             ("task", d.get("task", "")), ("estimator", d.get("estimator", "")),
             ("adapter", d.get("adapter", "")),
             ("library", f"{library.get('name')} {library.get('version')}" if library else ""),
             ("classes", tuple(str(c) for c in d.get("classes") or ())),
             ("number of features", len(d["feature_names"]) if d.get("feature_names") else None),
             ("licence", f.licence), ("citation", f.citation), ("contact", f.contact)]
    missing = [f"{label}: not written" for label in ("name", "version", "owners", "licence",
                                                      "contact")
               if not dict(items).get(label)]
    if not d:
        missing.append("no model was provided: its type, task and library are unknown")
    return _section("model_details", items, missing=missing)


def _intended_use(f: CardFields) -> CardSection:
    items = [("primary uses", f.primary_uses), ("primary users", f.primary_users),
             ("out-of-scope uses", f.out_of_scope_uses)]
    missing = [f"{label}: not written" for label, v in items if not v]
    return _section("intended_use", items, missing=missing)


def _factors(f: CardFields, slices: tuple[Any, ...]) -> CardSection:
    evaluated = tuple(dict.fromkeys(str(c) for s in slices for c in s.columns))
    items = [("relevant factors", f.factors), ("factors evaluated by slice", evaluated)]
    missing = [] if f.factors else ["relevant factors: not written"]
    if not slices:
        missing.append("no slice analysis was provided: no factor was evaluated")
    return _section("factors", items, missing=missing)


def _metrics(evaluation: Any, slices: tuple[Any, ...]) -> CardSection:
    items: list[tuple[str, Any]] = []
    tables: list[Table] = []
    missing: list[str] = []
    if evaluation is None:
        missing.append("no evaluation was provided: no metric with an interval")
    else:
        items += [("task", evaluation.task), ("confidence level", evaluation.confidence),
                  ("bootstrap resamples", evaluation.n_boot),
                  ("bootstrap seed", evaluation.random_state)]
        rows = tuple((m, "higher" if evaluation.greater_is_better[m] else "lower")
                     for m in evaluation.metrics)
        tables.append(Table("Metrics reported", ("metric", "better when"), rows))
    sliced = tuple(dict.fromkeys(m for s in slices for m in s.metrics))
    items.append(("metrics by slice", sliced))
    return _section("metrics", items, tables, missing)


def _data_rows(results: tuple[SuiteResult, ...], *, training: bool) -> tuple[tuple, ...]:
    rows = []
    for r in results:
        summaries = []
        if training and r.reference:
            summaries.append(("reference", r.reference))
        is_training = r.suite == _DATA_AUDIT and not r.reference
        if r.data and is_training == training:
            summaries.append(("data", r.data))
        for role, s in summaries:
            rows.append((role, r.suite, s.get("name"), s.get("n_rows"), s.get("n_columns"),
                         s.get("target"), s.get("fingerprint")))
    return tuple(rows)


def _evaluation_data(results: tuple[SuiteResult, ...], evaluation: Any) -> CardSection:
    rows = _data_rows(results, training=False)
    items: list[tuple[str, Any]] = []
    if evaluation is not None:
        items.append(("rows scored by the evaluation", evaluation.n_rows))
        if evaluation.support:
            items.append(("rows per class", tuple(f"{k}: {v}"
                                                  for k, v in evaluation.support.items())))
    tables = [Table("Evaluation data sets", _DATA_COLUMNS, rows)] if rows else []
    missing = [] if rows or evaluation is not None else [
        "no evaluation data was provided: no suite result on held-out data and no evaluation"]
    if evaluation is not None and not rows:
        missing.append("no fingerprint of the evaluation data: run a suite on it")
    return _section("evaluation_data", items, tables, missing)


def _training_data(results: tuple[SuiteResult, ...]) -> CardSection:
    rows = _data_rows(results, training=True)
    tables = [Table("Training data sets", _DATA_COLUMNS, rows)] if rows else []
    missing = [] if rows else ["no training data was provided: no data audit and no suite "
                               "with reference data"]
    return _section("training_data", [], tables, missing)


def _quantitative(results: tuple[SuiteResult, ...], evaluation: Any,
                  slices: tuple[Any, ...]) -> CardSection:
    tables: list[Table] = []
    missing: list[str] = []
    if evaluation is not None:
        pct = f"{evaluation.confidence:.0%}"
        tables.append(Table(f"Overall metrics ({pct} bootstrap interval)",
                            ("metric", "estimate", "low", "high"),
                            tuple((m, iv.estimate, iv.low, iv.high)
                                  for m, iv in evaluation.metrics.items())))
        if evaluation.per_class:
            tables.append(Table("Per-class metrics", ("class", "metric", "estimate", "low",
                                                      "high", "support"),
                                tuple((c, m, iv.estimate, iv.low, iv.high,
                                       (evaluation.support or {}).get(c))
                                      for c, d in evaluation.per_class.items()
                                      for m, iv in d.items())))
    else:
        missing.append("no evaluation was provided: no overall metrics")
    for s in slices:
        name = " × ".join(s.columns)
        tables.append(Table(f"Metrics by {name}", (*s.columns, "size", *s.metrics),
                            (("(overall)",) * len(s.columns) + (None,)
                             + tuple(s.overall[m] for m in s.metrics),)
                            + tuple((*g.key, g.size, *(g.values[m] for m in s.metrics))
                                    for g in s.groups)))
        tables.append(Table(f"Disparities by {name}", ("metric", "worst group", "worst value",
                                                       "difference", "ratio"),
                            tuple((m, " & ".join(v["worst_group"] or ()), v["worst_value"],
                                   v["difference"], v["ratio"])
                                  for m, v in s.summary.items())))
    if not slices:
        missing.append("no slice analysis was provided: no metric by group")
    checks = tuple((r.suite, c.title, c.status.value, c.summary)
                   for r in results for c in r.results)
    if checks:
        tables.append(Table("Checks run", ("suite", "check", "status", "summary"), checks))
        values = tuple((r.suite, c.title, k, v) for r in results for c in r.results
                       for k, v in c.metrics.items()
                       if v is None or isinstance(v, (str, bool, int, float)))
        if values:
            tables.append(Table("Check metrics", ("suite", "check", "metric", "value"), values))
    else:
        missing.append("no suite result was provided: no check was run")
    return _section("quantitative_analyses", [], tables, missing)


#: checks whose verdicts the card repeats under ethical considerations: label, checks
_ETHICS = (("personal data scan", ("pii_columns", "pii_scan")),
           ("fairness", ("demographic_parity", "equalized_odds", "equal_opportunity",
                         "predictive_parity", "group_calibration")),
           ("re-identification", ("k_anonymity", "l_diversity")),
           ("model privacy", ("membership_inference", "model_extraction")))


def _ethics(f: CardFields, results: tuple[SuiteResult, ...]) -> CardSection:
    items: list[tuple[str, Any]] = [("considerations", f.ethical_considerations)]
    missing = [] if f.ethical_considerations else ["ethical considerations: not written"]
    for label, names in _ETHICS:
        ran = [(r, c) for r in results for c in r.results if c.check in names
               and c.status is not Status.SKIP]
        for r, c in ran:
            items.append((f"{label}: {c.title} ({r.suite})", f"{c.status.value}: {c.summary}"))
        if not ran:
            missing.append(f"no {label} check was run ({', '.join(names)})")
    return _section("ethical_considerations", items, missing=missing)


def _caveats(f: CardFields, results: tuple[SuiteResult, ...],
             slices: tuple[Any, ...]) -> CardSection:
    found = [f"{r.suite} / {c.title}: {c.status.value}: {c.summary}"
             for r in results for c in r.results
             if c.status in (Status.WARN, Status.FAIL, Status.ERROR)]
    skipped = [f"{r.suite} / {c.title}: skipped: {c.summary}" for r in results
               for c in r.results if c.status is Status.SKIP]
    slice_warnings = [w for s in slices for w in s.warnings]
    items = [("caveats and recommendations", f.caveats),
             ("checks that did not pass", tuple(found)), ("checks skipped", tuple(skipped)),
             ("slice warnings", tuple(slice_warnings))]
    missing = [] if f.caveats else ["caveats and recommendations: not written"]
    return _section("caveats_and_recommendations", items, missing=missing)
