"""Mean corruption error (mCE) and relative mCE of a classifier against a baseline
(Hendrycks & Dietterich 2019, "Benchmarking neural network robustness to common
corruptions and perturbations", ICLR).

With E^f_{s,c} the error rate (1 - accuracy) of model f on images corrupted by c at
severity s, and E^f_clean its error on the clean images:

- CE_c = sum_s E^f_{s,c} / sum_s E^base_{s,c}; mCE = mean over c of CE_c
- relative CE_c = sum_s (E^f_{s,c} - E^f_clean) / sum_s (E^base_{s,c} - E^base_clean);
  relative mCE = mean over c. It measures the *drop* under corruption, so a model that is
  merely better on clean data does not look robust.

Normalising by a baseline is what makes corruptions of different difficulty comparable,
so mCE needs one: without ``baseline`` the result carries the unnormalised errors and
their mean, mCE is None and a warning says why. A corruption whose baseline error sum is
0 (CE) or whose baseline does not degrade (relative CE) has no ratio: it is None, named
in ``warnings``, and the mean runs over the others.

Both models see the same corrupted images: each (corruption, severity) is drawn once from
a seed derived from ``random_state`` and the corruption's name, so adding a corruption to
the list does not change the others. The model gets ``preprocess(images)``: stalwart's
adapters for scikit-learn models and plain functions take 2-D tables, so a model fitted
on flat rows needs ``preprocess="flatten"`` (or any callable turning the image array
into the model's input); a :class:`~stalwart.models.ModelAdapter` of your own (a CNN's)
can take the (N, H, W[, C]) array itself with ``preprocess=None``, the default.

>>> errors = {"fog": [0.2, 0.4]}
>>> r = mean_corruption_error(errors, {"fog": [0.3, 0.5]}, clean_error=0.1,
...                           baseline_clean_error=0.2)
>>> round(r["ce"]["fog"], 4), round(r["relative_ce"]["fog"], 4)
(0.75, 1.0)
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..._json import jsonable
from ...exceptions import DataError, InputError, ModelError, ParameterError
from ...models import wrap
from ..base import PERTURBATIONS, SEVERITIES, check_severity
from .base import check_images

__all__ = ["CorruptionErrors", "corruption_errors", "image_corruptions",
           "mean_corruption_error"]

# error rates are multiples of 1 / n_images: a sum below this is zero up to rounding
# (0.2 + 0.4 - 2 * 0.3 is 1e-16, not a drop to divide by)
_TINY = 1e-9

_FIELDS = ("model", "baseline", "n_images", "corruptions", "severities", "clean_error",
           "errors", "mean_errors", "mean_error", "baseline_clean_error", "baseline_errors",
           "ce", "relative_ce", "mce", "relative_mce", "warnings", "options")


def image_corruptions() -> list[str]:
    """The registered image perturbations, by name."""
    return [n for n in PERTURBATIONS.names() if PERTURBATIONS.capabilities(n)["kind"] == "image"]


@dataclass(frozen=True)
class CorruptionErrors:
    """A model's error under each corruption and severity, and its (relative) mCE.

    ``errors[c]`` lists the error rates in ``severities`` order; ``mean_errors[c]`` their
    mean and ``mean_error`` the mean over all corruptions and severities (unnormalised).
    ``baseline_*``, ``ce``, ``relative_ce``, ``mce`` and ``relative_mce`` are None without
    a baseline. Anything undefined or unusual is said in ``warnings``.
    """

    model: dict[str, Any]
    baseline: dict[str, Any] | None
    n_images: int
    corruptions: tuple[str, ...]
    severities: tuple[int, ...]
    clean_error: float
    errors: dict[str, list[float]]
    mean_errors: dict[str, float]
    mean_error: float
    baseline_clean_error: float | None
    baseline_errors: dict[str, list[float]] | None
    ce: dict[str, float | None] | None
    relative_ce: dict[str, float | None] | None
    mce: float | None
    relative_mce: float | None
    warnings: tuple[str, ...]
    options: dict[str, Any]
    schema_version: str = "1.0"

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"schema_version": self.schema_version,
                         **{k: getattr(self, k) for k in _FIELDS}})

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> CorruptionErrors:
        values = {k: raw[k] for k in _FIELDS}
        for key in ("corruptions", "severities", "warnings"):
            values[key] = tuple(values[key])
        return cls(**values, schema_version=raw.get("schema_version", "1.0"))


def _ratio_mean(ratios: dict[str, float | None], what: str,
                warnings: list[str]) -> float | None:
    defined = [v for v in ratios.values() if v is not None]
    if len(defined) < len(ratios):
        missing = [c for c, v in ratios.items() if v is None]
        warnings.append(f"{what} averages {len(defined)} of {len(ratios)} corruptions; "
                        f"undefined for {missing}")
    return float(np.mean(defined)) if defined else None


def mean_corruption_error(errors: Mapping[str, Sequence[float]],
                          baseline_errors: Mapping[str, Sequence[float]], *,
                          clean_error: float, baseline_clean_error: float) -> dict[str, Any]:
    """CE, relative CE, mCE and relative mCE from error tables (corruption -> errors per
    severity, the same severities for both models), with the warnings of undefined ratios.
    """
    warnings: list[str] = []
    ce: dict[str, float | None] = {}
    relative: dict[str, float | None] = {}
    missing = sorted(set(errors) - set(baseline_errors))
    if not errors or missing:
        raise DataError("baseline_errors", expected="the baseline's errors for every "
                        "corruption of errors (and at least one corruption)",
                        got=f"none for {missing}" if missing else "no corruption",
                        fix="measure both models on the same corruptions")
    for c, errs in errors.items():
        mine, base = np.asarray(errs, dtype=float), np.asarray(baseline_errors[c], dtype=float)
        if mine.ndim != 1 or mine.shape != base.shape or not mine.size:
            raise DataError(f"errors[{c!r}]", expected="one error rate per severity, as many "
                            "for the baseline as for the model",
                            got=f"{mine.size} for the model and {base.size} for the baseline",
                            fix="measure both models at the same severities")
        if base.sum() > _TINY:
            ce[c] = float(mine.sum() / base.sum())
        else:
            ce[c] = None
            warnings.append(f"{c}: the baseline makes no error at any severity, so CE "
                            "(a ratio to its errors) is undefined")
        drop = float((base - baseline_clean_error).sum())
        if drop > _TINY:
            relative[c] = float((mine - clean_error).sum() / drop)
        else:
            relative[c] = None
            warnings.append(f"{c}: the baseline is no worse under it than on clean images, "
                            "so relative CE (a ratio to its drop) is undefined")
    mce = _ratio_mean(ce, "mCE", warnings)
    relative_mce = _ratio_mean(relative, "relative mCE", warnings)
    return {"ce": ce, "relative_ce": relative, "mce": mce, "relative_mce": relative_mce,
            "warnings": warnings}


def _resolve(corruptions: Sequence[str] | None) -> tuple[str, ...]:
    known = image_corruptions()
    if corruptions is None:
        return tuple(known)
    if isinstance(corruptions, str) or not isinstance(corruptions, Sequence) \
            or not corruptions:
        raise ParameterError("corruptions", expected="a non-empty list of image corruption "
                             "names, or None for all", got=repr(corruptions),
                             fix=f"pick among {known}")
    names = []
    for c in corruptions:
        name = c if c in known else f"image_{c}"
        if name not in known:
            raise ParameterError(f"corruption {c!r}", expected=f"one of {known}",
                                 got=repr(c), fix="pick a registered image corruption")
        if name in names:
            raise ParameterError("corruptions", expected="each corruption once",
                                 got=f"{c!r} twice", fix="remove the duplicate")
        names.append(name)
    return tuple(names)


def _preprocessor(preprocess: Any) -> Callable[[np.ndarray], Any]:
    if preprocess is None:
        return lambda X: X
    if preprocess == "flatten":
        return lambda X: X.reshape(len(X), -1)
    if callable(preprocess):
        return preprocess
    raise ParameterError("preprocess", expected="None, 'flatten' or a function of the image "
                         "array", got=repr(preprocess),
                         fix="pass preprocess='flatten' for a model fitted on flat rows")


def _error_rate(adapter: Any, X: np.ndarray, labels: np.ndarray,
                prep: Callable[[np.ndarray], Any], given: Any) -> float:
    try:
        predicted = adapter.predict(prep(X))
    except InputError as exc:
        if given is not None:
            raise
        raise ModelError(f"model {adapter.name!r} on images", expected="a model that "
                         f"predicts on image arrays of shape {X.shape}", got=str(exc),
                         fix="pass preprocess='flatten' (models fitted on flat rows) or a "
                         "function turning the images into the model's input") from exc
    return float(np.mean(np.asarray(predicted) != labels))


def _check_options(labels: Any, n: int, severities: Any,
                   random_state: Any) -> tuple[np.ndarray, tuple[int, ...]]:
    y = np.asarray(labels)
    if y.ndim != 1 or len(y) != n:
        raise DataError("labels", expected=f"one label per image ({n})",
                        got=f"shape {y.shape}", fix="pass the images' true classes")
    if isinstance(severities, (int, np.integer)) or not isinstance(severities, Sequence) \
            or not severities:
        raise ParameterError("severities", expected=f"a non-empty list among {SEVERITIES}",
                             got=repr(severities), fix="pass e.g. severities=(1, 3, 5)")
    levels = tuple(check_severity(s) for s in severities)
    if len(set(levels)) != len(levels):
        raise ParameterError("severities", expected="each severity once",
                             got=repr(severities), fix="remove the duplicate")
    if random_state is not None and (isinstance(random_state, bool)
                                     or not isinstance(random_state, (int, np.integer))
                                     or random_state < 0):
        raise ParameterError("random_state", expected="a non-negative integer or None",
                             got=repr(random_state), fix="pass e.g. random_state=0")
    return y, levels


def _seed(random_state: int | None, name: str, severity: int) -> int:
    seq = np.random.SeedSequence(random_state, spawn_key=(zlib.crc32(name.encode()), severity))
    return int(seq.generate_state(1)[0])


def corruption_errors(model: Any, images: Any, labels: Any, *,
                      corruptions: Sequence[str] | None = None,
                      severities: Sequence[int] = SEVERITIES, baseline: Any = None,
                      preprocess: Any = None, random_state: int | None = 0
                      ) -> CorruptionErrors:
    """Error rates of ``model`` (and ``baseline``) on ``images`` under each corruption and
    severity, with CE, relative CE, mCE and relative mCE when a baseline is given.

    ``corruptions``: registered image corruption names (``"image_fog"`` or ``"fog"``),
    None for all. ``preprocess``: None (models take the image array), ``"flatten"`` or a
    callable. Raises :class:`ModelError` for a regression model or one that cannot take
    the images, :class:`DataError` for images of the wrong shape or range.
    """
    images = check_images(images)
    y, levels = _check_options(labels, len(images), severities, random_state)
    names = _resolve(corruptions)
    prep = _preprocessor(preprocess)
    models = {"model": wrap(model)} | ({} if baseline is None else {"baseline": wrap(baseline)})
    warnings: list[str] = []
    for role, adapter in models.items():
        if adapter.task != "classification":
            raise ModelError(f"{role} {adapter.name!r}", expected="a classifier (corruption "
                             "error is an error rate)", got=f"a {adapter.task} model",
                             fix="pass a classifier")
        if adapter.classes_ is not None and not np.isin(y, adapter.classes_).all():
            unknown = sorted(set(y[~np.isin(y, adapter.classes_)].tolist()))[:5]
            warnings.append(f"labels {unknown} are not among the {role}'s classes: every "
                            "such image counts as an error")
    clean = {role: _error_rate(a, images, y, prep, preprocess) for role, a in models.items()}
    table: dict[str, dict[str, list[float]]] = {role: {} for role in models}
    for name in names:
        for role in models:
            table[role][name] = []
        for s in levels:
            corrupted = PERTURBATIONS.get(name)(severity=s, random_state=_seed(
                random_state, name, s)).fit(images).transform(images)
            for role, adapter in models.items():
                table[role][name].append(_error_rate(adapter, corrupted, y, prep, preprocess))
    errors = table["model"]
    ratios: dict[str, Any] = {"ce": None, "relative_ce": None, "mce": None,
                              "relative_mce": None}
    if baseline is None:
        warnings.append("no baseline: mCE and relative mCE need one to normalise each "
                        "corruption's difficulty (pass baseline=...); mean_error is the "
                        "unnormalised mean error")
    else:
        ratios = mean_corruption_error(errors, table["baseline"], clean_error=clean["model"],
                                       baseline_clean_error=clean["baseline"])
        warnings.extend(ratios.pop("warnings"))
    return CorruptionErrors(
        model=models["model"].describe(),
        baseline=None if baseline is None else models["baseline"].describe(),
        n_images=len(images), corruptions=names, severities=levels,
        clean_error=clean["model"], errors=errors,
        mean_errors={c: float(np.mean(e)) for c, e in errors.items()},
        mean_error=float(np.mean([e for errs in errors.values() for e in errs])),
        baseline_clean_error=clean.get("baseline"), baseline_errors=table.get("baseline"),
        **ratios, warnings=tuple(warnings),
        options={"random_state": random_state,
                 "preprocess": preprocess if preprocess in (None, "flatten")
                 else getattr(preprocess, "__name__", type(preprocess).__name__)})
