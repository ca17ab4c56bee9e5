"""SQLite cache of the last ticket list per view, so the next start shows rows at once."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Bump when the stored row shape changes: old entries are then ignored, never mis-read.
SCHEMA_VERSION = 1

_DDL = """
CREATE TABLE IF NOT EXISTS lists (
    view_key TEXT PRIMARY KEY,
    schema INTEGER NOT NULL,
    saved_at REAL NOT NULL,
    total INTEGER NOT NULL,
    rows TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS seen (
    ticket_id INTEGER PRIMARY KEY,
    stamp TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class CachedList:
    """One view's last list: rows as JSON-ready dicts, the server total and when it was saved."""

    rows: list[dict[str, Any]]
    total: int
    saved_at: float


class ListCache:
    """The last list of every view plus what the dispatcher has seen, in one SQLite file.

    Every method does blocking disk I/O: callers on an event loop use `asyncio.to_thread`.
    A connection per call keeps the object safe to use from any worker thread.
    """

    def __init__(self, path: Path, *, max_rows: int = 500) -> None:
        self._path = path
        self._max_rows = max_rows
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_DDL)

    @property
    def path(self) -> Path:
        """The SQLite file."""
        return self._path

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            db = sqlite3.connect(self._path, timeout=5)
            try:
                with db:
                    yield db
            finally:
                db.close()

    def load(self, view_key: str) -> CachedList | None:
        """The cached list of a view, or None when absent, unreadable or of an older schema."""
        with self._connect() as db:
            found = db.execute(
                "SELECT schema, saved_at, total, rows FROM lists WHERE view_key = ?", (view_key,)
            ).fetchone()
        if found is None or found[0] != SCHEMA_VERSION:
            return None
        try:
            rows = json.loads(found[3])
        except ValueError:
            return None  # a damaged entry is a cache miss, not a crash at start-up
        if not isinstance(rows, list):
            return None
        return CachedList(rows=rows, total=int(found[2]), saved_at=float(found[1]))

    def save(self, view_key: str, rows: Sequence[Mapping[str, Any]], total: int) -> None:
        """Replace a view's cached list (only the first `max_rows` rows are kept)."""
        payload = json.dumps(list(rows[: self._max_rows]), separators=(",", ":"))
        with self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO lists (view_key, schema, saved_at, total, rows) "
                "VALUES (?, ?, ?, ?, ?)",
                (view_key, SCHEMA_VERSION, time.time(), total, payload),
            )

    def forget(self, view_key: str) -> None:
        """Drop one view's cached list."""
        with self._connect() as db:
            db.execute("DELETE FROM lists WHERE view_key = ?", (view_key,))

    def seen(self, ticket_ids: Sequence[int]) -> dict[int, str]:
        """The last-updated stamp the dispatcher last saw for each of these tickets (if any)."""
        if not ticket_ids:
            return {}
        found: dict[int, str] = {}
        with self._connect() as db:
            # Chunks stay well under SQLite's bound-parameter limit.
            for start in range(0, len(ticket_ids), 500):
                chunk = list(ticket_ids[start : start + 500])
                marks = ",".join("?" * len(chunk))
                query = f"SELECT ticket_id, stamp FROM seen WHERE ticket_id IN ({marks})"
                found.update((int(i), str(s)) for i, s in db.execute(query, chunk))
        return found

    def mark_seen(self, stamps: Mapping[int, str]) -> None:
        """Record that the dispatcher has seen these tickets as of these last-updated stamps."""
        if not stamps:
            return
        with self._connect() as db:
            db.executemany(
                "INSERT OR REPLACE INTO seen (ticket_id, stamp) VALUES (?, ?)", stamps.items()
            )
