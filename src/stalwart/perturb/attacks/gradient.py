"""White-box gradient attacks on torch classifiers: FGSM and PGD, in L-inf and L2.

Both need the gradient of the loss with respect to the *input*, so they take a
``torch.nn.Module`` that maps a batch of inputs to class logits (torch extra). For a model
with only ``predict`` / ``predict_proba`` use the black-box attacks of this package.

- **FGSM** (Goodfellow et al., 2015) takes one step of size ``eps`` along the gradient
  ``g`` of the loss at the clean input: ``x + eps * sign(g)`` (``norm="linf"``) or
  ``x + eps * g / ||g||_2`` (``norm="l2"``, the fast gradient method).
- **PGD** (Madry et al., 2018) repeats ``steps`` such steps of size ``alpha`` from a random
  start in the ``eps``-ball (``random_start=True``) and projects back onto the ball after
  each step: clamp ``x' - x`` to ``[-eps, eps]`` (L-inf) or rescale it to norm ``eps``
  (L2). It returns the last iterate.

The loss is the cross-entropy of the logits (summed over rows, so each row's gradient is
its own); ``targeted=True`` reads ``y`` as target classes and *descends* it. ``clip=(low,
high)`` (scalars or arrays of one row's shape) keeps inputs in their valid box after every
step (clean inputs must lie inside it), and ``mask`` (a boolean array of one row's shape,
True = may change) freezes the other features: their gradient is zeroed before the step
and the L2 direction is normalised over the mutable features only. A row whose gradient
is zero is not moved, and the result counts such rows. The model is put in ``eval()``
mode during the attack and restored after; its parameters' ``.grad`` are not touched.

The result holds the adversarial inputs (``X_adv``, same shape as ``X``), the success rate
(untargeted: share of rows the model classified correctly that it now gets wrong;
targeted: share of rows not already predicted as their target that now are), the
clean and robust accuracy, the median perturbation of the successes (as in
:class:`~stalwart.perturb.attacks.result.AttackResult`), per-row perturbation norms and the number of gradient
computations (one forward and backward pass over the batch each) and ``loss_history``,
the mean loss per row at the start and after each step.

>>> import numpy as np, torch
>>> net = torch.nn.Linear(2, 2).double()
>>> with torch.no_grad():
...     _ = net.weight.copy_(torch.tensor([[1.0, 0.0], [0.0, 1.0]])), net.bias.zero_()
>>> res = fgsm(net, np.array([[1.0, 0.5]]), np.array([0]), eps=0.3)
>>> res.X_adv.tolist(), res.success_rate, res.gradient_calls
([[0.7, 0.8]], 1.0, 1)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..._json import jsonable
from ..._optional import require
from ...exceptions import DataError, ModelError, ParameterError

__all__ = ["GradientAttackResult", "fgsm", "pgd"]

NORMS = ("linf", "l2")
_TINY = 1e-12


@dataclass(frozen=True)
class GradientAttackResult:
    """Adversarial inputs of a gradient attack and what the attack achieved."""

    method: str
    norm: str
    eps: float
    targeted: bool
    X_adv: np.ndarray
    success: np.ndarray            # bool per row (False for rows not attacked)
    attacked: np.ndarray           # bool per row: correct before (or not yet the target)
    clean_predictions: np.ndarray
    adversarial_predictions: np.ndarray
    perturbation_norms: np.ndarray  # per row, in the attack's norm
    gradient_calls: int
    zero_gradient_rows: int
    loss_history: tuple[float, ...] = ()  # mean loss per row: at the start, after each step
    params: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    schema_version: str = "1.0"

    @property
    def n_rows(self) -> int:
        return int(self.success.shape[0])

    @property
    def success_rate(self) -> float | None:
        """Share of attacked rows the attack turned (None when no row could be attacked)."""
        n = int(self.attacked.sum())
        return float(self.success[self.attacked].mean()) if n else None

    @property
    def clean_accuracy(self) -> float | None:
        """Accuracy on the clean rows (untargeted attacks; None for targeted ones)."""
        return self.params.get("clean_accuracy")

    @property
    def robust_accuracy(self) -> float | None:
        """Accuracy on the adversarial rows (untargeted attacks; None for targeted ones)."""
        return self.params.get("robust_accuracy")

    def to_dict(self) -> dict[str, Any]:
        norms, won = self.perturbation_norms, self.perturbation_norms[self.success]
        return jsonable({
            "schema_version": self.schema_version, "method": self.method, "norm": self.norm,
            "eps": self.eps, "targeted": self.targeted, "n_rows": self.n_rows,
            "n_attacked": int(self.attacked.sum()), "success_rate": self.success_rate,
            "clean_accuracy": self.clean_accuracy, "robust_accuracy": self.robust_accuracy,
            "median_perturbation": float(np.median(won)) if won.size else None,
            "max_perturbation": float(norms.max()) if norms.size else None,
            "gradient_calls": self.gradient_calls,
            "zero_gradient_rows": self.zero_gradient_rows,
            "loss_history": list(self.loss_history), "params": self.params,
            "warnings": list(self.warnings), "input_shape": list(self.X_adv.shape),
            "success": self.success, "perturbation_norms": norms})


# -- validation -------------------------------------------------------------------------
def _torch() -> Any:
    return require("torch", extra="torch", purpose="gradient attacks (FGSM, PGD)")


def _check_model(torch: Any, model: Any) -> None:
    if not isinstance(model, torch.nn.Module):
        raise ModelError("model", expected="a torch.nn.Module returning class logits "
                         "(gradient attacks need the input gradient)",
                         got=type(model).__name__,
                         fix="for a model with only predict/predict_proba use the black-box "
                             "attacks of stalwart.perturb.attacks")


def _positive(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) \
            or not np.isfinite(value) or value <= 0:
        raise ParameterError(name, expected="a positive number", got=repr(value),
                             fix=f"pass e.g. {name}=0.1")
    return float(value)


def _norm(norm: Any) -> str:
    if norm not in NORMS:
        raise ParameterError("norm", expected=f"one of {list(NORMS)}", got=repr(norm),
                             fix="pass norm='linf' or norm='l2'")
    return str(norm)


def _row_array(torch: Any, name: str, value: Any, shape: tuple[int, ...], like: Any) -> Any:
    arr = np.asarray(value.detach().cpu().numpy() if isinstance(value, torch.Tensor)
                     else value)
    try:
        np.broadcast_to(arr, shape)
    except ValueError:
        raise ParameterError(name, expected=f"a scalar or an array broadcastable to one "
                             f"row's shape {shape}", got=f"shape {arr.shape}",
                             fix=f"pass {name} with one value per feature") from None
    return torch.as_tensor(arr, dtype=like.dtype if name != "mask" else torch.bool,
                           device=like.device)


class _Setup:
    """Inputs as tensors, labels, clip box and mask, validated once for both attacks."""

    def __init__(self, torch: Any, model: Any, X: Any, y: Any, clip: Any, mask: Any) -> None:
        _check_model(torch, model)
        param = next(model.parameters(), None)
        dtype = param.dtype if param is not None and param.is_floating_point() \
            else torch.get_default_dtype()
        device = param.device if param is not None else torch.device("cpu")
        self.was_tensor = isinstance(X, torch.Tensor)
        x = X.detach() if self.was_tensor else torch.as_tensor(np.asarray(X, dtype=float))
        if x.ndim < 2 or x.shape[0] == 0:
            raise DataError("X", expected="a batch of rows, shape (n_rows, ...)",
                            got=f"shape {tuple(x.shape)}", fix="pass X[None] for one row")
        self.x = x.to(dtype=dtype, device=device)
        if not bool(torch.isfinite(self.x).all()):
            raise DataError("X", expected="finite values", got="NaN or infinity",
                            fix="impute or drop those rows first")
        y_arr = np.asarray(y.detach().cpu().numpy() if isinstance(y, torch.Tensor) else y)
        if y_arr.shape != (x.shape[0],) or y_arr.dtype.kind not in "iu":
            raise DataError("y", expected=f"{x.shape[0]} integer class indices (one per row)",
                            got=f"shape {y_arr.shape}, dtype {y_arr.dtype}",
                            fix="pass the class index of each row (0..n_classes-1)")
        self.y = torch.as_tensor(y_arr, dtype=torch.long, device=device)
        row = tuple(x.shape[1:])
        self.mask = None if mask is None else _row_array(torch, "mask", mask, row, self.x)
        self.clip = None
        if clip is not None:
            if not isinstance(clip, (tuple, list)) or len(clip) != 2:
                raise ParameterError("clip", expected="a pair (low, high)", got=repr(clip),
                                     fix="pass clip=(0.0, 1.0)")
            lo = _row_array(torch, "clip", clip[0], row, self.x)
            hi = _row_array(torch, "clip", clip[1], row, self.x)
            if bool((lo > hi).any()):
                raise ParameterError("clip", expected="low <= high", got=repr(clip),
                                     fix="swap the bounds")
            if bool(((self.x < lo) | (self.x > hi)).any()):
                raise DataError("X", expected="values inside the clip box",
                                got="values outside it", fix="fix clip or the inputs")
            self.clip = (lo, hi)

    def bound(self, torch: Any, x_adv: Any) -> Any:
        if self.clip is not None:
            x_adv = torch.maximum(torch.minimum(x_adv, self.clip[1]), self.clip[0])
        return x_adv


def _logits(torch: Any, model: Any, x: Any, n_rows: int) -> Any:
    out = model(x)
    if not isinstance(out, torch.Tensor) or out.ndim != 2 or out.shape[0] != n_rows \
            or out.shape[1] < 2:
        got = f"shape {tuple(out.shape)}" if isinstance(out, torch.Tensor) \
            else type(out).__name__
        raise ModelError("model output", expected=f"logits of shape ({n_rows}, n_classes>=2)",
                         got=got, fix="return one logit per class (no softmax needed)")
    return out


def _gradient(torch: Any, model: Any, x: Any, y: Any, loss: Callable | None) -> tuple:
    """Input gradient of the summed loss, and the mean loss per row."""
    x = x.detach().requires_grad_(True)
    logits = _logits(torch, model, x, x.shape[0])
    if y.numel() and (int(y.max()) >= logits.shape[1] or int(y.min()) < 0):
        raise DataError("y", expected=f"class indices in [0, {logits.shape[1] - 1}]",
                        got=f"values in [{int(y.min())}, {int(y.max())}]",
                        fix="encode the labels as the model's output columns")
    value = (torch.nn.functional.cross_entropy(logits, y, reduction="sum") if loss is None
             else loss(logits, y))
    if not isinstance(value, torch.Tensor) or value.numel() != 1:
        raise ParameterError("loss", expected="a callable (logits, y) -> scalar tensor",
                             got=type(value).__name__, fix="return e.g. a summed loss")
    (grad,) = torch.autograd.grad(value.sum(), x)
    return grad, float(value.detach()) / x.shape[0]


def _loss_value(torch: Any, model: Any, x: Any, y: Any, loss: Callable | None) -> float:
    with torch.no_grad():
        logits = _logits(torch, model, x, x.shape[0])
        value = (torch.nn.functional.cross_entropy(logits, y, reduction="sum")
                 if loss is None else loss(logits, y))
    return float(value.sum()) / x.shape[0]


def _flat_norm(torch: Any, t: Any, norm: str) -> Any:
    flat = t.reshape(t.shape[0], -1)
    return flat.abs().amax(dim=1) if norm == "linf" else torch.linalg.vector_norm(flat, dim=1)


def _direction(torch: Any, grad: Any, norm: str, mask: Any) -> tuple[Any, int]:
    """The unit step direction (sign, or gradient over its L2 norm) and zero-grad rows."""
    if mask is not None:
        grad = grad * mask
    n = _flat_norm(torch, grad, "l2")
    zero = int((n <= _TINY).sum())
    if norm == "linf":
        return grad.sign(), zero
    scale = torch.where(n > _TINY, 1.0 / n.clamp_min(_TINY), torch.zeros_like(n))
    return grad * scale.reshape(-1, *([1] * (grad.ndim - 1))), zero


def _project(torch: Any, delta: Any, eps: float, norm: str) -> Any:
    if norm == "linf":
        return delta.clamp(-eps, eps)
    n = _flat_norm(torch, delta, "l2")
    factor = torch.where(n > eps, eps / n.clamp_min(_TINY), torch.ones_like(n))
    return delta * factor.reshape(-1, *([1] * (delta.ndim - 1)))


def _finish(torch: Any, model: Any, s: _Setup, x_adv: Any, *, method: str, norm: str,
            eps: float, targeted: bool, calls: int, zero: int, history: list[float],
            params: dict[str, Any]) -> GradientAttackResult:
    with torch.no_grad():
        clean = _logits(torch, model, s.x, s.x.shape[0]).argmax(1).cpu().numpy()
        adv = _logits(torch, model, x_adv, s.x.shape[0]).argmax(1).cpu().numpy()
    y = s.y.cpu().numpy()
    attacked = clean != y if targeted else clean == y
    success = attacked & ((adv == y) if targeted else (adv != y))
    norms = _flat_norm(torch, (x_adv - s.x).detach(), norm).cpu().numpy()
    warnings = []
    if zero:
        warnings.append(f"{zero} gradient evaluations of a row were exactly zero (a "
                        "saturated or flat model): those rows did not move at that step")
    if not attacked.any():
        warnings.append("no row could be attacked: " + (
            "every row is already predicted as its target" if targeted
            else "the model gets every clean row wrong"))
    out = x_adv.detach()
    X_adv = out.cpu().numpy().copy()
    params = {**params, "clean_accuracy": None if targeted else float(np.mean(clean == y)),
              "robust_accuracy": None if targeted else float(np.mean(adv == y))}
    return GradientAttackResult(
        method=method, norm=norm, eps=eps, targeted=targeted, X_adv=X_adv,
        success=success, attacked=attacked, clean_predictions=clean,
        adversarial_predictions=adv, perturbation_norms=norms, gradient_calls=calls,
        zero_gradient_rows=zero, loss_history=tuple(history), params=params,
        warnings=tuple(warnings))


class _EvalMode:
    def __init__(self, model: Any) -> None:
        self.model, self.training = model, model.training

    def __enter__(self) -> None:
        self.model.eval()

    def __exit__(self, *exc: Any) -> None:
        self.model.train(self.training)


def fgsm(model: Any, X: Any, y: Any, *, eps: float, norm: str = "linf",
         loss: Callable | None = None, clip: Any = None, targeted: bool = False,
         mask: Any = None) -> GradientAttackResult:
    """One gradient step of size ``eps`` from each row of ``X`` (see the module docstring)."""
    torch = _torch()
    eps, norm = _positive("eps", eps), _norm(norm)
    s = _Setup(torch, model, X, y, clip, mask)
    with _EvalMode(model):
        grad, value = _gradient(torch, model, s.x, s.y, loss)
        step, zero = _direction(torch, grad, norm, s.mask)
        x_adv = s.bound(torch, s.x + (-eps if targeted else eps) * step)
        history = [value, _loss_value(torch, model, x_adv, s.y, loss)]
        return _finish(torch, model, s, x_adv, method="fgsm", norm=norm, eps=eps,
                       targeted=targeted, calls=1, zero=zero, history=history,
                       params={"clip": clip is not None, "mask": mask is not None,
                               "loss": "cross_entropy" if loss is None else "custom"})


def pgd(model: Any, X: Any, y: Any, *, eps: float, alpha: float | None = None,
        steps: int = 10, norm: str = "linf", random_start: bool = True,
        random_state: int | None = None, loss: Callable | None = None, clip: Any = None,
        targeted: bool = False, mask: Any = None) -> GradientAttackResult:
    """``steps`` projected gradient steps of size ``alpha`` (default ``2.5 * eps / steps``,
    Madry et al.'s choice) inside the ``eps``-ball (see the module docstring)."""
    torch = _torch()
    eps, norm = _positive("eps", eps), _norm(norm)
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ParameterError("steps", expected="an integer >= 1", got=repr(steps),
                             fix="pass e.g. steps=10")
    alpha = 2.5 * eps / int(steps) if alpha is None else _positive("alpha", alpha)
    s = _Setup(torch, model, X, y, clip, mask)
    delta = torch.zeros_like(s.x)
    if random_start:
        rng = np.random.default_rng(random_state)
        shape = tuple(s.x.shape)
        if norm == "linf":
            start = rng.uniform(-eps, eps, size=shape)
        else:  # uniform in the L2 ball: a random direction, radius eps * u^(1/d)
            d = int(np.prod(shape[1:]))
            g = rng.normal(size=(shape[0], d))
            g /= np.maximum(np.linalg.norm(g, axis=1, keepdims=True), _TINY)
            start = (g * eps * rng.uniform(size=(shape[0], 1)) ** (1.0 / d)).reshape(shape)
        delta = torch.as_tensor(start, dtype=s.x.dtype, device=s.x.device)
        if s.mask is not None:
            delta = delta * s.mask
    x_adv = s.bound(torch, s.x + delta)
    sign = -1.0 if targeted else 1.0
    history, zero = [], 0
    with _EvalMode(model):
        for _ in range(int(steps)):
            grad, value = _gradient(torch, model, x_adv, s.y, loss)
            history.append(value)
            step, z = _direction(torch, grad, norm, s.mask)
            zero += z
            delta = _project(torch, x_adv + sign * alpha * step - s.x, eps, norm)
            x_adv = s.bound(torch, s.x + delta).detach()
        history.append(_loss_value(torch, model, x_adv, s.y, loss))
        return _finish(torch, model, s, x_adv, method="pgd", norm=norm, eps=eps,
                       targeted=targeted, calls=int(steps), zero=zero, history=history,
                       params={"alpha": alpha, "steps": int(steps),
                               "random_start": bool(random_start),
                               "random_state": random_state, "clip": clip is not None,
                               "mask": mask is not None,
                               "loss": "cross_entropy" if loss is None else "custom"})
