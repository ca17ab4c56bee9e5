"""Related tickets open in the dock, with back/forward history; pinning; dock actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QGuiApplication

from psa.sandbox import Sandbox
from tests.ui.detail.support import (
    child_and_parent,
    loaded,
    open_on_board,
    pick,
    service,
    settle,
    ticket,
    wait_for,
)
from ui.detail.detail_dock import DetailDock

MakeDock = Callable[..., DetailDock]


def click_related(dock: DetailDock, ticket_id: int) -> None:
    tree = dock.panel.related.tree
    for n in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(n)
        if item is not None and f"#{ticket_id} " in item.text(0):
            tree.itemClicked.emit(item, 0)
            return
    raise AssertionError(f"#{ticket_id} is not listed as related")


def test_related_tickets_open_in_the_dock_with_back_and_forward(
    sandbox: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any]
) -> None:
    child, parent = child_and_parent(sandbox)

    async def scenario() -> None:
        async with service(sandbox) as svc:
            dock = make_dock(svc)
            opened: list[int] = []
            dock.open_ticket_requested.connect(opened.append)
            await loaded(dock, child)
            assert dock.panel.related.ticket_ids() == [parent]
            assert not dock.back_action.isEnabled()
            click_related(dock, parent)
            await wait_for(lambda: dock.panel.complete)
            assert opened == [parent] and dock.ticket_id == parent
            assert child in dock.panel.related.ticket_ids()
            assert dock.back_action.isEnabled() and not dock.forward_action.isEnabled()
            dock.back_action.trigger()  # Alt+Left
            assert dock.ticket_id == child
            assert dock.panel.detail is not None and dock.panel.detail.ticket.id == child
            assert dock.forward_action.isEnabled()
            dock.forward_action.trigger()  # Alt+Right
            assert dock.ticket_id == parent
            assert dock.history.items() == [child, parent]
            assert dock.back_action.shortcut().toString() == "Alt+Left"
            assert dock.forward_action.shortcut().toString() == "Alt+Right"
            await settle(dock)

    run_async(scenario())


def test_a_merged_ticket_lists_and_opens_the_ticket_it_was_merged_into(
    sandbox: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any]
) -> None:
    merged = pick(sandbox, lambda t: bool(t.get("mergedParentTicket")))
    into = ticket(sandbox, merged)["mergedParentTicket"]["id"]

    async def scenario() -> None:
        async with service(sandbox) as svc:
            dock = make_dock(svc)
            await loaded(dock, merged)
            related = dock.panel.related
            assert related.ticket_ids()[0] == into
            texts = [related.tree.topLevelItem(n).text(0)  # type: ignore[union-attr]
                     for n in range(related.tree.topLevelItemCount())]
            assert f"Merged into #{into}" in texts
            assert dock.panel.tabs.tabText(2).startswith(f"Related ({related.count()})")
            assert (related.count() or 0) >= 1
            click_related(dock, into)
            await wait_for(lambda: dock.panel.complete and dock.ticket_id == into)
            assert merged in dock.panel.related.ticket_ids()
            await settle(dock)

    run_async(scenario())


def test_a_pinned_dock_ignores_the_selection_and_several_rows_show_the_bulk_panel(
    sandbox: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any]
) -> None:
    first, second = open_on_board(sandbox, 1), open_on_board(sandbox, 1, skip=1)

    async def scenario() -> None:
        async with service(sandbox) as svc:
            dock = make_dock(svc)
            dock.follow_selection([first])
            await wait_for(lambda: dock.panel.complete)
            dock.set_pinned(True)
            dock.follow_selection([second])
            dock.follow_selection([first, second])
            assert dock.ticket_id == first and not dock.showing_bulk
            dock.show_ticket(second)  # activation (Enter) still opens a ticket
            assert dock.ticket_id == second
            dock.set_pinned(False)
            # Closed, the dock loads nothing; shown again, it catches up with the selection.
            dock.close()
            dock.follow_selection([first])
            assert dock.ticket_id == second
            dock.show()
            assert dock.ticket_id == first
            dock.follow_selection([first, second])
            assert dock.showing_bulk and dock.ticket_id is None
            assert dock.windowTitle() == "2 tickets selected"
            await wait_for(lambda: dock.bulk.ready)
            await settle(dock)

    run_async(scenario())


def test_open_in_connectwise_and_copy(
    sandbox: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any],
    opened_urls: list[str]
) -> None:
    tid = open_on_board(sandbox, 1)

    async def scenario() -> None:
        async with service(sandbox) as svc:
            dock = make_dock(svc)
            await loaded(dock, tid)
            dock.open_action.trigger()
            expected = (f"{sandbox.url}/v4_6_release/services/system_io/Service/"
                        f"fv_sr100_request.rails?service_recid={tid}&companyName=sandbox")
            assert opened_urls == [expected]
            dock.copy_number_action.trigger()
            assert QGuiApplication.clipboard().text() == str(tid)
            dock.copy_link_action.trigger()
            assert QGuiApplication.clipboard().text() == expected
            await settle(dock)

    run_async(scenario())
