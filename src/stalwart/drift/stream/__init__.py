"""Streaming drift detectors with river's contract: ``update(x) -> self``, ``drift_detected``.

- :class:`ADWIN`: adaptive window, mean changes of a real stream
- :class:`PageHinkley`: cumulative deviation from the running mean (fading), both directions
- :class:`CUSUM`: two-sided tabular CUSUM on standardised values
- :class:`KSWIN`: Kolmogorov-Smirnov test of the latest values against the older window
- :class:`DDM`, :class:`EDDM`: error-rate (0/1) streams of a classifier

Every detector counts its steps and keeps the indices of its detections
(``detections``, ``n_detections``); :data:`STREAM_DETECTORS` lists them with capabilities.
For a monitor that runs a batch test on every window, see :mod:`stalwart.drift.sequential`.
"""

from .adwin import ADWIN
from .base import StreamDetector
from .cusum import CUSUM
from .ddm import DDM
from .eddm import EDDM
from .kswin import KSWIN
from .page_hinkley import PageHinkley
from .registry import STREAM_DETECTORS

__all__ = [
    "ADWIN",
    "CUSUM",
    "DDM",
    "EDDM",
    "KSWIN",
    "STREAM_DETECTORS",
    "PageHinkley",
    "StreamDetector",
]
