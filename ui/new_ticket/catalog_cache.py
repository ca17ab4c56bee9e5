"""The lookups Quick Create matches against, loaded once per service and kept for a while."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from psa.intake.adapter import catalog_from_service
from psa.intake.catalog import IntakeCatalog

CATALOG_TTL = 15 * 60.0
"""Seconds a loaded catalog is reused: new companies appear within this, loads stay rare."""

Loader = Callable[[], Awaitable[IntakeCatalog]]


class CatalogCache:
    """One in-flight load shared by every caller; the result reused for ``ttl`` seconds.

    The main window keeps one per service and hands it to each New Ticket dialog, so opening
    the dialog twice does not read every company and contact twice. A failed load is not
    kept: the next caller tries again.
    """

    def __init__(self, loader: Loader, *, ttl: float = CATALOG_TTL,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._loader = loader
        self._ttl = ttl
        self._clock = clock
        self._value: IntakeCatalog | None = None
        self._loaded_at = 0.0
        self._pending: asyncio.Task[IntakeCatalog] | None = None

    @classmethod
    def for_service(cls, service: Any, *, ttl: float = CATALOG_TTL) -> CatalogCache:
        """A cache over a ``TicketService`` (or a wrapper with its ``client`` and ``types``)."""
        return cls(lambda: catalog_from_service(service), ttl=ttl)

    @property
    def cached(self) -> IntakeCatalog | None:
        """The loaded catalog if still fresh (no I/O)."""
        if self._value is not None and self._clock() - self._loaded_at < self._ttl:
            return self._value
        return None

    async def get(self, *, refresh: bool = False) -> IntakeCatalog:
        """The catalog, loading it if needed; cancelling a caller does not cancel the load."""
        if not refresh and (value := self.cached) is not None:
            return value
        if self._pending is None or self._pending.done():
            self._pending = asyncio.get_running_loop().create_task(self._load())
            # Every caller may have gone (dialog closed): the outcome is still collected.
            self._pending.add_done_callback(_collect)
        return await asyncio.shield(self._pending)

    async def _load(self) -> IntakeCatalog:
        value = await self._loader()
        self._value, self._loaded_at = value, self._clock()
        return value


def _collect(task: asyncio.Task[IntakeCatalog]) -> None:
    if not task.cancelled():
        task.exception()
