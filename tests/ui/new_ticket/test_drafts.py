"""Drafts: the JSON store on its own, and the dialog's draft across re-creation and create."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from psa.form_drafts import NEW_TICKET_KEY, FormDraft, FormDraftStore, spin_off_key
from psa.sandbox import Sandbox
from tests.ui.new_ticket.conftest import MakeDialog
from tests.ui.new_ticket.support import (
    AISHA,
    CONTOSO,
    CONTOSO_LABEL,
    HELP_DESK,
    choose,
    fill_valid,
    ready,
    service,
    wait_for,
    with_summary,
)

Run = Callable[..., Any]


# ---------------------------------------------------------------------- the store


def test_a_saved_draft_is_read_back_by_a_new_store(tmp_path: Path) -> None:
    draft = FormDraft(company_id=4, company_name="Contoso", summary="Printer", flags={
        "contact": "pick one"}, quick_text="From: a@b.c")

    async def scenario() -> FormDraft | None:
        store = FormDraftStore(tmp_path)
        store.save(draft)
        await store.flush()
        return await FormDraftStore(tmp_path).load(NEW_TICKET_KEY)

    loaded = asyncio.run(scenario())
    assert loaded is not None and loaded.same_content(draft)


def test_the_last_save_wins_and_an_empty_draft_removes_the_file(tmp_path: Path) -> None:
    async def scenario() -> list[Any]:
        store = FormDraftStore(tmp_path)
        for n in range(5):
            store.save(FormDraft(summary=f"v{n}"))
        await store.flush()
        on_disk = await FormDraftStore(tmp_path).load(NEW_TICKET_KEY)
        store.save(FormDraft())
        await store.flush()
        return [on_disk, store.path_for(NEW_TICKET_KEY).exists(), await store.keys()]

    on_disk, exists, keys = asyncio.run(scenario())
    assert on_disk is not None and on_disk.summary == "v4"
    assert not exists and keys == []


def test_drafts_are_kept_per_key_and_discard_forgets_one(tmp_path: Path) -> None:
    async def scenario() -> tuple[list[str], list[str]]:
        store = FormDraftStore(tmp_path)
        store.save(FormDraft(summary="plain"))
        store.save(FormDraft(key=spin_off_key(20001), summary="follow-up"))
        await store.flush()
        before = await FormDraftStore(tmp_path).keys()
        store.discard(NEW_TICKET_KEY)
        await store.flush()
        return before, await FormDraftStore(tmp_path).keys()

    before, after = asyncio.run(scenario())
    assert before == ["new", "spinoff-20001"] and after == ["spinoff-20001"]


def test_an_unreadable_draft_file_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "ticket-new.json").write_text("{not json", encoding="utf-8")
    assert asyncio.run(FormDraftStore(tmp_path).load(NEW_TICKET_KEY)) is None


def test_keys_cannot_name_files_outside_the_directory(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a draft key"):
        FormDraftStore(tmp_path).path_for("../evil")


# ---------------------------------------------------------------------- the dialog


def test_the_draft_survives_a_new_dialog_and_is_cleared_by_create(
    fresh: Sandbox, make_dialog: MakeDialog, run_async: Run, drafts_dir: Path
) -> None:
    summary = "Scanner will not send to e-mail"

    async def scenario() -> None:
        async with service(fresh) as svc:
            first = make_dialog(svc)
            await fill_valid(first, summary)
            choose(first.form.contact, AISHA)
            first.form.description.setPlainText("Since the Windows update.")
            first.form.internal_note.setPlainText("Check SMTP relay.")
            first.quick.text.setPlainText("Hi, the scanner…")
            first.close()
            await first.drafts.flush()
            assert (drafts_dir / "ticket-new.json").exists()

            # A restart: a new store over the same directory, a new dialog.
            second = make_dialog(svc, drafts=FormDraftStore(drafts_dir))
            await ready(second)
            form = second.form
            assert form.company.current_value() == CONTOSO
            assert form.company.currentText() == CONTOSO_LABEL
            assert form.choices.value("contact") == AISHA
            assert form.contact.currentText() == "Aisha Gonzalez"
            assert form.choices.value("board") == HELP_DESK
            assert form.summary.text() == summary
            assert form.description.toPlainText() == "Since the Windows update."
            assert form.internal_note.toPlainText() == "Check SMTP relay."
            assert second.quick.text.toPlainText() == "Hi, the scanner…"
            assert "Restored" in form.message.text
            assert second.tabs.currentWidget() is form

            created: list[Any] = []
            second.ticket_created.connect(created.append)
            second.submit()
            await wait_for(lambda: bool(created))
            await second.drafts.flush()
            assert len(with_summary(fresh, summary)) == 1
            assert not (drafts_dir / "ticket-new.json").exists()
            third = make_dialog(svc, drafts=FormDraftStore(drafts_dir))
            await ready(third)
            assert third.form.summary.text() == "" and third.form.company.current_value() is None

    run_async(scenario())


def test_a_draft_closed_before_the_lists_loaded_loses_nothing(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run, drafts_dir: Path
) -> None:
    saved = FormDraft(company_id=CONTOSO, company_name=CONTOSO_LABEL, contact_id=AISHA,
                      contact_name="Aisha Gonzalez", board_id=HELP_DESK, status_id=23,
                      priority_id=5, summary="Keep me")

    async def scenario() -> None:
        store = FormDraftStore(drafts_dir)
        store.save(saved)
        await store.flush()
        async with service(sandbox) as svc:
            dialog = make_dialog(svc, drafts=store)
            await wait_for(lambda: dialog.form.summary.text() == "Keep me")
            # Lists may still be loading: the values are held, and reported as they are.
            assert dialog.current_draft().model_dump(include={
                "company_id", "contact_id", "board_id", "status_id", "priority_id",
            }) == saved.model_dump(include={
                "company_id", "contact_id", "board_id", "status_id", "priority_id"})
            await ready(dialog)
            assert dialog.form.status.currentData() == 23
            assert dialog.form.priority.currentData() == 5

    run_async(scenario())


def test_discard_clears_the_form_and_the_file_and_undo_brings_it_back(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run, drafts_dir: Path
) -> None:
    async def scenario() -> None:
        async with service(sandbox) as svc:
            dialog = make_dialog(svc)
            await fill_valid(dialog, "Discard me")
            dialog.save_draft()
            await dialog.drafts.flush()
            assert (drafts_dir / "ticket-new.json").exists()
            dialog.discard_button.click()
            await dialog.drafts.flush()
            assert not (drafts_dir / "ticket-new.json").exists()
            assert dialog.form.summary.text() == "" and dialog.form.company.current_value() is None
            assert dialog.form.message.action.text() == "Undo"
            dialog.form.message.action.click()
            await dialog.drafts.flush()
            await ready(dialog)
            assert dialog.form.summary.text() == "Discard me"
            assert dialog.form.company.current_value() == CONTOSO
            assert (drafts_dir / "ticket-new.json").exists()

    run_async(scenario())


def test_a_pasted_password_and_card_number_never_reach_the_draft_file(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run, drafts_dir: Path
) -> None:
    paste = ("Hi, the NAS is down again.\nThe admin password is Blue-Sky-77 if you need it.\n"
             "Bill the call to card 4111 1111 1111 1111 please.\nThanks, Priya")

    async def scenario() -> None:
        async with service(sandbox) as svc:
            dialog = make_dialog(svc)
            await ready(dialog)
            dialog.quick.set_text(paste)
            dialog.save_draft()
            await dialog.drafts.flush()
            written = (drafts_dir / "ticket-new.json").read_text(encoding="utf-8")
            assert "Blue-Sky-77" not in written and "4111" not in written
            assert "the NAS is down again" in written and "[password removed]" in written
            # The open dialog keeps the paste as typed; a restart brings back the rest.
            assert dialog.quick.text.toPlainText() == paste
            restored = await FormDraftStore(drafts_dir).load(NEW_TICKET_KEY)
            assert restored is not None and "[card number removed]" in restored.quick_text

    run_async(scenario())
