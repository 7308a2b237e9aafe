"""Any stalwart perturbation as a torch transform, for augmentation inside a Dataset.

``PerturbationTransform(perturbation)`` is a callable on one sample (``batched=False``,
what a ``torch.utils.data.Dataset`` transform receives) or on a batch
(``batched=True``): a tabular row of shape ``(n_features,)`` or an image. It hands the
perturbation a batch of one (or the batch) as a numpy array, and gives back the same kind
of object: a tensor of the input's dtype and device for a tensor, an array for an array.

Images: stalwart's image perturbations take ``(N, H, W)`` or ``(N, H, W, C)`` arrays,
while torch images are channels-first ``(C, H, W)``. ``channels_first=None`` (default)
reads a tensor of an image perturbation as channels-first and moves the channels to the
end and back; pass ``channels_first=False`` for ``(H, W, C)`` tensors or
``channels_first=True`` for ``(C, H, W)`` arrays.

Fit the perturbation on clean data first, or call :meth:`PerturbationTransform.fit` (a
row-wise perturbation learns its scales from it). Each call draws a new seed from the
transform's own generator (seeded by ``random_state``), so every epoch sees new noise and a
run is still repeatable; ``notes_`` holds the perturbation's notes of the last call.

>>> import numpy as np
>>> from stalwart.perturb.base import Perturbation, PerturbationNote
>>> class Shift(Perturbation):
...     name, kind = "shift_doc", "tabular"
...     def __init__(self, *, severity=1, random_state=None):
...         self.severity, self.random_state = severity, random_state
...     def _transform(self, X):
...         self.notes_ = [PerturbationNote("all", True)]
...         return X + self.rng().normal(size=X.shape)
>>> t = PerturbationTransform(Shift(), random_state=0).fit(np.zeros((4, 3)))
>>> a, b = t(np.zeros(3)), t(np.zeros(3))
>>> a.shape, bool((a != b).all())
((3,), True)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from ...exceptions import DataError, ParameterError
from ..base import KINDS, Perturbation

__all__ = ["PerturbationTransform"]


def _is_tensor(x: Any) -> bool:
    return type(x).__module__.startswith("torch") and hasattr(x, "detach")


class PerturbationTransform:
    """Apply ``perturbation`` to one sample or one batch (see the module docstring)."""

    def __init__(self, perturbation: Perturbation, *, batched: bool = False,
                 channels_first: bool | None = None, random_state: Any = None) -> None:
        self.perturbation = perturbation
        self.batched = batched
        self.channels_first = channels_first
        self.random_state = random_state

    def _check(self) -> None:
        # duck-typed: a Perturbation subclass defined elsewhere (a doctest, a plugin) counts
        p = self.perturbation
        if not (callable(getattr(p, "transform", None)) and hasattr(p, "set_params")
                and getattr(p, "kind", None) in KINDS):
            raise ParameterError("perturbation", expected="a stalwart Perturbation",
                                 got=type(self.perturbation).__name__,
                                 fix="pass e.g. GaussianNoise(severity=2)")
        if not hasattr(self, "rng_"):
            self.rng_ = np.random.default_rng(self.random_state)

    def fit(self, X: Any) -> PerturbationTransform:
        """Fit a copy of the perturbation on clean data ``X`` (a batch, as it takes it)."""
        self._check()
        self.perturbation = clone(self.perturbation).fit(self._batch(X, add_axis=False))
        return self

    def _channels_first(self, x: Any) -> bool:
        if self.perturbation.kind != "image":
            return False
        return _is_tensor(x) if self.channels_first is None else bool(self.channels_first)

    def _batch(self, x: Any, *, add_axis: bool) -> np.ndarray:
        arr = x.detach().cpu().numpy() if _is_tensor(x) else np.asarray(x)
        if add_axis:
            arr = arr[None]
        if self._channels_first(x) and arr.ndim == 4:
            arr = np.moveaxis(arr, 1, -1)
        return arr

    def __call__(self, x: Any) -> Any:
        self._check()
        batch = self._batch(x, add_axis=not self.batched)
        if batch.ndim < 2:
            raise DataError("sample", expected="a row (n_features,) or an image",
                            got=f"shape {batch.shape[1:]}",
                            fix="pass one sample, or batched=True for a batch")
        p = self.perturbation.set_params(random_state=int(self.rng_.integers(2**32)))
        out = p.transform(batch)
        self.notes_ = list(p.notes_)
        out = np.asarray(out.to_numpy() if isinstance(out, pd.DataFrame) else out)
        if self._channels_first(x) and out.ndim == 4:
            out = np.moveaxis(out, -1, 1)
        if not self.batched:
            out = out[0]
        if _is_tensor(x):
            import torch
            return torch.as_tensor(np.ascontiguousarray(out), dtype=x.dtype, device=x.device)
        return out.astype(np.asarray(x).dtype, copy=False)
