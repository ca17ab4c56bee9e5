"""Prefetches: a background read claimed once, fresh, bounded, its error kept."""

from __future__ import annotations

import asyncio
import gc

import pytest

from psa.prefetch import Prefetches


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def value(result: str, gate: asyncio.Event | None = None) -> str:
    if gate is not None:
        await gate.wait()
    return result


async def failing() -> str:
    raise LookupError("refused")


def test_a_claim_joins_the_read_in_flight_and_takes_it_once() -> None:
    async def scenario() -> None:
        reads = Prefetches[str]()
        gate = asyncio.Event()
        reads.start("k", value("ahead", gate))
        fallbacks: list[str] = []

        async def fallback() -> str:
            fallbacks.append("asked")
            return "fresh"

        claim = asyncio.ensure_future(reads.claim("k", fallback))
        await asyncio.sleep(0)
        gate.set()
        assert await claim == "ahead"
        assert await reads.claim("k", fallback) == "fresh"
        assert fallbacks == ["asked"] and len(reads) == 0

    asyncio.run(scenario())


def test_an_old_read_is_not_served() -> None:
    async def scenario() -> None:
        clock = Clock()
        reads = Prefetches[str](ttl=10, clock=clock)
        task = reads.start("k", value("old"))
        await asyncio.sleep(0)
        clock.now = 11
        assert await reads.claim("k", lambda: value("fresh")) == "fresh"
        assert task.done()

    asyncio.run(scenario())


def test_beyond_capacity_the_oldest_read_is_cancelled() -> None:
    async def scenario() -> None:
        reads = Prefetches[str](capacity=2)
        gate = asyncio.Event()
        first = reads.start(1, value("one", gate))
        reads.start(2, value("two", gate))
        reads.start(3, value("three", gate))
        await asyncio.sleep(0)
        assert first.cancelled() and len(reads) == 2
        gate.set()
        assert await reads.claim(1, lambda: value("again")) == "again"
        assert await reads.claim(3, lambda: value("x")) == "three"

    asyncio.run(scenario())


def test_the_reads_error_goes_to_the_claimer_and_an_unclaimed_one_is_quiet() -> None:
    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        unhandled: list[object] = []
        loop.set_exception_handler(lambda _loop, context: unhandled.append(context))
        reads = Prefetches[str]()
        reads.start("claimed", failing())
        reads.start("dropped", failing())
        await asyncio.sleep(0.01)
        with pytest.raises(LookupError):
            await reads.claim("claimed", lambda: value("fresh"))
        reads.discard("dropped")
        del reads
        gc.collect()
        await asyncio.sleep(0)
        assert unhandled == []

    asyncio.run(scenario())


def test_a_cancelled_read_falls_back_and_a_cancelled_claimer_leaves_the_read_alone() -> None:
    async def scenario() -> None:
        reads = Prefetches[str]()
        gate = asyncio.Event()
        task = reads.start("k", value("ahead", gate))
        claim = asyncio.ensure_future(reads.claim("k", lambda: value("fresh")))
        await asyncio.sleep(0)
        task.cancel()
        assert await claim == "fresh"

        other = reads.start("j", value("later", gate))
        waiting = asyncio.ensure_future(reads.claim("j", lambda: value("fresh")))
        await asyncio.sleep(0)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        gate.set()
        assert await other == "later"

    asyncio.run(scenario())


def test_a_read_already_in_is_still_handed_over_asynchronously() -> None:
    async def scenario() -> None:
        reads = Prefetches[str]()
        reads.start("k", value("ahead"))
        await asyncio.sleep(0.01)  # the read is in before anyone claims it
        order: list[str] = []

        async def claimer() -> None:
            order.append(await reads.claim("k", lambda: value("fresh")))

        claim = asyncio.ensure_future(claimer())
        await asyncio.sleep(0)  # the claim starts, then the caller paints
        order.append("painted")
        await claim
        assert order == ["painted", "ahead"]

    asyncio.run(scenario())
