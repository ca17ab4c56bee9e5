"""New Ticket dialog test setup: sandboxes, a dialog factory, the PySide6 refcount guard."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from psa.form_drafts import FormDraftStore
from psa.intake.service import IntakeService
from psa.sandbox import Sandbox
from tests.psa.intake.conftest import FakeClaude
from tests.ui.new_ticket.support import config
from ui.new_ticket.new_ticket_dialog import NewTicketDialog
from ui.pyside_refcount_fix import keep_singletons_alive

keep_singletons_alive()

MakeDialog = Callable[..., NewTicketDialog]


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    """A sandbox shared by a module's tests that create nothing it checks for."""
    with Sandbox(config()) as sb:
        yield sb


@pytest.fixture
def fresh() -> Iterator[Sandbox]:
    """A sandbox of its own, for a test that counts tickets or sets faults."""
    with Sandbox(config()) as sb:
        yield sb


@pytest.fixture
def fake() -> FakeClaude:
    return FakeClaude()


@pytest.fixture
def drafts_dir(tmp_path: Path) -> Path:
    return tmp_path / "drafts"


@pytest.fixture
def make_dialog(qtbot: QtBot, drafts_dir: Path) -> MakeDialog:
    """``make_dialog(service, intake=None, *, spin_off=None, drafts=None, **kw)``: shown."""

    def make(service: Any, intake: IntakeService | None = None, *,
             spin_off: int | None = None, drafts: FormDraftStore | None = None,
             **kwargs: Any) -> NewTicketDialog:
        store = drafts or FormDraftStore(drafts_dir)
        engine = intake or IntakeService()
        if spin_off is not None:
            dialog = NewTicketDialog.for_spin_off(service, engine, spin_off, drafts=store,
                                                  **kwargs)
        else:
            dialog = NewTicketDialog(service, engine, drafts=store, **kwargs)
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    return make
