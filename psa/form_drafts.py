"""Unsent new-ticket forms, one JSON file per form, kept until the ticket is created or discarded.

A form is named by a key: ``"new"`` for the plain New Ticket dialog, ``spin_off_key(id)`` for a
spin-off of one ticket, so a half-written spin-off never overwrites the plain draft. Memory is
updated at the call, so the newest draft is visible at once; files are written in a worker
thread (never on the event loop), atomically (temp file + ``os.replace``), serialised per key,
and each write takes the newest value when it runs, so the last save always wins on disk. The
store keeps its own write tasks, so a dialog may close while its draft is still being written;
``flush()`` waits for them (the app calls it before exiting). Secrets in the pasted Quick
Create text never reach the file (see ``_for_disk``).
"""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from psa.intake.redact import replace_secrets
from psa.json_files import read_model, write_model

log = logging.getLogger(__name__)

NEW_TICKET_KEY = "new"
_PREFIX = "ticket-"
_SUFFIX = ".json"
_KEY = re.compile(r"^[a-z0-9-]{1,40}$")


def spin_off_key(ticket_id: int) -> str:
    """The draft key of a spin-off of ``ticket_id``."""
    return f"spinoff-{int(ticket_id)}"


def _now() -> datetime:
    return datetime.now(UTC)


class FormDraft(BaseModel):
    """Everything typed or chosen in the New Ticket dialog, names included for the pickers.

    Names are kept beside ids so a restored draft shows its company, contact and assignee
    before any lookup has answered. ``flags`` are the fields Quick Create asked the dispatcher
    to check (field name → reason); ``filled_by`` says which parser filled the form, if any.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")
    key: str = NEW_TICKET_KEY
    company_id: int | None = None
    company_name: str = ""
    contact_id: int | None = None
    contact_name: str = ""
    board_id: int | None = None
    status_id: int | None = None
    priority_id: int | None = None
    type_id: int | None = None
    subtype_id: int | None = None
    assignee_id: int | None = None
    assignee_name: str = ""
    parent_ticket_id: int | None = None
    summary: str = ""
    description: str = ""
    internal_note: str = ""
    quick_text: str = ""
    flags: dict[str, str] = Field(default_factory=dict)
    filled_by: str = ""
    saved_at: datetime = Field(default_factory=_now)

    @property
    def empty(self) -> bool:
        """Nothing worth keeping: no text typed and no company, contact, board or parent."""
        texts = (self.summary, self.description, self.internal_note, self.quick_text)
        ids = (self.company_id, self.contact_id, self.board_id, self.assignee_id,
               self.parent_ticket_id)
        return not any(t.strip() for t in texts) and all(i is None for i in ids)

    def same_content(self, other: FormDraft | None) -> bool:
        """Equal apart from when it was saved."""
        if other is None:
            return False
        return self.model_dump(exclude={"saved_at"}) == other.model_dump(exclude={"saved_at"})


_MISSING = object()


class FormDraftStore:
    """New-ticket drafts under ``directory`` (the profile's drafts dir); one per process."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._memory: dict[str, FormDraft | None] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._writes: set[asyncio.Task[None]] = set()

    def path_for(self, key: str) -> Path:
        return self.directory / f"{_PREFIX}{_checked(key)}{_SUFFIX}"

    def peek(self, key: str) -> tuple[bool, FormDraft | None]:
        """``(known, draft)`` from memory without I/O; ``known`` is False until first read."""
        return key in self._memory, self._memory.get(key)

    async def load(self, key: str) -> FormDraft | None:
        """The draft for ``key``, or None; read from disk once, then from memory."""
        known = self._memory.get(_checked(key), _MISSING)
        if known is not _MISSING:
            return known if isinstance(known, FormDraft) else None
        draft = await asyncio.to_thread(self._read, key)
        # A save made while the file was being read is newer than what was read.
        return self._memory.setdefault(key, draft)

    def save(self, draft: FormDraft) -> asyncio.Task[None] | None:
        """Keep ``draft`` (an empty one discards); the write runs on the running loop.

        Without a running loop (the app is past its event loop) the write happens now.
        """
        self._memory[_checked(draft.key)] = None if draft.empty else draft
        return self._schedule(draft.key)

    def discard(self, key: str) -> asyncio.Task[None] | None:
        """Forget the draft (created, or thrown away) and remove its file."""
        self._memory[_checked(key)] = None
        return self._schedule(key)

    async def flush(self) -> None:
        """Wait until every pending write is on disk."""
        while self._writes:
            await asyncio.gather(*list(self._writes), return_exceptions=True)

    async def keys(self) -> list[str]:
        """Keys that have a draft, on disk or in memory."""
        on_disk = await asyncio.to_thread(self._keys_on_disk)
        keys = {k for k in on_disk if self._memory.get(k, _MISSING) is not None}
        keys.update(k for k, d in self._memory.items() if d is not None)
        return sorted(keys)

    def _schedule(self, key: str) -> asyncio.Task[None] | None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._write(key, self._memory.get(key))
            return None
        task = loop.create_task(self._write_latest(key), name=f"form-draft-{key}")
        self._writes.add(task)
        task.add_done_callback(self._on_written)
        return task

    def _on_written(self, task: asyncio.Task[None]) -> None:
        self._writes.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("Could not write a ticket draft: %s", task.exception())

    async def _write_latest(self, key: str) -> None:
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            await asyncio.to_thread(self._write, key, self._memory.get(key))

    # ------------------------------------------------------------------ blocking helpers

    def _read(self, key: str) -> FormDraft | None:
        draft = read_model(self.path_for(key), FormDraft, what="ticket draft")
        if draft is None:
            return None
        return draft if draft.key == key and not draft.empty else None

    def _write(self, key: str, draft: FormDraft | None) -> None:
        write_model(self.path_for(key), _for_disk(draft))

    def _keys_on_disk(self) -> list[str]:
        if not self.directory.is_dir():
            return []
        keys = (p.name[len(_PREFIX): -len(_SUFFIX)]
                for p in self.directory.glob(f"{_PREFIX}*{_SUFFIX}"))
        return [k for k in keys if _KEY.match(k)]


def _for_disk(draft: FormDraft | None) -> FormDraft | None:
    """The draft as written: the pasted Quick Create text with its secrets replaced.

    A paste often carries a password or a card number; the file outlives the session, so it
    keeps the rest of the text (the dispatcher's work) with markers where the secrets were.
    Memory keeps the paste as typed for as long as the app runs.
    """
    if draft is None or not draft.quick_text:
        return draft
    return draft.model_copy(update={"quick_text": replace_secrets(draft.quick_text)[0]})


def _checked(key: str) -> str:
    # Keys become file names: only a fixed, harmless alphabet.
    if not _KEY.match(key):
        raise ValueError(f"not a draft key: {key!r}")
    return key
