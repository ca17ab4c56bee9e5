"""The header's status change: optimistic, confirmed, rolled back with the server's reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from psa.models import TicketRow
from psa.sandbox import Sandbox
from tests.ui.detail.support import (
    loaded,
    open_on_board,
    service,
    settle,
    status_id,
    ticket,
    touch,
    wait_for,
)
from ui.detail.detail_dock import DetailDock
from ui.detail.look import Tone

MakeDock = Callable[..., DetailDock]
HELP_DESK, PROJECTS = 1, 7


def recorder(dock: DetailDock) -> tuple[list[TicketRow], list[tuple[TicketRow, str]]]:
    rows: list[TicketRow] = []
    reverted: list[tuple[TicketRow, str]] = []
    dock.ticket_updated.connect(rows.append)
    dock.ticket_reverted.connect(lambda row, why: reverted.append((row, why)))
    return rows, reverted


def pick_in_combo(dock: DetailDock, status: int) -> None:
    """What a user's pick in the dropdown does."""
    combo = dock.panel.header.status_combo
    index = combo.findData(status)
    assert index >= 0, "the status is not offered"
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def test_status_change_shows_at_once_and_is_confirmed(
    fresh: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any]
) -> None:
    tid = open_on_board(fresh, HELP_DESK)
    old = ticket(fresh, tid)["status"]["id"]
    target = next(status_id(fresh, HELP_DESK, n) for n in ("Waiting on Vendor", "Scheduled")
                  if status_id(fresh, HELP_DESK, n) != old)

    async def scenario() -> None:
        async with service(fresh) as svc:
            dock = make_dock(svc)
            await loaded(dock, tid)
            rows, reverted = recorder(dock)
            fresh.control.configure(latency_ms=150)
            pick_in_combo(dock, target)
            # Before the server answers: the dock and the list row both show the new status.
            assert rows[-1].id == tid and rows[-1].status_id == target
            assert type(rows[-1]) is TicketRow
            assert dock.panel.detail is not None and dock.panel.detail.ticket.status_id == target
            assert dock.panel.header.status_note.text() == "Saving…"
            assert not dock.panel.header.status_combo.isEnabled()
            assert ticket(fresh, tid)["status"]["id"] == old
            await wait_for(lambda: not dock.panel.changes.busy())
            assert ticket(fresh, tid)["status"]["id"] == target
            assert rows[-1].status_id == target and not reverted
            assert dock.panel.header.status_combo.currentData() == target
            assert dock.panel.header.status_combo.isEnabled()
            fresh.control.configure(latency_ms=0)
            await settle(dock)

    run_async(scenario())


def test_a_failed_change_rolls_back_with_the_reason(
    fresh: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any]
) -> None:
    tid = open_on_board(fresh, HELP_DESK)
    old = ticket(fresh, tid)["status"]["id"]
    target = next(status_id(fresh, HELP_DESK, n) for n in ("Waiting on Vendor", "Scheduled")
                  if status_id(fresh, HELP_DESK, n) != old)

    async def scenario() -> None:
        async with service(fresh) as svc:
            dock = make_dock(svc)
            await loaded(dock, tid)
            rows, reverted = recorder(dock)
            fresh.control.configure(faults="500=1.0")
            pick_in_combo(dock, target)
            await wait_for(lambda: bool(reverted))
            fresh.control.configure(faults="none")
            row, reason = reverted[0]
            assert row.status_id == old and rows[-1].status_id == old
            assert reason.startswith("The status was not changed:")
            assert dock.panel.notice.tone is Tone.ERROR and dock.panel.notice.text == reason
            assert dock.panel.header.status_combo.currentData() == old
            assert ticket(fresh, tid)["status"]["id"] == old
            await settle(dock)

    run_async(scenario())


def test_a_status_of_another_board_is_rolled_back_not_silently_kept(
    fresh: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any]
) -> None:
    tid = open_on_board(fresh, HELP_DESK)
    old = ticket(fresh, tid)["status"]["id"]
    foreign = status_id(fresh, PROJECTS, "Dispatched")

    async def scenario() -> None:
        async with service(fresh) as svc:
            dock = make_dock(svc)
            await loaded(dock, tid)
            rows, reverted = recorder(dock)
            dock.panel.changes.change_status(foreign)
            assert rows[-1].status_id == foreign  # optimistic, like any pick
            await wait_for(lambda: bool(reverted))
            row, reason = reverted[0]
            assert row.status_id == old and rows[-1].status_id == old
            assert "not valid on board" in reason
            assert dock.panel.notice.text == reason
            assert dock.panel.detail is not None and dock.panel.detail.ticket.status_id == old
            assert ticket(fresh, tid)["status"]["id"] == old
            await settle(dock)

    run_async(scenario())


def test_a_ticket_changed_on_the_server_is_shown_not_overwritten(
    fresh: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any]
) -> None:
    tid = open_on_board(fresh, HELP_DESK)
    old = ticket(fresh, tid)["status"]["id"]
    target = next(status_id(fresh, HELP_DESK, n) for n in ("Waiting on Vendor", "Scheduled")
                  if status_id(fresh, HELP_DESK, n) != old)

    async def scenario() -> None:
        async with service(fresh) as svc:
            dock = make_dock(svc)
            await loaded(dock, tid)
            rows, reverted = recorder(dock)
            touch(fresh, tid, "Changed by someone else")
            pick_in_combo(dock, target)
            await wait_for(lambda: bool(reverted))
            assert "changed on the server since it was loaded" in reverted[0][1]
            assert ticket(fresh, tid)["status"]["id"] == old
            # The newer state is shown (reloaded), and the list row gets it too.
            await wait_for(lambda: dock.panel.header.summary.text() == "Changed by someone else")
            assert rows[-1].summary == "Changed by someone else" and rows[-1].status_id == old
            assert dock.panel.notice.tone is Tone.WARNING
            await settle(dock)

    run_async(scenario())
