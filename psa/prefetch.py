"""Reads started before anyone asks for them, handed to the first caller who does.

The detail loader starts a ticket's configuration records as soon as the references arrive,
while the caller is still waiting for the other sections; when the caller then asks for the
records, it joins the request already on its way instead of starting a second round trip.
An entry is taken once, expires after ``ttl`` seconds, and at most ``capacity`` are kept: an
unclaimed read never serves stale data and never piles up. Failures are kept like results (the
caller gets the error the read met); a cancelled read counts as never started. A claim is
always asynchronous, like the request it stands for: even when the read is already in, the
caller's task yields to the loop once before it gets the result, so code that starts the claim
and then paints (expecting the answer to come later) keeps its order.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")

PREFETCH_TTL = 30.0
PREFETCH_CAPACITY = 8


class Prefetches(Generic[T]):
    """Keyed background reads, each claimed at most once."""

    def __init__(self, *, ttl: float = PREFETCH_TTL, capacity: int = PREFETCH_CAPACITY,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._capacity = capacity
        self._clock = clock
        self._entries: OrderedDict[Hashable, tuple[float, asyncio.Task[T]]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def start(self, key: Hashable, read: Awaitable[T]) -> asyncio.Task[T]:
        """Run ``read`` in the background for the next ``take(key)``; replaces an older one."""
        self.discard(key)
        task = asyncio.ensure_future(read)
        task.add_done_callback(_retrieve)
        self._entries[key] = (self._clock(), task)
        while len(self._entries) > self._capacity:
            _, (_, oldest) = self._entries.popitem(last=False)
            oldest.cancel()
        return task

    def clear(self) -> list[asyncio.Task[T]]:
        """Cancel and forget every read; the tasks, to wait for their end."""
        tasks = [task for _, task in self._entries.values()]
        self._entries.clear()
        for task in tasks:
            task.cancel()
        return tasks

    def discard(self, key: Hashable) -> None:
        """Forget (and cancel, if still running) the read for ``key``."""
        entry = self._entries.pop(key, None)
        if entry is not None:
            entry[1].cancel()

    def take(self, key: Hashable) -> asyncio.Task[T] | None:
        """The read started for ``key``, if fresh and not cancelled; it is no longer kept."""
        entry = self._entries.pop(key, None)
        if entry is None:
            return None
        started, task = entry
        if task.cancelled() or self._clock() - started > self._ttl:
            task.cancel()
            return None
        return task

    async def claim(self, key: Hashable, fallback: Callable[[], Awaitable[T]]) -> T:
        """The prefetched result for ``key`` (its error raised), else ``fallback()``'s."""
        task = self.take(key)
        if task is None:
            return await fallback()
        if task.done():
            await asyncio.sleep(0)  # never answer within the caller's turn of the loop
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if not task.cancelled() or (current is not None and current.cancelling()):
                raise
        return await fallback()  # the read was cancelled under us: do it ourselves


def _retrieve(task: asyncio.Task[object]) -> None:
    """An unclaimed read's error is expected (a 403, a dropped link): never "unretrieved"."""
    if not task.cancelled():
        task.exception()
