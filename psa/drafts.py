"""Unsent note drafts, one JSON file per ticket, kept until the note is sent or discarded.

The store answers from memory first, so switching tickets shows a draft at once; files are
written through ``asyncio.to_thread`` (never on the event loop) and atomically (temp file +
``os.replace``), so a crash mid-write leaves the previous draft, never half a file. Saves of one
ticket are serialised and the last one wins: each write takes the newest value at the moment it
runs, so a burst of keystrokes can never leave an older text on disk. Writes are tasks of the
store, not of the caller: a widget closing (and cancelling its own tasks) does not stop a draft
reaching the disk; ``flush()`` waits for every write still on its way (call it at shutdown).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Generator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from psa.json_files import read_model, write_model
from psa.models import NoteKind

log = logging.getLogger(__name__)

_PREFIX = "note-"
_SUFFIX = ".json"


def _now() -> datetime:
    return datetime.now(UTC)


class NoteDraft(BaseModel):
    """What was typed for one ticket's next note, and the choices made beside it."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    ticket_id: int
    text: str = ""
    kind: NoteKind = "discussion"
    status_id: int | None = None
    """The status to set together with the note (None: keep the ticket's status)."""
    saved_at: datetime = Field(default_factory=_now)

    @property
    def empty(self) -> bool:
        """Nothing worth keeping: no text (a kind or status choice alone is not a draft)."""
        return not self.text.strip()


_MISSING = object()

class DraftStore:
    """Note drafts under ``directory`` (the profile's drafts dir); safe to share per process."""

    def __init__(self, directory: Path | None) -> None:
        """``directory`` None keeps drafts in memory only (tests, a window without a profile)."""
        self.directory = Path(directory) if directory is not None else None
        # ticket id -> draft, or None when known to have none (file absent or discarded).
        self._memory: dict[int, NoteDraft | None] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self._writes: set[asyncio.Task[None]] = set()

    def path_for(self, ticket_id: int) -> Path | None:
        if self.directory is None:
            return None
        return self.directory / f"{_PREFIX}{int(ticket_id)}{_SUFFIX}"

    def peek(self, ticket_id: int) -> tuple[bool, NoteDraft | None]:
        """``(known, draft)`` from memory, without I/O; ``known`` is False until first read."""
        ticket_id = int(ticket_id)
        return ticket_id in self._memory, self._memory.get(ticket_id)

    async def load(self, ticket_id: int) -> NoteDraft | None:
        """The ticket's draft, or None; read from disk once, then from memory."""
        ticket_id = int(ticket_id)
        known = self._memory.get(ticket_id, _MISSING)
        if known is not _MISSING:
            return known if isinstance(known, NoteDraft) else None
        draft = await asyncio.to_thread(self._read, ticket_id)
        # A save that ran while the file was being read is newer than what was read.
        return self._memory.setdefault(ticket_id, draft)

    def save(self, draft: NoteDraft) -> Awaitable[None]:
        """Keep ``draft`` (an empty one discards the ticket's draft); await to know it is written.

        Memory changes at the call and the write starts at once, so saves and discards take
        effect in the order they were called; there is no need to await (nothing is lost).
        Needs a running event loop.
        """
        self._memory[draft.ticket_id] = None if draft.empty else draft
        return self._persist(draft.ticket_id)

    def discard(self, ticket_id: int) -> Awaitable[None]:
        """Forget the ticket's draft (sent, or thrown away); await to know the file is gone."""
        self._memory[int(ticket_id)] = None
        return self._persist(int(ticket_id))

    async def flush(self) -> None:
        """Wait until every save and discard asked for so far is on disk."""
        while self._writes:
            await asyncio.gather(*list(self._writes), return_exceptions=True)

    def _persist(self, ticket_id: int) -> Awaitable[None]:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            # No loop (a widget hidden while the app is torn down): the file is tiny, write it.
            self._write_quietly(ticket_id, self._memory.get(ticket_id))
            return _Written()
        task = loop.create_task(self._write_latest(ticket_id), name=f"draft-write-{ticket_id}")
        self._writes.add(task)
        task.add_done_callback(self._writes.discard)
        # Shielded: a caller that is cancelled stops waiting, the write still happens.
        return asyncio.shield(task)

    async def ticket_ids(self) -> list[int]:
        """Tickets that have a draft, on disk or in memory."""
        on_disk = await asyncio.to_thread(self._ids_on_disk)
        ids = {i for i in on_disk if self._memory.get(i, _MISSING) is not None}
        ids.update(i for i, d in self._memory.items() if d is not None)
        return sorted(ids)

    async def _write_latest(self, ticket_id: int) -> None:
        lock = self._locks.setdefault(ticket_id, asyncio.Lock())
        async with lock:
            latest = self._memory.get(ticket_id)
            await asyncio.to_thread(self._write_quietly, ticket_id, latest)

    def _write_quietly(self, ticket_id: int, draft: NoteDraft | None) -> None:
        try:
            self._write(ticket_id, draft)
        except OSError as exc:  # a full or read-only disk: keep typing, say so in the log
            log.warning("Cannot write the draft of ticket %s: %s", ticket_id, exc)

    # ------------------------------------------------------------------ blocking helpers

    def _read(self, ticket_id: int) -> NoteDraft | None:
        path = self.path_for(ticket_id)
        if path is None:
            return None
        draft = read_model(path, NoteDraft, what="draft")
        if draft is None:
            return None
        return draft if draft.ticket_id == ticket_id and not draft.empty else None

    def _write(self, ticket_id: int, draft: NoteDraft | None) -> None:
        path = self.path_for(ticket_id)
        if path is not None:
            write_model(path, draft)

    def _ids_on_disk(self) -> list[int]:
        if self.directory is None or not self.directory.is_dir():
            return []
        ids: list[int] = []
        for path in self.directory.glob(f"{_PREFIX}*{_SUFFIX}"):
            number = path.name[len(_PREFIX): -len(_SUFFIX)]
            if number.isdigit():
                ids.append(int(number))
        return ids


class _Written:
    """An awaitable that is already done (the write happened synchronously)."""

    def __await__(self) -> Generator[Any, None, None]:
        return
        yield
