"""The Full Form against the sandbox: validation, create, refusals, faults, Ctrl+Enter."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx2
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from psa import CreateOutcomeUnknown, NewTicket
from psa.sandbox import Sandbox
from tests.ui.new_ticket.conftest import MakeDialog
from tests.ui.new_ticket.support import (
    AISHA,
    CONTOSO,
    CONTOSO_LABEL,
    HELP_DESK,
    NEW_STATUS,
    choose,
    choose_company,
    contact,
    fill_valid,
    ready,
    service,
    tickets,
    wait_for,
    with_summary,
)
from ui.new_ticket.create_flow import describe_failure

Run = Callable[..., Any]
URGENT = 8  # Priority 1 - Emergency Response
JDOE = 143


@dataclass
class CountingTransport(httpx2.AsyncBaseTransport):
    """Forwards to the sandbox and counts what was sent by method."""

    inner: httpx2.AsyncBaseTransport = field(default_factory=httpx2.AsyncHTTPTransport)
    sent: list[tuple[str, str]] = field(default_factory=list)

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        self.sent.append((request.method, request.url.path))
        return await self.inner.handle_async_request(request)

    def posts(self) -> list[str]:
        return [path for method, path in self.sent if method == "POST"]

    async def aclose(self) -> None:
        await self.inner.aclose()


def test_missing_company_and_summary_are_marked_inline_and_nothing_is_sent(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run
) -> None:
    transport = CountingTransport()

    async def scenario() -> None:
        async with service(sandbox, transport=transport) as svc:
            dialog = make_dialog(svc)
            await ready(dialog)
            created: list[Any] = []
            dialog.ticket_created.connect(created.append)
            dialog.submit()
            form = dialog.form
            assert set(form.errors()) == {"company", "board", "summary"}
            assert form.rows["company"].line.text() == "Choose the company this ticket is for."
            assert form.rows["summary"].widget.property("state") == "error"
            assert "Nothing was sent" in form.message.text
            assert "company, board, summary" in form.message.text
            await ready(dialog)
            assert transport.posts() == [] and created == []

    run_async(scenario())


def test_a_summary_over_100_characters_is_refused_before_sending_and_kept(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run
) -> None:
    transport = CountingTransport()
    long_summary = "Printer " + "x" * 110

    async def scenario() -> None:
        async with service(sandbox, transport=transport) as svc:
            dialog = make_dialog(svc)
            await fill_valid(dialog, long_summary)
            assert dialog.form.counter.text() == f"{len(long_summary)}/100"
            dialog.submit()
            assert list(dialog.form.errors()) == ["summary"]
            assert "118 characters" in dialog.form.rows["summary"].error
            assert dialog.form.summary.text() == long_summary
            await ready(dialog)
            assert transport.posts() == []
            # Fixing the field answers its error at once.
            dialog.form.summary.setText("Printer offline")
            assert dialog.form.errors() == {}
            assert dialog.form.counter.text() == "15/100"

    run_async(scenario())


def test_create_emits_the_new_ticket_and_closes(
    fresh: Sandbox, make_dialog: MakeDialog, run_async: Run
) -> None:
    summary = "Front desk printer offline"

    async def scenario() -> None:
        async with service(fresh) as svc:
            dialog = make_dialog(svc)
            created: list[Any] = []
            dialog.ticket_created.connect(created.append)
            await fill_valid(dialog, summary)
            choose(dialog.form.contact, AISHA)
            choose(dialog.form.priority, URGENT)
            choose(dialog.form.assignee, JDOE)
            dialog.form.description.setPlainText("It shows 'offline' since 8am.")
            dialog.form.internal_note.setPlainText("Check the print server first.")
            dialog.submit()
            await wait_for(lambda: bool(created))
            [view] = created
            [stored] = with_summary(fresh, summary)
            assert view.id == stored["id"] and view.summary == summary
            assert stored["company"]["id"] == CONTOSO and stored["board"]["id"] == HELP_DESK
            assert stored["contact"]["id"] == AISHA
            assert stored["status"]["id"] == NEW_STATUS
            assert stored["priority"]["id"] == URGENT and stored["owner"]["id"] == JDOE
            assert not dialog.isVisible() and dialog.result() == dialog.DialogCode.Accepted

    run_async(scenario())


def test_board_status_defaults_to_the_boards_default_and_contact_shows_email_and_phone(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run
) -> None:
    async def scenario() -> None:
        async with service(sandbox) as svc:
            dialog = make_dialog(svc)
            await fill_valid(dialog, "x")
            form = dialog.form
            assert form.status.currentData() == NEW_STATUS
            assert form.status.currentText() == "New (default)"
            assert form.status.findText("Closed") < 0  # a new ticket does not start closed
            choose(form.contact, AISHA)
            person = contact(sandbox, AISHA)
            values = [i["value"] for i in person["communicationItems"]]
            note = form.rows["contact"].line.text()
            assert all(v in note for v in values)
            # Types are optional: offered, none chosen; subtypes wait for a type.
            assert form.type.isEnabled() and form.type.currentText() == "No type"
            assert not form.subtype.isEnabled()
            assert form.subtype.currentText() == "Choose a type first"
            assert form.values("new").type_id is None

    run_async(scenario())


def test_a_refused_create_keeps_everything_and_marks_the_field_connectwise_named(
    fresh: Sandbox, make_dialog: MakeDialog, run_async: Run
) -> None:
    # A restored draft whose contact now belongs to another company: ConnectWise says 400.
    other_contact = next(t["contact"]["id"] for t in tickets(fresh)
                         if t.get("contact") and t["company"]["id"] != CONTOSO)
    summary = "VPN drops every hour"

    async def scenario() -> None:
        async with service(fresh) as svc:
            dialog = make_dialog(svc)
            created: list[Any] = []
            dialog.ticket_created.connect(created.append)
            await fill_valid(dialog, summary)
            dialog.form.choices.set_company(CONTOSO, contact=other_contact,
                                            contact_name="Someone Else")
            await ready(dialog)
            dialog.form.description.setPlainText("Since Monday.")
            dialog.form.internal_note.setPlainText("Firmware?")
            before = dialog.form.values("new")
            dialog.submit()
            await wait_for(lambda: bool(dialog.form.errors()))
            await ready(dialog)
            assert list(dialog.form.errors()) == ["contact"]
            assert "does not belong" in dialog.form.rows["contact"].error
            assert "nothing was created" in dialog.form.message.text
            after = dialog.form.values("new")
            assert after.model_dump(exclude={"saved_at"}) == before.model_dump(
                exclude={"saved_at"})
            assert with_summary(fresh, summary) == [] and created == []
            assert dialog.isVisible() and dialog.form.create_button.isEnabled()

    run_async(scenario())


@dataclass
class FaultOnCreate(httpx2.AsyncBaseTransport):
    """Turns a sandbox fault on for ticket POSTs only; it strikes after the write."""

    sandbox: Sandbox
    fault: str
    keep_failing: bool = False
    inner: httpx2.AsyncBaseTransport = field(default_factory=httpx2.AsyncHTTPTransport)
    posts: int = 0

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        is_create = request.method == "POST" and request.url.path.endswith("/service/tickets")
        if is_create:
            self.posts += 1
        strike = is_create and self.posts == 1
        if strike or self.keep_failing:
            self.sandbox.control.configure(faults=self.fault)
        try:
            response = await self.inner.handle_async_request(request)
            await response.aread()
            return response
        finally:
            if strike and not self.keep_failing:
                self.sandbox.control.configure(faults="none")

    async def aclose(self) -> None:
        await self.inner.aclose()


def test_a_create_that_fails_after_the_write_creates_exactly_one_ticket(
    fresh: Sandbox, make_dialog: MakeDialog, run_async: Run
) -> None:
    summary = "Server room too hot"
    transport = FaultOnCreate(fresh, "500=1")

    async def scenario() -> None:
        async with service(fresh, transport=transport) as svc:
            dialog = make_dialog(svc)
            created: list[Any] = []
            dialog.ticket_created.connect(created.append)
            await fill_valid(dialog, summary)
            dialog.submit()
            await wait_for(lambda: bool(created))
            assert transport.posts == 1
            assert [t["id"] for t in with_summary(fresh, summary)] == [created[0].id]

    run_async(scenario())


def test_an_unknown_outcome_says_it_may_exist_offers_a_search_and_keeps_the_form(
    fresh: Sandbox, make_dialog: MakeDialog, run_async: Run
) -> None:
    summary = "Phones down at the front desk"
    transport = FaultOnCreate(fresh, "500=1")

    async def scenario() -> None:
        async with service(fresh, transport=transport) as svc:
            dialog = make_dialog(svc)
            await fill_valid(dialog, summary)
            links: list[str] = []
            dialog.open_link_requested.connect(links.append)
            transport.keep_failing = True
            dialog.submit()
            await wait_for(lambda: not dialog.creating)
            fresh.control.configure(faults="none")
            message = dialog.form.message
            assert "may have been created" in message.text
            assert "checking for it failed too" in message.text  # the check 500s as well
            assert "Search the ticket list" in message.text
            assert transport.posts == 1  # never re-sent blindly
            message.label.linkActivated.emit(links_target(message.label.text()))
            assert links and links[0].startswith("dispatch-desk://tickets?")
            assert f"company={CONTOSO}" in links[0] and "Phones" in links[0]
            assert dialog.form.summary.text() == summary and dialog.isVisible()

    run_async(scenario())


def links_target(html: str) -> str:
    start = html.index('href="') + len('href="')
    return html[start: html.index('"', start)].replace("&amp;", "&")


def test_ctrl_enter_in_the_description_creates(
    fresh: Sandbox, make_dialog: MakeDialog, run_async: Run
) -> None:
    summary = "Outlook asks for the password again"

    async def scenario() -> None:
        async with service(fresh) as svc:
            dialog = make_dialog(svc)
            created: list[Any] = []
            dialog.ticket_created.connect(created.append)
            await fill_valid(dialog, summary)
            dialog.tabs.setCurrentWidget(dialog.form)
            dialog.form.description.setFocus()
            QTest.keyClick(dialog.form.description, Qt.Key.Key_Return,
                           Qt.KeyboardModifier.ControlModifier)
            await wait_for(lambda: bool(created))
            assert len(with_summary(fresh, summary)) == 1
            assert dialog.form.description.toPlainText() == ""  # Ctrl+Enter typed no newline

    run_async(scenario())


def test_the_company_search_offers_matches_and_choosing_one_loads_its_contacts(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run
) -> None:
    async def scenario() -> None:
        async with service(sandbox) as svc:
            dialog = make_dialog(svc)
            await ready(dialog)
            found = await dialog.form._search_companies("contoso")
            assert (CONTOSO_LABEL, CONTOSO) in found
            assert not dialog.form.contact.isEnabled()
            choose_company(dialog, CONTOSO, CONTOSO_LABEL)
            await ready(dialog)
            assert dialog.form.contact.isEnabled()
            assert dialog.form.contact.findData(AISHA) > 0
            # A search being typed is not a choice: the draft keeps the chosen company.
            line = dialog.form.company.lineEdit()
            assert line is not None
            line.setText("north")
            draft = dialog.current_draft()
            assert (draft.company_id, draft.company_name) == (CONTOSO, CONTOSO_LABEL)

    run_async(scenario())


def test_an_unknown_outcome_says_whether_the_lookup_ran_or_failed_too() -> None:
    ticket = NewTicket(summary="Phones down", company_id=CONTOSO, board_id=1)
    not_yet = describe_failure(CreateOutcomeUnknown("x", token="t"), ticket).message
    assert "not found yet" in not_yet and "failed too" not in not_yet
    failed = describe_failure(CreateOutcomeUnknown("x", token="t", looked_up=False), ticket)
    assert "checking for it failed too" in failed.message and failed.maybe_created
