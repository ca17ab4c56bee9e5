"""The connection dialog: test connection (sandbox), plain-words errors, saving via the saver."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from pydantic import SecretStr
from pytestqt.qtbot import QtBot

from psa.connectwise.credentials import Credentials
from psa.connectwise.errors import AuthFailed
from tests.ui.qt_harness import wait_for
from ui.connection.connection_dialog import ConnectionDialog, ConnectionFields

if TYPE_CHECKING:
    from psa.sandbox import Sandbox

GUID = "5f6e1b2a-7c3d-4e8f-9a0b-1c2d3e4f5a6b"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    from psa.sandbox import Sandbox, SandboxConfig

    with Sandbox(SandboxConfig(tickets=20)) as sb:
        yield sb


async def sandbox_probe(creds: Credentials) -> str:
    """The app's own Test connection: one client, system/info."""
    from app.probe import probe_connection

    return await probe_connection(creds)


async def never_saves(_creds: Credentials) -> None:
    raise AssertionError("not expected to save")


def fill(dialog: ConnectionDialog, qtbot: QtBot, url: str, private: str) -> None:
    qtbot.keyClicks(dialog.site, url)
    qtbot.keyClicks(dialog.company_id, "sandbox")
    qtbot.keyClicks(dialog.public_key, "sandbox-public")
    dialog.private_key.setText(private)  # pasted, possibly with a trailing newline


def make(qtbot: QtBot, **kwargs: Any) -> ConnectionDialog:
    kwargs.setdefault("tester", sandbox_probe)
    kwargs.setdefault("saver", never_saves)
    dialog = ConnectionDialog(default_client_id=GUID, **kwargs)
    qtbot.addWidget(dialog)
    return dialog


def test_test_connection_shows_the_connectwise_version(
    qtbot: QtBot, sandbox: Sandbox, run_async: Callable[..., Any]
) -> None:
    dialog = make(qtbot)

    async def scenario() -> None:
        dialog.open()
        fill(dialog, qtbot, sandbox.url, "sandbox-private")
        assert dialog.test_button.isEnabled()
        dialog.test_button.click()
        assert dialog.status.text() == "Testing the connection…"  # clicking did not block
        await wait_for(lambda: dialog.status.text().startswith("Connected"))

    run_async(scenario())
    assert "ConnectWise v" in dialog.status.text() or "ConnectWise 20" in dialog.status.text()


def test_a_wrong_key_is_reported_in_plain_words(
    qtbot: QtBot, sandbox: Sandbox, run_async: Callable[..., Any]
) -> None:
    dialog = make(qtbot)

    async def scenario() -> None:
        dialog.open()
        fill(dialog, qtbot, sandbox.url, "wrong-private")
        dialog.test_button.click()
        await wait_for(lambda: dialog.status.text().startswith("Could not connect"))

    run_async(scenario())
    text = dialog.status.text()
    assert "wrong-private" not in text
    assert "Traceback" not in text
    assert "401" in text or "key" in text.lower()


def test_the_private_key_field_is_masked(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLineEdit

    dialog = make(qtbot)
    assert dialog.private_key.echoMode() == QLineEdit.EchoMode.Password


def test_the_product_client_id_is_prefilled_and_editable(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    assert dialog.client_id.text() == GUID
    assert not dialog.client_id.isReadOnly()


def test_buttons_wait_for_every_required_field(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    assert not dialog.save_button.isEnabled()
    qtbot.keyClicks(dialog.site, "na.myconnectwise.net")
    qtbot.keyClicks(dialog.company_id, "acme")
    qtbot.keyClicks(dialog.public_key, "pub")
    assert not dialog.test_button.isEnabled()
    qtbot.keyClicks(dialog.private_key, "priv")
    assert dialog.save_button.isEnabled()


def test_save_hands_the_credentials_to_the_saver_then_closes(
    qtbot: QtBot, run_async: Callable[..., Any]
) -> None:
    received: list[Credentials] = []

    async def saver(creds: Credentials) -> None:
        await asyncio.sleep(0)
        received.append(creds)

    dialog = make(qtbot, saver=saver)
    saved: list[object] = []
    dialog.saved.connect(saved.append)

    async def scenario() -> None:
        dialog.open()
        fill(dialog, qtbot, "na.myconnectwise.net", "  priv-key \n")
        dialog.save_button.click()
        await wait_for(lambda: not dialog.isVisible())

    run_async(scenario())
    assert len(received) == 1
    assert received[0].private_key.get_secret_value() == "priv-key"
    assert saved == received
    assert dialog.result() == ConnectionDialog.DialogCode.Accepted


def test_a_failing_save_keeps_the_dialog_open_with_the_reason(
    qtbot: QtBot, run_async: Callable[..., Any]
) -> None:
    async def saver(_creds: Credentials) -> None:
        raise RuntimeError("Could not store the private key in the system credential store")

    dialog = make(qtbot, saver=saver)

    async def scenario() -> None:
        dialog.open()
        fill(dialog, qtbot, "na.myconnectwise.net", "priv")
        dialog.save_button.click()
        await wait_for(lambda: dialog.status.text().startswith("Not saved"))

    run_async(scenario())
    assert dialog.isVisible()
    assert dialog.save_button.isEnabled()
    assert "credential store" in dialog.status.text()


def test_editing_a_field_drops_a_test_in_flight(
    qtbot: QtBot, run_async: Callable[..., Any]
) -> None:
    started = asyncio.Event()

    async def slow_tester(_creds: Credentials) -> str:
        started.set()
        await asyncio.sleep(10)
        return "never"

    dialog = make(qtbot, tester=slow_tester)

    async def scenario() -> None:
        dialog.open()
        fill(dialog, qtbot, "na.myconnectwise.net", "priv")
        dialog.test_button.click()
        await asyncio.wait_for(started.wait(), 5)
        qtbot.keyClicks(dialog.private_key, "x")
        await asyncio.sleep(0.01)

    run_async(scenario())
    assert dialog.status.text() == ""


def test_auth_errors_use_the_client_message(qtbot: QtBot, run_async: Callable[..., Any]) -> None:
    async def refusing(_creds: Credentials) -> str:
        raise AuthFailed("ConnectWise refused the API keys. Check the public and private key.")

    dialog = make(qtbot, tester=refusing)

    async def scenario() -> None:
        fill(dialog, qtbot, "na.myconnectwise.net", "priv")
        dialog.test_button.click()
        await wait_for(lambda: dialog.status.text().startswith("Could not connect"))

    run_async(scenario())
    assert "refused the API keys" in dialog.status.text()


def test_try_the_demo_asks_for_the_demo_and_closes(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    dialog.open()
    with qtbot.waitSignal(dialog.demo_requested, timeout=1000):
        dialog.demo_button.click()
    assert not dialog.isVisible()


def test_editing_opens_with_the_stored_values(qtbot: QtBot) -> None:
    fields = ConnectionFields(
        site="na.myconnectwise.net",
        company_id="acme",
        public_key="pub",
        client_id=GUID,
        private_key=SecretStr("stored"),
    )
    dialog = make(qtbot, initial=fields)
    assert dialog.windowTitle() == "Edit connection"
    assert dialog.private_key.text() == "stored"
    assert dialog.save_button.isEnabled()
