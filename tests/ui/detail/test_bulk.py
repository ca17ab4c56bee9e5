"""The bulk panel: status by name across boards, assignment, one note each; failures listed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from psa.bulk import Step
from psa.models import TicketRow
from psa.sandbox import Sandbox
from tests.ui.detail.support import (
    MISSING_TICKET,
    CountingService,
    entries_for,
    member_id,
    notes,
    open_on_board,
    service,
    settle,
    status_id,
    ticket,
    wait_for,
)
from ui.detail.detail_dock import DetailDock

MakeDock = Callable[..., DetailDock]
HELP_DESK, PROJECTS, ALERTS = 1, 7, 12


async def run_job(dock: DetailDock, start: Callable[[], None]) -> None:
    finished: list[bool] = []
    dock.bulk.job_finished.connect(lambda: finished.append(True))
    start()
    await wait_for(lambda: bool(finished))


def test_status_by_name_lists_the_failures_and_applies_the_rest_once(
    fresh: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any]
) -> None:
    desk_a, desk_b = open_on_board(fresh, HELP_DESK), open_on_board(fresh, HELP_DESK, skip=1)
    project = open_on_board(fresh, PROJECTS)
    ids = [desk_a, desk_b, project, MISSING_TICKET]

    async def scenario() -> None:
        async with service(fresh) as inner:
            svc = CountingService(inner)
            dock = make_dock(svc)
            rows: list[TicketRow] = []
            dock.ticket_updated.connect(rows.append)
            dock.follow_selection(ids)
            bulk = dock.bulk
            await wait_for(lambda: bulk.ready)
            names = [bulk.status_combo.itemText(n) for n in range(bulk.status_combo.count())]
            assert {"New", "In Progress", "Waiting on Customer", "Scheduled"} <= set(names)
            assert not {"Dispatched", "Assigned", "Waiting on Vendor"} & set(names)
            # Meanwhile someone moves a ticket to a board without "Waiting on Customer".
            fresh.store.patch_ticket(desk_b, [
                {"op": "replace", "path": "board", "value": {"id": ALERTS}},
                {"op": "replace", "path": "status",
                 "value": {"id": status_id(fresh, ALERTS, "Alert Received")}},
            ], member="jdoe")
            bulk.status_combo.setCurrentText("Waiting on Customer")
            await run_job(dock, bulk.status_button.click)
            job = bulk.job
            assert job is not None
            steps = {tid: job.outcomes[tid].step for tid in ids}
            assert steps == {desk_a: Step.DONE, desk_b: Step.FAILED, project: Step.DONE,
                             MISSING_TICKET: Step.FAILED}
            assert ticket(fresh, desk_a)["status"]["id"] == \
                status_id(fresh, HELP_DESK, "Waiting on Customer")
            assert ticket(fresh, project)["status"]["id"] == \
                status_id(fresh, PROJECTS, "Waiting on Customer")
            assert ticket(fresh, desk_b)["board"]["id"] == ALERTS
            summary = bulk.summary.text()
            assert f"#{desk_b}: " in summary and "not valid on board" in summary
            assert f"#{MISSING_TICKET}: " in summary and "not found" in summary
            assert "2 done, 2 failed" in summary
            assert bulk.retry_button.isVisible()
            latest = {r.id: r for r in rows}
            assert latest[desk_a].status_name == "Waiting on Customer"
            assert latest[project].status_name == "Waiting on Customer"
            # Retrying works on the failures only, on the boards the server reported.
            await run_job(dock, bulk.retry_button.click)
            assert svc.calls["update_status", desk_a] == 1
            assert svc.calls["update_status", project] == 1
            assert svc.calls["update_status", desk_b] == 1
            assert svc.calls["update_status", MISSING_TICKET] == 0
            assert "Board Alerts has no status Waiting on Customer" in \
                job.outcomes[desk_b].message
            # Once the ticket is back on a board that has the status, a retry applies it.
            fresh.store.patch_ticket(desk_b, [
                {"op": "replace", "path": "board", "value": {"id": HELP_DESK}},
                {"op": "replace", "path": "status",
                 "value": {"id": status_id(fresh, HELP_DESK, "New")}},
            ], member="jdoe")
            await run_job(dock, bulk.retry_button.click)
            assert job.outcomes[desk_b].step is Step.DONE
            assert svc.calls["update_status", desk_b] == 2
            assert svc.calls["update_status", desk_a] == 1
            await settle(dock)

    run_async(scenario())


def test_assign_and_one_note_each(
    fresh: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any]
) -> None:
    ids = [open_on_board(fresh, HELP_DESK, owner=True, skip=n) for n in range(3)]
    member = member_id(fresh, "bchen")
    counts = {tid: len(notes(fresh, tid)) for tid in ids}

    async def scenario() -> None:
        async with service(fresh) as inner:
            svc = CountingService(inner)
            dock = make_dock(svc)
            dock.follow_selection(ids)
            bulk = dock.bulk
            await wait_for(lambda: bulk.ready and bulk.member_picker.count() > 0)
            bulk.member_picker.choose(member)
            await run_job(dock, bulk.assign_button.click)
            for tid in ids:
                owner = (ticket(fresh, tid).get("owner") or {}).get("id")
                assert owner == member or member in {
                    e["member"]["id"] for e in entries_for(fresh, tid)}
            bulk.note_text.setPlainText("Maintenance tonight at 22:00.")
            await run_job(dock, bulk.note_button.click)
            assert bulk.note_text.toPlainText() == ""
            bulk.note_button.click()  # a second click has nothing to send
            assert "Type the note first" in bulk.summary.text()
            for tid in ids:
                assert len(notes(fresh, tid)) == counts[tid] + 1
                assert svc.calls["add_note", tid] == 1
            await run_job(dock, bulk.unassign_button.click)
            for tid in ids:
                owner = (ticket(fresh, tid).get("owner") or {}).get("id")
                assert owner != member
                assert member not in {e["member"]["id"] for e in entries_for(fresh, tid)}
            await settle(dock)

    run_async(scenario())


def test_selection_changes_wait_for_a_running_job(
    fresh: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any]
) -> None:
    ids = [open_on_board(fresh, HELP_DESK, skip=n) for n in range(2)]
    other = open_on_board(fresh, HELP_DESK, skip=2)

    async def scenario() -> None:
        async with service(fresh) as svc:
            dock = make_dock(svc)
            dock.follow_selection(ids)
            await wait_for(lambda: dock.bulk.ready)
            fresh.control.configure(latency_ms=100)
            dock.bulk.status_combo.setCurrentText("In Progress")
            dock.bulk.status_button.click()
            assert dock.bulk.running and not dock.bulk.status_button.isEnabled()
            dock.follow_selection([other])
            assert dock.showing_bulk
            await wait_for(lambda: not dock.bulk.running)
            fresh.control.configure(latency_ms=0)
            dock.follow_selection([other])
            assert dock.ticket_id == other
            await wait_for(lambda: dock.panel.complete)
            await settle(dock)

    run_async(scenario())
