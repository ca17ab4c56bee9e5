"""Mutations against the sandbox: create without duplicates, verified status, notes, staleness."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import httpx2
import pytest

from psa import (
    CreateOutcomeUnknown,
    InvalidObject,
    NewTicket,
    StatusNotOnBoard,
    TicketChanged,
    TicketService,
)
from psa.mutations import normalise_note_text
from psa.sandbox import Sandbox
from tests.psa.service.conftest import Recorder, creds, run


def ticket(sb: Sandbox, ticket_id: int) -> dict[str, Any]:
    with sb.store.lock:
        return dict(sb.store.get(ticket_id))


def open_ticket(sb: Sandbox, board: int = 1, *, owner: bool | None = None) -> dict[str, Any]:
    with sb.store.lock:
        rows = [dict(t) for t in sb.store.records("tickets")]
    return next(t for t in rows if not t.get("closedFlag") and t["board"]["id"] == board
                and not t.get("mergedParentTicket")
                and (owner is None or bool(t.get("owner")) == owner))


def statuses(sb: Sandbox, board: int) -> list[dict[str, Any]]:
    with sb.store.lock:
        return [dict(s) for s in sb.store.board_statuses(board)]


def summaries(sb: Sandbox, summary: str) -> list[int]:
    with sb.store.lock:
        return [t["id"] for t in sb.store.records("tickets") if t["summary"] == summary]


async def _instant(_: float) -> None:
    return None


def service(sb: Sandbox, body: Any, transport: httpx2.AsyncBaseTransport | None = None,
            kind: str = "sandbox", **kw: Any) -> Any:
    async def wrapped(svc: TicketService) -> Any:
        return await body(svc)

    async def go() -> Any:
        from psa import open_service

        async with open_service(creds(sb, kind), transport=transport, **kw) as svc:
            svc._mutations._sleep = _instant  # settle delays cost nothing in tests
            return await wrapped(svc)

    return run(go())


# ---------------------------------------------------------------------------- create


COMPANY = 20  # O'Malley & Sons Plumbing in the seed-1 data


def new_ticket(summary: str) -> NewTicket:
    return NewTicket(summary=summary, company_id=COMPANY, board_id=1,
                     initial_description="Line one\r\nLine two")


def test_create_returns_the_ticket_with_normalised_text(fresh: Sandbox) -> None:
    created = service(fresh, lambda svc: svc.create_ticket(new_ticket("Printer jam on 2nd floor")))
    stored = ticket(fresh, created.id)
    assert created.summary == stored["summary"] == "Printer jam on 2nd floor"
    assert created.board_id == 1 and created.company_id == COMPANY
    assert stored.get("externalXRef", "").startswith("dispatch-desk:")
    with fresh.store.lock:
        notes = fresh.store.notes(created.id)
    assert any(n["text"] == "Line one\nLine two" for n in notes)


@pytest.mark.parametrize("bad", [
    {"summary": "x" * 101, "company_id": COMPANY, "board_id": 1},
    {"summary": "   ", "company_id": COMPANY, "board_id": 1},
    {"summary": "ok", "board_id": 1},
    {"summary": "ok", "company_id": COMPANY},
])
def test_create_validates_before_sending(sandbox: Sandbox, bad: dict[str, Any]) -> None:
    rec = Recorder()
    with pytest.raises(InvalidObject) as info:
        service(sandbox, lambda svc: svc.create_ticket(bad), rec)
    assert info.value.field_errors
    assert not any(s.method == "POST" for s in rec.sent)


@dataclass
class FaultOnCreate(httpx2.AsyncBaseTransport):
    """Turns a sandbox fault on for the ticket POSTs only (it strikes after the write)."""

    sandbox: Sandbox
    fault: str
    times: int = 1
    inner: httpx2.AsyncBaseTransport = field(default_factory=httpx2.AsyncHTTPTransport)
    posts: int = 0
    keep_failing: bool = False

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        is_create = request.method == "POST" and request.url.path.endswith("/service/tickets")
        if is_create:
            self.posts += 1
        strike = is_create and self.posts <= self.times
        if strike or self.keep_failing:
            self.sandbox.control.configure(faults=self.fault)
        try:
            response = await self.inner.handle_async_request(request)
            await response.aread()
            return response
        finally:
            if strike and not self.keep_failing:
                self.sandbox.control.configure(faults="none")

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.mark.parametrize("fault", ["500=1", "drop=1", "malformed=1", "slow=1,slow_ms=1500"])
def test_a_create_that_fails_after_the_write_is_found_not_duplicated(
    fresh: Sandbox, fault: str
) -> None:
    summary = f"Server room too hot ({fault})"
    transport = FaultOnCreate(fresh, fault)
    timeout = httpx2.Timeout(connect=5.0, read=0.5, write=5.0, pool=5.0)
    created = service(fresh, lambda svc: svc.create_ticket(new_ticket(summary)), transport,
                      timeout=timeout)
    assert transport.posts == 1
    assert summaries(fresh, summary) == [created.id]


def test_a_create_that_never_happened_is_sent_again_once(fresh: Sandbox) -> None:
    summary = "Phones down at the front desk"

    @dataclass
    class RefuseFirst(FaultOnCreate):
        async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
            if request.method == "POST" and self.posts == 0:
                self.posts += 1
                raise httpx2.ConnectError("connection refused", request=request)
            if request.method == "POST":
                self.posts += 1
            return await self.inner.handle_async_request(request)

    transport = RefuseFirst(fresh, "none")
    created = service(fresh, lambda svc: svc.create_ticket(new_ticket(summary)), transport)
    assert transport.posts == 2
    assert summaries(fresh, summary) == [created.id]


def test_when_the_lookup_fails_too_the_outcome_is_unknown_and_nothing_is_resent(
    fresh: Sandbox,
) -> None:
    summary = "VPN drops every hour"
    transport = FaultOnCreate(fresh, "500=1", keep_failing=True)
    with pytest.raises(CreateOutcomeUnknown) as info:
        service(fresh, lambda svc: svc.create_ticket(new_ticket(summary)), transport)
    fresh.control.configure(faults="none")
    assert transport.posts == 1
    assert len(summaries(fresh, summary)) == 1
    assert info.value.token.startswith("dispatch-desk:")


@pytest.mark.parametrize("fault", ["500=1", "drop=1", "slow=1,slow_ms=1500"])
def test_a_create_stored_late_is_never_sent_again(fresh: Sandbox, fault: str) -> None:
    """The server commits after the client's lookups gave up: no second POST, one ticket."""
    summary = f"Label printer offline ({fault})"
    transport = FaultOnCreate(fresh, f"{fault},write=late,write_delay_ms=2500")
    timeout = httpx2.Timeout(connect=5.0, read=0.5, write=5.0, pool=5.0)
    with pytest.raises(CreateOutcomeUnknown, match="not found") as info:
        service(fresh, lambda svc: svc.create_ticket(new_ticket(summary)), transport,
                timeout=timeout)
    assert transport.posts == 1
    assert info.value.token.startswith("dispatch-desk:")
    deadline = time.monotonic() + 10
    while not summaries(fresh, summary) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(summaries(fresh, summary)) == 1


def test_a_create_stored_while_looking_is_found(fresh: Sandbox) -> None:
    summary = "Scanner to e-mail broken"
    transport = FaultOnCreate(fresh, "500=1,write=late,write_delay_ms=300")

    async def go() -> Any:
        from psa import open_service

        async with open_service(creds(fresh), transport=transport) as svc:
            svc._mutations._settle = (0.0, 0.2, 0.8)  # real waits: the write lands at 0.3 s
            return await svc.create_ticket(new_ticket(summary))

    created = run(go())
    assert transport.posts == 1
    assert summaries(fresh, summary) == [created.id]


def test_a_create_never_stored_is_not_sent_again(fresh: Sandbox) -> None:
    summary = "Wi-Fi password rotation"
    transport = FaultOnCreate(fresh, "drop=1,write=never")
    with pytest.raises(CreateOutcomeUnknown):
        service(fresh, lambda svc: svc.create_ticket(new_ticket(summary)), transport)
    assert transport.posts == 1
    assert summaries(fresh, summary) == []


def test_a_child_ticket_is_linked_in_the_create_itself(fresh: Sandbox) -> None:
    parent = open_ticket(fresh, 1)
    rec = Recorder()
    child = NewTicket(summary="Follow-up: replace the drive", company_id=COMPANY, board_id=1,
                      parent_ticket_id=parent["id"])
    created = service(fresh, lambda svc: svc.create_ticket(child), rec)
    assert [(s.method, s.path) for s in rec.api()] == [("POST", "/service/tickets")]
    assert created.parent_ticket_id == parent["id"]
    assert ticket(fresh, created.id)["parentTicketId"] == parent["id"]
    assert ticket(fresh, parent["id"])["hasChildTicket"] is True


def test_a_missing_parent_refuses_the_create_naming_parent_ticket_id(fresh: Sandbox) -> None:
    summary = "Follow-up of a ticket that is gone"
    child = NewTicket(summary=summary, company_id=COMPANY, board_id=1, parent_ticket_id=999_999)
    with pytest.raises(InvalidObject) as info:
        service(fresh, lambda svc: svc.create_ticket(child))
    assert [e.field for e in info.value.field_errors] == ["parentTicketId"]
    assert summaries(fresh, summary) == []


def test_type_and_subtype_are_sent_as_references(fresh: Sandbox) -> None:
    rec = Recorder()
    sent: list[bytes] = []
    rec.hooks.append(lambda request, _r: sent.append(request.content)
                     if request.method == "POST" else None)

    async def body(svc: TicketService) -> Any:
        software = next(t for t in await svc.types(1) if t.name == "Software")
        office = next(s for s in await svc.subtypes(1) if s.name == "Office 365")
        return await svc.create_ticket(NewTicket(
            summary="Outlook crashes on start", company_id=COMPANY, board_id=1,
            type_id=software.id, subtype_id=office.id))

    created = service(fresh, body, rec)
    stored = ticket(fresh, created.id)
    assert (stored["type"]["name"], stored["subType"]["name"]) == ("Software", "Office 365")
    assert (created.type_name, created.subtype_name) == ("Software", "Office 365")
    assert b'"subType":{"id":' in sent[0].replace(b" ", b"")


def test_a_parent_id_must_be_positive() -> None:
    with pytest.raises(ValueError, match="parent_ticket_id"):
        NewTicket(summary="x", company_id=COMPANY, board_id=1, parent_ticket_id=0)


# ---------------------------------------------------------------------------- status


def test_status_change_is_verified(fresh: Sandbox) -> None:
    t = open_ticket(fresh, 1)
    target = next(s for s in statuses(fresh, 1) if s["name"] == "In Progress")
    row = service(fresh, lambda svc: svc.update_status(t["id"], target["id"]))
    assert row.status_id == target["id"] and ticket(fresh, t["id"])["status"]["id"] == target["id"]


def test_a_status_of_another_board_is_an_error_naming_the_board(fresh: Sandbox) -> None:
    t = open_ticket(fresh, 1)
    foreign = next(s for s in statuses(fresh, 12) if s["name"] == "Alert Received")

    async def body(svc: TicketService) -> None:
        await svc.all_statuses()  # names known, so the message can use them
        await svc.update_status(t["id"], foreign["id"])

    with pytest.raises(StatusNotOnBoard) as info:
        service(fresh, body)
    assert str(info.value).startswith("Status Alert Received is not valid on board Help Desk")
    assert ticket(fresh, t["id"])["status"]["id"] == t["status"]["id"]


def test_a_ticket_changed_since_loading_is_reported_not_overwritten(fresh: Sandbox) -> None:
    t = open_ticket(fresh, 1)
    desk = statuses(fresh, 1)
    first, second = (next(s["id"] for s in desk if s["name"] == n)
                     for n in ("Assigned", "Scheduled"))

    async def body(svc: TicketService) -> None:
        loaded = await svc.update_status(t["id"], first)  # what this user last saw
        assert loaded.last_updated is not None
        fresh.control.advance_clock(60)
        await svc.add_note(t["id"], "Someone else worked on it", "internal")  # another user
        await svc.update_status(t["id"], second, expected_last_updated=loaded.last_updated)

    with pytest.raises(TicketChanged) as info:
        service(fresh, body)
    assert info.value.current.id == t["id"] and info.value.current.status_id == first
    assert ticket(fresh, t["id"])["status"]["id"] == first

    async def up_to_date(svc: TicketService) -> None:
        row = await svc.update_status(t["id"], first)
        fresh.control.advance_clock(60)
        done = await svc.update_status(t["id"], second, expected_last_updated=row.last_updated)
        assert done.status_id == second

    service(fresh, up_to_date)


def test_a_customer_note_that_does_not_move_last_updated_still_counts_as_a_change(
    fresh: Sandbox,
) -> None:
    fresh.control.configure(notes_bump_last_updated=False)
    t = open_ticket(fresh, 1)
    assigned = next(s["id"] for s in statuses(fresh, 1) if s["name"] == "Assigned")
    contact = t.get("contact") or {"id": 1, "name": "A customer"}
    rec = Recorder()

    async def body(svc: TicketService) -> None:
        detail = await svc.ticket_detail(t["id"], configuration_details=False, prefetch=False)
        loaded = detail.ticket.last_updated
        fresh.control.advance_clock(60)
        with fresh.store.lock:  # the customer writes in, as the e-mail connector would
            fresh.store.links.store_note(t["id"], "Still broken, please call me", "Email",
                                         None, contact, detail=True)
        assert ticket(fresh, t["id"])["_info"]["lastUpdated"] == t["_info"]["lastUpdated"]
        rec.reset()
        with pytest.raises(TicketChanged, match="a note was added") as info:
            await svc.update_status(t["id"], assigned, expected_last_updated=loaded)
        assert info.value.current.id == t["id"]
        assert rec.waves == 1  # the notes count is read beside the ticket
        # after reloading, our own note does not make our next change look stale
        detail = await svc.ticket_detail(t["id"], configuration_details=False, prefetch=False)
        loaded = detail.ticket.last_updated
        await svc.add_note(t["id"], "Called back", "internal", expected_last_updated=loaded)
        row = await svc.update_status(t["id"], assigned, expected_last_updated=loaded)
        assert row.status_id == assigned

    service(fresh, body, rec)
    assert ticket(fresh, t["id"])["status"]["id"] == assigned


# ---------------------------------------------------------------------------- notes


def test_note_kinds_set_their_flags_and_text_is_normalised(fresh: Sandbox) -> None:
    t = open_ticket(fresh, 1)

    async def body(svc: TicketService) -> list[Any]:
        return [await svc.add_note(t["id"], f"{kind}\r\nsecond line\rthird\x00", kind)
                for kind in ("discussion", "internal", "resolution")]

    outcomes = service(fresh, body)
    flags = [(o.note.discussion, o.note.internal, o.note.resolution) for o in outcomes]
    assert flags == [(True, False, False), (False, True, False), (False, False, True)]
    with fresh.store.lock:
        texts = [n["text"] for n in fresh.store.notes(t["id"])][-3:]
    assert texts == [f"{k}\nsecond line\nthird" for k in ("discussion", "internal", "resolution")]


def test_note_with_a_status_change_in_one_action(fresh: Sandbox) -> None:
    t = open_ticket(fresh, 1)
    resolved = next(s["id"] for s in statuses(fresh, 1) if s["name"] == "Resolved")
    foreign = next(s["id"] for s in statuses(fresh, 12) if s["name"] == "Alert Received")

    async def body(svc: TicketService) -> tuple[Any, Any]:
        bad = await svc.add_note(t["id"], "Tried a status of another board", "internal",
                                 status_id=foreign)
        good = await svc.add_note(t["id"], "Replaced the toner; printing again.", "resolution",
                                  status_id=resolved)
        return bad, good

    bad, good = service(fresh, body)
    assert bad.note.internal and bad.ticket is None
    assert bad.status_error and "not valid on board Help Desk" in bad.status_error
    assert good.ticket is not None and good.ticket.status_id == resolved
    assert good.status_error is None
    assert ticket(fresh, t["id"])["status"]["id"] == resolved


def test_an_empty_note_is_refused_before_sending(sandbox: Sandbox) -> None:
    with pytest.raises(InvalidObject):
        service(sandbox, lambda svc: svc.add_note(20001, "\r\n\x00 "))


def test_normalise_note_text() -> None:
    assert normalise_note_text("a\r\nb\rc\u2028d\x07e\tf") == "a\nb\nc\nde\tf"
