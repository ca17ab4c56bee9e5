"""The list controller against the sandbox: stale replies, paging, shifts, cache, recovery."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QTableView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from psa import NewTicket, TicketFilters, Unreachable
from psa.list_cache import ListCache
from psa.sandbox import Sandbox
from psa.service import TicketService
from tests.ui.qt_harness import wait_for
from tests.ui.tickets.conftest import Recording, service_for
from ui.tickets import tickets_controller
from ui.tickets.banner import Banner
from ui.tickets.problems import ProblemKind
from ui.tickets.ticket_table_model import TicketTableModel
from ui.tickets.tickets_controller import TicketsController


def ids(model: TicketTableModel) -> list[int]:
    return [r.id for r in model.rows()]


def controller_for(backend: Recording, page_size: int = 20, **kw: Any) -> TicketsController:
    model = TicketTableModel()
    controller = TicketsController(backend, model, page_size=page_size, debounce_ms=10, **kw)
    _made.append(controller)
    return controller


_made: list[TicketsController] = []


@asynccontextmanager
async def service(sb: Sandbox) -> AsyncIterator[TicketService]:
    """The service, with every controller made meanwhile shut down before it closes."""
    async with service_for(sb) as svc:
        try:
            yield svc
        finally:
            while _made:
                _made.pop().shutdown()
            await asyncio.sleep(0.01)  # let cancelled tasks unwind before the client closes


async def loaded(controller: TicketsController) -> None:
    await wait_for(lambda: not controller.loading and controller.model.rowCount() > 0)


async def server_ids(backend: Recording, filters: TicketFilters, count: int) -> list[int]:
    page = await backend.service.search_tickets(filters, page=1, page_size=count)
    return [r.id for r in page.items]


def test_slow_reply_for_an_old_filter_never_overwrites_the_new(
    sandbox: Sandbox, run_async: Callable[..., Any]
) -> None:
    async def scenario() -> None:
        async with service(sandbox) as svc:
            backend = Recording(svc)
            controller = controller_for(backend)
            old = TicketFilters(query="printer")
            new = TicketFilters(query="password")
            release = backend.hold(lambda f, _p: f == old)
            controller.apply(old)
            await wait_for(lambda: len(backend.searches) == 1)
            controller.apply(new)
            await loaded(controller)
            release.set()  # the old reply may now come back: it must change nothing
            await asyncio.sleep(0.2)
            assert controller.filters == new
            assert controller.model.rowCount() > 0
            assert all("password" in r.summary.lower() for r in controller.model.rows())
            assert controller.generation == 2

    run_async(scenario())


def test_debounced_edits_send_one_search(
    sandbox: Sandbox, run_async: Callable[..., Any]
) -> None:
    async def scenario() -> None:
        async with service(sandbox) as svc:
            backend = Recording(svc)
            controller = controller_for(backend)
            # Keys 10 ms apart and a debounce far longer: a busy machine's stalls between
            # keys stay inside it.
            for text in ("p", "pr", "pri", "prin"):
                controller.request(TicketFilters(query=text), 500)
                await asyncio.sleep(0.01)
            await loaded(controller)
            assert [f.query for f, _ in backend.list_searches()] == ["prin"]

    run_async(scenario())


def test_paging_appends_the_next_server_page(
    sandbox: Sandbox, run_async: Callable[..., Any], qtmodeltester: ModelTester
) -> None:
    async def scenario() -> None:
        async with service(sandbox) as svc:
            backend = Recording(svc)
            controller = controller_for(backend, page_size=25)
            qtmodeltester.check(controller.model)
            controller.apply(TicketFilters())
            await loaded(controller)
            # The model tester itself calls fetchMore after each change; more calls while a
            # page is on its way must not send more requests.
            for _ in range(3):
                controller.model.fetchMore(QModelIndex())
            await wait_for(lambda: controller.model.rowCount() >= 50)
            # The tester may already have asked for page 3 once page 2 landed: what matters is
            # that each page is asked for once, in order, and never ahead of the rows loaded.
            pages = [p for _, p in backend.list_searches()]
            assert pages == list(range(1, len(pages) + 1))
            assert len(pages) <= controller.model.rowCount() // 25 + 1
            assert ids(controller.model)[:50] == await server_ids(backend, TicketFilters(), 50)

    run_async(scenario())


def test_a_new_ticket_shifting_pages_neither_duplicates_nor_hides_rows(
    fresh_sandbox: Sandbox, run_async: Callable[..., Any]
) -> None:
    async def scenario() -> None:
        async with service(fresh_sandbox) as svc:
            backend = Recording(svc)
            controller = controller_for(backend)
            filters = TicketFilters()  # newest first: a new ticket pushes every row down
            controller.apply(filters)
            await loaded(controller)
            first = controller.model.rows()[0]
            assert first.company_id is not None and first.board_id is not None
            await svc.create_ticket(NewTicket(summary="Shifts the pages",
                                              company_id=first.company_id,
                                              board_id=first.board_id))
            controller.model.fetchMore(QModelIndex())
            await wait_for(lambda: controller.model.rowCount() >= 40)
            got = ids(controller.model)
            assert len(got) == len(set(got))
            assert got == await server_ids(backend, filters, len(got))

    run_async(scenario())


def test_a_ticket_closing_above_does_not_make_a_row_vanish(
    fresh_sandbox: Sandbox, run_async: Callable[..., Any]
) -> None:
    async def scenario() -> None:
        async with service(fresh_sandbox) as svc:
            backend = Recording(svc)
            controller = controller_for(backend)
            filters = TicketFilters()
            controller.apply(filters)
            await loaded(controller)
            victim = controller.model.rows()[3]
            assert victim.board_id is not None
            closed = next(s for s in await svc.statuses(victim.board_id) if s.closed)
            await svc.update_status(victim.id, closed.id)
            controller.model.fetchMore(QModelIndex())
            await wait_for(lambda: controller.model.rowCount() >= 39)
            await wait_for(lambda: not controller.model.fetching)
            got = ids(controller.model)
            assert victim.id not in got
            # Row 21 of the old list moved up into page 1: it must be there, exactly once.
            assert got == await server_ids(backend, filters, len(got))

    run_async(scenario())


def test_a_ticket_leaving_above_while_another_joins_below_does_not_hide_a_row(
    fresh_sandbox: Sandbox, run_async: Callable[..., Any]
) -> None:
    # The total stays the same, so it cannot tell that the rows after page 1 moved up by one:
    # the row that crossed into page 1 must still be shown.
    async def scenario() -> None:
        async with service(fresh_sandbox) as svc:
            backend = Recording(svc)
            controller = controller_for(backend)
            filters = TicketFilters()
            controller.apply(filters)
            await loaded(controller)
            rows = controller.model.rows()
            total = controller.model.total
            victim = rows[3]
            old = next(t for t in fresh_sandbox.store.records("tickets")
                       if t["closedFlag"] and t["id"] < rows[-1].id - 30)
            assert victim.board_id is not None
            closed = next(s for s in await svc.statuses(victim.board_id) if s.closed)
            reopened = next(s for s in await svc.statuses(old["board"]["id"])
                            if not s.closed and not s.inactive)
            await svc.update_status(victim.id, closed.id)
            await svc.update_status(old["id"], reopened.id)
            assert (await svc.search_tickets(filters, page=1, page_size=1)).total == total
            n = len(backend.searches)
            controller.model.fetchMore(QModelIndex())
            await wait_for(lambda: controller.model.rowCount() >= 39)
            await wait_for(lambda: not controller.model.fetching)
            got = ids(controller.model)
            assert victim.id not in got
            assert got == await server_ids(backend, filters, len(got))
            # One look at the boundary showed the shift; page 1 was read again to close it.
            assert [p for _, p, size in backend.searches[n:] if size != 1] == [2, 1]

    run_async(scenario())


def test_refresh_updates_rows_in_place_and_marks_them_changed(
    fresh_sandbox: Sandbox, run_async: Callable[..., Any]
) -> None:
    async def scenario() -> None:
        async with service(fresh_sandbox) as svc:
            backend = Recording(svc)
            controller = controller_for(backend)
            controller.apply(TicketFilters())
            await loaded(controller)
            controller.set_visible_rows(0, 15)
            target = controller.model.rows()[5]
            assert target.board_id is not None
            other = next(s for s in await svc.statuses(target.board_id)
                         if not s.closed and s.id != target.status_id)
            await svc.update_status(target.id, other.id)
            controller.refresh()
            await wait_for(lambda: controller.model.rows()[5].status_id == other.id)
            assert controller.model.is_changed(target.id), (target, controller.model.rows()[5])
            assert controller.model.row_of(target.id) == 5

    run_async(scenario())


def test_cached_rows_show_at_once_then_fresh_rows_replace_them(
    sandbox: Sandbox, run_async: Callable[..., Any], tmp_path: Path
) -> None:
    async def scenario() -> None:
        cache = ListCache(tmp_path / "lists.sqlite3")
        async with service(sandbox) as svc:
            first = controller_for(Recording(svc), cache=cache)
            first.apply(TicketFilters())
            await loaded(first)
            await wait_for(lambda: cache.load("dispatch-desk://tickets") is not None)
            expected = ids(first.model)

            backend = Recording(svc)
            release = backend.hold(lambda _f, _p: True)
            second = controller_for(backend, cache=cache)
            shown: list[float] = []
            second.cached_shown.connect(shown.append)
            second.apply(TicketFilters())
            await wait_for(lambda: second.model.rowCount() > 0)
            assert second.showing_cached and shown
            assert ids(second.model) == expected
            assert not second.model.canFetchMore(QModelIndex())  # cached rows do not page
            release.set()
            await wait_for(lambda: not second.showing_cached and not second.loading)
            assert ids(second.model) == expected

    run_async(scenario())


def test_connection_loss_reports_then_recovers_by_itself(
    sandbox: Sandbox, run_async: Callable[..., Any], monkeypatch: Any
) -> None:
    monkeypatch.setattr(tickets_controller, "RETRY_DELAYS", (0.05,))

    async def scenario() -> None:
        async with service(sandbox) as svc:
            backend = Recording(svc)
            backend.fail_with = Unreachable("connection refused")
            controller = controller_for(backend)
            problems: list[Any] = []
            cleared: list[bool] = []
            controller.problem.connect(problems.append)
            controller.problem_cleared.connect(lambda: cleared.append(True))
            controller.apply(TicketFilters())
            await wait_for(lambda: bool(problems))
            assert problems[0].kind is ProblemKind.CONNECTION
            await asyncio.sleep(0.2)
            assert not cleared  # still down: retrying, not recovered
            backend.fail_with = None
            await wait_for(lambda: bool(cleared))
            await loaded(controller)
            assert controller.current_problem is None

    run_async(scenario())


def test_a_filter_change_that_fails_never_leaves_the_old_filters_rows_on_show(
    sandbox: Sandbox, run_async: Callable[..., Any], monkeypatch: Any
) -> None:
    monkeypatch.setattr(tickets_controller, "RETRY_DELAYS", (30.0,))

    async def scenario() -> None:
        async with service(sandbox) as svc:
            backend = Recording(svc)
            controller = controller_for(backend)
            controller.apply(TicketFilters())
            await loaded(controller)
            problems: list[Any] = []
            controller.problem.connect(problems.append)
            backend.fail_with = Unreachable("connection refused")
            controller.apply(TicketFilters(query="printer"))
            await wait_for(lambda: bool(problems))
            # Rows of "all open" under a "printer" search would be a lie: none are shown.
            assert controller.model.rowCount() == 0 and controller.model.total == 0
            # A refresh of the same filters that fails keeps its own rows.
            backend.fail_with = None
            controller.apply(TicketFilters(query="printer"))
            await loaded(controller)
            shown = controller.model.rowCount()
            backend.fail_with = Unreachable("connection refused")
            controller.refresh()
            await asyncio.sleep(0.3)
            assert controller.model.rowCount() == shown

    run_async(scenario())


def test_connection_loss_while_paging_clears_once_the_next_page_arrives(
    sandbox: Sandbox, run_async: Callable[..., Any], monkeypatch: Any, qtbot: QtBot
) -> None:
    monkeypatch.setattr(tickets_controller, "RETRY_DELAYS", (0.05,))

    async def scenario() -> None:
        async with service(sandbox) as svc:
            backend = Recording(svc)
            controller = controller_for(backend, page_size=25)
            banner = Banner()  # wired as the tickets page wires it
            qtbot.addWidget(banner)
            controller.problem.connect(banner.show_problem)
            controller.problem_cleared.connect(banner.clear)
            controller.apply(TicketFilters())
            await loaded(controller)
            backend.fail_with = Unreachable("connection reset by peer")
            controller.model.fetchMore(QModelIndex())  # scrolled to the end: page 2
            await wait_for(lambda: banner.problem is not None)
            assert banner.problem is not None
            assert banner.problem.kind is ProblemKind.CONNECTION
            await asyncio.sleep(0.2)
            assert controller.model.rowCount() == 25  # still down: retrying
            backend.fail_with = None
            await wait_for(lambda: controller.model.rowCount() >= 50)  # recovered by itself
            await wait_for(lambda: banner.problem is None and banner.isHidden())
            assert controller.current_problem is None
            searches = len(backend.searches)
            await asyncio.sleep(0.3)
            assert len(backend.searches) == searches  # and the retries stopped

    run_async(scenario())


def test_auto_refresh_reloads_the_visible_rows_and_keeps_the_selection(
    fresh_sandbox: Sandbox, run_async: Callable[..., Any], qtbot: QtBot
) -> None:
    async def scenario() -> None:
        async with service(fresh_sandbox) as svc:
            backend = Recording(svc)
            controller = controller_for(backend)
            view = QTableView()
            qtbot.addWidget(view)
            view.setModel(controller.model)
            controller.apply(TicketFilters())  # newest first: a new ticket pushes rows down
            await loaded(controller)
            controller.set_visible_rows(0, 15)
            view.selectRow(4)
            selected = controller.model.rows()[4]
            target = controller.model.rows()[8]
            assert target.board_id is not None and selected.company_id is not None
            other = next(s for s in await svc.statuses(target.board_id)
                         if not s.closed and s.id != target.status_id)
            await svc.update_status(target.id, other.id)
            await svc.create_ticket(NewTicket(summary="Arrives while the list is open",
                                              company_id=selected.company_id,
                                              board_id=target.board_id))
            controller.set_auto_refresh(0.1)  # nobody presses F5
            await wait_for(lambda: any(r.id == target.id and r.status_id == other.id
                                       for r in controller.model.rows()))
            controller.set_auto_refresh(0)
            assert controller.model.rows()[0].summary == "Arrives while the list is open"
            current = controller.model.row_at(view.currentIndex().row())
            assert current is not None and current.id == selected.id
            assert [controller.model.row_at(i.row()).id  # type: ignore[union-attr]
                    for i in view.selectionModel().selectedRows()] == [selected.id]

    run_async(scenario())


def test_visible_rows_get_current_sla_figures(
    sandbox: Sandbox, run_async: Callable[..., Any]
) -> None:
    async def scenario() -> None:
        async with service(sandbox) as svc:
            calls: list[list[int]] = []
            backend = Recording(svc)

            async def sla_now(ticket_ids: Any) -> Any:
                calls.append(list(ticket_ids))
                return await svc.sla_now(ticket_ids)

            backend.sla_now = sla_now  # type: ignore[method-assign]
            controller = controller_for(backend)
            controller.apply(TicketFilters())
            await loaded(controller)
            controller.set_visible_rows(0, 9)
            await wait_for(lambda: bool(calls) and len(calls[-1]) == 10)
            visible = [r.id for r in controller.model.rows()[:10]]
            assert calls[-1] == visible
            await wait_for(lambda: controller.model.sla_cell(controller.model.rows()[0]).text != "")

    run_async(scenario())
