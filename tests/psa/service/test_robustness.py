"""The service tolerates lean and null-valued shapes, old servers, and bounds its text scans."""

from __future__ import annotations

from typing import Any

import pytest

import psa.service
from psa import TicketDetail, TicketFilters, TicketPage, TicketService
from psa.sandbox import Sandbox
from tests.psa.service.conftest import Recorder, creds, run, with_service


def all_tickets(sb: Sandbox) -> list[dict[str, Any]]:
    with sb.store.lock:
        return [dict(t) for t in sb.store.records("tickets")]


@pytest.mark.parametrize("shapes", ["lean", "nulls"])
def test_search_and_detail_parse_lean_and_null_valued_shapes(fresh: Sandbox, shapes: str) -> None:
    fresh.control.configure(shapes=shapes)

    async def body(svc: TicketService) -> tuple[TicketPage, list[TicketDetail]]:
        page = await svc.search_tickets(TicketFilters(include_closed=True), page_size=40)
        details = [await svc.ticket_detail(r.id) for r in page.items[:15]]
        await svc.boards()
        await svc.all_statuses()
        await svc.priorities()
        await svc.members()
        return page, details

    page, details = run(with_service(creds(fresh), body))
    assert len(page.items) == 40
    assert all(d.notes.ok and d.related.ok and d.resources.ok for d in details)


def test_notes_fall_back_to_notes_where_all_notes_is_missing(sandbox: Sandbox) -> None:
    ticket = all_tickets(sandbox)[3]["id"]
    rec = Recorder(blocked={f"/service/tickets/{ticket}/allNotes": 404})
    detail = run(with_service(creds(sandbox),
                              lambda svc: svc.ticket_detail(ticket), rec))
    with sandbox.store.lock:
        expected = {n["id"] for n in sandbox.store.notes(ticket)}
    assert detail.notes.value is not None and {n.id for n in detail.notes.value} == expected
    assert any(s.path.endswith("/notes") for s in rec.sent)


def test_text_with_only_wildcards_scans_candidates_and_verifies(sandbox: Sandbox) -> None:
    page = run(with_service(creds(sandbox), lambda svc: svc.search_tickets(
        TicketFilters(query="%", include_closed=True), page_size=1000)))
    expected = {t["id"] for t in all_tickets(sandbox)
                if "%" in t["summary"] or "%" in t["company"]["name"]}
    assert {r.id for r in page.items} == expected and page.total == len(expected)
    assert expected, "the seeded summaries hold percentages"


def test_a_scan_past_its_bound_says_the_total_is_a_lower_bound(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(psa.service, "VERIFY_LIMIT", 50)
    page = run(with_service(creds(sandbox), lambda svc: svc.search_tickets(
        TicketFilters(query="e_", include_closed=True), page_size=1000)))
    assert not page.total_exact
    everything = {t["id"] for t in all_tickets(sandbox)
                  if "e_" in t["summary"].casefold() or "e_" in t["company"]["name"].casefold()}
    assert {r.id for r in page.items} <= everything and page.total == len(page.items)
