"""Start-up end to end, in-process: the demo, --screenshot, the first-run dialog, isolation."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QApplication

import app.profile
from app.main import main
from app.profile import Profile, profile_at
from app.profile import temporary_profile as real_temporary_profile
from app.secrets import InMemoryStore, KeyringStore
from app.settings import ConnectionSettings, SavedConnection, open_settings
from ui.connection.connection_dialog import ConnectionDialog
from ui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("collect_qt_garbage")


class KeyringSpy(KeyringStore):
    """A keyring store that fails the test if anything reaches the keychain."""

    calls = 0

    def _keyring(self) -> Any:
        KeyringSpy.calls += 1
        raise AssertionError("the keychain was touched")


def spy_factory() -> KeyringStore:
    KeyringSpy.calls += 1  # even building the real store is too much for the demo
    return KeyringSpy()


@pytest.fixture
def sandbox() -> Iterator[Any]:
    from psa.sandbox import Sandbox, SandboxConfig

    with Sandbox(SandboxConfig(tickets=60)) as sb:
        yield sb


def test_demo_screenshot_writes_a_1440x900_png_and_exits_0(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    KeyringSpy.calls = 0
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))  # where the throwaway profile goes
    used: list[Profile] = []

    def recording_temporary_profile() -> Profile:
        used.append(real_temporary_profile())
        return used[-1]

    monkeypatch.setattr(app.profile, "temporary_profile", recording_temporary_profile)
    png = tmp_path / "shot.png"
    code = main(["--demo", "--screenshot", str(png)], secret_store=spy_factory)
    assert code == 0
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1440, 900)
    assert png.stat().st_size > 10_000  # a rendered table, not an empty frame
    assert KeyringSpy.calls == 0
    assert len(used) == 1 and used[0].config_dir.parent == temp
    assert list(temp.iterdir()) == []  # the throwaway profile is gone
    config_home = Path(os.environ["XDG_CONFIG_HOME"])
    assert not (config_home / "Dispatch Desk").exists()  # the real profile was never created


class CapturedWindow(MainWindow):
    """The real main window, noting what its detail dock shows when the screenshot is taken."""

    at_grab: ClassVar[list[dict[str, Any]]] = []

    def grab(self, *args: Any) -> QPixmap:
        dock = self.detail_dock
        CapturedWindow.at_grab.append({
            "ticket": dock.ticket_id, "complete": dock.panel.complete,
            "visible": dock.isVisible(), "width": dock.width(),
            "summary": dock.panel.header.summary.text(),
            "selected": self.page.table.current_ticket_id(),
        })
        return super().grab(*args)


def test_open_ticket_screenshot_shows_the_ticket_with_every_section_loaded(
    qapp: QApplication, tmp_path: Path, sandbox: Any
) -> None:
    with sandbox.store.lock:  # the newest open ticket: on the list's first page
        ticket = max((dict(t) for t in sandbox.store.records("tickets")
                      if not t.get("closedFlag") and t.get("contact")), key=lambda t: t["id"])
    CapturedWindow.at_grab.clear()
    png = tmp_path / "ticket.png"
    argv = ["--demo", "--sandbox-url", sandbox.url, "--open-ticket", str(ticket["id"]),
            "--screenshot", str(png)]
    assert main(argv, window_factory=CapturedWindow) == 0
    [state] = CapturedWindow.at_grab
    assert state == {"ticket": ticket["id"], "complete": True, "visible": True,
                     "width": state["width"], "summary": ticket["summary"],
                     "selected": ticket["id"]}  # the list shows which ticket the dock holds
    assert state["width"] >= 380  # the dock's minimum: header pairs and tabs side by side
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1440, 900)


def test_open_ticket_screenshot_of_a_missing_ticket_fails_with_the_reason(
    qapp: QApplication, tmp_path: Path, sandbox: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    png = tmp_path / "ticket.png"
    argv = ["--demo", "--sandbox-url", sandbox.url, "--open-ticket", "999",
            "--screenshot", str(png), "--screenshot-timeout", "10"]
    assert main(argv) != 0
    assert not png.exists()
    assert "Ticket #999" in capsys.readouterr().err


def test_screenshot_fails_with_a_message_when_tickets_are_forbidden(
    qapp: QApplication, tmp_path: Path, sandbox: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    png = tmp_path / "shot.png"
    argv = ["--demo", "--sandbox-url", sandbox.url, "--demo-key", "noaccess"]
    code = main([*argv, "--screenshot", str(png), "--screenshot-timeout", "10"])
    assert code != 0
    assert not png.exists()
    assert "screenshot failed" in capsys.readouterr().err


def test_a_corrupt_list_cache_does_not_stop_the_demo(
    qapp: QApplication, tmp_path: Path, sandbox: Any
) -> None:
    profile = profile_at(tmp_path / "profile").ensure()
    garbage = os.urandom(4096)
    (profile.cache_dir / "lists-demo.sqlite").write_bytes(garbage)
    png = tmp_path / "shot.png"
    argv = ["--demo", "--sandbox-url", sandbox.url, "--profile", str(tmp_path / "profile"),
            "--screenshot", str(png)]
    assert main(argv) == 0
    assert QImage(str(png)).width() == 1440
    assert (profile.cache_dir / "lists-demo.sqlite.corrupt-1").read_bytes() == garbage
    assert "damaged" in profile.log_path.read_text(encoding="utf-8")


def test_saved_connection_opens_the_main_window_with_tickets(
    qapp: QApplication, tmp_path: Path, sandbox: Any
) -> None:
    profile = profile_at(tmp_path / "profile").ensure()
    connection = SavedConnection(
        site=sandbox.url,
        company_id="sandbox",
        public_key="sandbox-public",
        client_id="5f6e1b2a-7c3d-4e8f-9a0b-1c2d3e4f5a6b",
    )
    ConnectionSettings(open_settings(profile.settings_path)).save(connection)
    store = InMemoryStore()
    store.secrets[connection.account] = "sandbox-private"
    png = tmp_path / "shot.png"
    argv = ["--profile", str(tmp_path / "profile"), "--screenshot", str(png)]
    assert main(argv, secret_store=lambda: store) == 0
    assert QImage(str(png)).width() == 1440
    assert "sandbox-private" not in profile.settings_path.read_text(encoding="utf-8")
    log_text = profile.log_path.read_text(encoding="utf-8")
    assert "sandbox-private" not in log_text


def test_a_corrupt_list_cache_does_not_stop_a_saved_connection(
    qapp: QApplication, tmp_path: Path, sandbox: Any
) -> None:
    # It used to end in "Could not open this connection. file is not a database" on every start.
    profile = profile_at(tmp_path / "profile").ensure()
    connection = SavedConnection(site=sandbox.url, company_id="sandbox",
                                 public_key="sandbox-public",
                                 client_id="5f6e1b2a-7c3d-4e8f-9a0b-1c2d3e4f5a6b")
    ConnectionSettings(open_settings(profile.settings_path)).save(connection)
    store = InMemoryStore()
    store.secrets[connection.account] = "sandbox-private"
    (profile.cache_dir / f"lists-{connection.key}.sqlite").write_bytes(os.urandom(4096))
    png = tmp_path / "shot.png"
    argv = ["--profile", str(tmp_path / "profile"), "--screenshot", str(png)]
    assert main(argv, secret_store=lambda: store) == 0
    assert QImage(str(png)).width() == 1440


def test_without_a_saved_connection_the_first_run_dialog_opens(
    qapp: QApplication, tmp_path: Path
) -> None:
    seen: list[tuple[str, str]] = []
    deadline = time.monotonic() + 30

    def cancel_the_dialog() -> None:
        dialogs = [w for w in qapp.topLevelWidgets() if isinstance(w, ConnectionDialog)]
        visible = [d for d in dialogs if d.isVisible()]
        if not visible and time.monotonic() < deadline:
            QTimer.singleShot(20, cancel_the_dialog)  # not shown yet (a slow start-up)
            return
        seen.extend((d.windowTitle(), d.site.text()) for d in visible)
        for dialog in visible:
            dialog.reject()  # cancelling the first run quits: nothing to show
        if not visible:
            qapp.exit(1)  # never shown: end the run instead of waiting for a user

    QTimer.singleShot(300, cancel_the_dialog)
    code = main(["--profile", str(tmp_path / "p")], secret_store=InMemoryStore)
    assert code == 0
    assert seen == [("Connect to ConnectWise", "")]
