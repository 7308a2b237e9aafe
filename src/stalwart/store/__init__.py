"""The monitoring store: SQLite by default, PostgreSQL by URL (needs the ``sql`` extra).

>>> from stalwart.store import open_store
>>> store = open_store("sqlite://")
>>> store.dialect
'sqlite'
"""

from __future__ import annotations

from .._optional import require

require("sqlalchemy", extra="sql", purpose="the monitoring store")
require("alembic", extra="sql", purpose="the monitoring store's migrations")

from .alerts import ALERT_STATUSES, SEVERITIES, AlertRecord, ChannelRecord  # noqa: E402
from .events import IngestResult, normalize_event  # noqa: E402
from .labels import normalize_label  # noqa: E402
from .monitors import MonitorRecord, WindowRecord  # noqa: E402
from .references import ModelRecord, VersionRecord  # noqa: E402
from .review import REVIEW_STATUSES, ReviewRecord  # noqa: E402
from .store import Store, open_store  # noqa: E402

__all__ = ["ALERT_STATUSES", "REVIEW_STATUSES", "SEVERITIES", "AlertRecord", "ChannelRecord",
           "IngestResult", "ModelRecord", "MonitorRecord", "ReviewRecord", "Store",
           "VersionRecord", "WindowRecord", "normalize_event", "normalize_label", "open_store"]
