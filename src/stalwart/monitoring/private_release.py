"""Monitoring aggregates released with differential privacy: a window of logged predictions.

A dashboard or a report shared outside the team shows per-window aggregates of production
traffic: how many predictions, the mean of an input, how the model's answers split. Each row
is a person's request, so those aggregates can leak who was there. :func:`release_window`
reads the window's logged columns from the store (chunk by chunk, only the columns asked
for) and releases, with :mod:`stalwart.privacy.dp`: the number of events, the mean of every
column given ``bounds`` (values clipped to them) and the count of every declared category of
the columns in ``categories`` (a noisy histogram). The budget ``epsilon`` is split evenly
over these releases and charged to the ``accountant``, which refuses a release over budget
before any noise is drawn (the whole window is checked first, so nothing is half-released).
A profile already built (:mod:`stalwart.stats.profile`) is released with
:func:`stalwart.privacy.dp_profile` instead.

One person may send several requests in a window. With ``contributions=c`` every release is
made at ``epsilon / c`` (group privacy: changing c rows changes the output's distribution
by at most ``c * epsilon / c = epsilon``), and the accountant is charged ``epsilon``; this
holds for pure differential privacy only, so it needs ``delta=0`` (the Laplace mechanism).

Columns are named as the store's event frame names them: ``features.<name>`` for inputs,
``outputs.prediction`` for the model's answer.

>>> from stalwart.store import open_store
>>> from stalwart.privacy import PrivacyAccountant
>>> store = open_store("sqlite://")
>>> _ = store.ingest_events([{"event_id": f"e{i}", "model": "m", "model_version": "1",
...     "timestamp": "2026-01-01T00:00:00+00:00", "features": {"age": 20 + i % 50},
...     "outputs": {"prediction": i % 2}} for i in range(500)])
>>> budget = PrivacyAccountant(epsilon=1.0)
>>> out = release_window(store, "m", epsilon=0.5, bounds={"features.age": (18, 90)},
...                      categories={"outputs.prediction": [0, 1]}, accountant=budget)
>>> [r.label for r in out.releases], budget.remaining_epsilon
(['events', 'features.age.mean', 'outputs.prediction.counts'], 0.5)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import DataError, ParameterError
from ..privacy import (DPProfileRelease, PrivacyAccountant, dp_count, dp_histogram, dp_mean)
from ..privacy.dp.mechanisms import as_generator

__all__ = ["release_window"]

_PREFIXES = ("features.", "outputs.")


def release_window(store: Any, model: str, *, epsilon: float, start: Any = None,
                   end: Any = None, bounds: Mapping[str, tuple[float, float]] | None = None,
                   categories: Mapping[str, Sequence[Any]] | None = None,
                   delta: float = 0.0, mechanism: str = "laplace",
                   contributions: int = 1, accountant: PrivacyAccountant | None = None,
                   model_version: str | None = None, chunk_size: int = 50_000,
                   random_state: int | np.random.Generator = 0) -> DPProfileRelease:
    """The differentially private profile of ``model``'s events in ``[start, end)``."""
    if isinstance(contributions, bool) or not isinstance(contributions, int) or contributions < 1:
        raise ParameterError("contributions", expected="a positive integer: the most rows one "
                             "person adds to the window", got=repr(contributions),
                             fix="pass e.g. contributions=3 if a customer sends up to 3 requests")
    if contributions > 1 and delta:
        raise ParameterError("contributions with delta", expected="delta=0 (the Laplace "
                             "mechanism) when one person adds several rows",
                             got=f"contributions={contributions}, delta={delta!r}",
                             fix="use mechanism='laplace' with delta=0: group privacy of "
                                 "(epsilon, delta) is not a division of both by the rows")
    bounds, categories = dict(bounds or {}), dict(categories or {})
    if not bounds and not categories:
        raise ParameterError("bounds / categories", expected="at least one column to release "
                             "(a mean needs bounds, a category count its categories)",
                             got="neither", fix="pass e.g. bounds={'features.age': (18, 90)}")
    wanted = sorted(set(bounds) | set(categories))
    parts: list[pd.DataFrame] = []
    seen: set[str] = set()
    for chunk in store.iter_events(model, start=start, end=end, model_version=model_version,
                                   with_labels=False, chunk_size=chunk_size):
        seen.update(str(c) for c in chunk.columns if str(c).startswith(_PREFIXES))
        parts.append(chunk.reindex(columns=wanted))
    if not parts:
        raise DataError("monitoring window", expected=f"logged events of model {model!r} in the "
                        "window", got="none", fix="check the model name and the window's dates")
    missing = [c for c in wanted if c not in seen]
    if missing:
        raise DataError("columns to release", expected="columns of the logged events "
                        "('features.<name>' or 'outputs.prediction')", got=f"unknown {missing}",
                        fix=f"use names among {sorted(seen)[:12]}")
    frame = pd.concat(parts, ignore_index=True)
    n_releases = 1 + len(bounds) + len(categories)
    per_person = epsilon / n_releases
    each = per_person / contributions
    if accountant is not None:
        # the whole window at once, before any noise: never half a release
        accountant.spend(epsilon, delta, label=f"window of {model} ({n_releases} releases)",
                         mechanism=mechanism)
    rng = as_generator(random_state)
    common = {"epsilon": each, "delta": delta / n_releases, "mechanism": mechanism,
              "random_state": rng}
    releases = [dp_count(np.ones(len(frame)), label="events", **common)]
    for column, (lower, upper) in sorted(bounds.items()):
        values = pd.to_numeric(frame[column], errors="coerce").dropna().to_numpy(dtype=float)
        releases.append(dp_mean(values, lower=lower, upper=upper, label=f"{column}.mean",
                                **common))
    for column, cats in sorted(categories.items()):
        releases.append(dp_histogram(frame[column].dropna().to_numpy(), categories=list(cats),
                                     label=f"{column}.counts", **common))
    return DPProfileRelease(tuple(releases), float(epsilon), float(delta), float(each), ())
