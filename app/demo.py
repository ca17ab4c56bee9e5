"""The demo: a sandbox child process (defaults plus --activity) and the credentials for it."""

from __future__ import annotations

import asyncio
import logging
import socket
from typing import TYPE_CHECKING, Literal

from app.product import DEMO_CLIENT_ID

if TYPE_CHECKING:
    from psa.connectwise.credentials import Credentials
    from psa.sandbox import SandboxProcess

log = logging.getLogger(__name__)

DEMO_COMPANY = "sandbox"
DemoKey = Literal["sandbox", "restricted", "noaccess"]
DEMO_KEYS: tuple[DemoKey, ...] = ("sandbox", "restricted", "noaccess")
"""The sandbox's key pairs: a full dispatcher, a role missing lookups, no ticket access."""
SANDBOX_ARGS = ("--activity",)
SPAWN_TIMEOUT = 60.0


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


class DemoSandbox:
    """The demo's sandbox child: started in a worker thread, stopped last at shutdown.

    The port is chosen up front so the main window can be built (and shown) with the demo's
    credentials while the child is still starting; ``ready`` says when it is listening.
    """

    def __init__(self, *, port: int | None = None, extra_args: tuple[str, ...] = ()) -> None:
        self.port = port if port is not None else free_loopback_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._args = [*SANDBOX_ARGS, "--port", str(self.port), *extra_args]
        self._process: SandboxProcess | None = None
        self._spawning: asyncio.Future[SandboxProcess] | None = None
        self.ready = asyncio.Event()

    async def start(self) -> str:
        """Start the child and wait for its ``listening on`` line; returns its URL."""
        self._spawning = asyncio.ensure_future(asyncio.to_thread(_spawn, self._args))
        # Shielded: a cancelled start must still let stop() find and close the child.
        self._process = await asyncio.shield(self._spawning)
        if self._process.url != self.url:
            log.warning("Sandbox listens on %s, not %s", self._process.url, self.url)
            self.url = self._process.url
        self.ready.set()
        log.info("Demo sandbox listening on %s", self.url)
        return self.url

    async def stop(self) -> None:
        """Stop the child (terminate, then kill), also one that is still starting."""
        spawning, self._spawning = self._spawning, None
        if self._process is None and spawning is not None:
            try:
                self._process = await spawning
            except Exception:
                return  # it never started (spawn_sandbox closes a child that fails to announce)
        process, self._process = self._process, None
        if process is not None:
            await asyncio.to_thread(process.close)


def _spawn(args: list[str]) -> SandboxProcess:
    from psa.sandbox import spawn_sandbox

    return spawn_sandbox(args, timeout=SPAWN_TIMEOUT)
