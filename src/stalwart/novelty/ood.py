"""Out-of-distribution scores for unseen inputs, and how well they separate them.

Feed a classifier inputs it was never trained for (held-out classes, another data set)
and score every input; :func:`ood_evaluation` then says how well the scores tell them
from in-distribution inputs. Scores follow the rest of :mod:`stalwart.novelty`:
**higher = more unusual** (more likely out of distribution).

Methods of :func:`ood_scores`:

- ``"msp"``: minus the maximum softmax probability (Hendrycks & Gimpel, 2017), with the
  probabilities ``softmax(z / temperature)``. From a model with ``predict_proba`` only, the
  tempered probabilities are ``softmax(log p / temperature)``, which is exact (``log p``
  differs from the logits by a per-row constant).
- ``"energy"``: the free energy ``-T * logsumexp(z / T)`` of the logits ``z`` (Liu et al.,
  2020). It needs logits: a torch module's output, or ``decision_function`` (binary
  scikit-learn models give one column ``d``, read as logits ``[0, d]``). Log-probabilities
  are *not* logits for this purpose: ``logsumexp(log p) = 0``, so at ``temperature=1`` the
  energy of a probability-only model is 0 for every row, and that is a
  :class:`~stalwart.exceptions.ModelError`; at another temperature it is a function of the
  probabilities alone (no more information than MSP), accepted with that caveat.
- ``"mahalanobis"`` / ``"knn"``: distance to the in-distribution ``reference`` rows, with
  :class:`~stalwart.novelty.MahalanobisNovelty` (one Gaussian, empirical covariance by
  default) and :class:`~stalwart.novelty.KNNNovelty`, on standardised features or on the
  model's embedding (``embed``: a callable or a torch module mapping inputs to features,
  e.g. a network without its last layer). The detectors' conformal thresholds are not
  used: the evaluation sweeps every threshold. Score held-out in-distribution rows, not
  the reference itself (a reference row's nearest neighbour is itself).

:func:`ood_evaluation` takes the in-distribution as the **positive** class, scored by minus
the OOD score, as in the OOD literature: ``auroc`` is scikit-learn's ``roc_auc_score``
(0.5 = no separation, 1 = perfect), and ``fpr_at_95_tpr`` is the share of
out-of-distribution inputs accepted at the strictest threshold that still keeps at least 95%
of in-distribution inputs (read from ``roc_curve``; lower is better).

>>> import numpy as np
>>> r = ood_evaluation(np.array([0.1, 0.2, 0.3, 0.9]), np.array([0.8, 1.0, 2.0]))
>>> r.auroc, r.fpr_at_95_tpr
(0.9166666666666667, 0.3333333333333333)
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.special import logsumexp, softmax
from sklearn.metrics import roc_auc_score, roc_curve

from .._json import jsonable
from ..exceptions import DataError, ModelError, ParameterError
from ..models import ModelAdapter, wrap
from .knn import KNNNovelty
from .mahalanobis import MahalanobisNovelty

__all__ = ["OOD_METHODS", "OODEvaluation", "evaluate_ood", "ood_evaluation", "ood_scores"]

OOD_METHODS = ("msp", "energy", "mahalanobis", "knn")
_TORCH_BATCH = 1024  # rows per forward pass of a torch module


@dataclass(frozen=True)
class OODEvaluation:
    """How well OOD scores separate in- from out-of-distribution inputs."""

    auroc: float
    fpr_at_95_tpr: float
    threshold: float          # OOD score at that operating point: flag scores above it
    n_in: int
    n_out: int
    method: str | None = None
    source: str | None = None  # where the logits or features came from
    tpr: float = 0.95
    in_scores: np.ndarray = field(default_factory=lambda: np.empty(0))
    out_scores: np.ndarray = field(default_factory=lambda: np.empty(0))
    warnings: tuple[str, ...] = ()
    schema_version: str = "1.0"

    def to_dict(self) -> dict[str, Any]:
        return jsonable({
            "schema_version": self.schema_version, "method": self.method,
            "source": self.source, "auroc": self.auroc, "fpr_at_95_tpr": self.fpr_at_95_tpr,
            "tpr": self.tpr, "threshold": self.threshold, "n_in": self.n_in,
            "n_out": self.n_out, "positive_class": "in-distribution",
            "in_scores": self.in_scores, "out_scores": self.out_scores,
            "warnings": list(self.warnings)})


def _scores(name: str, values: Any) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim > 1 and arr.size != arr.shape[0]:
        raise DataError(name, expected="one score per input (a 1-D array)",
                        got=f"an array of shape {arr.shape}",
                        fix="pass ood_scores(...) output, one number per row")
    arr = arr.ravel()
    if arr.size == 0:
        raise DataError(name, expected="at least one score", got="none",
                        fix="score some inputs first")
    if not np.isfinite(arr).all():
        raise DataError(name, expected="finite scores", got="NaN or infinity",
                        fix="drop the rows the model could not score")
    return arr


def ood_evaluation(in_scores: Any, out_scores: Any, *, tpr: float = 0.95,
                   method: str | None = None, source: str | None = None) -> OODEvaluation:
    """AUROC and FPR at ``tpr`` TPR of OOD scores (higher = more unusual)."""
    if isinstance(tpr, bool) or not isinstance(tpr, (int, float)) or not 0.0 < tpr < 1.0:
        raise ParameterError("tpr", expected="a number strictly between 0 and 1",
                             got=repr(tpr), fix="use tpr=0.95")
    s_in, s_out = _scores("in_scores", in_scores), _scores("out_scores", out_scores)
    truth = np.r_[np.ones(s_in.size), np.zeros(s_out.size)]
    ind = -np.r_[s_in, s_out]  # in-distribution is the positive class
    auroc = float(roc_auc_score(truth, ind))
    fpr, tpr_curve, thresholds = roc_curve(truth, ind, drop_intermediate=False)
    at = int(np.argmax(tpr_curve >= tpr - 1e-12))
    warnings = []
    if min(s_in.size, s_out.size) < 20:
        warnings.append(f"only {s_in.size} in- and {s_out.size} out-of-distribution scores: "
                        "AUROC and FPR are coarse")
    if auroc < 0.5:
        warnings.append("AUROC below 0.5: the score ranks out-of-distribution inputs as more "
                        "typical than in-distribution ones")
    return OODEvaluation(auroc=auroc, fpr_at_95_tpr=float(fpr[at]),
                         threshold=float(-thresholds[at]), n_in=s_in.size, n_out=s_out.size,
                         method=method, source=source, tpr=float(tpr), in_scores=s_in,
                         out_scores=s_out, warnings=tuple(warnings))


# -- model outputs ----------------------------------------------------------------------
def _is_torch(obj: Any) -> bool:
    torch = sys.modules.get("torch")  # a torch module exists only if torch was imported
    return torch is not None and isinstance(obj, torch.nn.Module)


def _torch_apply(module: Any, X: Any) -> np.ndarray:
    torch = sys.modules["torch"]
    param = next(module.parameters(), None)
    dtype = param.dtype if param is not None and param.is_floating_point() \
        else torch.get_default_dtype()
    x = X if isinstance(X, torch.Tensor) else torch.as_tensor(np.asarray(X, dtype=float))
    training = module.training
    module.eval()
    parts = []
    try:
        with torch.no_grad():  # in batches: 100k images at once would not fit in memory
            for at in range(0, len(x), _TORCH_BATCH):
                out = module(x[at:at + _TORCH_BATCH].to(dtype))
                parts.append(out.detach().cpu().numpy().astype(float)
                             .reshape(out.shape[0], -1))
    finally:
        module.train(training)
    return np.concatenate(parts) if parts else np.empty((0, 0))


def _logits(model: Any, X: Any, *, allow_log_proba: bool) -> tuple[np.ndarray, str]:
    if _is_torch(model):
        return _torch_apply(model, X), "torch logits"
    adapter = model if isinstance(model, ModelAdapter) else wrap(model)
    if adapter.task != "classification":
        raise ModelError("model", expected="a classifier", got=f"a {adapter.task} model",
                         fix="OOD scores from outputs need class scores; use "
                             "method='mahalanobis' or 'knn' on features")
    if adapter.can("decision_function"):
        d = np.asarray(adapter.decision_function(X), dtype=float)
        if d.ndim == 1:
            d = np.column_stack([np.zeros_like(d), d])
        return d, "decision_function"
    if allow_log_proba and adapter.can("predict_proba"):
        with np.errstate(divide="ignore"):
            return np.log(adapter.predict_proba(X)), "log predict_proba"
    raise ModelError("model", expected="logits: a torch module, or decision_function",
                     got=f"{type(getattr(adapter, 'model', adapter)).__name__} without them",
                     fix="use method='msp', or a model with decision_function (the energy "
                         "of log-probabilities is 0 for every row at temperature=1)")


def _probabilities(model: Any, X: Any, temperature: float) -> tuple[np.ndarray, str]:
    if not _is_torch(model):
        adapter = model if isinstance(model, ModelAdapter) else wrap(model)
        if adapter.task == "classification" and adapter.can("predict_proba"):
            p = adapter.predict_proba(X)
            if temperature == 1.0:
                return p, "predict_proba"
            with np.errstate(divide="ignore"):
                return softmax(np.log(p) / temperature, axis=1), "predict_proba"
    z, source = _logits(model, X, allow_log_proba=False)
    return softmax(z / temperature, axis=1), f"softmax of {source}"


def _features(X: Any, embed: Any) -> np.ndarray:
    if embed is None:
        return X
    if _is_torch(embed):
        return _torch_apply(embed, X)
    if not callable(embed):
        raise ParameterError("embed", expected="None, a callable or a torch module",
                             got=type(embed).__name__, fix="pass embed=model[:-1]")
    out = np.asarray(embed(X), dtype=float)
    return out.reshape(out.shape[0], -1)


def _distance(method: str, X: Any, reference: Any, embed: Any, n_neighbors: int,
              robust: bool, random_state: int | None) -> np.ndarray:
    if reference is None:
        raise ParameterError("reference", expected=f"in-distribution rows for method "
                             f"{method!r}", got="None",
                             fix="pass reference=X_train (the data the model learned from)")
    ref, x = _features(reference, embed), _features(X, embed)
    n = len(ref)
    # calibration is unused here (every threshold is swept): one held-out row, rate 0.5
    common = {"false_flag_rate": 0.5, "calibration_size": 1, "random_state": random_state}
    if n < 3:
        raise DataError("reference", expected="at least 3 rows", got=f"{n}",
                        fix="pass the in-distribution training rows")
    det = (MahalanobisNovelty(robust=robust, **common) if method == "mahalanobis"
           else KNNNovelty(n_neighbors=n_neighbors, **common))
    return det.fit(ref).score(x)


def ood_scores(model: Any, X: Any, *, method: str = "msp", reference: Any = None,
               temperature: float = 1.0, embed: Any = None, n_neighbors: int = 5,
               robust: bool = False, random_state: int | None = 0) -> np.ndarray:
    """One OOD score per row of ``X`` (higher = more unusual); see the module docstring.

    ``model`` is unused by the distance methods (pass None) unless ``embed`` is taken from
    it."""
    return _ood(model, X, method=method, reference=reference, temperature=temperature,
                embed=embed, n_neighbors=n_neighbors, robust=robust,
                random_state=random_state)[0]


def _ood(model: Any, X: Any, *, method: str, reference: Any, temperature: float, embed: Any,
         n_neighbors: int, robust: bool, random_state: int | None) -> tuple[np.ndarray, str]:
    if method not in OOD_METHODS:
        raise ParameterError("method", expected=f"one of {list(OOD_METHODS)}",
                             got=repr(method), fix="pass method='msp'")
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float)) \
            or not np.isfinite(temperature) or temperature <= 0:
        raise ParameterError("temperature", expected="a positive number",
                             got=repr(temperature), fix="use temperature=1.0")
    temperature = float(temperature)
    if method in ("mahalanobis", "knn"):
        source = "features" if embed is None else "embedding"
        return _distance(method, X, reference, embed, n_neighbors, robust,
                         random_state), source
    if model is None:
        raise ModelError("model", expected=f"a classifier for method {method!r}", got="None",
                         fix="pass the model, or use method='mahalanobis' or 'knn'")
    if method == "msp":
        p, source = _probabilities(model, X, temperature)
        return -p.max(axis=1), source
    z, source = _logits(model, X, allow_log_proba=temperature != 1.0)
    if source == "log predict_proba":
        source += " (a function of the probabilities only: no logit scale)"
    return -temperature * logsumexp(z / temperature, axis=1), source


def _stack(a: Any, b: Any) -> Any:
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(a, torch.Tensor):
        return torch.cat([torch.as_tensor(a), torch.as_tensor(b)])
    if hasattr(a, "iloc"):
        import pandas as pd
        if not hasattr(b, "iloc"):  # rows of a plain array: take X_in's column names
            arr = np.asarray(b)
            if arr.ndim != 2 or arr.shape[1] != a.shape[1]:
                raise DataError("X_out", expected=f"rows of X_in's {a.shape[1]} columns",
                                got=f"an array of shape {arr.shape}",
                                fix="pass X_out with the same columns as X_in")
            b = pd.DataFrame(arr, columns=a.columns)
        return pd.concat([a, b], ignore_index=True)
    return np.concatenate([np.asarray(a), np.asarray(b)])


def evaluate_ood(model: Any, X_in: Any, X_out: Any, *, method: str = "msp",
                 reference: Any = None, temperature: float = 1.0, embed: Any = None,
                 n_neighbors: int = 5, robust: bool = False, tpr: float = 0.95,
                 random_state: int | None = 0) -> OODEvaluation:
    """Score held-out in-distribution rows ``X_in`` and unseen rows ``X_out`` together
    (one fit of the distance detectors) and evaluate the separation."""
    n_in = len(X_in)
    if n_in == 0 or len(X_out) == 0:
        raise DataError("X_in / X_out", expected="rows in both", got=f"{n_in} and "
                        f"{len(X_out)}", fix="pass in- and out-of-distribution rows")
    scores, source = _ood(model, _stack(X_in, X_out), method=method, reference=reference,
                          temperature=temperature, embed=embed, n_neighbors=n_neighbors,
                          robust=robust, random_state=random_state)
    return ood_evaluation(scores[:n_in], scores[n_in:], tpr=tpr, method=method,
                          source=source)
