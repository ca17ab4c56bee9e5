"""Detail reads that start as soon as their inputs arrive: configuration records, board statuses."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx2
import pytest

from psa import NotFound, PermissionDenied, TicketDetail, TicketService
from psa.sandbox import Sandbox
from tests.psa.service.conftest import Recorder, creds, run, with_service

RECORDS = "/company/configurations"


def configured_ticket(sb: Sandbox, skip: int = 0) -> tuple[int, int]:
    """A ticket with configurations, and its board."""
    with sb.store.lock:
        found = [(t["id"], t["board"]["id"]) for t in sb.store.records("tickets")
                 if sb.store.ticket_configurations(t["id"])]
    return found[skip]


@dataclass
class Holding(httpx2.AsyncBaseTransport):
    """The recorder, with the requests whose path ends with ``hold`` kept until released."""

    inner: Recorder
    hold: str
    answer: Callable[[httpx2.Request], httpx2.Response] | None = None
    _release: asyncio.Event | None = field(default=None, init=False)

    @property
    def release(self) -> asyncio.Event:
        if self._release is None:
            self._release = asyncio.Event()
        return self._release

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.url.path.endswith(self.hold):
            await self.release.wait()
            if self.answer is not None:
                return self.answer(request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def sent(rec: Recorder, path: str) -> int:
    return sum(1 for s in rec.api() if s.path == path)


async def until(predicate: Callable[[], bool]) -> None:
    for _ in range(500):
        if predicate():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not met in time")


async def detail_while_held(svc: TicketService, transport: Holding, ticket_id: int,
                            check: Callable[[], Awaitable[None]], **kw: Any) -> TicketDetail:
    """Load the detail; run ``check`` while the held request is still unanswered."""
    await svc.client.api_base()
    load = asyncio.ensure_future(svc.ticket_detail(ticket_id, **kw))
    try:
        await check()
        assert not load.done()
    finally:
        transport.release.set()
    return await load


def test_records_leave_as_soon_as_the_references_arrive(sandbox: Sandbox) -> None:
    ticket, _ = configured_ticket(sandbox)
    rec = Recorder()
    transport = Holding(rec, "/allNotes")  # the slowest first-round request, held

    async def body(svc: TicketService) -> TicketDetail:
        async def records_sent() -> None:
            await until(lambda: sent(rec, RECORDS) == 1)

        return await detail_while_held(svc, transport, ticket, records_sent, prefetch=False)

    detail = run(with_service(creds(sandbox), body, transport))
    items = detail.configurations.value
    assert items and all(i.detailed for i in items)
    assert detail.notes.ok and detail.notes.value


def test_without_details_the_records_are_read_ahead_and_joined(sandbox: Sandbox) -> None:
    ticket, board = configured_ticket(sandbox, 1)
    rec = Recorder()
    transport = Holding(rec, "/allNotes")

    async def body(svc: TicketService) -> tuple[TicketDetail, Any]:
        async def ahead() -> None:
            await until(lambda: sent(rec, RECORDS) == 1
                        and sent(rec, f"/service/boards/{board}/statuses") == 1)

        detail = await detail_while_held(svc, transport, ticket, ahead,
                                         configuration_details=False)
        assert not any(i.detailed for i in detail.configurations.value or ())
        full = await svc.configuration_details(detail.configurations.value or ())
        statuses = await svc.statuses(board)
        return full, statuses

    full, statuses = run(with_service(creds(sandbox), body, transport))
    assert full and all(i.detailed and i.serial_number for i in full)
    assert statuses and all(s.board_id == board for s in statuses)
    # Joined, not repeated: one read of the records and of the board's statuses.
    assert sent(rec, RECORDS) == 1
    assert sent(rec, f"/service/boards/{board}/statuses") == 1


def test_records_read_lately_for_the_same_ticket_are_not_read_ahead_again(
    sandbox: Sandbox,
) -> None:
    first, _ = configured_ticket(sandbox, 2)
    other, _ = configured_ticket(sandbox, 3)
    rec = Recorder()

    async def body(svc: TicketService) -> None:
        detail = await svc.ticket_detail(first, configuration_details=False)
        await svc.configuration_details(detail.configurations.value or ())
        again = await svc.ticket_detail(first, configuration_details=False)
        assert again.configurations.value
        await asyncio.sleep(0.05)
        assert sent(rec, RECORDS) == 1  # the caller kept them (the dock's cache reuses them)
        await svc.ticket_detail(other, configuration_details=False)
        await until(lambda: sent(rec, RECORDS) == 2)

    run(with_service(creds(sandbox), body, rec))


def test_prefetch_off_reads_nothing_ahead(sandbox: Sandbox) -> None:
    ticket, board = configured_ticket(sandbox, 4)
    rec = Recorder()

    async def body(svc: TicketService) -> None:
        await svc.ticket_detail(ticket, configuration_details=False, prefetch=False)
        await asyncio.sleep(0.05)

    run(with_service(creds(sandbox), body, rec))
    assert sent(rec, RECORDS) == 0
    assert not any(s.path.startswith(f"/service/boards/{board}/") for s in rec.api())


def test_a_failed_read_ahead_is_the_records_error_and_the_other_sections_stand(
    sandbox: Sandbox,
) -> None:
    ticket, _ = configured_ticket(sandbox, 5)
    rec = Recorder(blocked={RECORDS: 403})

    async def body(svc: TicketService) -> TicketDetail:
        detail = await svc.ticket_detail(ticket, configuration_details=False)
        with pytest.raises(PermissionDenied):
            await svc.configuration_details(detail.configurations.value or ())
        return detail

    detail = run(with_service(creds(sandbox), body, rec))
    assert detail.notes.ok and detail.related.ok and detail.resources.ok
    assert detail.configurations.ok and detail.configurations.value
    assert sent(rec, RECORDS) == 1


def test_records_refused_with_details_keep_the_references_and_warn(sandbox: Sandbox) -> None:
    ticket, _ = configured_ticket(sandbox, 6)
    rec = Recorder(blocked={RECORDS: 403})

    async def body(svc: TicketService) -> TicketDetail:
        return await svc.ticket_detail(ticket)

    detail = run(with_service(creds(sandbox), body, rec))
    section = detail.configurations
    assert section.value and not any(i.detailed for i in section.value)
    assert section.warning is not None and "Configurations" in section.warning.permission
    assert detail.notes.ok and detail.resources.ok


def test_a_ticket_that_fails_drops_what_was_read_ahead_for_it(sandbox: Sandbox) -> None:
    ticket, _ = configured_ticket(sandbox, 7)
    rec = Recorder()
    missing = b'{"code": "NotFound", "message": "gone", "errors": null}'
    transport = Holding(rec, f"/service/tickets/{ticket}",
                        answer=lambda r: httpx2.Response(404, content=missing, request=r))

    async def body(svc: TicketService) -> int:
        async def refs_answered() -> None:
            await until(lambda: sent(rec, RECORDS) == 1)

        with pytest.raises(NotFound):
            await detail_while_held(svc, transport, ticket, refs_answered,
                                    configuration_details=False)
        return len(svc._detail._records)

    assert run(with_service(creds(sandbox), body, transport)) == 0


def test_closing_the_service_cancels_what_is_still_read_ahead(sandbox: Sandbox) -> None:
    ticket, _ = configured_ticket(sandbox, 8)
    rec = Recorder()
    transport = Holding(rec, RECORDS)  # the records never answer before the close

    async def body(svc: TicketService) -> list[asyncio.Task[Any]]:
        await svc.ticket_detail(ticket, configuration_details=False)
        await until(lambda: len(svc._detail._records) == 1)
        return [entry[1] for entry in svc._detail._records._entries.values()]

    async def scenario() -> list[asyncio.Task[Any]]:
        return await with_service(creds(sandbox), body, transport)

    [task] = run(scenario())
    assert task.cancelled()


def test_records_read_ahead_reach_a_caller_after_it_painted_the_sections(
    sandbox: Sandbox,
) -> None:
    """The dock starts the records claim, yields once, then paints: the answer comes after."""
    ticket, _ = configured_ticket(sandbox, 9)

    async def body(svc: TicketService) -> list[str]:
        detail = await svc.ticket_detail(ticket, configuration_details=False)
        await asyncio.sleep(0.2)  # the read ahead is in (as when the loop was busy)
        order: list[str] = []

        async def records() -> None:
            full = await svc.configuration_details(detail.configurations.value or ())
            order.append("records" if full and all(i.detailed for i in full) else "refs")

        claim = asyncio.ensure_future(records())
        await asyncio.sleep(0)
        order.append("painted")
        await claim
        return order

    assert run(with_service(creds(sandbox), body)) == ["painted", "records"]
