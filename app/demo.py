"""The demo: a sandbox child process (defaults plus --activity) and the credentials for it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import subprocess
import sys
import threading
from typing import IO, TYPE_CHECKING, Literal

from app.product import DEMO_CLIENT_ID, SANDBOX_CHILD_FLAG

if TYPE_CHECKING:
    from psa.connectwise.credentials import Credentials

log = logging.getLogger(__name__)

DEMO_COMPANY = "sandbox"
DemoKey = Literal["sandbox", "restricted", "noaccess"]
SANDBOX_ARGS = ("--activity",)
SPAWN_TIMEOUT = 60.0
LISTENING = "listening on "


def free_loopback_port() -> int:
    """A port free on 127.0.0.1 now, so the demo's URL is known before its child is up."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def demo_credentials(url: str, key: DemoKey = "sandbox") -> Credentials:
    """Credentials for a sandbox at ``url`` with one of its key pairs."""
    from pydantic import SecretStr

    from psa.connectwise.credentials import Credentials

    return Credentials(
        site=url,
        company_id=DEMO_COMPANY,
        public_key=f"{key}-public",
        private_key=SecretStr(f"{key}-private"),
        client_id=DEMO_CLIENT_ID,
    )


def sandbox_command(args: list[str]) -> list[str]:
    """How to run ``python -m psa.sandbox ARGS`` from this interpreter, or from the frozen app."""
    if getattr(sys, "frozen", False):
        return [sys.executable, SANDBOX_CHILD_FLAG, *args]
    return [sys.executable, "-m", "psa.sandbox", *args]


class DemoSandbox:
    """The demo's sandbox child process: launched at once, stopped last at shutdown.

    The port is chosen up front so the main window can be built (and shown) with the demo's
    credentials while the child is still starting; ``start()`` waits for its ``listening on``
    line. The child is launched directly rather than through ``psa.sandbox.spawn_sandbox`` so
    the GUI process never imports the sandbox (its data and server) just to start it.
    """

    def __init__(self, *, port: int | None = None, extra_args: tuple[str, ...] = ()) -> None:
        self.port = port if port is not None else free_loopback_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._args = [*SANDBOX_ARGS, "--port", str(self.port), *extra_args]
        self._process: subprocess.Popen[str] | None = None
        self._line: asyncio.Future[str] | None = None
        self.stopped = False
        """``stop()`` was called (a start cut short by quitting is not a failure)."""

    def launch(self) -> None:
        """Start the child now (a few milliseconds); ``start()`` awaits its announcement."""
        if self._process is not None:
            return
        flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # no console window on Windows
        self._process = subprocess.Popen(
            sandbox_command(self._args), stdout=subprocess.PIPE, text=True, creationflags=flags
        )
        stdout = self._process.stdout
        assert stdout is not None
        self._line = asyncio.get_running_loop().run_in_executor(None, _first_line, stdout)

    async def start(self) -> str:
        """Launch if needed and wait until the child listens; returns its URL."""
        self.launch()
        assert self._line is not None
        try:
            line = await asyncio.wait_for(asyncio.shield(self._line), SPAWN_TIMEOUT)
        except TimeoutError:
            raise RuntimeError("the demo sandbox did not start in time") from None
        if not line.startswith(LISTENING):
            raise RuntimeError(f"the demo sandbox did not start (it said {line.strip()!r})")
        self.url = line[len(LISTENING) :].strip()
        log.info("Demo sandbox listening on %s", self.url)
        return self.url

    async def stop(self) -> None:
        """Stop the child: terminate, then kill if it lingers."""
        self.stopped = True
        process, self._process = self._process, None
        if process is None:
            return
        await asyncio.to_thread(_stop, process)


def _first_line(stream: IO[str]) -> str:
    line = stream.readline()
    # Keep draining: a child blocked on a full pipe would stop serving.
    threading.Thread(target=_drain, args=(stream,), daemon=True).start()
    return line


def _drain(stream: IO[str]) -> None:
    with contextlib.suppress(OSError, ValueError):
        for _ in stream:
            pass


def _stop(process: subprocess.Popen[str], timeout: float = 10.0) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout)
