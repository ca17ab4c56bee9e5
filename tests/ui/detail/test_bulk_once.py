"""Bulk actions apply nothing twice: not on a second click, a retry, or a stored failed write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from psa.bulk import Step
from psa.sandbox import Sandbox
from tests.ui.detail.support import (
    MISSING_TICKET,
    CountingService,
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
HELP_DESK = 1
NOTE = "Same note for everyone"


async def run_job(dock: DetailDock, start: Callable[[], None]) -> None:
    finished: list[bool] = []
    dock.bulk.job_finished.connect(lambda: finished.append(True))
    start()
    await wait_for(lambda: bool(finished))


def copies(sb: Sandbox, ticket_id: int) -> int:
    return sum(1 for n in notes(sb, ticket_id) if n.get("text") == NOTE)


def test_add_note_again_after_a_partial_failure_skips_the_tickets_that_got_it(
    fresh: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any]
) -> None:
    good = [open_on_board(fresh, HELP_DESK, skip=n) for n in range(2)]
    ids = [*good, MISSING_TICKET]

    async def scenario() -> None:
        async with service(fresh) as inner:
            svc = CountingService(inner)
            dock = make_dock(svc)
            dock.follow_selection(ids)
            bulk = dock.bulk
            await wait_for(lambda: bulk.ready)
            bulk.note_text.setPlainText(NOTE)
            await run_job(dock, bulk.note_button.click)
            assert "2 done, 1 failed" in bulk.summary.text()
            assert bulk.note_text.toPlainText() == NOTE  # kept for the failed one
            # The user clicks "Add note to 3 tickets" again rather than "Retry failed".
            await run_job(dock, bulk.note_button.click)
            job = bulk.job
            assert job is not None
            assert {t: job.outcomes[t].step for t in good} == dict.fromkeys(good, Step.UNCHANGED)
            assert "2 unchanged" in bulk.summary.text()
            for tid in good:
                assert copies(fresh, tid) == 1
                assert svc.calls["add_note", tid] == 1
            await settle(dock)

    run_async(scenario())


def test_a_note_stored_in_spite_of_a_server_error_is_not_posted_again(
    fresh: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any]
) -> None:
    ids = [open_on_board(fresh, HELP_DESK, skip=n) for n in range(2)]

    async def scenario() -> None:
        async with service(fresh) as inner:
            svc = CountingService(inner)
            dock = make_dock(svc)
            dock.follow_selection(ids)
            bulk = dock.bulk
            await wait_for(lambda: bulk.ready)
            bulk.note_text.setPlainText(NOTE)
            # The sandbox stores each note, then answers 500: the client cannot know.
            fresh.control.configure(faults="500=1.0")
            await run_job(dock, bulk.note_button.click)
            fresh.control.configure(faults="none")
            assert "0 done, 2 failed" in bulk.summary.text()
            assert all(copies(fresh, tid) == 1 for tid in ids)
            await run_job(dock, bulk.retry_button.click)
            job = bulk.job
            assert job is not None and not job.failed
            assert bulk.note_text.toPlainText() == ""  # on every ticket now
            bulk.note_text.setPlainText(NOTE)  # typed again for the same selection
            await run_job(dock, bulk.note_button.click)
            assert "2 unchanged" in bulk.summary.text()
            for tid in ids:
                assert copies(fresh, tid) == 1
                assert svc.calls["add_note", tid] == 1
            await settle(dock)

    run_async(scenario())


def test_tickets_already_in_the_status_are_unchanged_not_patched(
    fresh: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any]
) -> None:
    ids = [open_on_board(fresh, HELP_DESK, skip=n) for n in range(3)]
    in_progress = status_id(fresh, HELP_DESK, "In Progress")
    fresh.store.patch_ticket(ids[0], [{"op": "replace", "path": "status",
                                       "value": {"id": in_progress}}], member="jdoe")

    async def scenario() -> None:
        async with service(fresh) as inner:
            svc = CountingService(inner)
            dock = make_dock(svc)
            dock.follow_selection(ids)
            bulk = dock.bulk
            await wait_for(lambda: bulk.ready)
            bulk.status_combo.setCurrentText("In Progress")
            await run_job(dock, bulk.status_button.click)
            job = bulk.job
            assert job is not None
            assert [job.outcomes[t].step for t in ids] == [Step.UNCHANGED, Step.DONE, Step.DONE]
            assert svc.calls["update_status", ids[0]] == 0
            await run_job(dock, bulk.status_button.click)  # applied again: nothing to do
            assert all(svc.calls["update_status", t] == (0 if t == ids[0] else 1) for t in ids)
            assert all(ticket(fresh, t)["status"]["id"] == in_progress for t in ids)
            await settle(dock)

    run_async(scenario())
