"""Adding notes (with a status change, Ctrl+Enter) and drafts that survive everything."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from psa.drafts import DraftStore
from psa.sandbox import Sandbox
from tests.ui.detail.support import (
    loaded,
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


def type_note(dock: DetailDock, text: str, kind: str = "discussion") -> None:
    editor = dock.panel.editor
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findData(kind))
    editor.kind_combo.activated.emit(editor.kind_combo.currentIndex())
    editor.text.setFocus()
    editor.text.setPlainText(text)


def choose_status(dock: DetailDock, status: int) -> None:
    combo = dock.panel.editor.status_combo
    index = combo.findData(status)
    assert index > 0, "the status is not offered"
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def test_ctrl_enter_adds_the_note_and_changes_the_status(
    fresh: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any], tmp_path: Path
) -> None:
    tid = open_on_board(fresh, HELP_DESK)
    target = status_id(fresh, HELP_DESK, "Waiting on Customer")
    before = len(notes(fresh, tid))

    async def scenario() -> None:
        async with service(fresh) as svc:
            dock = make_dock(svc)
            rows: list[Any] = []
            dock.ticket_updated.connect(rows.append)
            await loaded(dock, tid)
            type_note(dock, "Asked the customer to reboot.", "internal")
            choose_status(dock, target)
            QTest.keyClick(dock.panel.editor.text, Qt.Key.Key_Return,
                           Qt.KeyboardModifier.ControlModifier)
            await wait_for(lambda: len(notes(fresh, tid)) == before + 1)
            await wait_for(lambda: not dock.panel.changes.busy())
            text = "Asked the customer to reboot."
            added = [n for n in notes(fresh, tid) if n.get("text") == text]
            assert len(added) == 1 and added[0]["internalAnalysisFlag"] is True
            assert ticket(fresh, tid)["status"]["id"] == target
            panel = dock.panel
            assert panel.notes.notes[0].text == "Asked the customer to reboot."
            assert panel.detail is not None and panel.detail.ticket.status_id == target
            assert any(r.id == tid and r.status_id == target for r in rows)
            assert panel.editor.text.toPlainText() == ""
            await settle(dock)
            assert not (tmp_path / "drafts" / f"note-{tid}.json").exists()

    run_async(scenario())


def test_a_draft_survives_switching_tickets_and_a_new_window(
    fresh: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any], tmp_path: Path
) -> None:
    first, second = open_on_board(fresh, HELP_DESK), open_on_board(fresh, HELP_DESK, skip=1)
    waiting = status_id(fresh, HELP_DESK, "Waiting on Customer")
    drafts = tmp_path / "profile-drafts"

    async def scenario() -> None:
        async with service(fresh) as svc:
            dock = make_dock(svc, drafts)
            await loaded(dock, first)
            type_note(dock, "Half-written note for the first ticket", "resolution")
            choose_status(dock, waiting)
            await loaded(dock, second)
            assert dock.panel.editor.text.toPlainText() == ""
            type_note(dock, "Second ticket's draft")
            await loaded(dock, first)
            assert dock.panel.editor.text.toPlainText() == \
                "Half-written note for the first ticket"
            await settle(dock)
            dock.close()
            dock.deleteLater()
            # "Restart": a new dock over a new store reading the same directory.
            again = make_dock(svc, drafts)
            await loaded(again, first)
            editor = again.panel.editor
            await wait_for(lambda: editor.text.toPlainText() ==
                           "Half-written note for the first ticket")
            assert editor.kind_combo.currentData() == "resolution"
            assert editor.status_combo.currentData() == waiting
            await loaded(again, second)
            await wait_for(lambda: editor.text.toPlainText() == "Second ticket's draft")
            await settle(again)
        assert sorted(await DraftStore(drafts).ticket_ids()) == sorted([first, second])

    run_async(scenario())


def test_a_failed_send_keeps_the_draft(
    fresh: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any], tmp_path: Path
) -> None:
    tid = open_on_board(fresh, HELP_DESK)
    before = len(notes(fresh, tid))

    async def scenario() -> None:
        async with service(fresh) as svc:
            dock = make_dock(svc)
            await loaded(dock, tid)
            type_note(dock, "This one will not go through")
            fresh.control.configure(faults="500=1.0")
            dock.panel.editor.request_send()
            editor = dock.panel.editor
            await wait_for(lambda: "not added" in editor.message.text())
            fresh.control.configure(faults="none")
            assert "kept as a draft" in editor.message.text()
            assert editor.text.toPlainText() == "This one will not go through"
            assert not editor.text.isReadOnly()
            await settle(dock)
            stored = await DraftStore(tmp_path / "drafts").load(tid)
            assert stored is not None and stored.text == "This one will not go through"
            assert len(notes(fresh, tid)) == before
            # Sending again works and only then is the draft dropped.
            editor.request_send()
            await wait_for(lambda: len(notes(fresh, tid)) == before + 1)
            await wait_for(lambda: editor.text.toPlainText() == "")
            await settle(dock)
            assert await DraftStore(tmp_path / "drafts").load(tid) is None

    run_async(scenario())


def test_discard_throws_the_draft_away(
    fresh: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any], tmp_path: Path
) -> None:
    tid = open_on_board(fresh, HELP_DESK)

    async def scenario() -> None:
        async with service(fresh) as svc:
            dock = make_dock(svc)
            await loaded(dock, tid)
            type_note(dock, "Never mind")
            dock.panel.editor.save_now()
            await settle(dock)
            assert (tmp_path / "drafts" / f"note-{tid}.json").exists()
            dock.panel.editor.discard_button.click()
            await settle(dock)
            assert dock.panel.editor.text.toPlainText() == ""
            assert not (tmp_path / "drafts" / f"note-{tid}.json").exists()

    run_async(scenario())
