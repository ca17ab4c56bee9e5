"""Fault injection (500s, slow answers, dropped connections, bad JSON) and the rate limiter."""

from __future__ import annotations

import math
import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

FaultKind = Literal["500", "slow", "drop", "malformed"]
FAULT_KINDS: tuple[FaultKind, ...] = ("500", "slow", "drop", "malformed")
DEFAULT_SLOW_MS = 35_000
DEFAULT_WRITE_DELAY_MS = 2_000
WriteMode = Literal["now", "late", "never"]
WRITE_MODES: tuple[WriteMode, ...] = ("now", "late", "never")


class FaultSpecError(ValueError):
    """A ``--faults`` spec that cannot be understood."""


@dataclass(frozen=True)
class FaultSpec:
    """Per-request probabilities of each fault kind, the RNG seed and the slow hold time.

    Text form: ``"500=0.05,slow=0.02,drop=0.02,malformed=0.02,seed=7,slow_ms=35000"``; every
    item is optional, the rates must add up to at most 1. ``""`` or ``"none"`` means no faults.
    ``write=now|late|never`` says what happens to a POST/PATCH/DELETE a fault strikes: stored
    before the fault answer (``now``, the default), stored ``write_delay_ms`` (default 2000)
    after it (``late``: a server still committing when the client gave up), or not at all
    (``never``).
    """

    rates: tuple[tuple[FaultKind, float], ...] = ()
    seed: int = 0
    slow_ms: int = DEFAULT_SLOW_MS
    write: WriteMode = "now"
    write_delay_ms: int = DEFAULT_WRITE_DELAY_MS

    @classmethod
    def parse(cls, text: str | None) -> FaultSpec:
        if text is None or text.strip().lower() in ("", "none", "off"):
            return cls()
        rates: dict[FaultKind, float] = {}
        seed, slow_ms, delay_ms = 0, DEFAULT_SLOW_MS, DEFAULT_WRITE_DELAY_MS
        write: WriteMode = "now"
        for item in text.split(","):
            key, sep, raw = item.strip().partition("=")
            key = key.strip().lower()
            if not sep:
                raise FaultSpecError(f"fault spec item {item!r} is not key=value")
            try:
                if key == "seed":
                    seed = int(raw)
                elif key == "slow_ms":
                    slow_ms = int(raw)
                elif key == "write_delay_ms":
                    delay_ms = int(raw)
                elif key == "write":
                    write = _write_mode(raw.strip().lower())
                elif key in FAULT_KINDS:
                    rates[_kind(key)] = float(raw)
                else:
                    raise FaultSpecError(f"unknown fault kind {key!r} (use {FAULT_KINDS})")
            except ValueError as exc:
                if isinstance(exc, FaultSpecError):
                    raise
                raise FaultSpecError(f"bad number in fault spec item {item!r}") from exc
        if any(not 0.0 <= r <= 1.0 for r in rates.values()) or sum(rates.values()) > 1.0 + 1e-9:
            raise FaultSpecError("fault rates must each lie in [0, 1] and add up to at most 1")
        if slow_ms < 0 or delay_ms < 0:
            raise FaultSpecError("slow_ms and write_delay_ms must not be negative")
        ordered = tuple((k, rates[k]) for k in FAULT_KINDS if k in rates)
        return cls(rates=ordered, seed=seed, slow_ms=slow_ms, write=write,
                   write_delay_ms=delay_ms)

    def text(self) -> str:
        """The canonical text form (``"none"`` when there are no faults)."""
        if not self.rates:
            return "none"
        items = [f"{kind}={rate:g}" for kind, rate in self.rates]
        items += [f"seed={self.seed}", f"slow_ms={self.slow_ms}"]
        if self.write != "now":
            items += [f"write={self.write}", f"write_delay_ms={self.write_delay_ms}"]
        return ",".join(items)


def _write_mode(value: str) -> WriteMode:
    for mode in WRITE_MODES:
        if mode == value:
            return mode
    raise FaultSpecError(f"write must be one of {WRITE_MODES}, not {value!r}")


def _kind(key: str) -> FaultKind:
    for kind in FAULT_KINDS:
        if kind == key:
            return kind
    raise FaultSpecError(key)


class FaultInjector:
    """Draws, per eligible request, which fault (if any) strikes it.

    One draw per request from a ``random.Random(seed)``, so a given sequence of requests
    meets the same faults on every run. Setting a new spec restarts the sequence.
    """

    def __init__(self, spec: FaultSpec) -> None:
        self._lock = threading.Lock()
        self._spec = spec
        self._rng = random.Random(spec.seed)

    @property
    def spec(self) -> FaultSpec:
        with self._lock:
            return self._spec

    def set_spec(self, spec: FaultSpec) -> None:
        with self._lock:
            self._spec = spec
            self._rng = random.Random(spec.seed)

    def draw(self) -> FaultKind | None:
        with self._lock:
            if not self._spec.rates:
                return None
            roll = self._rng.random()
            edge = 0.0
            for kind, rate in self._spec.rates:
                edge += rate
                if roll < edge:
                    return kind
            return None


def truncate_json(body: bytes) -> bytes:
    """A body cut short so that no JSON parser accepts it."""
    if len(body) < 2:
        return b'{"'
    return body[: max(1, len(body) // 2)]


class RateLimiter:
    """At most ``limit`` accepted requests in any sliding one-second window (per server).

    Refused requests do not count against the window. ``now`` is injectable so tests can
    freeze time and stay deterministic.
    """

    WINDOW = 1.0

    def __init__(self, limit: int | None, now: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._limit = limit
        self._now = now
        self._stamps: deque[float] = deque()

    @property
    def limit(self) -> int | None:
        with self._lock:
            return self._limit

    def set_limit(self, limit: int | None) -> None:
        with self._lock:
            self._limit = limit if limit and limit > 0 else None
            self._stamps.clear()

    def admit(self) -> int | None:
        """Record a request; ``None`` if admitted, else the ``Retry-After`` seconds."""
        with self._lock:
            if self._limit is None:
                return None
            now = self._now()
            while self._stamps and self._stamps[0] <= now - self.WINDOW:
                self._stamps.popleft()
            if len(self._stamps) < self._limit:
                self._stamps.append(now)
                return None
            wait = self._stamps[0] + self.WINDOW - now
            return max(1, math.ceil(wait))
