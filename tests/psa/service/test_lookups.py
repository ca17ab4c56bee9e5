"""Lookups against the sandbox: content, caching with refresh, and permission degradation."""

from __future__ import annotations

from psa import TicketFilters, TicketService
from psa.sandbox import Sandbox
from tests.psa.service.conftest import Recorder, creds, run, with_service


def test_boards_statuses_priorities_and_members(sandbox: Sandbox) -> None:
    async def body(svc: TicketService) -> None:
        boards = await svc.boards()
        assert {b.name for b in boards} == {"Help Desk", "Projects / Onsite", "Alerts",
                                            "Escalations"}  # Legacy Support is inactive
        desk = await svc.statuses(1)
        assert desk[0].name == "New" and all(s.board_id == 1 for s in desk)
        assert [s.sort_order for s in desk] == sorted(s.sort_order or 0 for s in desk)
        assert any(s.closed for s in desk) and any(s.inactive for s in desk)
        union = await svc.all_statuses()
        names = [s.name.casefold() for s in union]
        assert len(names) == len(set(names))
        new = next(s for s in union if s.name == "New")
        assert len(new.ids) >= 2 and new.id_on(1) == desk[0].id
        assert "Old - Do Not Use" not in {s.name for s in union}
        priorities = await svc.priorities()
        assert [p.sort_order for p in priorities] == sorted(p.sort_order or 0 for p in priorities)
        assert all(p.color for p in priorities)
        members = await svc.members()
        identifiers = {m.identifier for m in members}
        assert {"dispatch", "jdoe", "jdoe2"} <= identifiers
        assert not {"sharris", "pmartin"} & identifiers  # inactive
        assert next(m for m in members if m.identifier == "dispatch").name == "Dana Whitfield"
        assert svc.warnings == ()

    run(with_service(creds(sandbox), body))


def test_companies_and_contacts_search_as_you_type(sandbox: Sandbox) -> None:
    async def body(svc: TicketService) -> None:
        by_name = await svc.companies("o'mal")
        assert [c.name for c in by_name] == ["O'Malley & Sons Plumbing"]
        by_identifier = await svc.companies("omalleys")
        assert [c.identifier for c in by_identifier] == ["OMalleySons"]
        assert await svc.companies("x" * 60) == ()
        company = by_name[0].id
        contacts = await svc.contacts("", company_id=company)
        assert contacts and all(c.detail == by_name[0].name for c in contacts)
        first = contacts[0].name.split()[0]
        found = await svc.contacts(first[:3].lower(), company_id=company)
        assert contacts[0].id in {c.id for c in found}

    run(with_service(creds(sandbox), body))


def test_one_company_is_read_by_id_and_a_missing_one_is_none(sandbox: Sandbox) -> None:
    async def body(svc: TicketService) -> None:
        found = (await svc.companies("o'mal"))[0]
        assert await svc.company(found.id) == found
        assert await svc.company(999_999) is None

    run(with_service(creds(sandbox), body))


def test_lookups_are_cached_until_refreshed(sandbox: Sandbox) -> None:
    rec = Recorder()

    async def body(svc: TicketService) -> None:
        await svc.boards()
        await svc.members()
        rec.reset()
        await svc.boards()
        await svc.members()
        assert rec.sent == []
        await svc.boards(refresh=True)
        assert sorted(s.path for s in rec.api()) == ["/service/boards", "/service/boards/count"]

    run(with_service(creds(sandbox), body, rec))


def test_restricted_key_degrades_with_warnings(sandbox: Sandbox) -> None:
    async def body(svc: TicketService) -> None:
        assert await svc.members() == ()
        assert await svc.statuses(1) == ()
        assert await svc.boards() == ()  # nothing seen yet
        page = await svc.search_tickets(TicketFilters(), page_size=100)
        seen = {(r.board_id, r.board_name) for r in page.items}
        boards = await svc.boards()
        assert {(b.id, b.name) for b in boards} == seen and boards
        priorities = await svc.priorities()
        assert {p.id for p in priorities} == {r.priority_id for r in page.items}
        # Statuses too come from the tickets seen: per board by id, and by name across boards.
        on_desk = {(r.status_id, r.status_name) for r in page.items if r.board_id == 1}
        assert {(s.id, s.name) for s in await svc.statuses(1)} == on_desk and on_desk
        union = await svc.all_statuses()
        assert {s.name for s in union} == {r.status_name for r in page.items}
        assert all(not s.closed for s in union)  # open tickets only
        areas = {w.area: w for w in svc.warnings}
        assert set(areas) == {"members", "statuses", "boards", "priorities"}
        assert "Member Maintenance" in areas["members"].permission
        assert "Table Setup" in areas["boards"].permission
        assert "seen" in areas["boards"].message and "seen" in areas["statuses"].message
        # Contacts and companies are in the restricted role: they still work.
        assert await svc.companies("o'mal")

    run(with_service(creds(sandbox, "restricted"), body))


def test_a_boards_types_and_subtypes_with_their_associations(sandbox: Sandbox) -> None:
    async def body(svc: TicketService) -> None:
        types = await svc.types(1)
        names = [t.name for t in types]
        assert names == sorted(names) and "Software" in names
        assert all(t.board_id == 1 for t in types)
        assert [t.name for t in types if t.inactive] == ["Telecom (retired)"]
        assert [t.name for t in types if t.default] == ["Software"]
        assert {t.category for t in types} <= {"Reactive", "Proactive"}
        subtypes = await svc.subtypes(1)
        software = next(t for t in types if t.name == "Software")
        fitting = [s.name for s in subtypes if s.fits(software.id)]
        assert "Office 365" in fitting and "Printer" not in fitting
        assert not any(s.fits(None) for s in subtypes)
        assert await svc.types(3) == () and await svc.subtypes(3) == ()  # Legacy has none
        assert svc.warnings == ()

    run(with_service(creds(sandbox), body))


def test_types_are_cached_per_board_until_refreshed(sandbox: Sandbox) -> None:
    rec = Recorder()

    async def body(svc: TicketService) -> None:
        await svc.types(1)
        await svc.subtypes(1)
        rec.reset()
        await svc.types(1)
        await svc.subtypes(1)
        assert rec.sent == []
        await svc.types(7)
        await svc.types(1, refresh=True)
        paths = sorted({s.path for s in rec.api()})
        assert paths == ["/service/boards/1/types", "/service/boards/1/types/count",
                         "/service/boards/7/types", "/service/boards/7/types/count"]

    run(with_service(creds(sandbox), body, rec))


def test_the_restricted_key_gets_no_types_and_a_table_setup_warning(sandbox: Sandbox) -> None:
    async def body(svc: TicketService) -> None:
        assert await svc.types(1) == ()
        assert await svc.subtypes(1) == ()
        [warning] = [w for w in svc.warnings if w.area == "types"]
        assert "Table Setup" in warning.permission
        assert "types" in warning.message

    run(with_service(creds(sandbox, "restricted"), body))


def test_types_read_leniently_from_a_lean_server(fresh: Sandbox) -> None:
    fresh.control.configure(shapes="lean")

    async def body(svc: TicketService) -> None:
        types = await svc.types(1)
        assert types and all(t.category == "" and not t.default for t in types)
        subtypes = await svc.subtypes(1)
        # Without typeAssociationIds every subtype goes with every type.
        assert subtypes and all(s.type_ids is None and s.fits(types[0].id) for s in subtypes)

    run(with_service(creds(fresh), body))
