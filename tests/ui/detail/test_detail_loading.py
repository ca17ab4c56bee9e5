"""Loading the detail: sections, configuration records, permissions, caching, stale results."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from psa.sandbox import Sandbox
from tests.ui.detail.support import (
    MISSING_TICKET,
    configuration_ids,
    consistent,
    loaded,
    notes,
    pick,
    service,
    settle,
    ticket,
    wait_for,
    with_configurations,
)
from ui.detail.detail_dock import DetailDock
from ui.detail.look import Tone

MakeDock = Callable[..., DetailDock]


def test_every_section_loads_and_configuration_records_follow(
    sandbox: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any]
) -> None:
    tid = with_configurations(sandbox)
    wire = ticket(sandbox, tid)

    async def scenario() -> None:
        async with service(sandbox) as svc:
            dock = make_dock(svc)
            first: list[int] = []
            dock.sections_loaded.connect(first.append)
            await loaded(dock, tid)
            panel = dock.panel
            assert first == [tid]
            assert panel.header.summary.text() == wire["summary"]
            assert panel.header.values["Company"].text() == wire["company"]["name"]
            assert wire["contactEmailAddress"] in panel.header.values["Contact"].text()
            assert {n.id for n in panel.notes.notes} == {n["id"] for n in notes(sandbox, tid)}
            items = panel.configurations.items
            assert {i.id for i in items} == configuration_ids(sandbox, tid)
            assert all(i.detailed and i.serial_number for i in items)
            assert panel.tabs.tabText(0) == f"Notes ({len(panel.notes.notes)})"
            assert panel.header.status_combo.isEnabled()
            assert panel.header.status_combo.currentData() == wire["status"]["id"]
            assert dock.web_url().endswith(f"service_recid={tid}&companyName=sandbox")
            await settle(dock)

    run_async(scenario())


def test_restricted_key_shows_permission_messages_while_notes_show(
    sandbox: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any]
) -> None:
    tid = with_configurations(sandbox)

    async def scenario() -> None:
        async with service(sandbox, "restricted") as svc:
            dock = make_dock(svc)
            await loaded(dock, tid)
            panel = dock.panel
            assert panel.notes.problem is None and len(panel.notes.notes) >= 2
            assert panel.resources.problem is Tone.WARNING
            assert "Resource Scheduling" in panel.resources.message
            assert panel.configurations.problem is Tone.WARNING
            assert "Configurations" in panel.configurations.message
            assert not panel.configurations.items
            assert panel.tabs.tabText(3).endswith("⚠")
            assert not panel.tabs.tabText(0).endswith("⚠")
            # No Table Setup: only the statuses seen on tickets of this board are offered, and
            # the header says why the list may be short.
            seen = {s.name for s in panel.header.statuses}
            assert panel.detail is not None and panel.detail.ticket.status_name in seen
            assert panel.header.status_note.text() == "Only statuses seen on tickets"
            assert "Table Setup" in panel.header.status_note.toolTip()
            # No Member Maintenance: the picker says the list is not readable.
            await wait_for(lambda: "not readable"
                           in panel.resources.picker.editor().placeholderText())
            await settle(dock)

    run_async(scenario())


def test_rapid_selection_changes_never_mix_tickets(
    fresh: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any]
) -> None:
    ids = [with_configurations(fresh, skip=n) for n in range(4)]
    fresh.control.configure(latency_ms=120)

    async def scenario() -> None:
        async with service(fresh) as svc:
            await svc.client.api_base()
            dock = make_dock(svc)
            violations: list[set[int | None]] = []

            async def watch() -> None:
                while True:
                    if not consistent(dock):
                        violations.append(dock.panel.shown_ticket_ids())
                    await asyncio.sleep(0)

            watcher = asyncio.ensure_future(watch())
            for round_ in range(3):
                for tid in ids:
                    dock.follow_selection([tid])
                    assert consistent(dock)
                    assert dock.panel.header.number.text().startswith(f"#{tid}")
                    await asyncio.sleep(0.03 * (round_ + 1))
            last = ids[-1]
            dock.follow_selection([ids[0]])
            dock.follow_selection([last])
            await wait_for(lambda: dock.panel.complete)
            watcher.cancel()
            assert not violations
            panel = dock.panel
            assert panel.detail is not None and panel.detail.ticket.id == last
            assert {n.id for n in panel.notes.notes} == {n["id"] for n in notes(fresh, last)}
            assert {i.id for i in panel.configurations.items} == configuration_ids(fresh, last)
            await settle(dock)

    run_async(scenario(), timeout=40)


def test_a_recent_ticket_shows_from_cache_and_refreshes_in_the_background(
    fresh: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any]
) -> None:
    first, second = (with_configurations(fresh, skip=n) for n in range(2))

    async def scenario() -> None:
        async with service(fresh) as svc:
            dock = make_dock(svc)
            await loaded(dock, first)
            await loaded(dock, second)
            fresh.store.add_note(first, {"text": "Added elsewhere", "detailDescriptionFlag": True},
                                 member="jdoe")
            dock.show_ticket(first)
            # Painted from the cache at once: no placeholder, the old notes.
            panel = dock.panel
            assert panel.detail is not None and panel.detail.ticket.id == first
            assert panel.notes.loaded and panel.configurations.items
            assert all(i.detailed for i in panel.configurations.items)
            assert "Added elsewhere" not in panel.notes.browser.toPlainText()
            await wait_for(lambda: "Added elsewhere" in panel.notes.browser.toPlainText())
            await settle(dock)

    run_async(scenario())


def test_a_ticket_that_cannot_be_loaded_says_why(
    sandbox: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any]
) -> None:
    async def scenario() -> None:
        async with service(sandbox) as svc:
            dock = make_dock(svc)
            failures: list[tuple[int, str]] = []
            dock.load_failed.connect(lambda tid, why: failures.append((tid, why)))
            dock.show_ticket(MISSING_TICKET)
            await wait_for(lambda: bool(failures))
            assert failures[0][0] == MISSING_TICKET and "not found" in failures[0][1]
            assert dock.panel.notice.tone is Tone.ERROR
            assert all(v.problem is Tone.ERROR for v in dock.panel.section_views())
            assert not dock.open_action.isEnabled()
            await settle(dock)

    run_async(scenario())


def test_no_access_key_fails_the_ticket_not_the_app(
    sandbox: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any]
) -> None:
    tid = pick(sandbox, lambda t: True)

    async def scenario() -> None:
        async with service(sandbox, "noaccess") as svc:
            dock = make_dock(svc)
            failures: list[str] = []
            dock.load_failed.connect(lambda _tid, why: failures.append(why))
            dock.show_ticket(tid)
            await wait_for(lambda: bool(failures))
            assert "Service Tickets" in failures[0]
            await settle(dock)

    run_async(scenario())
