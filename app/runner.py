"""The qasync event loop's life: run until quit is requested, then shut down in a fixed order."""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from enum import IntEnum

import PySide6.QtCore
import PySide6.QtWidgets  # qasync picks the Qt binding already imported: PySide6 before it
import qasync

log = logging.getLogger(__name__)

ShutdownStep = Callable[[], Awaitable[None] | None]
SHUTDOWN_STEP_TIMEOUT = 5.0
"""No step may hold up exit longer than this (a hung HTTP close must not keep a zombie window)."""
EXTERNAL_QUIT_GRACE = 10.0


class Phase(IntEnum):
    """Shutdown phases, in the order they run."""

    TRAY = 0  # first: no notification may fire into a window being torn down
    WINDOWS = 1  # then the widgets, cancelling their tasks before the client goes away
    HTTP = 2  # then the service and its HTTP client
    SANDBOX = 3  # last: the demo's sandbox child, which in-flight requests may still be talking to


class Shutdown:
    """Clean-up steps grouped by phase; within a phase the last added runs first."""

    def __init__(self) -> None:
        self._steps: dict[Phase, list[tuple[str, ShutdownStep]]] = {p: [] for p in Phase}
        self.ran: list[str] = []
        """Names of the steps run, in order (tests and logs)."""

    def add(self, phase: Phase, name: str, step: ShutdownStep) -> None:
        """Register ``step`` to run in ``phase``."""
        self._steps[phase].append((name, step))

    async def run(self) -> None:
        """Run every step once; a failing or hanging step is logged and skipped."""
        for phase in Phase:
            steps, self._steps[phase] = self._steps[phase], []
            for name, step in reversed(steps):
                self.ran.append(name)
                try:
                    result = step()
                    if inspect.isawaitable(result):
                        await asyncio.wait_for(result, SHUTDOWN_STEP_TIMEOUT)
                except Exception:
                    log.exception("Shutdown step %r failed", name)


StartFn = Callable[["AppRunner"], Awaitable[None]]


class AppRunner:
    """Runs the app on ``asyncio.Runner(loop_factory=qasync.QEventLoop)``.

    The main coroutine waits on ``quit_event``. Our own Quit sets it directly via
    ``request_quit``; a quit from outside (the OS ending the session, anyone calling
    ``QApplication.quit``) is seen through ``aboutToQuit``. Qt has already left its loop by then,
    so the event is set once the runner has re-entered the loop to run the shutdown.
    """

    def __init__(
        self, app: PySide6.QtWidgets.QApplication, shutdown: Shutdown | None = None
    ) -> None:
        self._app = app
        self.shutdown = shutdown or Shutdown()
        self.quit_event = asyncio.Event()
        self.exit_code = 0
        self._external_quit = False
        app.aboutToQuit.connect(self._on_app_about_to_quit)
        self._quit_filter = _QuitRequestFilter(app, self)
        app.installEventFilter(self._quit_filter)

    def request_quit(self, exit_code: int = 0) -> None:
        """Ask the app to shut down and exit with ``exit_code`` (the first request wins)."""
        if not self.quit_event.is_set():
            self.exit_code = exit_code
            self.quit_event.set()

    def run(self, start: StartFn) -> int:
        """Run ``start`` then wait for quit; returns the exit code. Never raises from a start-up
        error: it is logged, the shutdown runs and the exit code is 1."""
        try:
            return self._run(start)
        finally:
            self._app.removeEventFilter(self._quit_filter)
            self._app.aboutToQuit.disconnect(self._on_app_about_to_quit)

    def _run(self, start: StartFn) -> int:
        with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(self._app)) as runner:
            main = runner.get_loop().create_task(self._main(start), name="app-main")
            waiter = self._await(main)
            for _attempt in range(3):
                try:
                    return runner.run(waiter)
                except RuntimeError:
                    if not self._external_quit or main.done():
                        raise
                # Qt left its loop (an external quit) before we shut down: re-enter it to do so.
                self.request_quit(self.exit_code)
                waiter = self._finish(main)
            log.error("Qt kept quitting before the shutdown could finish")
            return 1

    async def _main(self, start: StartFn) -> int:
        loop = asyncio.get_running_loop()
        try:
            await start(self)
            await self.quit_event.wait()
        except Exception:
            log.exception("Start-up failed")
            self.exit_code = self.exit_code or 1
        finally:
            # Qt's own quit closes every window, and a close can request our quit while Qt
            # is leaving its loop; qasync then still runs callbacks, without a running loop.
            # Defer the shutdown until run() has re-entered the loop.
            while not loop.is_running():
                await asyncio.sleep(0)
            await self.shutdown.run()
        return self.exit_code

    @staticmethod
    async def _await(main: asyncio.Task[int]) -> int:
        return await main

    @staticmethod
    async def _finish(main: asyncio.Task[int]) -> int:
        try:
            return await asyncio.wait_for(main, EXTERNAL_QUIT_GRACE)
        except TimeoutError:
            log.error("Shutdown did not finish within %.0f s", EXTERNAL_QUIT_GRACE)
            return 1

    def _on_app_about_to_quit(self) -> None:
        # Only a flag: waking coroutines now would run them after qasync stopped the loop.
        self._external_quit = True


class _QuitRequestFilter(PySide6.QtCore.QObject):
    """Turns ``QApplication.quit()`` into our ordered shutdown.

    Qt's quit closes every window and leaves the event loop at once; pending callbacks would
    then run after qasync stopped (tasks resuming without a running loop). Taking the Quit
    event here lets the shutdown run while the loop still runs; the loop ends when it is done.
    """

    def __init__(self, app: PySide6.QtWidgets.QApplication, runner: AppRunner) -> None:
        super().__init__(app)
        self._app = app
        self._runner = runner

    def eventFilter(self, watched: PySide6.QtCore.QObject, event: PySide6.QtCore.QEvent) -> bool:  # noqa: N802
        if watched is self._app and event.type() == PySide6.QtCore.QEvent.Type.Quit:
            self._runner.request_quit(self._runner.exit_code)
            return True
        return False
