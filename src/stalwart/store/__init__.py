"""The monitoring store: SQLite by default (no set-up), PostgreSQL by URL (its driver,
psycopg 3, is the ``sql`` extra).

>>> from stalwart.store import open_store
>>> store = open_store("sqlite://")
>>> store.dialect
'sqlite'
"""

from __future__ import annotations

from .alerts import ALERT_STATUSES, SEVERITIES, AlertRecord, ChannelRecord
from .events import IngestResult, normalize_event
from .labels import normalize_label
from .monitors import MonitorRecord, WindowRecord
from .references import ModelRecord, VersionRecord
from .review import REVIEW_STATUSES, EnqueueOutcome, ReviewRecord
from .state import MonitorStateRecord
from .store import Store, open_store

__all__ = ["ALERT_STATUSES", "REVIEW_STATUSES", "SEVERITIES", "AlertRecord", "ChannelRecord",
           "EnqueueOutcome", "IngestResult", "ModelRecord", "MonitorRecord",
           "MonitorStateRecord", "ReviewRecord", "Store", "VersionRecord", "WindowRecord",
           "normalize_event", "normalize_label", "open_store"]
