"""Writers of one SQLite file take turns before ``BEGIN IMMEDIATE``: across threads and
across processes, the next writer enters when the previous one leaves (no polling)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from stalwart.store import open_store
from stalwart.store.engine import WriteTurns, _TURNS, create_store_engine, writing

pytest.importorskip("fcntl")


def test_a_file_store_has_turns_and_a_memory_store_has_none(tmp_path):
    engine = create_store_engine(f"sqlite:///{tmp_path / 'a.db'}")
    assert _TURNS[engine].path == f"{tmp_path / 'a.db'}-writers"
    assert create_store_engine("sqlite://") not in _TURNS


def test_threads_enter_one_after_another(tmp_path):
    with open_store(f"sqlite:///{tmp_path / 't.db'}") as store:
        spans: list[tuple[str, float, float]] = []

        def write(name: str, hold: float) -> None:
            with writing(store.engine):
                start = time.monotonic()
                time.sleep(hold)
                spans.append((name, start, time.monotonic()))

        first = threading.Thread(target=write, args=("first", 0.3))
        first.start()
        time.sleep(0.1)
        second = threading.Thread(target=write, args=("second", 0.0))
        second.start()
        first.join()
        second.join()
        (_, _, first_end), (_, second_start, _) = sorted(spans, key=lambda s: s[0] != "first")
        assert second_start >= first_end


def test_a_turn_is_reentrant_in_one_thread(tmp_path):
    turns = WriteTurns(str(tmp_path / "r.db"))
    with turns.turn(), turns.turn():
        pass
    with turns.turn():  # released: free again
        pass
    turns.close()


_HOLDER = """
import sys, time
from stalwart.store.engine import WriteTurns
turns = WriteTurns(sys.argv[1])
with turns.turn():
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_a_process_waits_while_another_holds_the_turn(tmp_path):
    database = str(tmp_path / "p.db")
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, database, "0.6"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        turns = WriteTurns(database)
        start = time.monotonic()
        with turns.turn():
            waited = time.monotonic() - start
        turns.close()
    finally:
        holder.communicate(timeout=30)
    assert 0.3 < waited < 10
