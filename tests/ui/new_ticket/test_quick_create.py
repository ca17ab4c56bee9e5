"""Quick Create: the preview, the offline parser, and Claude mocked at the HTTP level."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx2
import pytest
from pydantic import SecretStr

from psa.intake.claude import ClaudeSettings
from psa.intake.errors import InvalidApiKey, MalformedAnswer, NoApiKey, Refused
from psa.intake.service import IntakeService
from psa.sandbox import Sandbox
from tests.psa.intake.conftest import FakeClaude, answer, error, message, ok
from tests.ui.new_ticket.conftest import MakeDialog
from tests.ui.new_ticket.support import (
    AISHA,
    CONTOSO,
    CONTOSO_LABEL,
    HELP_DESK,
    claude_intake,
    ready,
    service,
    wait_for,
)
from ui.detail.look import Tone
from ui.new_ticket.new_ticket_dialog import FORM_TAB, NewTicketDialog

Run = Callable[..., Any]
EMAIL = """From: Aisha Gonzalez <aisha.gonzalez@contosodental.com>
Subject: Front desk printer offline

Hi,

The front desk printer is offline again and we open at 8. Urgent please.
The wifi password is Sunny-Day-42 if you need it.

Thanks,
Aisha Gonzalez
Contoso Dental Group
"""


def good_answer(**fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"company_id": CONTOSO, "contact_id": AISHA, "board_id": HELP_DESK,
                              "summary": "Front desk printer offline",
                              "description": "The front desk printer is offline again."}
    values.update(fields)
    return answer(**values)


async def parse(dialog: NewTicketDialog, text: str = EMAIL, *, offline: bool = False) -> None:
    await ready(dialog)
    dialog.quick.set_text(text)
    dialog.quick.parse(offline=offline)
    await wait_for(lambda: not dialog.quick.busy())
    await ready(dialog)


def test_offline_parse_fills_the_form_and_says_the_offline_parser_did(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run
) -> None:
    async def scenario() -> None:
        async with service(sandbox) as svc:
            dialog = make_dialog(svc)
            assert not dialog.quick.claude_radio.isEnabled()
            assert dialog.quick.key_note.text() == NoApiKey().message
            created: list[Any] = []
            dialog.ticket_created.connect(created.append)
            await parse(dialog)
            form = dialog.form
            assert dialog.tabs.currentIndex() == FORM_TAB
            assert form.company.current_value() == CONTOSO
            assert form.company.currentText() == CONTOSO_LABEL
            assert form.choices.value("contact") == AISHA
            assert form.summary.text() == "Front desk printer offline"
            assert "Sunny-Day-42" not in form.description.toPlainText()
            assert "offline parser" in form.message.text
            assert dialog.current_draft().filled_by == "the offline parser"
            assert created == []  # filled for review; nothing is created by parsing

    run_async(scenario())


def test_nothing_is_sent_before_parse_and_the_preview_shows_what_would_be(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run, fake: FakeClaude
) -> None:
    async def scenario() -> None:
        async with service(sandbox) as svc:
            dialog = make_dialog(svc, claude_intake(fake))
            await ready(dialog)
            quick = dialog.quick
            assert quick.claude_radio.isChecked() and quick.uses_claude
            quick.text.setPlainText(EMAIL)
            await wait_for(lambda: "[password removed]" in quick.preview.toPlainText())
            assert "Sunny-Day-42" not in quick.preview.toPlainText()
            assert "a password" in quick.removed.text()
            assert "the signature" in quick.removed.text()
            await asyncio.sleep(0.4)
            assert fake.requests == []
            quick.offline_radio.setChecked(True)
            await wait_for(quick.preview_box.isHidden)
            assert quick.local_note.isVisible()

    run_async(scenario())


def test_a_good_claude_answer_fills_the_form_and_says_claude_filled_it(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run, fake: FakeClaude
) -> None:
    fake.replies.append(ok(good_answer()))

    async def scenario() -> None:
        async with service(sandbox) as svc:
            dialog = make_dialog(svc, claude_intake(fake))
            await parse(dialog)
            form = dialog.form
            assert len(fake.requests) == 1
            assert "Sunny-Day-42" not in fake.prompt()
            assert form.company.current_value() == CONTOSO
            assert form.choices.value("contact") == AISHA
            assert form.choices.value("board") == HELP_DESK
            assert form.summary.text() == "Front desk printer offline"
            assert "Filled by Claude (AI)" in form.message.text
            assert dialog.current_draft().filled_by == "Claude (AI)"

    run_async(scenario())


def test_ids_claude_invents_are_left_empty_and_flagged_for_the_dispatcher(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run, fake: FakeClaude
) -> None:
    fake.replies.append(ok(good_answer(company_id=999_999, contact_id=888_888)))

    async def scenario() -> None:
        async with service(sandbox) as svc:
            dialog = make_dialog(svc, claude_intake(fake))
            await parse(dialog)
            form = dialog.form
            assert form.company.current_value() is None
            company = form.rows["company"]
            assert company.flag and company.widget.property("state") == "flagged"
            assert company.line.text() == f"⚠ {company.flag}"
            assert company.widget.toolTip() == company.flag
            assert "highlighted field" in form.message.text
            # Answering the flag (choosing a company) clears it.
            form.company.set_current_value(CONTOSO, CONTOSO_LABEL)
            form.company.value_chosen.emit(CONTOSO)
            assert not company.flag and company.widget.property("state") == ""
            await ready(dialog)

    run_async(scenario())


@pytest.mark.parametrize("case", [
    (error(401, "authentication_error", "invalid x-api-key"), InvalidApiKey().message),
    (error(429, "rate_limit_error"), "rate limit"),
    (ok(good_answer(), stop_reason="refusal"), Refused().message),
    (httpx2.Response(200, json=message("{not json")), MalformedAnswer().message),
], ids=["401", "429", "refusal", "malformed"])
def test_claude_failures_say_what_happened_and_the_offline_parser_stays_one_click_away(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run, fake: FakeClaude,
    case: tuple[httpx2.Response, str],
) -> None:
    reply, expected = case
    fake.replies.append(reply)

    async def scenario() -> None:
        async with service(sandbox) as svc:
            dialog = make_dialog(svc, claude_intake(fake))
            await parse(dialog)
            quick = dialog.quick
            assert expected in quick.message.text
            assert quick.message.action.isVisible()
            assert quick.message.action.text() == "Parse offline instead"
            assert quick.parse_button.isEnabled() and not quick.cancel_button.isEnabled()
            assert dialog.form.company.current_value() is None  # nothing half-filled
            assert dialog.tabs.currentIndex() != FORM_TAB
            quick.message.action.click()
            await wait_for(lambda: not quick.busy())
            await ready(dialog)
            assert dialog.form.company.current_value() == CONTOSO
            assert "offline parser" in dialog.form.message.text
            assert len(fake.requests) == 1  # the offline parse sent nothing

    run_async(scenario())


class HeldClaude:
    """A Messages API that answers only when released (to cancel or time out a parse)."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.requests = 0

    async def handler(self, request: httpx2.Request) -> httpx2.Response:
        self.requests += 1
        await self.release.wait()
        return ok(good_answer())

    def intake(self) -> IntakeService:
        settings = ClaudeSettings(api_key=SecretStr("sk-ant-test-0123456789abcdef"),
                                  max_retries=0, timeout=30.0)
        client = httpx2.AsyncClient(transport=httpx2.MockTransport(self.handler))
        return IntakeService(settings, http_client=client)


def test_cancel_stops_a_parse_in_flight_and_leaves_the_form_alone(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run
) -> None:
    held = HeldClaude()

    async def scenario() -> None:
        async with service(sandbox) as svc:
            dialog = make_dialog(svc, held.intake())
            await ready(dialog)
            quick = dialog.quick
            quick.set_text(EMAIL)
            quick.parse()
            await wait_for(lambda: held.requests == 1)
            assert quick.cancel_button.isEnabled() and not quick.parse_button.isEnabled()
            assert "Asking Claude" in quick.message.text
            quick.cancel_button.click()
            assert not quick.busy() and quick.parse_button.isEnabled()
            assert "cancelled" in quick.message.text
            held.release.set()
            await asyncio.sleep(0.2)
            assert dialog.form.company.current_value() is None
            assert dialog.tabs.currentIndex() != FORM_TAB

    run_async(scenario())


def test_claude_answering_too_late_falls_back_to_the_offline_parser_and_says_why(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run
) -> None:
    held = HeldClaude()

    async def scenario() -> None:
        async with service(sandbox) as svc:
            dialog = make_dialog(svc, held.intake(), parse_timeout=0.5)
            await parse(dialog)
            quick = dialog.quick
            assert "Claude unreachable (no answer within 0.5 s) — parsed offline" in (
                quick.message.text)
            assert quick.parse_button.isEnabled()
            assert dialog.form.company.current_value() == CONTOSO
            assert "Claude unreachable" in dialog.form.message.text
            assert "offline parser" in dialog.form.message.text
            assert dialog.filled_by == "the offline parser"
            held.release.set()

    run_async(scenario())


def _refuse_connection(request: httpx2.Request) -> httpx2.Response:
    raise httpx2.ConnectError("connection refused", request=request)


@pytest.mark.parametrize("case", [
    (_refuse_connection, "no connection"),
    (error(529, "overloaded_error"), "overloaded, 529"),
    (error(503, "api_error"), "service error 503"),
], ids=["connection", "529", "503"])
def test_claude_unreachable_fills_the_form_offline_at_once_and_says_why(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run, fake: FakeClaude,
    case: tuple[Any, str],
) -> None:
    reply, why = case
    fake.replies.append(reply)

    async def scenario() -> None:
        async with service(sandbox) as svc:
            dialog = make_dialog(svc, claude_intake(fake))
            await parse(dialog)
            assert len(fake.requests) == 1
            quick = dialog.quick
            assert f"Claude unreachable ({why}) — parsed offline." in quick.message.text
            assert not quick.message.action.isVisible()
            assert dialog.tabs.currentIndex() == FORM_TAB
            assert dialog.form.company.current_value() == CONTOSO
            assert dialog.form.message.tone is Tone.WARNING
            assert f"Claude unreachable ({why})" in dialog.form.message.text

    run_async(scenario())


def test_text_with_nothing_left_to_send_says_the_offline_parser_filled_the_form(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run, fake: FakeClaude
) -> None:
    only_disclaimer = ("CONFIDENTIALITY NOTICE: This e-mail is for the sole use of the intended "
                       "recipient(s). Any unauthorized review is prohibited.")

    async def scenario() -> None:
        async with service(sandbox) as svc:
            dialog = make_dialog(svc, claude_intake(fake))
            await parse(dialog, only_disclaimer)
            assert fake.requests == []
            assert "Parsed with the offline parser" in dialog.quick.message.text
            assert "Claude" not in dialog.quick.message.text

    run_async(scenario())


def test_the_request_carries_the_redacted_text_only(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run, fake: FakeClaude
) -> None:
    fake.replies.append(ok(good_answer()))

    async def scenario() -> None:
        async with service(sandbox) as svc:
            dialog = make_dialog(svc, claude_intake(fake))
            await parse(dialog)
            body = json.dumps(fake.body())
            assert "Sunny-Day-42" not in body and "[password removed]" in body
            assert dialog.quick.preview.toPlainText() in fake.prompt()

    run_async(scenario())
