"""Retry policy for idempotent requests: capped exponential backoff with jitter, bounded total."""

from __future__ import annotations

import asyncio
import email.utils
import math
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

Sleep = Callable[[float], Awaitable[None]]

RETRY_STATUSES = frozenset({429, 502, 503, 504})
"""Statuses worth retrying for an idempotent request (issue 3); 500 is not: it is often a bug."""


@dataclass(frozen=True)
class RetryPolicy:
    """How idempotent GETs are retried. POST/PATCH/DELETE are never retried by the client.

    ``sleep``, ``clock`` and ``random`` are injectable so tests run without waiting.
    """

    max_attempts: int = 4
    """Total attempts, the first included."""
    base_delay: float = 0.25
    max_delay: float = 8.0
    max_total: float = 30.0
    """Seconds from the first attempt after which no further retry starts."""
    max_retry_after: float = 60.0
    """A ``Retry-After`` longer than this is not waited for: RateLimited is raised at once."""
    sleep: Sleep = field(default=asyncio.sleep, repr=False, compare=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False, compare=False)
    random: Callable[[], float] = field(default=random.random, repr=False, compare=False)

    def backoff(self, retry: int) -> float:
        """Delay before retry number ``retry`` (1-based): exponential, capped, "equal jitter"."""
        ceiling = min(self.max_delay, self.base_delay * (1 << min(max(retry - 1, 0), 30)))
        # Half fixed, half random: spreads simultaneous clients apart without ever being ~0.
        return ceiling / 2 + self.random() * ceiling / 2

    def delay_for(self, retry: int, retry_after: float | None) -> float:
        """The delay before ``retry``: the server's Retry-After when given, else backoff."""
        if retry_after is not None:
            return max(retry_after, 0.0)
        return self.backoff(retry)


NO_RETRY = RetryPolicy(max_attempts=1)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds: delta-seconds or an HTTP date; None when absent or unusable."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if not math.isfinite(seconds):
        return None
    return max(seconds, 0.0)
