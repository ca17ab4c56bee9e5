"""Resources: add and remove the owner and co-assignees, idempotently; say when not allowed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from psa.models import TicketRow
from psa.sandbox import Sandbox
from tests.ui.detail.support import (
    CountingService,
    entries_for,
    loaded,
    member_id,
    open_on_board,
    service,
    settle,
    ticket,
    wait_for,
)
from ui.detail.detail_dock import DetailDock
from ui.detail.look import Tone

MakeDock = Callable[..., DetailDock]
CANDIDATES = ("asmith", "mgarcia", "kpatel", "twilliams", "rnguyen", "bchen")


def outsider(sb: Sandbox, ticket_id: int) -> int:
    """A member who is neither the ticket's owner nor a co-assignee."""
    taken = {e["member"]["id"] for e in entries_for(sb, ticket_id)}
    owner = ticket(sb, ticket_id).get("owner")
    if owner:
        taken.add(owner["id"])
    return next(m for m in (member_id(sb, i) for i in CANDIDATES) if m not in taken)


async def idle(dock: DetailDock) -> None:
    await wait_for(lambda: not dock.panel.changes.busy() and dock.panel.complete)


def test_co_assignee_added_once_and_removed_with_one_click(
    fresh: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any]
) -> None:
    tid = open_on_board(fresh, 1, owner=True)
    member = outsider(fresh, tid)
    before = len(entries_for(fresh, tid))

    async def scenario() -> None:
        async with service(fresh) as inner:
            svc = CountingService(inner)
            dock = make_dock(svc)
            await loaded(dock, tid)
            view = dock.panel.resources
            await wait_for(lambda: view.picker.count() > 0)
            assert view.picker.choose(member)
            view.add_button.click()
            await wait_for(lambda: len(entries_for(fresh, tid)) == before + 1)
            await idle(dock)
            listed = {r.member_id: r for r in view.resources}
            assert member in listed and not listed[member].is_owner
            # Adding again changes nothing: in the view, and in the service too.
            view.picker.choose(member)
            view.add_button.click()
            assert "Already on this ticket" in view.action_message.text()
            dock.panel.changes.add_resource(member)
            await idle(dock)
            assert len(entries_for(fresh, tid)) == before + 1
            assert svc.calls["add_resource", tid] == 2
            # One click removes.
            view.remove_buttons[member].click()
            await wait_for(lambda: len(entries_for(fresh, tid)) == before)
            await idle(dock)
            assert member not in {r.member_id for r in view.resources}
            await settle(dock)

    run_async(scenario())


def test_owner_removed_and_set_when_there_is_none(
    fresh: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any]
) -> None:
    tid = open_on_board(fresh, 1, owner=True)
    owner = ticket(fresh, tid)["owner"]["id"]

    async def scenario() -> None:
        async with service(fresh) as svc:
            dock = make_dock(svc)
            rows: list[TicketRow] = []
            dock.ticket_updated.connect(rows.append)
            await loaded(dock, tid)
            view = dock.panel.resources
            view.remove_buttons[owner].click()
            await wait_for(lambda: not ticket(fresh, tid).get("owner"))
            await idle(dock)
            await wait_for(lambda: rows[-1].owner_id is None)
            assert owner not in {r.member_id for r in view.resources}
            newcomer = outsider(fresh, tid)
            await wait_for(lambda: view.picker.count() > 0)
            view.picker.choose(newcomer)
            view.add_button.click()
            await wait_for(lambda: (ticket(fresh, tid).get("owner") or {}).get("id") == newcomer)
            await idle(dock)
            assert [r.member_id for r in view.resources if r.is_owner] == [newcomer]
            await wait_for(lambda: rows[-1].owner_id == newcomer)
            await settle(dock)

    run_async(scenario())


def test_without_resource_scheduling_the_dock_says_so(
    fresh: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any]
) -> None:
    tid = open_on_board(fresh, 1, owner=True)
    member = outsider(fresh, tid)
    before = len(entries_for(fresh, tid))

    async def scenario() -> None:
        async with service(fresh, "restricted") as svc:
            dock = make_dock(svc)
            await loaded(dock, tid)
            view = dock.panel.resources
            assert "Resource Scheduling" in view.message
            dock.panel.changes.add_resource(member)  # no member list: as a keyboard user would
            await wait_for(lambda: not dock.panel.changes.busy())
            assert "lacks Service Desk > Resource Scheduling" in view.action_message.text()
            assert "not added" in view.action_message.text()
            assert len(entries_for(fresh, tid)) == before
            assert view.problem is Tone.WARNING
            await settle(dock)

    run_async(scenario())


def test_without_resource_scheduling_the_owner_can_still_be_removed_and_set(
    fresh: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any]
) -> None:
    tid = open_on_board(fresh, 1, owner=True)
    owner = ticket(fresh, tid)["owner"]["id"]
    before = len(entries_for(fresh, tid))

    async def scenario() -> None:
        async with service(fresh, "restricted") as svc:
            dock = make_dock(svc)
            await loaded(dock, tid)
            view = dock.panel.resources
            view.remove_buttons[owner].click()
            await wait_for(lambda: not ticket(fresh, tid).get("owner"))
            await idle(dock)
            assert view.action_message.text() == ""
            assert owner not in {r.member_id for r in view.resources}
            dock.panel.changes.add_resource(owner)  # no member list: as a keyboard user would
            await wait_for(lambda: (ticket(fresh, tid).get("owner") or {}).get("id") == owner)
            await idle(dock)
            assert [r.member_id for r in view.resources if r.is_owner] == [owner]
            # A co-assignee is a schedule entry: that still needs the permission, and says so.
            dock.panel.changes.add_resource(outsider(fresh, tid))
            await wait_for(lambda: not dock.panel.changes.busy())
            text = view.action_message.text()
            assert "Resource Scheduling" in text and "co-assignees need" in text
            assert "not added" in text and len(entries_for(fresh, tid)) == before
            await settle(dock)

    run_async(scenario())
