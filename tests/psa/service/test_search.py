"""search_tickets against the sandbox: filters, totals, one round trip, honest text search."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from psa import IdentityNotMapped, PermissionDenied, TicketFilters, TicketPage, TicketService
from psa.filters import resources_contains
from psa.models import LIST_FIELDS
from psa.sandbox import Sandbox
from tests.psa.service.conftest import Recorder, config, creds, run, with_service


def search(sb: Sandbox, filters: TicketFilters, *, kind: str = "sandbox", page: int = 1,
           page_size: int = 50, transport: Recorder | None = None) -> TicketPage:
    async def body(svc: TicketService) -> TicketPage:
        return await svc.search_tickets(filters, page=page, page_size=page_size)

    return run(with_service(creds(sb, kind), body, transport))


def tickets(sb: Sandbox) -> list[dict[str, Any]]:
    with sb.store.lock:
        return [dict(t) for t in sb.store.records("tickets")]


def open_ids(sb: Sandbox, keep: Any) -> set[int]:
    return {t["id"] for t in tickets(sb) if not t.get("closedFlag") and keep(t)}


def all_ids(sb: Sandbox, filters: TicketFilters) -> set[int]:
    page = search(sb, filters, page_size=1000)
    assert page.total == len(page.items)
    return {r.id for r in page.items}


def test_search_is_one_round_trip_asking_only_for_the_list_fields(sandbox: Sandbox) -> None:
    rec = Recorder()

    async def body(svc: TicketService) -> TicketPage:
        await svc.client.api_base()
        rec.reset()
        return await svc.search_tickets(TicketFilters(board_id=1), page=1, page_size=20)

    page = run(with_service(creds(sandbox), body, rec))
    assert rec.waves == 1
    assert sorted(s.path for s in rec.sent) == ["/service/tickets", "/service/tickets/count"]
    listing = next(s for s in rec.sent if s.path == "/service/tickets")
    assert listing.params["fields"].split(",") == list(LIST_FIELDS)
    assert listing.params["conditions"] == "board/id = 1 and closedFlag = false"
    assert page.total == len(open_ids(sandbox, lambda t: t["board"]["id"] == 1))
    assert len(page.items) == 20 and all(r.board_id == 1 and not r.closed for r in page.items)


def test_pages_are_disjoint_and_ordered(sandbox: Sandbox) -> None:
    first = search(sandbox, TicketFilters(), page=1, page_size=10)
    second = search(sandbox, TicketFilters(), page=2, page_size=10)
    ids = [r.id for r in (*first.items, *second.items)]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 20
    assert first.total == second.total == len(open_ids(sandbox, lambda t: True))
    by_summary = search(sandbox, TicketFilters(order_by="summary asc"), page_size=30)
    summaries = [r.summary.casefold() for r in by_summary.items]
    assert summaries == sorted(summaries)


def test_status_name_matches_on_every_board_and_closed_are_opt_in(sandbox: Sandbox) -> None:
    waiting = all_ids(sandbox, TicketFilters(status_name="Waiting on Customer"))
    expected = open_ids(sandbox, lambda t: t["status"]["name"] == "Waiting on Customer")
    boards = {t["board"]["id"] for t in tickets(sandbox) if t["id"] in expected}
    assert waiting == expected and len(boards) > 1
    with_closed = search(sandbox, TicketFilters(include_closed=True), page_size=1)
    assert with_closed.total == len(tickets(sandbox))


def test_member_filter_is_owner_or_co_assignee_and_jdoe_is_not_jdoe2(sandbox: Sandbox) -> None:
    jdoe = all_ids(sandbox, TicketFilters(assigned=143))
    expected = open_ids(sandbox, lambda t: (t.get("owner") or {}).get("id") == 143
                        or resources_contains(t.get("resources") or "", "jdoe"))
    jdoe2_only = open_ids(sandbox, lambda t: resources_contains(t.get("resources") or "", "jdoe2")
                          and not resources_contains(t.get("resources") or "", "jdoe"))
    assert jdoe == expected and jdoe
    assert jdoe2_only and not (jdoe & jdoe2_only)
    co_assigned = [t for t in tickets(sandbox) if t["id"] in jdoe
                   and (t.get("owner") or {}).get("id") != 143]
    assert co_assigned, "the data should hold a ticket where jdoe is only a co-assignee"


def test_me_is_the_keys_member_and_unassigned_has_nobody(sandbox: Sandbox) -> None:
    mine = all_ids(sandbox, TicketFilters(assigned="me"))
    assert mine == open_ids(sandbox, lambda t: resources_contains(t.get("resources") or "",
                                                                  "dispatch"))
    nobody = all_ids(sandbox, TicketFilters(assigned="unassigned"))
    assert nobody == open_ids(sandbox, lambda t: not t.get("owner") and not t.get("resources"))


def test_free_text_searches_number_summary_and_company(sandbox: Sandbox) -> None:
    some = tickets(sandbox)[5]
    by_number = search(sandbox, TicketFilters(query=str(some["id"]), include_closed=True))
    assert [r.id for r in by_number.items] == [some["id"]]
    word = "o'malley"
    found = all_ids(sandbox, TicketFilters(query=word, include_closed=True))
    assert found == {t["id"] for t in tickets(sandbox)
                     if word in t["summary"].casefold() or word in t["company"]["name"].casefold()}
    assert found


def test_ticket_id_at_reads_one_id_at_a_list_position(sandbox: Sandbox) -> None:
    rec = Recorder()
    filters = TicketFilters(order_by="summary asc")
    verified = TicketFilters(query="% used", include_closed=True)  # "%": matched client-side

    async def body(svc: TicketService) -> list[int | None]:
        await svc.client.api_base()
        rec.reset()
        found = [await svc.ticket_id_at(filters, n) for n in (1, 17)]
        with pytest.raises(ValueError, match="position"):
            await svc.ticket_id_at(filters, 0)
        return [*found, await svc.ticket_id_at(filters, 100_000),
                await svc.ticket_id_at(verified, 1)]

    first, seventeenth, past_end, verified_first = run(
        with_service(creds(sandbox), body, rec))
    page = search(sandbox, filters, page_size=17)
    assert [first, seventeenth] == [page.items[0].id, page.items[16].id]
    assert past_end is None
    assert verified_first == search(sandbox, verified, page=1, page_size=1).items[0].id
    one = rec.sent[0]
    assert one.path == "/service/tickets" and one.params["fields"] == "id"
    assert one.params["pageSize"] == "1" and one.params["page"] == "1"
    assert one.params["orderBy"] == "summary asc"
    assert rec.sent[1].params["page"] == "17"


def test_text_needing_verification_keeps_the_total_honest(sandbox: Sandbox) -> None:
    # "_" and "%" are wildcards on the server: the service verifies and counts true matches only.
    rec = Recorder()
    text = "t_"  # as a LIKE pattern it would match "to", "th"...; literally it is rare

    async def body(svc: TicketService) -> TicketPage:
        return await svc.search_tickets(TicketFilters(query=text, include_closed=True),
                                        page_size=5)

    page = run(with_service(creds(sandbox), body, rec))
    expected = {t["id"] for t in tickets(sandbox)
                if text in t["summary"].casefold() or text in t["company"]["name"].casefold()}
    assert page.total == len(expected) and page.total_exact
    assert {r.id for r in page.items} <= expected
    both = search(sandbox, TicketFilters(query="it's \"down\"", include_closed=True))
    assert both.total == len([t for t in tickets(sandbox) if "it's \"down\"" in
                              (t["summary"] + "\n" + t["company"]["name"]).casefold()])


def test_a_query_longer_than_any_field_sends_nothing(sandbox: Sandbox) -> None:
    rec = Recorder()
    page = search(sandbox, TicketFilters(query="x" * 101), transport=rec)
    assert page.total == 0 and page.items == ()
    assert rec.api() == []


def test_tickets_403_is_permission_denied(sandbox: Sandbox) -> None:
    with pytest.raises(PermissionDenied) as info:
        search(sandbox, TicketFilters(), kind="noaccess")
    assert "Service Tickets" in (info.value.permission or "")


def test_me_without_an_identity_is_refused_not_guessed(sandbox: Sandbox) -> None:
    rec = Recorder(blocked={"/system/myAccount": 403})
    with pytest.raises(IdentityNotMapped, match=r"(?i)not mapped"):
        search(sandbox, TicketFilters(assigned="me"), transport=rec)
    assert not any(s.path == "/service/tickets" for s in rec.sent)


def test_member_filter_without_member_access_falls_back_to_owner_with_a_warning(
    sandbox: Sandbox,
) -> None:
    page = search(sandbox, TicketFilters(assigned=143), kind="restricted", page_size=1000)
    assert {r.id for r in page.items} == open_ids(
        sandbox, lambda t: (t.get("owner") or {}).get("id") == 143)
    assert [w.area for w in page.warnings] == ["members"]


# --- like wildcards: %, * or both (API-NOTES reports both; the sandbox can play each) --------

LIKE_MODES = ("percent", "star", "both")


@pytest.fixture(scope="module")
def wild() -> Iterator[Sandbox]:
    """A sandbox whose like_wildcards setting the tests below switch (they only read).

    dispatch ("me") is made a co-assignee after another owner, so "me" must match an item
    that does not start the resources list.
    """
    with Sandbox(config(tickets=300)) as sb:
        store = sb.store
        owned = next(t for t in tickets(sb) if not t.get("closedFlag") and t.get("owner")
                     and "dispatch" not in (t.get("resources") or ""))
        dispatch = store.member_by_identifier("dispatch")
        store.create_schedule_entry({"objectId": owned["id"], "member": {"id": dispatch["id"]},
                                     "type": {"id": 4}}, member="dispatch")
        yield sb


def _assigned(t: dict[str, Any], member_id: int, identifier: str) -> bool:
    return ((t.get("owner") or {}).get("id") == member_id
            or resources_contains(t.get("resources") or "", identifier))


@pytest.mark.parametrize("mode", LIKE_MODES)
def test_member_filter_is_exact_whichever_like_wildcards_the_server_reads(
    wild: Sandbox, mode: str
) -> None:
    wild.control.configure(like_wildcards=mode)
    jdoe = all_ids(wild, TicketFilters(assigned=143))
    assert jdoe == open_ids(wild, lambda t: _assigned(t, 143, "jdoe"))
    co_assigned = [t for t in tickets(wild) if t["id"] in jdoe
                   and (t.get("owner") or {}).get("id") != 143]
    assert co_assigned, "jdoe should be only a co-assignee somewhere"
    jdoe2_only = open_ids(wild, lambda t: resources_contains(t.get("resources") or "", "jdoe2")
                          and not resources_contains(t.get("resources") or "", "jdoe"))
    assert jdoe2_only and not (jdoe & jdoe2_only)
    mine = all_ids(wild, TicketFilters(assigned="me"))
    assert mine == open_ids(wild, lambda t: resources_contains(t.get("resources") or "",
                                                              "dispatch"))
    assert any(not (t.get("resources") or "").startswith("dispatch")
               for t in tickets(wild) if t["id"] in mine)


def _rename_member(sb: Sandbox, member_id: int, old: str, new: str, rename: dict[str, str]
                   ) -> None:
    """Give a member another identifier and rewrite tickets' resources items (test data)."""
    store = sb.store
    with store.lock:
        members = store.ref.members
        for index, member in enumerate(members):
            if member["id"] == member_id:
                members[index] = {**member, "identifier": new}
        names = {old: new, **rename}
        for index, ticket in enumerate(store.tickets):
            resources = ticket.get("resources")
            if resources:
                items = [names.get(i.strip(), i.strip()) for i in resources.split(",")]
                store.tickets[index] = {**ticket, "resources": ", ".join(items)}


@pytest.mark.parametrize("mode", LIKE_MODES)
def test_an_identifier_holding_wildcards_matches_only_itself(mode: str) -> None:
    with Sandbox(config(tickets=300, like_wildcards=mode)) as sb:
        # jdoe becomes j_doe and jdoe2 becomes jxdoe: "j_doe" read as SQL LIKE matches both
        _rename_member(sb, 143, "jdoe", "j_doe", {"jdoe2": "jxdoe"})
        rec = Recorder()
        page = search(sb, TicketFilters(assigned=143), page_size=1000, transport=rec)
        found = {r.id for r in page.items}
        assert found == open_ids(sb, lambda t: _assigned(t, 143, "j_doe"))
        assert page.total == len(found) and page.total_exact
        jxdoe_only = open_ids(sb, lambda t: resources_contains(t.get("resources") or "", "jxdoe")
                              and not resources_contains(t.get("resources") or "", "j_doe"))
        assert jxdoe_only and not (found & jxdoe_only)
        co_assigned = [t for t in tickets(sb) if t["id"] in found
                       and (t.get("owner") or {}).get("id") != 143]
        assert co_assigned
