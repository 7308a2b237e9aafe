"""The monitoring store: SQLite by default (no set-up), PostgreSQL by URL (its driver,
psycopg 3, is the ``sql`` extra).

>>> from stalwart.store import open_store
>>> store = open_store("sqlite://")
>>> store.dialect
'sqlite'
"""

from __future__ import annotations

from .alerts import ALERT_STATUSES, SEVERITIES, AlertRecord, ChannelRecord
from .escalations import ESCALATION_SEVERITIES, ESCALATION_STATUSES, EscalationRecord
from .events import IngestResult, normalize_event
from .labels import normalize_label
from .monitors import MonitorRecord, WindowRecord
from .references import ModelRecord, VersionRecord
from .review import REVIEW_STATUSES, EnqueueOutcome, ReviewRecord
from .rule_sets import RuleCounterRecord, RuleSetRecord
from .state import MonitorStateRecord
from .store import Store, open_store
from .versions_registry import DOCUMENTED_ALIASES, AliasRecord, PinRecord

__all__ = ["ALERT_STATUSES", "DOCUMENTED_ALIASES", "ESCALATION_SEVERITIES", "ESCALATION_STATUSES",
           "REVIEW_STATUSES", "SEVERITIES", "AlertRecord", "AliasRecord", "ChannelRecord",
           "EnqueueOutcome", "EscalationRecord", "IngestResult", "ModelRecord", "MonitorRecord",
           "MonitorStateRecord", "PinRecord", "ReviewRecord", "RuleCounterRecord",
           "RuleSetRecord", "Store", "VersionRecord", "WindowRecord", "normalize_event",
           "normalize_label", "open_store"]
