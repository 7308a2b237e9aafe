"""The registry of streaming drift detectors, with their capabilities as plain data.

Each detector module registers itself in one line; :mod:`stalwart.drift.stream` imports them
all, so the registry is complete once the package is imported. Capabilities: ``input``
("real": any finite number, "binary": 0/1 error indicators), ``change`` (what kind of change
it sees), ``warning`` (whether it also raises a warning zone) and ``reference`` (the river
detector it is checked against, or None).

>>> import stalwart.drift.stream as st
>>> st.STREAM_DETECTORS.names()
['adwin', 'cusum', 'ddm', 'eddm', 'kswin', 'page_hinkley']
>>> st.STREAM_DETECTORS.capabilities("ddm")["input"]
'binary'
"""

from __future__ import annotations

from typing import Any

from ..._registry import Registry

__all__ = ["STREAM_DETECTORS"]

#: name -> detector class
STREAM_DETECTORS: Registry[Any] = Registry("streaming drift detector")
