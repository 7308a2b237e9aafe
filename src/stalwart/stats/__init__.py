"""Statistics shared across methods: multiple-testing corrections and mergeable profiles.

The ``profile()`` function lives in :mod:`stalwart.stats.profile`; it is not re-exported
here, where its name would hide the ``stalwart.stats.profile`` subpackage.
"""

from .multitest import CORRECTIONS, adjust_p_values
from .profile import ColumnProfile, DatasetProfile

__all__ = ["CORRECTIONS", "ColumnProfile", "DatasetProfile", "adjust_p_values"]
