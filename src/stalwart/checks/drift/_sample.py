"""Seeded row samples for the drift checks that train a model on the two sides."""

from __future__ import annotations

import pandas as pd

__all__ = ["sample_rows"]


def sample_rows(frame: pd.DataFrame, cap: int, seed: int) -> tuple[pd.DataFrame, str]:
    """At most ``cap`` rows of ``frame`` (a seeded sample) and a note when it sampled."""
    if len(frame) <= cap:
        return frame, ""
    return (frame.sample(n=cap, random_state=seed),
            f"a seeded sample of {cap:,} of {len(frame):,} rows")
