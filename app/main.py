"""Dispatch Desk's entry point: ``dispatch-desk [--demo] [--profile DIR] [--screenshot PATH]``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import ErrorHook, Scrubber, close_logging, setup_logging
from app.product import DEMO_KEYS, SANDBOX_CHILD_FLAG
from app.profile import Profile, choose_profile

# Only what paints the start-up frame is imported up front; the rest loads after it shows.
if TYPE_CHECKING:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from app.secrets import SecretStore
    from app.session import WindowFactory
    from app.settings import ConnectionSettings
    from app.startup_frame import StartupFrame

LINK_SCHEME = "dispatch-desk:"


def parse_args(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    """Our options, and the rest for Qt (``-style``, ``-platform``…)."""
    parser = argparse.ArgumentParser(
        prog="dispatch-desk",
        description="Dispatch Desk: the ConnectWise Manage service queue for MSP dispatchers.",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a local demo ConnectWise (sandbox) with live activity: no set-up, no key",
    )
    parser.add_argument(
        "--profile", type=Path, metavar="DIR", help="keep settings, cache and logs in DIR"
    )
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="PATH",
        help="save the main window (1440×900) as PNG once the first page is shown, then exit",
    )
    parser.add_argument(
        "--screenshot-timeout",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help=argparse.SUPPRESS,  # checks and tests: how long to wait for the first page
    )
    parser.add_argument(
        "--demo-key",
        choices=DEMO_KEYS,
        default="sandbox",
        help="the sandbox key pair the demo uses (restricted and noaccess show degraded views)",
    )
    parser.add_argument(
        "--sandbox-url", metavar="URL", help="demo against a sandbox already running at URL"
    )
    parser.add_argument("--view", metavar="NAME", help="open the saved view called NAME")
    parser.add_argument(
        "--open-ticket", type=int, metavar="ID",
        help="show ticket ID in the detail dock (with --screenshot: once all its sections are in)",
    )
    parser.add_argument(
        "--theme",
        choices=("system", "light", "dark"),
        default="system",
        help="colour scheme (default: follow the system's light/dark setting)",
    )
    parser.usage = "%(prog)s [options] [dispatch-desk://tickets?…]"
    args, rest = parser.parse_known_args(list(argv))
    # A link arrives as a bare argument (how Windows starts a URL-protocol handler).
    links = [a for a in rest if a.lower().startswith(LINK_SCHEME)]
    args.link = links[-1] if links else None
    return args, [a for a in rest if a not in links]


def main(
    argv: Sequence[str] | None = None,
    *,
    secret_store: Callable[[], SecretStore] | None = None,
    window_factory: WindowFactory | None = None,
) -> int:
    """Run the app; returns the process exit code.

    ``secret_store`` builds the real store (default: the keychain; never called by the demo);
    ``window_factory`` replaces the main window (tests).
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == [SANDBOX_CHILD_FLAG]:  # the frozen app has no "python -m psa.sandbox"
        from psa.sandbox.__main__ import main as sandbox_main

        return sandbox_main(argv[1:])
    args, qt_args = parse_args(argv)
    if args.sandbox_url and not args.demo:
        args.demo = True
    profile = choose_profile(profile_dir=args.profile, demo=args.demo)
    scrubber = Scrubber()
    setup_logging(profile.log_path, scrubber)
    hook = ErrorHook(scrubber, log_path=profile.log_path)
    hook.install()
    try:
        return _run(
            args=args,
            qt_args=qt_args,
            profile=profile,
            hook=hook,
            secret_store=secret_store,
            window_factory=window_factory,
        )
    finally:
        hook.uninstall()
        close_logging()
        profile.discard()


def _run(
    *,
    args: argparse.Namespace,
    qt_args: list[str],
    profile: Profile,
    hook: ErrorHook,
    secret_store: Callable[[], SecretStore] | None,
    window_factory: WindowFactory | None,
) -> int:
    app = _application(args, qt_args)
    from ui.main_thread_gc import MainThreadCollector

    collector = MainThreadCollector(app)  # Qt objects die on the GUI thread, never a worker's
    collector.start()
    try:
        return _run_app(app, args=args, profile=profile, hook=hook, secret_store=secret_store,
                        window_factory=window_factory)
    finally:
        collector.stop()
        collector.deleteLater()


def _run_app(
    app: QApplication,
    *,
    args: argparse.Namespace,
    profile: Profile,
    hook: ErrorHook,
    secret_store: Callable[[], SecretStore] | None,
    window_factory: WindowFactory | None,
) -> int:
    from app.settings import ConnectionSettings, open_settings

    settings = open_settings(profile.settings_path)
    # Paint a frame before importing the rest: the dispatcher sees a window at once.
    frame = _early_frame(args, settings, ConnectionSettings(settings))

    import asyncio

    from app.connections import ConnectionBook
    from app.runner import AppRunner
    from app.screenshot import ScreenshotJob
    from app.secrets import InMemoryStore, KeyringStore
    from app.wiring import Desk, DeskOptions

    # The demo never touches the keychain, not even to look.
    secrets: SecretStore = InMemoryStore() if args.demo else (secret_store or KeyringStore)()
    book = ConnectionBook(ConnectionSettings(settings), secrets)
    runner = AppRunner(app)
    options = DeskOptions(
        demo=args.demo,
        demo_key=args.demo_key,
        sandbox_url=args.sandbox_url,
        link=args.link,
        view=args.view,
        open_ticket=args.open_ticket,
    )
    desk = Desk(
        runner=runner,
        profile=profile,
        settings=settings,
        book=book,
        secrets=secrets,
        hook=hook,
        options=options,
        window_factory=window_factory,
        frame=frame,
    )
    job = (
        ScreenshotJob(runner, args.screenshot, timeout=args.screenshot_timeout,
                      open_ticket=args.open_ticket)
        if args.screenshot
        else None
    )
    if job is not None:
        desk.on_session_opened.append(job.on_session_opened)

    async def start(_runner: AppRunner) -> None:
        hook.attach(asyncio.get_running_loop())
        await desk.start()
        if job is not None and desk.session is None:
            job.fail("no connection is saved: use --demo or connect first")

    code = runner.run(start)
    settings.sync()
    return code


def _application(args: argparse.Namespace, qt_args: list[str]) -> QApplication:
    from PySide6.QtWidgets import QApplication

    from app.look import apply_look, prepare_high_dpi
    from app.product import APP_NAME, ORGANIZATION
    from ui.pyside_refcount_fix import keep_singletons_alive

    # PySide6 6.12 on Python 3.11 drops a reference to None/True on every call; without this
    # the interpreter aborts after some thousands of Qt calls (see the module).
    keep_singletons_alive()
    existing = QApplication.instance()
    if existing is None:
        prepare_high_dpi()
        app = QApplication([sys.argv[0] if sys.argv else "dispatch-desk", *qt_args])
    else:
        assert isinstance(existing, QApplication)
        app = existing
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationDisplayName(APP_NAME)
    app.setQuitOnLastWindowClosed(False)  # quitting is ours: the shutdown must run first
    apply_look(app, args.theme)
    return app


def _early_frame(
    args: argparse.Namespace, settings: QSettings, connections: ConnectionSettings
) -> StartupFrame | None:
    """The start-up frame, painted now, when a main window is about to open (not first run)."""
    from PySide6.QtWidgets import QApplication

    from app.product import APP_NAME
    from app.startup_frame import StartupFrame

    if args.demo:
        title, message = f"{APP_NAME} — Demo (sandbox)", "Starting the demo…"
    else:
        current = connections.current()
        if current is None:
            return None  # the first-run dialog comes instead
        title, message = APP_NAME, f"Connecting to {current.label}…"
    # Closing it early is Qt's quit, which the runner turns into the ordered shutdown.
    frame = StartupFrame(settings, title=title, message=message, demo=args.demo,
                         on_user_close=QApplication.quit)
    frame.show()
    QApplication.processEvents()  # the event loop starts later: paint now
    return frame
