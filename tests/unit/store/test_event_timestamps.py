"""The fast path for ``...Z`` timestamps agrees with ``to_utc`` on every string it takes,
and an event's stored time does not depend on which path parsed it."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from stalwart.exceptions import DataError
from stalwart.store.events import _utc_z, normalize_event, to_utc

_ALPHABET = "0123456789-:T.Z+, "
_BASES = ("2026-01-31T12:34:56.123456Z", "2026-01-31T12:34:56Z", "2026-01-31T12:34:56.5Z",
          "2026-01-31T12:34:56+00:00", "2026-01-31")


def _mutations(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        chars = list(rng.choice(_BASES))
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(chars))
            op = rng.random()
            if op < 0.5:
                chars[i] = rng.choice(_ALPHABET)
            elif op < 0.75:
                del chars[i]
            else:
                chars.insert(i, rng.choice(_ALPHABET))
        out.append("".join(chars))
    return out


def _reference(text: str) -> dt.datetime | str:
    try:
        return to_utc(text)
    except DataError:
        return "rejected"


def test_the_fast_path_takes_only_what_to_utc_accepts_and_agrees_with_it():
    taken = 0
    for text in _mutations(20_000, seed=5):
        fast = _utc_z(text)
        if fast is not None:
            taken += 1
            assert fast == _reference(text), text
            assert fast.tzinfo is None
    assert taken > 500  # the property was exercised, not vacuous


@pytest.mark.parametrize("text", [
    "2026-01-31Z", "2026-01-31T12:00:00ZZ", "2026-01-31T12:00:00+01:00Z",
    "2026-01-31T12:00:00+01Z", "2026-02-30T12:00:00Z", "2026-01-31T12:00:00.1234567Z",
    " 2026-01-31T12:00:00Z", "2026-01-31T12:00:00Z ", ""])
def test_shapes_the_fast_path_leaves_to_to_utc(text):
    assert _utc_z(text) is None


def test_an_event_stores_the_same_time_whichever_way_its_time_is_written():
    base = {"event_id": "t", "model": "m", "model_version": "1", "features": {},
            "outputs": {}}
    times = {normalize_event(dict(base, timestamp=t))["timestamp"] for t in
             ("2026-01-31T12:00:00.250Z", "2026-01-31T13:00:00.250+01:00",
              "2026-01-31T12:00:00.250", " 2026-01-31T12:00:00.250Z ",
              dt.datetime(2026, 1, 31, 12, 0, 0, 250_000, tzinfo=dt.timezone.utc))}
    assert times == {dt.datetime(2026, 1, 31, 12, 0, 0, 250_000)}
