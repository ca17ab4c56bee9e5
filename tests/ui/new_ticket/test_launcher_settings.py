"""The launcher (one dialog per purpose, signals forwarded) and the Claude settings dialog."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from PySide6.QtWidgets import QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from psa.form_drafts import FormDraftStore
from psa.intake.defaults import DEFAULT_MODEL
from psa.intake.service import IntakeService
from psa.sandbox import Sandbox
from tests.psa.intake.conftest import FakeClaude, answer, ok
from tests.ui.new_ticket.support import (
    claude_intake,
    fill_valid,
    open_ticket_with_contact,
    ready,
    service,
    wait_for,
    with_summary,
)
from ui.new_ticket.claude_settings_dialog import ClaudeChoice, ClaudeSettingsDialog
from ui.new_ticket.launcher import NewTicketLauncher

Run = Callable[..., Any]


def test_the_launcher_reuses_open_dialogs_and_forwards_created_tickets(
    fresh: Sandbox, qtbot: QtBot, run_async: Run, tmp_path: Path
) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    original = open_ticket_with_contact(fresh)

    async def scenario() -> None:
        async with service(fresh) as svc:
            launcher = NewTicketLauncher(svc, IntakeService(),
                                         drafts=FormDraftStore(tmp_path), parent=window)
            created: list[Any] = []
            launcher.ticket_created.connect(created.append)
            first = launcher.open_new()
            assert launcher.open_new() is first and first.parentWidget() is window
            spin = launcher.open_spin_off(original)
            assert launcher.open_spin_off(original) is spin and spin is not first
            await ready(first)
            await ready(spin)
            assert first.catalogs is spin.catalogs  # one catalog cache per service
            await fill_valid(first, "Launcher ticket")
            first.submit()
            await wait_for(lambda: bool(created))
            assert [t["id"] for t in with_summary(fresh, "Launcher ticket")] == [created[0].id]
            await wait_for(lambda: "new" not in launcher.dialogs)
            assert launcher.open_new() is not first
            await ready(launcher.dialogs["new"])
            launcher.close_all()
            await launcher.flush()
            assert launcher.dialogs == {}

    run_async(scenario())


def test_claude_settings_hand_the_masked_key_and_model_to_the_saver(
    qtbot: QtBot, run_async: Run
) -> None:
    received: list[ClaudeChoice] = []

    async def saver(choice: ClaudeChoice) -> None:
        received.append(choice)

    async def scenario() -> None:
        dialog = ClaudeSettingsDialog(model="", has_key=False, saver=saver)
        qtbot.addWidget(dialog)
        dialog.open()
        assert dialog.key.echoMode() == QLineEdit.EchoMode.Password
        assert dialog.model.text() == DEFAULT_MODEL and not dialog.remove.isVisible()
        dialog.key.setText("sk-ant-api03-secret-value")
        dialog.submit()
        await wait_for(lambda: bool(received))
        [choice] = received
        assert choice.api_key == SecretStr("sk-ant-api03-secret-value")
        assert choice.model == DEFAULT_MODEL
        assert "secret" not in repr(choice)
        assert dialog.key.text() == "" and not dialog.isVisible()

    run_async(scenario())


def test_claude_settings_keep_or_remove_a_stored_key_and_report_a_failed_save(
    qtbot: QtBot, run_async: Run
) -> None:
    received: list[ClaudeChoice] = []
    fail = [True]

    async def saver(choice: ClaudeChoice) -> None:
        if fail[0]:
            fail[0] = False
            raise RuntimeError("Could not store the key in the system credential store.")
        received.append(choice)

    async def scenario() -> None:
        dialog = ClaudeSettingsDialog(model="claude-sonnet-x", has_key=True, saver=saver)
        qtbot.addWidget(dialog)
        dialog.open()
        assert "stored" in dialog.key.placeholderText()
        dialog.submit()  # nothing typed: keep the key, change nothing else
        await wait_for(lambda: "Could not save" in dialog.message.text)
        assert dialog.isVisible() and dialog.buttons.isEnabled()
        dialog.remove.setChecked(True)
        assert not dialog.key.isEnabled()
        dialog.submit()
        await wait_for(lambda: bool(received))
        assert received[0].api_key == SecretStr("") and received[0].model == "claude-sonnet-x"

    run_async(scenario())


def test_claude_settings_refuse_text_that_is_not_a_key(qtbot: QtBot, run_async: Run) -> None:
    async def saver(_choice: ClaudeChoice) -> None:
        raise AssertionError("nothing may be saved")

    async def scenario() -> None:
        dialog = ClaudeSettingsDialog(model=DEFAULT_MODEL, has_key=False, saver=saver)
        qtbot.addWidget(dialog)
        dialog.open()
        dialog.key.setText("my password")
        dialog.submit()
        assert "does not look like a Claude API key" in dialog.message.text
        assert dialog.isVisible()

    run_async(scenario())


def test_a_new_claude_key_reaches_the_dialogs_already_open(
    sandbox: Sandbox, qtbot: QtBot, run_async: Run, tmp_path: Path, fake: FakeClaude
) -> None:
    fake.replies.append(ok(answer(summary="Front desk printer offline")))

    async def scenario() -> None:
        async with service(sandbox) as svc:
            launcher = NewTicketLauncher(svc, IntakeService(), drafts=FormDraftStore(tmp_path))
            dialog = launcher.open_new()
            qtbot.addWidget(dialog)
            await ready(dialog)
            quick = dialog.quick
            assert not quick.uses_claude
            assert 'File › “Claude for Quick Create…”' in quick.key_note.text()
            launcher.set_intake(claude_intake(fake))
            assert dialog.intake is launcher.intake
            assert quick.uses_claude and quick.claude_radio.isChecked()
            assert quick.key_note.isHidden()
            quick.set_text("The front desk printer is offline again.")
            quick.parse()
            await wait_for(lambda: not quick.busy())
            await ready(dialog)
            assert len(fake.requests) == 1
            assert dialog.form.summary.text() == "Front desk printer offline"
            launcher.close_all()
            await launcher.flush()

    run_async(scenario())


def test_the_demo_says_it_has_no_claude_rather_than_pointing_to_settings(
    sandbox: Sandbox, qtbot: QtBot, run_async: Run, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with service(sandbox) as svc:
            launcher = NewTicketLauncher(svc, IntakeService(), drafts=FormDraftStore(tmp_path),
                                         demo=True)
            dialog = launcher.open_new()
            qtbot.addWidget(dialog)
            await ready(dialog)
            note = dialog.quick.key_note.text()
            assert "demo has no Claude key" in note and "Claude for Quick Create" not in note
            launcher.close_all()
            await launcher.flush()

    run_async(scenario())
