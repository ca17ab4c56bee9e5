"""Which rows changed since the dispatcher last looked at them (kept in the list cache)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Iterable, Sequence
from typing import Any

from psa.list_cache import ListCache
from psa.models import TicketRow
from ui.async_tools import report_task_error
from ui.tickets.ticket_table_model import TicketTableModel

log = logging.getLogger(__name__)


def stamp(row: TicketRow) -> str:
    """A row's last-updated time as the cache stores it."""
    return row.last_updated.isoformat() if row.last_updated is not None else ""


class SeenMarks:
    """Marks rows whose last update is newer than the one the dispatcher last saw.

    A ticket seen for the first time is recorded, not marked. A marked ticket keeps its old
    stamp until the dispatcher selects or opens it, so the mark survives a restart. Without a
    cache the stamps live in memory for the session.
    """

    def __init__(self, cache: ListCache | None, model: TicketTableModel) -> None:
        self._cache = cache
        self._model = model
        self._memory: dict[int, str] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def start_check(self, rows: Sequence[TicketRow]) -> None:
        """Compare fresh rows with what was seen (in the background)."""
        if rows:
            self._spawn(self._check(list(rows)))

    def looked_at(self, rows: Iterable[TicketRow]) -> None:
        """The dispatcher selected or opened these rows: clear their marks."""
        stamps = {row.id: stamp(row) for row in rows}
        if not stamps:
            return
        self._model.mark_changed(stamps, changed=False)
        self._memory.update(stamps)
        if self._cache is not None:
            self._spawn(self._write(stamps))

    def cancel(self) -> None:
        """Stop background work (the window is closing)."""
        for task in list(self._tasks):
            task.cancel()

    async def _check(self, rows: list[TicketRow]) -> None:
        ids = [row.id for row in rows]
        if self._cache is not None:
            known = await asyncio.to_thread(self._cache.seen, ids)
        else:
            known = {i: self._memory[i] for i in ids if i in self._memory}
        changed = [row.id for row in rows if row.id in known and stamp(row) > known[row.id]]
        first_sight = {row.id: stamp(row) for row in rows if row.id not in known}
        if changed:
            self._model.mark_changed(changed)
        if first_sight:
            self._memory.update(first_sight)
            if self._cache is not None:
                await self._write(first_sight)

    async def _write(self, stamps: dict[int, str]) -> None:
        assert self._cache is not None
        try:
            await asyncio.to_thread(self._cache.mark_seen, stamps)
        except OSError as exc:
            log.warning("Could not record seen tickets: %s", exc)

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coro, name="seen-marks")
        self._tasks.add(task)
        task.add_done_callback(self._on_done)

    def _on_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and (exc := task.exception()) is not None:
            report_task_error(task, exc)
