"""Mergeable per-column profiles: exact counts and moments plus DataSketches summaries.

>>> import pandas as pd
>>> p = profile(pd.DataFrame({"x": [1.0, 2.0, 3.0]}))
>>> p["x"].mean, p.n_rows
(2.0, 3)
"""

from .build import profile
from .column import KINDS, ColumnProfile
from .dataset import DatasetProfile

__all__ = ["ColumnProfile", "DatasetProfile", "KINDS", "profile"]
