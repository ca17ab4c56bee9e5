"""New tickets per session: one launcher, offline parsing at once, Claude once its key is read.

The launcher's code (psa.intake, which imports the anthropic SDK: ~2 s) loads in a worker
thread once the window's first rows are in, never on the start-up path. Until then File > New
ticket… (Ctrl+N) is a stand-in that asks for the launcher at once and opens it when it is ready.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from app.claude import claude_model, make_intake, save_claude_choice, stored_key
from app.errors import Scrubber
from app.secrets import SecretStore
from app.session import Session
from app.window_glue import file_menu_of

if TYPE_CHECKING:
    from ui.new_ticket.launcher import NewTicketLauncher

log = logging.getLogger(__name__)

Spawn = Callable[[Coroutine[Any, Any, None]], None]

LOAD_AFTER_S = 5.0
"""Load the launcher this long after the window shows even if no rows arrive."""


@dataclass(frozen=True)
class ClaudeAccess:
    """Where Quick Create's Claude key and model live, and the scrubber that hides the key."""

    secrets: SecretStore
    settings: QSettings
    scrubber: Scrubber


def install_new_tickets(window: QMainWindow, session: Session, *, drafts_dir: Path,
                        claude: ClaudeAccess, spawn: Spawn) -> None:
    """Give ``window`` File > New ticket… and Spin off (the launcher goes to session.new_tickets).

    The launcher starts with the offline parser, so the window never waits for the keychain;
    the Claude engine replaces it once the key is read. The demo sends nothing to Claude and
    has no Claude settings. A window without ``install_new_ticket`` (tests' fakes) gets none.
    The launcher itself comes after the first rows (see the module), behind a stand-in action.
    """
    install = getattr(window, "install_new_ticket", None)
    if install is None:
        return
    stand_in = _StandIn(window)
    spawn(_install_when_ready(window, session, install, stand_in, drafts_dir=drafts_dir,
                              claude=claude, spawn=spawn))


class _StandIn:
    """File > New ticket… until the launcher is loaded: Ctrl+N loads it now and then opens it."""

    def __init__(self, window: QMainWindow) -> None:
        self.start = asyncio.Event()
        self.requested = False
        self._menu = file_menu_of(window)
        self.action = QAction("&New ticket…", window)
        self.action.setObjectName("newTicketStandIn")
        self.action.setShortcut(QKeySequence(QKeySequence.StandardKey.New))
        self.action.triggered.connect(self._on_action_triggered)
        actions = self._menu.actions()
        self._separator: QAction | None = None
        if actions:  # where the real action goes: first, with a separator after it
            self._menu.insertAction(actions[0], self.action)
            self._separator = self._menu.insertSeparator(actions[0])
        else:
            self._menu.addAction(self.action)
        window.addAction(self.action)
        for name in ("first_page_loaded", "first_page_failed", "new_tickets_wanted"):
            signal = getattr(window, name, None)
            if signal is not None:
                signal.connect(self.start.set)

    def _on_action_triggered(self) -> None:
        self.requested = True
        self.start.set()

    def remove(self, window: QMainWindow) -> None:
        """Take the stand-in out of the menu (the real action replaces it)."""
        window.removeAction(self.action)
        self._menu.removeAction(self.action)
        if self._separator is not None:
            self._menu.removeAction(self._separator)
        self.action.deleteLater()


async def _install_when_ready(window: QMainWindow, session: Session,
                              install: Callable[[NewTicketLauncher], None], stand_in: _StandIn, *,
                              drafts_dir: Path, claude: ClaudeAccess, spawn: Spawn) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stand_in.start.wait(), LOAD_AFTER_S)
    # The anthropic SDK's import is pure Python: in a thread the event loop keeps running.
    await asyncio.to_thread(importlib.import_module, "psa.intake.service")
    if session.window is not window or not shiboken6.isValid(window):
        return  # the window closed meanwhile
    from psa.form_drafts import FormDraftStore
    from psa.intake.service import IntakeService
    from ui.new_ticket.launcher import NewTicketLauncher

    # No parent: the session owns it and closes its dialogs before the window goes.
    launcher = NewTicketLauncher(session.service, IntakeService(),
                                 drafts=FormDraftStore(drafts_dir), demo=session.demo)
    session.new_tickets = launcher
    stand_in.remove(window)
    install(launcher)
    if not session.demo:
        spawn(_load_claude(session, launcher, claude))
        _add_settings_action(window, session, launcher, claude, spawn)
    if stand_in.requested:
        launcher.open_new(window)


async def _load_claude(session: Session, launcher: NewTicketLauncher,
                       claude: ClaudeAccess) -> None:
    intake = await make_intake(claude.secrets, claude.settings, demo=False,
                               scrubber=claude.scrubber)
    if session.new_tickets is launcher:
        launcher.set_intake(intake)
    else:  # the session closed while the key was read
        await intake.aclose()


def _add_settings_action(window: QMainWindow, session: Session, launcher: NewTicketLauncher,
                         claude: ClaudeAccess, spawn: Spawn) -> None:
    action = QAction("Claude for &Quick Create…", window)
    action.setObjectName("claudeSettingsAction")
    action.triggered.connect(
        lambda: spawn(open_claude_settings(window, session, launcher, claude)))
    menu = file_menu_of(window)
    exit_action = next((a for a in menu.actions() if a.objectName() == "exitAction"), None)
    if exit_action is None:
        menu.addAction(action)
        return
    menu.insertAction(exit_action, action)
    menu.insertSeparator(exit_action)


async def open_claude_settings(window: QMainWindow, session: Session,
                               launcher: NewTicketLauncher, claude: ClaudeAccess) -> None:
    """The Claude settings dialog (non-modal); saving stores the key and swaps the engine."""
    from ui.new_ticket.claude_settings_dialog import ClaudeChoice, ClaudeSettingsDialog

    has_key = bool(await stored_key(claude.secrets))
    if session.window is not window or not shiboken6.isValid(window):
        return  # the window closed while the key store was asked

    async def save(choice: ClaudeChoice) -> None:
        await save_claude_choice(choice, secrets=claude.secrets, settings=claude.settings,
                                 scrubber=claude.scrubber, launcher=launcher)

    dialog = ClaudeSettingsDialog(model=claude_model(claude.settings), has_key=has_key,
                                  saver=save, parent=window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
