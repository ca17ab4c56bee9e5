"""New tickets per session: one launcher, offline parsing at once, Claude once its key is read."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
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


@dataclass(frozen=True)
class ClaudeAccess:
    """Where Quick Create's Claude key and model live, and the scrubber that hides the key."""

    secrets: SecretStore
    settings: QSettings
    scrubber: Scrubber


def install_new_tickets(window: QMainWindow, session: Session, *, drafts_dir: Path,
                        claude: ClaudeAccess, spawn: Spawn) -> NewTicketLauncher | None:
    """Give ``window`` File > New ticket… and Spin off; returns the launcher (kept by session).

    The launcher starts with the offline parser, so the window never waits for the keychain;
    the Claude engine replaces it once the key is read. The demo sends nothing to Claude and
    has no Claude settings. A window without ``install_new_ticket`` (tests' fakes) gets none.
    """
    install = getattr(window, "install_new_ticket", None)
    if install is None:
        return None
    from psa.form_drafts import FormDraftStore
    from psa.intake.service import IntakeService
    from ui.new_ticket.launcher import NewTicketLauncher

    # No parent: the session owns it and closes its dialogs before the window goes.
    launcher = NewTicketLauncher(session.service, IntakeService(),
                                 drafts=FormDraftStore(drafts_dir))
    session.new_tickets = launcher
    install(launcher)
    if not session.demo:
        spawn(_load_claude(session, launcher, claude))
        _add_settings_action(window, session, launcher, claude, spawn)
    return launcher


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
