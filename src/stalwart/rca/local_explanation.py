"""A local, model-agnostic explanation of one prediction: per-feature replacement.

The computation lives in :mod:`stalwart.explain.replacement` (layer 1, next to the other
explanation methods); root-cause analysis imports it from here, unchanged.
"""

from __future__ import annotations

from ..explain.replacement import explain_locally

__all__ = ["explain_locally"]
