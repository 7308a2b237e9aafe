"""Labels as the model's own class objects, whatever type they arrived in.

An escalation's expected output often arrives as JSON text (``"1"``) while the model's
classes and the reference labels are integers; comparing them raw would call every such
escalation a disagreement. Matching by the text form maps each label to the class it names.

>>> align_labels(["1", 0, "cat", None], [0, 1]).tolist()
[1, 0, 'cat', None]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = ["align_labels"]


def align_labels(labels: Iterable[Any], classes: Iterable[Any]) -> np.ndarray:
    """``labels`` as objects of ``classes`` where their text matches (others unchanged)."""
    lookup = {str(c): c for c in classes}
    return np.array([lookup.get(str(v), v) if v is not None else v for v in labels],
                    dtype=object)
