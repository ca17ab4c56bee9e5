"""The per-view list cache: round trips, schema changes, damage and the seen marks."""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path

import pytest

from psa.list_cache import ListCache


def test_saved_list_round_trips_per_view(tmp_path: Path) -> None:
    cache = ListCache(tmp_path / "sub" / "lists.sqlite3")
    cache.save("board=1", [{"id": 1, "summary": "Printer"}], total=12)
    cache.save("board=2", [{"id": 2, "summary": "VPN"}], total=3)

    again = ListCache(tmp_path / "sub" / "lists.sqlite3")
    first = again.load("board=1")
    assert first is not None
    assert first.rows == [{"id": 1, "summary": "Printer"}]
    assert first.total == 12
    second = again.load("board=2")
    assert second is not None and second.rows[0]["id"] == 2
    assert again.load("board=3") is None


def test_save_replaces_and_caps_rows(tmp_path: Path) -> None:
    cache = ListCache(tmp_path / "c.sqlite3", max_rows=3)
    cache.save("v", [{"id": i} for i in range(10)], total=10)
    cache.save("v", [{"id": i} for i in range(5, 10)], total=5)
    loaded = cache.load("v")
    assert loaded is not None
    assert [r["id"] for r in loaded.rows] == [5, 6, 7]
    assert loaded.total == 5


def test_damaged_or_old_entries_are_misses(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    cache = ListCache(path)
    cache.save("v", [{"id": 1}], total=1)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE lists SET rows = 'not json'")
    assert cache.load("v") is None
    cache.save("v", [{"id": 1}], total=1)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE lists SET schema = 0")
    assert cache.load("v") is None
    cache.forget("v")
    assert cache.load("v") is None


def test_seen_marks_are_kept_per_ticket(tmp_path: Path) -> None:
    cache = ListCache(tmp_path / "c.sqlite3")
    assert cache.seen([1, 2]) == {}
    cache.mark_seen({1: "2026-01-01T00:00:00Z", 2: "2026-01-02T00:00:00Z"})
    cache.mark_seen({1: "2026-01-03T00:00:00Z"})
    many = list(range(3, 1200))
    assert cache.seen([1, 2, *many]) == {1: "2026-01-03T00:00:00Z", 2: "2026-01-02T00:00:00Z"}


def test_building_a_cache_touches_no_disk(tmp_path: Path) -> None:
    # It is built on the UI thread; every disk access belongs to the worker-thread calls.
    folder = tmp_path / "not-yet"
    cache = ListCache(folder / "c.sqlite3")
    assert not folder.exists()
    cache.save("v", [{"id": 1}], total=1)
    assert folder.is_dir()


def test_a_file_that_is_not_a_database_is_set_aside_and_started_afresh(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "c.sqlite3"
    garbage = os.urandom(4096)
    path.write_bytes(garbage)
    cache = ListCache(path)
    with caplog.at_level(logging.WARNING, logger="psa.list_cache"):
        assert cache.load("v") is None
    assert "damaged" in caplog.text
    assert (tmp_path / "c.sqlite3.corrupt-1").read_bytes() == garbage  # kept for a bug report
    cache.save("v", [{"id": 1}], total=1)
    loaded = ListCache(path).load("v")
    assert loaded is not None and loaded.rows == [{"id": 1}]


def test_damage_found_mid_session_is_a_miss_and_the_next_write_lands(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    (tmp_path / "c.sqlite3.corrupt-1").write_bytes(b"an earlier one")
    cache = ListCache(path)
    cache.save("v", [{"id": 1}], total=1)
    cache.mark_seen({1: "2026-01-01T00:00:00Z"})
    path.write_bytes(b"\0" * 8192)  # overwritten by something else while the app runs
    assert cache.seen([1]) == {}
    assert (tmp_path / "c.sqlite3.corrupt-2").exists()  # the earlier one is not overwritten
    path.write_bytes(os.urandom(4096))
    cache.mark_seen({1: "2026-01-02T00:00:00Z"})  # the write goes to a fresh file
    assert cache.seen([1]) == {1: "2026-01-02T00:00:00Z"}
    assert cache.load("v") is None


def test_a_cache_that_cannot_be_created_is_a_miss_not_a_crash(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    cache = ListCache(blocker / "c.sqlite3")
    with caplog.at_level(logging.DEBUG, logger="psa.list_cache"):
        cache.save("v", [{"id": 1}], total=1)
        cache.save("v", [{"id": 2}], total=1)
        assert cache.load("v") is None
        cache.mark_seen({1: "2026-01-01T00:00:00Z"})
        assert cache.seen([1]) == {}
        cache.forget("v")
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1  # once, not on every call
    assert blocker.read_text(encoding="utf-8").startswith("a file")
