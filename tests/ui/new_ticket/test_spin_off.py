"""Spin-off: pre-filled from the ticket, linked as its child, immune to the selection race."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx2

from psa import TicketService
from psa.form_drafts import FormDraft, FormDraftStore, spin_off_key
from psa.intake.service import IntakeService
from psa.models import NewTicket, TicketDetail, TicketView
from psa.sandbox import Sandbox
from tests.psa.intake.conftest import FakeClaude, ok
from tests.psa.intake.conftest import settings as claude_settings
from tests.ui.new_ticket.conftest import MakeDialog
from tests.ui.new_ticket.support import (
    choose,
    claude_intake,
    fill_valid,
    open_ticket_with_contact,
    ready,
    service,
    ticket,
    wait_for,
    with_summary,
)

Run = Callable[..., Any]


class GatedDetail:
    """The real service, except that each ticket's detail waits for its own release."""

    def __init__(self, inner: TicketService) -> None:
        self._inner = inner
        self.gates: dict[int, asyncio.Event] = {}
        self.asked: list[int] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def ticket_detail(self, ticket_id: int, **kw: Any) -> TicketDetail:
        self.asked.append(ticket_id)
        await self.gates.setdefault(ticket_id, asyncio.Event()).wait()
        return await self._inner.ticket_detail(ticket_id, **kw)


def test_a_spin_off_is_prefilled_from_the_ticket_and_created_as_its_child(
    fresh: Sandbox, make_dialog: MakeDialog, run_async: Run
) -> None:
    original_id = open_ticket_with_contact(fresh)
    original = ticket(fresh, original_id)

    async def scenario() -> None:
        async with service(fresh) as svc:
            dialog = make_dialog(svc, spin_off=original_id)
            await ready(dialog)
            form = dialog.form
            assert dialog.tabs.currentWidget() is form
            assert form.company.current_value() == original["company"]["id"]
            assert form.choices.value("contact") == original["contact"]["id"]
            assert form.choices.value("board") == original["board"]["id"]
            assert form.summary.text() == f"Follow-up: {original['summary']}"[:100]
            assert f"#{original_id}" in form.description.toPlainText()
            assert form.parent_ticket.text() == str(original_id)
            assert f"Spin-off of ticket #{original_id}" in form.message.text
            assert "copied and trimmed" in form.message.text
            assert form.rows["summary"].flag  # copied: the dispatcher should reword it
            form.summary.setText("Replace the failing drive")
            created: list[Any] = []
            dialog.ticket_created.connect(created.append)
            svc.client.stats.reset()
            dialog.submit()
            await wait_for(lambda: bool(created))
            [stored] = with_summary(fresh, "Replace the failing drive")
            assert stored["parentTicketId"] == original_id
            assert ticket(fresh, original_id)["hasChildTicket"] is True
            assert created[0].parent_ticket_id == original_id
            # Linked in the create itself: one POST, no attachChildren.
            posts = {k: n for k, n in svc.client.stats.by_endpoint.items()
                     if k.startswith("POST")}
            assert posts == {"POST /service/tickets": 1}

    run_async(scenario())


def test_drafting_a_spin_off_reads_no_configuration_records(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run
) -> None:
    configured = next(open_ticket_with_contact(sandbox, skip=n) for n in range(40)
                      if ticket_configurations(sandbox, open_ticket_with_contact(sandbox, skip=n)))

    async def scenario() -> None:
        async with service(sandbox) as svc:
            dialog = make_dialog(svc, spin_off=configured)
            await ready(dialog)
            await asyncio.sleep(0.05)
            assert dialog.form.parent_ticket.text() == str(configured)
            assert "GET /company/configurations" not in svc.client.stats.by_endpoint

    run_async(scenario())


def ticket_configurations(sb: Sandbox, ticket_id: int) -> int:
    with sb.store.lock:
        return len(sb.store.ticket_configurations(ticket_id))


def test_the_spin_off_keeps_its_ticket_when_the_selection_moves_on_while_drafting(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run
) -> None:
    first_id = open_ticket_with_contact(sandbox, skip=0)
    second_id = open_ticket_with_contact(sandbox, skip=1)
    first, second = ticket(sandbox, first_id), ticket(sandbox, second_id)
    assert first["company"]["id"] != second["company"]["id"]

    async def scenario() -> None:
        async with service(sandbox) as svc:
            gated = GatedDetail(svc)
            current = {"ticket": first_id}  # what the main window shows
            dialog = make_dialog(gated, spin_off=current["ticket"])
            await wait_for(lambda: gated.asked == [first_id])
            # The dispatcher moves on and spins off the next ticket before the first drafts.
            current["ticket"] = second_id
            other = make_dialog(gated, spin_off=current["ticket"])
            await wait_for(lambda: gated.asked == [first_id, second_id])
            gated.gates[second_id].set()
            await ready(other)
            gated.gates[first_id].set()
            await ready(dialog)
            for shown, source, tid in ((dialog, first, first_id), (other, second, second_id)):
                form = shown.form
                assert form.parent_ticket.text() == str(tid)
                assert form.company.current_value() == source["company"]["id"]
                assert form.summary.text().startswith("Follow-up: ")
                assert source["summary"][:40] in form.summary.text()
                assert shown.draft_key == spin_off_key(tid)
                assert shown.current_draft().parent_ticket_id == tid

    run_async(scenario())


def test_text_typed_while_the_spin_off_drafts_is_kept(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run
) -> None:
    original_id = open_ticket_with_contact(sandbox)

    async def scenario() -> None:
        async with service(sandbox) as svc:
            gated = GatedDetail(svc)
            dialog = make_dialog(gated, spin_off=original_id)
            await wait_for(lambda: gated.asked == [original_id])
            dialog.form.summary.setText("My own words")
            gated.gates[original_id].set()
            await ready(dialog)
            assert dialog.form.summary.text() == "My own words"
            assert f"#{original_id}" in dialog.form.description.toPlainText()

    run_async(scenario())


def test_a_saved_spin_off_draft_comes_back_instead_of_a_new_draft(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run, drafts_dir: Any
) -> None:
    original_id = open_ticket_with_contact(sandbox)

    async def scenario() -> None:
        store = FormDraftStore(drafts_dir)
        store.save(FormDraft(key=spin_off_key(original_id), summary="Half-written follow-up",
                             parent_ticket_id=original_id))
        await store.flush()
        async with service(sandbox) as svc:
            gated = GatedDetail(svc)
            dialog = make_dialog(gated, spin_off=original_id, drafts=store)
            await ready(dialog)
            assert gated.asked == []
            assert dialog.form.summary.text() == "Half-written follow-up"
            assert dialog.form.parent_ticket.text() == str(original_id)
            assert "Restored" in dialog.form.message.text

    run_async(scenario())


def test_claude_words_the_spin_off_and_the_dialog_says_so(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run, fake: FakeClaude
) -> None:
    original_id = open_ticket_with_contact(sandbox)
    fake.replies.append(ok({"summary": "Replace the failed RAID drive",
                            "description": "Drive 3 failed; replace it."}))

    async def scenario() -> None:
        async with service(sandbox) as svc:
            dialog = make_dialog(svc, claude_intake(fake), spin_off=original_id)
            await ready(dialog)
            assert len(fake.requests) == 1
            assert dialog.form.summary.text() == "Replace the failed RAID drive"
            assert "Claude drafted the wording" in dialog.form.message.text
            assert dialog.form.parent_ticket.text() == str(original_id)

    run_async(scenario())


def test_a_spin_off_of_a_ticket_that_is_gone_is_refused_honestly_and_keeps_the_form(
    fresh: Sandbox, make_dialog: MakeDialog, run_async: Run
) -> None:
    gone = 999_999

    async def scenario() -> None:
        async with service(fresh) as svc:
            dialog = make_dialog(svc, spin_off=gone)
            await ready(dialog)
            assert f"Could not read ticket #{gone}" in dialog.form.message.text
            await fill_valid(dialog, "Follow-up of a vanished ticket")
            assert dialog.form.parent_ticket.text() == str(gone)
            created: list[Any] = []
            dialog.ticket_created.connect(created.append)
            dialog.submit()
            await wait_for(lambda: not dialog.creating and bool(dialog.form.errors()))
            assert created == [] and dialog.created is None
            assert with_summary(fresh, "Follow-up of a vanished ticket") == []
            assert "nothing was created" in dialog.form.message.text
            assert "parent ticket" in dialog.form.message.text
            assert str(gone) in dialog.form.errors()["parent"]
            assert dialog.form.summary.text() == "Follow-up of a vanished ticket"
            assert dialog.isVisible()

    run_async(scenario())


class IgnoresParent:
    """The real service on a server that drops ``parentTicketId`` from creates."""

    def __init__(self, inner: TicketService) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def create_ticket(self, ticket: NewTicket) -> TicketView:
        return await self._inner.create_ticket(ticket.model_copy(update={"parent_ticket_id": None}))


def test_a_server_that_ignores_the_parent_in_the_create_gets_it_linked_afterwards(
    fresh: Sandbox, make_dialog: MakeDialog, run_async: Run
) -> None:
    original_id = open_ticket_with_contact(fresh)

    async def scenario() -> None:
        async with service(fresh) as svc:
            dialog = make_dialog(IgnoresParent(svc), spin_off=original_id)
            await ready(dialog)
            dialog.form.summary.setText("Linked the old way")
            created: list[Any] = []
            dialog.ticket_created.connect(created.append)
            dialog.submit()
            await wait_for(lambda: bool(created))
            [stored] = with_summary(fresh, "Linked the old way")
            assert stored["parentTicketId"] == original_id
            assert created[0].parent_ticket_id == original_id
            assert svc.client.stats.by_endpoint[
                "POST /service/tickets/{id}/attachChildren"] == 1

    run_async(scenario())


class HeldSpinOff:
    """A Messages API whose spin-off answer waits for ``release``."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.prompts: list[str] = []

    async def handler(self, request: httpx2.Request) -> httpx2.Response:
        self.prompts.append(json.loads(request.content)["messages"][0]["content"])
        await self.release.wait()
        return ok({"summary": "Replace the failed RAID drive", "description": "Drive 3."})

    def intake(self) -> IntakeService:
        client = httpx2.AsyncClient(transport=httpx2.MockTransport(self.handler))
        return IntakeService(claude_settings(), http_client=client)


def test_a_late_claude_answer_keeps_the_board_chosen_meanwhile_and_shows_what_was_sent(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run
) -> None:
    original_id = open_ticket_with_contact(sandbox)
    held = HeldSpinOff()

    async def scenario() -> None:
        async with service(sandbox) as svc:
            dialog = make_dialog(svc, held.intake(), spin_off=original_id)
            await wait_for(lambda: len(held.prompts) == 1)
            form = dialog.form
            await wait_for(lambda: form.board.count() > 2)
            prefilled = form.board.currentData()
            other = next(form.board.itemData(i) for i in range(form.board.count())
                         if form.board.itemData(i) not in (None, prefilled))
            choose(form.board, other)
            held.release.set()
            await ready(dialog)
            assert form.summary.text() == "Replace the failed RAID drive"
            assert form.board.currentData() == other
            assert form.company.current_value() == ticket(sandbox, original_id)["company"]["id"]
            # What went to Claude is on show, as Quick Create shows its preview.
            assert form.message.action.text() == "Show what was sent"
            form.message.action.click()
            assert dialog.tabs.currentWidget() is dialog.quick
            sent = dialog.quick.preview.toPlainText()
            assert sent and all(line in held.prompts[0] for line in sent.splitlines())
            assert "spin-off" in dialog.quick.preview_box.title()

    run_async(scenario())
