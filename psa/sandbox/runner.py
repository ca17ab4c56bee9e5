"""Running the sandbox: the async core, in-process (a thread) and as a child process."""

from __future__ import annotations

import asyncio
import contextlib
import queue
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import IO, Self

from psa.sandbox.auth import KeyRing
from psa.sandbox.clock import Clock, SystemClock
from psa.sandbox.control import Control, Runtime, Stats, like_wildcards_mode, shape_mode
from psa.sandbox.faults import FaultInjector, FaultSpec, RateLimiter
from psa.sandbox.pipeline import API_PREFIX, SandboxApp
from psa.sandbox.server import HttpServer
from psa.sandbox.store import Store

LISTENING = "listening on "


@dataclass
class SandboxConfig:
    """How to run a sandbox. Same seed and ticket count ⇒ same ids and content."""

    host: str = "127.0.0.1"
    port: int = 0
    seed: int = 1
    tickets: int = 300
    latency_ms: int = 0
    rate_limit: int | None = None
    faults: str | None = None
    activity: bool = False
    activity_interval: float = 5.0
    shapes: str = "full"
    like_wildcards: str = "both"
    notes_bump_last_updated: bool = True
    clock: Clock | None = None
    # Time source of the rate limiter's one-second window; tests may freeze it.
    monotonic: Callable[[], float] | None = None


def _bind(host: str, port: int) -> socket.socket:
    sock = socket.create_server((host, port), backlog=128)
    sock.setblocking(False)
    return sock


class SandboxCore:
    """A bound socket, the seeded store and the server; started and closed inside a loop."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.sock = _bind(config.host, config.port)
        self.port: int = self.sock.getsockname()[1]
        host = f"[{config.host}]" if ":" in config.host else config.host
        self.url = f"http://{host}:{self.port}"
        self.api_url = self.url + API_PREFIX
        self.clock: Clock = config.clock or SystemClock()
        limiter = RateLimiter(None, config.monotonic) if config.monotonic else RateLimiter(None)
        limiter.set_limit(config.rate_limit)
        try:
            store = Store(
                seed=config.seed, tickets=config.tickets, clock=self.clock, api_base=self.api_url
            )
        except BaseException:
            self.sock.close()
            raise
        store.notes_bump_last_updated = config.notes_bump_last_updated
        self.runtime = Runtime(
            store=store,
            clock=self.clock,
            keyring=KeyRing(),
            faults=FaultInjector(FaultSpec.parse(config.faults)),
            limiter=limiter,
            stats=Stats(),
            latency_ms=config.latency_ms,
            shapes=shape_mode(config.shapes),
            activity_interval=config.activity_interval,
            like_wildcards=like_wildcards_mode(config.like_wildcards),
        )
        self.control = Control(self.runtime)
        self.app = SandboxApp(self.runtime, self.control, self.url)
        self.http = HttpServer(self.app, self.app.completed)
        self._activity: asyncio.Task[None] | None = None

    @property
    def store(self) -> Store:
        return self.runtime.store

    async def start(self) -> None:
        await self.http.start(self.sock)
        if self.config.activity:
            self._activity = asyncio.create_task(self._activity_loop())

    async def close(self) -> None:
        if self._activity is not None:
            self._activity.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._activity
        await self.http.close()

    async def _activity_loop(self) -> None:
        while True:
            await asyncio.sleep(self.runtime.activity_interval)
            try:
                await asyncio.to_thread(self.control.step_activity, 1)
            except Exception:  # the generator must not kill the server; report and go on
                traceback.print_exc(file=sys.stderr)


class Sandbox:
    """An in-process sandbox on a background thread: ``with Sandbox(SandboxConfig()) as sb:``."""

    def __init__(self, config: SandboxConfig | None = None) -> None:
        self.config = config or SandboxConfig()
        self._core: SandboxCore | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    def start(self, timeout: float = 600.0) -> Self:
        self._thread = threading.Thread(target=self._main, name="psa-sandbox", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise TimeoutError("the sandbox did not start in time")
        if self._error is not None:
            raise RuntimeError("the sandbox failed to start") from self._error
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(30)
        self._loop = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _main(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:
            self._error = exc
            self._ready.set()

    async def _serve(self) -> None:
        self._core = SandboxCore(self.config)
        await self._core.start()
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            await self._core.close()

    @property
    def core(self) -> SandboxCore:
        if self._core is None:
            raise RuntimeError("the sandbox is not running")
        return self._core

    @property
    def url(self) -> str:
        return self.core.url

    @property
    def api_url(self) -> str:
        return self.core.api_url

    @property
    def port(self) -> int:
        return self.core.port

    @property
    def store(self) -> Store:
        return self.core.store

    @property
    def clock(self) -> Clock:
        return self.core.clock

    @property
    def control(self) -> Control:
        return self.core.control


class SandboxProcess:
    """``python -m psa.sandbox ARGS`` as a child process; ``close()`` (or exit) stops it."""

    def __init__(self, args: list[str], timeout: float = 120.0) -> None:
        self.args = list(args)
        self.process: subprocess.Popen[str] = subprocess.Popen(
            [sys.executable, "-m", "psa.sandbox", *self.args],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        try:
            self.line = _first_line(self.process.stdout, timeout)
        except BaseException:
            self.close()
            raise
        if not self.line.startswith(LISTENING):
            self.close()
            raise RuntimeError(f"unexpected sandbox output: {self.line!r}")
        self.url = self.line[len(LISTENING) :].strip()
        self.api_url = self.url + API_PREFIX

    def close(self, timeout: float = 10.0) -> int | None:
        """Stop the child (SIGTERM, then kill); its exit code."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        if self.process.stdout is not None:
            self.process.stdout.close()
        return self.process.returncode

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _first_line(stream: IO[str], timeout: float) -> str:
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: lines.put(stream.readline()), daemon=True)
    reader.start()
    deadline = time.monotonic() + timeout
    try:
        line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
    except queue.Empty:
        raise TimeoutError("the sandbox did not print its listening line in time") from None
    if not line:
        raise RuntimeError("the sandbox exited before listening")
    return line


def spawn_sandbox(args: list[str] | None = None, timeout: float = 120.0) -> SandboxProcess:
    """Start ``python -m psa.sandbox ARGS`` and wait for its ``listening on`` line."""
    return SandboxProcess(args or [], timeout)
