"""The per-view list cache: round trips, schema changes, damage and the seen marks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

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
