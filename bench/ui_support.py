"""Shared set-up for the main-window benchmarks: Qt + qasync, a sandbox child, the service."""

from __future__ import annotations

import asyncio
import os
import platform
import sys
import tempfile
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import qasync
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from psa import Credentials, TicketService, open_service
from psa.sandbox import spawn_sandbox
from ui.pyside_refcount_fix import keep_singletons_alive

T = TypeVar("T")
CLIENT_ID = "5f2b3c1e-8a4d-4e6f-9b7a-1c2d3e4f5a6b"


def run_qt(main: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine on a qasync loop inside a QApplication (offscreen by default)."""
    keep_singletons_alive()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        result: T = loop.run_until_complete(main())
    finally:
        loop.close()
    return result


@asynccontextmanager
async def sandbox_service(
    *, latency_ms: int, tickets: int = 300, key: str = "sandbox"
) -> AsyncIterator[TicketService]:
    """A sandbox child process at `latency_ms` per response and the real service on it."""
    child = await asyncio.to_thread(
        spawn_sandbox, ["--latency-ms", str(latency_ms), "--tickets", str(tickets)]
    )
    try:
        creds = Credentials(site=child.url, company_id="sandbox", public_key=f"{key}-public",
                            private_key=f"{key}-private", client_id=CLIENT_ID)
        async with open_service(creds) as svc:
            yield svc
    finally:
        child.close()


def temp_settings() -> QSettings:
    """Throwaway settings (the benchmark never touches the user's profile)."""
    path = Path(tempfile.mkdtemp(prefix="dd-bench-")) / "settings.ini"
    return QSettings(str(path), QSettings.Format.IniFormat)


def conditions(**figures: object) -> str:
    """One line naming the machine and the run's conditions."""
    extra = ", ".join(f"{k}={v}" for k, v in figures.items())
    return (f"{platform.system()} {platform.machine()}, Python {platform.python_version()}, "
            f"Qt platform {os.environ.get('QT_QPA_PLATFORM', 'native')}, {os.cpu_count()} CPUs"
            + (f"; {extra}" if extra else ""))


async def until(predicate: Callable[[], bool], timeout: float = 60.0) -> None:
    """Poll the running loop until `predicate` holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0.001)
