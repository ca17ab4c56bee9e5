"""What the list says when it cannot load: plain words on screen, the technical detail aside."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from psa import Credentials, TicketFilters, open_service
from psa.connectwise.errors import AuthFailed, RateLimited, ServerError, Timeout, Unreachable
from psa.sandbox import Sandbox
from tests.ui.qt_harness import wait_for
from tests.ui.test_main_window import open_window
from tests.ui.tickets.conftest import CLIENT_ID
from ui.tickets.banner import Banner
from ui.tickets.problems import Problem, ProblemKind, problem_for


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_site_is_named_with_a_short_reason_and_no_endpoint(
    run_async: Callable[..., Any], qtbot: QtBot
) -> None:
    port = closed_port()

    async def real_error() -> Unreachable:
        creds = Credentials(site=f"http://127.0.0.1:{port}", company_id="sandbox",
                            public_key="p", private_key="k", client_id=CLIENT_ID)
        try:
            async with open_service(creds) as svc:
                await svc.search_tickets(TicketFilters())
        except Unreachable as exc:
            return exc
        raise AssertionError("the closed port answered")

    exc = run_async(real_error())
    problem = problem_for(exc)
    assert problem.kind is ProblemKind.CONNECTION and problem.retry_automatically
    assert problem.message == (
        f"Can't reach 127.0.0.1:{port}: no connection could be made. Retrying automatically…"
    )
    # The technical words are kept for the tooltip and the log, not the sentence.
    assert problem.detail == exc.message and "ConnectError" in problem.detail
    banner = Banner()
    qtbot.addWidget(banner)
    banner.show_problem(problem)
    assert banner.text.text() == problem.message
    assert banner.text.toolTip() == exc.message


def test_connection_reasons_are_plain_words() -> None:
    def said(exc: Exception) -> str:
        assert isinstance(exc, Unreachable | RateLimited | ServerError)
        return problem_for(exc).message

    timeout = Timeout("https://na.myconnectwise.net did not answer GET /service/tickets in time "
                      "(ReadTimeout). Check the network or try again.", code="ReadTimeout")
    dropped = Unreachable(
        "Could not reach https://na.myconnectwise.net for GET /service/tickets "
        "(RemoteProtocolError: Server disconnected without sending a response.). "
        "Check the site name and the network.", code="RemoteProtocolError")
    unknown = Unreachable(
        "Could not reach https://cw.example.invalid for GET /system/info (ConnectError: "
        "[Errno -2] Name or service not known). Check the site name and the network.",
        code="ConnectError")
    assert said(timeout) == "Can't reach na.myconnectwise.net: no answer in time. " \
        "Retrying automatically…"
    assert said(dropped) == "Can't reach na.myconnectwise.net: the connection dropped. " \
        "Retrying automatically…"
    assert said(unknown) == "Can't reach cw.example.invalid: the site name was not found. " \
        "Retrying automatically…"
    busy = said(RateLimited("ConnectWise is over capacity and refused GET /service/tickets "
                            "(429).", status=429))
    failing = said(ServerError("ConnectWise failed on GET /service/tickets (HTTP 503).",
                               status=503))
    for message in (busy, failing):
        assert "GET" not in message and "/" not in message.replace("…", "")
        assert message.endswith("Retrying automatically…")
    assert "HTTP 503" in failing


def test_a_refused_sign_in_says_what_to_check_without_the_request() -> None:
    exc = AuthFailed("ConnectWise rejected the API credentials (GET /login/companyinfo/"
                     "{companyId}). Check the company ID, public and private key, and that the "
                     "API member is active.", status=401)
    problem = problem_for(exc)
    assert problem.kind is ProblemKind.AUTH
    assert "GET" not in problem.message and "{" not in problem.message
    assert "revoked" in problem.message
    assert problem.detail == exc.message


def test_a_refused_sign_in_offers_edit_connection_once_the_app_wires_it(qtbot: QtBot) -> None:
    banner = Banner()
    qtbot.addWidget(banner)
    asked: list[bool] = []
    banner.edit_connection_requested.connect(lambda: asked.append(True))
    auth = Problem(ProblemKind.AUTH, "ConnectWise did not accept this connection's API keys.")
    banner.show_problem(auth)
    assert banner.edit_connection.isHidden()  # nobody can open the dialog (the demo)
    banner.offer_edit_connection(True)
    assert not banner.edit_connection.isHidden() and not banner.retry.isHidden()
    banner.edit_connection.click()
    assert asked == [True]
    banner.show_problem(Problem(ProblemKind.CONNECTION, "Can't reach x: no connection."))
    assert banner.edit_connection.isHidden()  # keys are not the problem there


def test_noaccess_key_status_bar_does_not_say_no_tickets_match(
    sandbox: Sandbox, settings: QSettings, run_async: Callable[..., Any]
) -> None:
    async def scenario() -> None:
        async with open_window(sandbox, settings, key="noaccess") as (window, _backend):
            banner = window.page.banner
            await wait_for(banner.isVisible)
            await wait_for(lambda: not window.page.controller.loading)
            await asyncio.sleep(0.1)
            assert banner.problem is not None and banner.problem.kind is ProblemKind.PERMISSION
            assert window.range_label.text() == "Tickets can't be read with this key"

    run_async(scenario())


def test_a_refused_sign_in_leaves_the_status_bar_to_the_banner(
    sandbox: Sandbox, settings: QSettings, run_async: Callable[..., Any]
) -> None:
    async def scenario() -> None:
        async with open_window(sandbox, settings, show=False) as (window, backend):
            backend.fail_with = AuthFailed("ConnectWise rejected the API credentials.")
            window.show()
            await wait_for(lambda: window.page.banner.problem is not None)
            await wait_for(lambda: not window.page.controller.loading)
            assert window.page.model.rowCount() == 0
            assert window.range_label.text() == ""

    run_async(scenario())
