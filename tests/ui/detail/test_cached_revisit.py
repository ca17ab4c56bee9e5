"""A cached revisit whose refresh fails still offers the statuses, and shows what it would send."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from psa.drafts import DraftStore, NoteDraft
from psa.sandbox import Sandbox
from tests.ui.detail.support import loaded, open_on_board, service, settle, status_id, wait_for
from ui.detail.detail_dock import DetailDock

MakeDock = Callable[..., DetailDock]
HELP_DESK = 1


def test_a_cached_revisit_keeps_the_note_box_statuses_when_the_refresh_fails(
    fresh: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any]
) -> None:
    first, second = open_on_board(fresh, HELP_DESK), open_on_board(fresh, HELP_DESK, skip=1)
    waiting = status_id(fresh, HELP_DESK, "Waiting on Customer")

    async def scenario() -> None:
        async with service(fresh) as svc:
            dock = make_dock(svc)
            await loaded(dock, first)
            editor = dock.panel.editor
            offered = editor.status_combo.count()
            assert offered > 3
            editor.text.setPlainText("Draft with a status change")
            index = editor.status_combo.findData(waiting)
            editor.status_combo.setCurrentIndex(index)
            editor.status_combo.activated.emit(index)
            await loaded(dock, second)
            fresh.control.configure(faults="500=1.0")
            dock.show_ticket(first)  # painted from the cache; the refresh fails
            for _ in range(2):
                assert editor.status_combo.count() == offered
                assert editor.status_combo.isEnabled()
                draft = editor.draft()
                assert draft is not None and draft.status_id == waiting
                assert editor.status_combo.currentData() == waiting
                await wait_for(lambda: "Could not refresh" in dock.panel.notice.text)
            fresh.control.configure(faults="none")
            await asyncio.sleep(0)
            await settle(dock)

    run_async(scenario())


def test_a_drafts_status_the_board_list_lacks_is_shown_not_hidden(
    fresh: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any], tmp_path: Path
) -> None:
    tid = open_on_board(fresh, HELP_DESK)
    waiting = status_id(fresh, HELP_DESK, "Waiting on Customer")
    drafts = tmp_path / "drafts"

    async def scenario() -> None:
        await DraftStore(drafts).save(NoteDraft(ticket_id=tid, text="From yesterday",
                                                status_id=waiting))
        # The restricted key cannot read board statuses: the list offers none.
        async with service(fresh, "restricted") as svc:
            dock = make_dock(svc, drafts)
            await loaded(dock, tid)
            editor = dock.panel.editor
            await wait_for(lambda: editor.text.toPlainText() == "From yesterday")
            draft = editor.draft()
            assert draft is not None and draft.status_id == waiting
            assert editor.status_combo.currentData() == waiting
            assert f"#{waiting}" in editor.status_combo.currentText()
            assert editor.status_combo.isEnabled()  # and "Keep status" can still be chosen
            await settle(dock)

    run_async(scenario())
