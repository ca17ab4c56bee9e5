"""SQLite cache of the last ticket list per view, so the next start shows rows at once."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

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

# SQLite's primary result codes for a file that is not (or no longer) a sound database.
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26


@dataclass(frozen=True)
class CachedList:
    """One view's last list: rows as JSON-ready dicts, the server total and when it was saved."""

    rows: list[dict[str, Any]]
    total: int
    saved_at: float


class ListCache:
    """The last list of every view plus what the dispatcher has seen, in one SQLite file.

    Every method does blocking disk I/O: callers on an event loop use `asyncio.to_thread`.
    Building one does none — the folder and the file are made on first use — so it is cheap on
    the UI thread. A connection per call keeps the object safe to use from any worker thread.

    A cache is never the truth, so it never stops the app: a damaged file is moved aside
    (``<name>.corrupt-<n>``, kept for a bug report) and started afresh, and any other failure
    (a locked or unwritable file, a missing folder) is a miss or a skipped write, logged.
    """

    def __init__(self, path: Path, *, max_rows: int = 500) -> None:
        self._path = path
        self._max_rows = max_rows
        self._lock = threading.Lock()
        self._ready = False  # the folder and the tables exist
        self._disabled = False  # damaged and could not be moved aside: work without a cache
        self._warned: set[str] = set()

    @property
    def path(self) -> Path:
        """The SQLite file."""
        return self._path

    def _use(
        self, what: str, work: Callable[[sqlite3.Connection], T], miss: T, *, write: bool = False
    ) -> T:
        """``work`` on a fresh connection; ``miss`` when the file cannot serve it.

        A write is tried again on the fresh file after a damaged one is moved aside; a read
        is not (the fresh file holds nothing).
        """
        with self._lock:
            for _attempt in range(2):
                if self._disabled:
                    return miss
                try:
                    return self._run(work)
                except sqlite3.DatabaseError as exc:
                    if not _is_damage(exc):
                        self._warn(what, exc)
                        return miss
                    self._set_aside(exc)
                    if not write:
                        return miss
                except OSError as exc:
                    self._warn(what, exc)
                    return miss
            return miss

    def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        if not self._ready:
            self._path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self._path, timeout=5)
        try:
            with db:
                if not self._ready:
                    db.executescript(_DDL)
                    self._ready = True
                return work(db)
        finally:
            db.close()

    def _set_aside(self, exc: sqlite3.DatabaseError) -> None:
        self._ready = False
        target = self._aside_name()
        try:
            self._path.replace(target)
        except FileNotFoundError:
            pass  # already gone: the next connection makes a fresh one
        except OSError as move_exc:
            self._disabled = True
            log.warning(
                "The list cache %s is damaged (%s) and cannot be moved aside (%s): "
                "working without a cache", self._path, exc, move_exc,
            )
            return
        for suffix in ("-journal", "-wal", "-shm"):  # a stale journal must not touch the new file
            side = self._path.with_name(self._path.name + suffix)
            try:
                side.replace(target.with_name(target.name + suffix))
            except FileNotFoundError:
                pass
            except OSError as side_exc:
                log.warning("Cannot move %s aside: %s", side, side_exc)
        log.warning(
            "The list cache %s was damaged (%s): moved aside to %s, starting afresh",
            self._path, exc, target.name,
        )

    def _aside_name(self) -> Path:
        n = 1
        while True:
            target = self._path.with_name(f"{self._path.name}.corrupt-{n}")
            if not target.exists():
                return target
            n += 1

    def _warn(self, what: str, exc: Exception) -> None:
        # Once per kind of failure: a read-only disk would otherwise log on every scroll.
        reason = f"{type(exc).__name__}: {exc}"
        level = logging.DEBUG if reason in self._warned else logging.WARNING
        self._warned.add(reason)
        log.log(level, "List cache %s unusable on %s (%s): treated as a miss", self._path, what,
                reason)

    def load(self, view_key: str) -> CachedList | None:
        """The cached list of a view, or None when absent, unreadable or of an older schema."""
        found = self._use("load", lambda db: db.execute(
            "SELECT schema, saved_at, total, rows FROM lists WHERE view_key = ?", (view_key,)
        ).fetchone(), None)
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

        def write(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT OR REPLACE INTO lists (view_key, schema, saved_at, total, rows) "
                "VALUES (?, ?, ?, ?, ?)",
                (view_key, SCHEMA_VERSION, time.time(), total, payload),
            )

        self._use("save", write, None, write=True)

    def forget(self, view_key: str) -> None:
        """Drop one view's cached list."""

        def delete(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM lists WHERE view_key = ?", (view_key,))

        self._use("forget", delete, None)

    def seen(self, ticket_ids: Sequence[int]) -> dict[int, str]:
        """The last-updated stamp the dispatcher last saw for each of these tickets (if any)."""
        if not ticket_ids:
            return {}

        def read(db: sqlite3.Connection) -> dict[int, str]:
            found: dict[int, str] = {}
            # Chunks stay well under SQLite's bound-parameter limit.
            for start in range(0, len(ticket_ids), 500):
                chunk = list(ticket_ids[start : start + 500])
                marks = ",".join("?" * len(chunk))
                query = f"SELECT ticket_id, stamp FROM seen WHERE ticket_id IN ({marks})"
                found.update((int(i), str(s)) for i, s in db.execute(query, chunk))
            return found

        return self._use("seen", read, {})

    def mark_seen(self, stamps: Mapping[int, str]) -> None:
        """Record that the dispatcher has seen these tickets as of these last-updated stamps."""
        if not stamps:
            return

        def write(db: sqlite3.Connection) -> None:
            db.executemany(
                "INSERT OR REPLACE INTO seen (ticket_id, stamp) VALUES (?, ?)", stamps.items()
            )

        self._use("mark_seen", write, None, write=True)


def _is_damage(exc: sqlite3.DatabaseError) -> bool:
    """True when the file itself is bad (not a database, or corrupt) — not merely busy."""
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
