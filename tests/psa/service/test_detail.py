"""Ticket detail, SLA now and the web URL against the sandbox."""

from __future__ import annotations

from typing import Any

import pytest

from psa import PermissionDenied, SlaState, TicketDetail, TicketFilters, TicketService
from psa.models import SLA_FIELDS
from psa.sandbox import Sandbox
from tests.psa.service.conftest import Recorder, creds, run, with_service


def records(sb: Sandbox, entity: str) -> list[dict[str, Any]]:
    with sb.store.lock:
        return [dict(r) for r in sb.store.records(entity)]


def child_and_parent(sb: Sandbox) -> tuple[int, int]:
    child = next(t for t in records(sb, "tickets") if t.get("parentTicketId"))
    return child["id"], child["parentTicketId"]


def with_configurations(sb: Sandbox) -> int:
    with sb.store.lock:
        return next(t["id"] for t in sb.store.records("tickets")
                    if sb.store.ticket_configurations(t["id"]))


def co_assigned(sb: Sandbox) -> tuple[int, set[int]]:
    entries = [e for e in records(sb, "scheduleEntries") if e["type"]["id"] == 4]
    ticket = entries[0]["objectId"]
    return ticket, {e["member"]["id"] for e in entries if e["objectId"] == ticket}


def load(sb: Sandbox, ticket_id: int, *, kind: str = "sandbox", details: bool = True,
         seen: bool = False, rec: Recorder | None = None, prefetch: bool = False
         ) -> TicketDetail:
    """The detail alone by default: nothing read ahead, so the requests are the detail's."""
    async def body(svc: TicketService) -> TicketDetail:
        if seen:  # the list the user clicked in showed this ticket
            await svc.search_tickets(TicketFilters(include_closed=True), page_size=1000)
        await svc.client.api_base()
        if rec is not None:
            rec.reset()
        return await svc.ticket_detail(ticket_id, configuration_details=details,
                                       prefetch=prefetch)

    return run(with_service(creds(sb, kind), body, rec))


def test_everything_but_configuration_details_is_one_round_trip(sandbox: Sandbox) -> None:
    child, parent = child_and_parent(sandbox)
    rec = Recorder()
    detail = load(sandbox, child, details=False, seen=True, rec=rec)
    assert rec.waves == 1
    assert sorted(s.path for s in rec.api()) == sorted([
        f"/service/tickets/{child}", f"/service/tickets/{child}/allNotes",
        f"/service/tickets/{child}/configurations", "/service/tickets", "/schedule/entries",
    ])
    related = next(s for s in rec.api() if s.path == "/service/tickets")
    assert related.params["conditions"] == (
        f"(id = {parent} or parentTicketId = {child} or mergedParentTicket/id = {child})")
    assert detail.ticket.id == child and detail.ticket.parent_ticket_id == parent
    assert detail.related.value is not None and detail.related.value.parent is not None
    assert detail.related.value.parent.id == parent


def test_a_child_opened_from_its_parents_related_list_is_one_round_trip(
    sandbox: Sandbox,
) -> None:
    child, parent = child_and_parent(sandbox)
    rec = Recorder()

    async def body(svc: TicketService) -> TicketDetail:
        await svc.client.api_base()
        await svc.ticket_detail(parent, configuration_details=False, prefetch=False)
        rec.reset()  # the dispatcher clicks the child in the parent's Related list
        return await svc.ticket_detail(child, configuration_details=False, prefetch=False)

    detail = run(with_service(creds(sandbox), body, rec))
    assert rec.waves == 1
    assert detail.related.value is not None and detail.related.value.parent is not None
    assert detail.related.value.parent.id == parent


def test_configuration_details_are_one_more_batched_round_trip(sandbox: Sandbox) -> None:
    ticket = with_configurations(sandbox)
    rec = Recorder()
    detail = load(sandbox, ticket, seen=True, rec=rec)
    assert rec.waves == 2
    assert [s.path for s in rec.api() if s.wave == 2] == ["/company/configurations"]
    items = detail.configurations.value
    assert items and all(i.detailed and i.type_name and i.serial_number for i in items)
    with sandbox.store.lock:
        refs = {c["id"] for c in sandbox.store.ticket_configurations(ticket)}
    assert {i.id for i in items} == refs


def test_an_unseen_childs_parent_is_fetched_in_the_second_round_trip(sandbox: Sandbox) -> None:
    child, parent = child_and_parent(sandbox)
    rec = Recorder()
    detail = load(sandbox, child, details=False, rec=rec)
    assert rec.waves == 2
    assert detail.related.value is not None and detail.related.value.parent is not None
    assert detail.related.value.parent.id == parent
    parent_detail = load(sandbox, parent, details=False)
    assert parent_detail.related.value is not None
    assert child in {r.id for r in parent_detail.related.value.children}


def test_notes_newest_first_with_flags_and_resources_deduped(sandbox: Sandbox) -> None:
    ticket, members = co_assigned(sandbox)
    detail = load(sandbox, ticket)
    notes = detail.notes.value
    assert notes
    stamps = [n.created for n in notes if n.created is not None]
    assert stamps == sorted(stamps, reverse=True)
    with sandbox.store.lock:
        wire = sandbox.store.notes(ticket, all_notes=True)
    flags = {n["id"]: (n.get("detailDescriptionFlag") is True, n.get("internalAnalysisFlag")
                       is True, n.get("resolutionFlag") is True) for n in wire}
    assert {n.id: (n.discussion, n.internal, n.resolution) for n in notes} == flags
    resources = detail.resources.value
    assert resources is not None
    ids = [r.member_id for r in resources]
    assert len(ids) == len(set(ids)) and members <= set(ids)
    owner = next(t for t in records(sandbox, "tickets") if t["id"] == ticket).get("owner")
    if owner:
        assert resources[0].is_owner and resources[0].member_id == owner["id"]


def test_merged_tickets_show_under_their_parent(fresh: Sandbox) -> None:
    tickets = [t for t in records(fresh, "tickets") if not t.get("closedFlag")
               and not t.get("mergedParentTicket") and t["board"]["id"] == 1]
    keep, merged = tickets[0]["id"], tickets[1]["id"]
    with fresh.store.lock:
        closed = next(s["id"] for s in fresh.store.board_statuses(1) if s["closedStatus"])

    async def body(svc: TicketService) -> TicketDetail:
        await svc.client.post_json(f"/service/tickets/{keep}/merge",
                                   {"mergeTicketIds": [merged], "status": {"id": closed}})
        return await svc.ticket_detail(keep)

    detail = run(with_service(creds(fresh), body))
    assert detail.related.value is not None
    assert [r.id for r in detail.related.value.merged] == [merged]


def test_a_merged_ticket_shows_the_ticket_it_was_merged_into(sandbox: Sandbox) -> None:
    merged = next(t for t in records(sandbox, "tickets") if t.get("mergedParentTicket"))
    into = merged["mergedParentTicket"]["id"]
    rec = Recorder()
    detail = load(sandbox, merged["id"], details=False, seen=True, rec=rec)
    related = detail.related.value
    assert related is not None
    assert related.merged_into_id == into
    assert related.merged_into is not None and related.merged_into.id == into
    assert rec.waves == 2  # the row of the ticket merged into follows the ticket
    parent = load(sandbox, into, details=False).related.value
    assert parent is not None and parent.merged_into_id is None
    assert merged["id"] in {r.id for r in parent.merged}


def test_restricted_key_keeps_notes_and_owner_and_warns_for_the_rest(sandbox: Sandbox) -> None:
    ticket, _ = co_assigned(sandbox)
    detail = load(sandbox, ticket, kind="restricted")
    assert detail.notes.ok and detail.notes.value
    assert detail.resources.warning is not None
    assert "Resource Scheduling" in detail.resources.warning.permission
    owner = next(t for t in records(sandbox, "tickets") if t["id"] == ticket).get("owner")
    assert [r.member_id for r in detail.resources.value or ()] == ([owner["id"]] if owner else [])
    assert detail.configurations.warning is not None
    assert "Configurations" in detail.configurations.warning.permission
    assert {w.area for w in detail.warnings} == {"resources", "configurations"}


def test_detail_without_ticket_access_is_permission_denied(sandbox: Sandbox) -> None:
    with pytest.raises(PermissionDenied):
        load(sandbox, 20001, kind="noaccess")


def test_sla_now_is_batched_and_current(sandbox: Sandbox) -> None:
    ids = [t["id"] for t in records(sandbox, "tickets")[:40]]
    rec = Recorder()

    async def body(svc: TicketService) -> dict[int, Any]:
        return await svc.sla_now([*ids, ids[0]])

    states = run(with_service(creds(sandbox), body, rec))
    assert [s.path for s in rec.api()] == ["/service/tickets/calculateSla"]
    assert set(states) == set(ids)
    with sandbox.store.lock:
        fresh = {t["id"]: t for t in sandbox.store.calculate_sla(
            [t for t in sandbox.store.records("tickets") if t["id"] in set(ids)])}
    for tid, state in states.items():
        assert state.sla_status == fresh[tid].get("slaStatus", "")
        assert state.respond_minutes == fresh[tid].get("respondMinutes")
        assert state.responded_hours == fresh[tid]["respondedHours"]
        assert state.resplan_hours == fresh[tid]["resplanHours"]
        assert state.resolution_hours == fresh[tid]["resolutionHours"]
    assert all(s.responded_hours is not None for s in states.values())


def test_sla_targets_parse_leniently() -> None:
    state = SlaState.from_wire({"id": 1, "respondedHours": 2, "resplanHours": 4.5,
                                "resolutionHours": "8"})
    assert (state.responded_hours, state.resplan_hours, state.resolution_hours) == (2.0, 4.5, None)
    assert SlaState.from_wire({"id": 1, "respondedHours": True}).responded_hours is None
    assert SlaState.from_wire({"id": 1, "respondedHours": -1}).responded_hours is None
    assert {"respondedHours", "resplanHours", "resolutionHours"} <= set(SLA_FIELDS)


def test_web_url_is_the_tickets_page(sandbox: Sandbox) -> None:
    detail = load(sandbox, 20001, details=False)
    assert detail.web_url == (f"{sandbox.url}/v4_6_release/services/system_io/Service/"
                              "fv_sr100_request.rails?service_recid=20001&companyName=sandbox")
