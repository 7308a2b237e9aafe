"""The univariate drift methods, registered with their capabilities as plain data.

``kinds``: column kinds the method accepts; ``output``: ``"test"`` (a p-value; a column
drifts when the adjusted p-value < alpha AND its effect size reaches the effect threshold)
or ``"distance"`` (a column drifts when the distance reaches ``default_threshold``);
``effect``: the distance a test reports as its effect size; ``from_profile``: whether it
can run on two column profiles.

>>> DRIFT_METHODS.capabilities("psi")["default_threshold"]
0.2
>>> [n for n, _ in DRIFT_METHODS if DRIFT_METHODS.capabilities(n)["output"] == "test"]
['anderson_darling', 'chi_square', 'cramer_von_mises', 'g_test', 'ks']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..._registry import Registry
from . import (
    anderson_darling,
    chi_square,
    cramer_von_mises,
    g_test,
    hellinger,
    jensen_shannon,
    kl,
    ks,
    psi,
    wasserstein,
)
from .samples import Outcome

__all__ = ["COUNT_KINDS", "DRIFT_METHODS", "DriftMethod", "NUMERIC_KINDS"]

NUMERIC_KINDS = ("numeric", "datetime")
COUNT_KINDS = ("categorical", "boolean")
_ALL = NUMERIC_KINDS + COUNT_KINDS


@dataclass(frozen=True)
class DriftMethod:
    """A method: its display title, its raw-data function and its profile function."""

    name: str
    title: str
    raw: Callable[[Any], Outcome]
    from_profile: Callable[[Any, Any], Outcome] | None = None


DRIFT_METHODS: Registry[DriftMethod] = Registry("drift method")


def _register(name: str, title: str, module: Any, *, kinds: tuple[str, ...], output: str,
              default_threshold: float | None, effect: str | None) -> None:
    profile_fn = getattr(module, "from_profile", None)
    DRIFT_METHODS.register(name, DriftMethod(name, title, module.raw, profile_fn),
                           kinds=kinds, output=output, default_threshold=default_threshold,
                           effect=effect, from_profile=profile_fn is not None)


_register("ks", "Kolmogorov-Smirnov", ks, kinds=NUMERIC_KINDS, output="test",
          default_threshold=None, effect="wasserstein")
_register("cramer_von_mises", "Cramér-von Mises", cramer_von_mises, kinds=NUMERIC_KINDS,
          output="test", default_threshold=None, effect="wasserstein")
_register("anderson_darling", "Anderson-Darling (k-sample)", anderson_darling,
          kinds=NUMERIC_KINDS, output="test", default_threshold=None, effect="wasserstein")
_register("chi_square", "chi-square", chi_square, kinds=COUNT_KINDS, output="test",
          default_threshold=None, effect="jensen_shannon")
_register("g_test", "G-test", g_test, kinds=COUNT_KINDS, output="test",
          default_threshold=None, effect="jensen_shannon")
_register("psi", "population stability index", psi, kinds=_ALL, output="distance",
          default_threshold=0.2, effect=None)
_register("jensen_shannon", "Jensen-Shannon distance", jensen_shannon, kinds=_ALL,
          output="distance", default_threshold=0.1, effect=None)
_register("hellinger", "Hellinger distance", hellinger, kinds=_ALL, output="distance",
          default_threshold=0.1, effect=None)
_register("wasserstein", "normalised Wasserstein distance", wasserstein, kinds=NUMERIC_KINDS,
          output="distance", default_threshold=0.1, effect=None)
_register("kl", "Kullback-Leibler divergence", kl, kinds=_ALL, output="distance",
          default_threshold=0.1, effect=None)
