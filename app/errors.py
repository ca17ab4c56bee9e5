"""Logging to the profile's rotating log and the global exception hook (log, show, never exit)."""

from __future__ import annotations

import base64
import logging
import os
import re
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import asyncio

log = logging.getLogger("dispatch_desk")

REDACTED = "[redacted]"
# Credentials that may appear in exception text even when we never put them there ourselves:
# HTTP auth headers echoed by libraries, and Anthropic API keys.
_PATTERNS = (
    re.compile(r"(?i)(authorization['\"]?\s*[:=,]\s*\(?['\"]?)(basic|bearer)\s+[\w+/=.\-]+"),
    re.compile(r"(?i)(x-api-key['\"]?\s*[:=,]\s*['\"]?)[\w\-]+"),
    re.compile(r"()sk-ant-[\w\-]{8,}"),
)

Presenter = Callable[[str, str], None]
"""Shows (title, plain-words message) without blocking: set by the UI once it exists."""


class Scrubber:
    """Removes known secrets (and credential-shaped text) from anything logged or shown."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()

    def add(self, secret: str) -> None:
        """Register a secret; very short strings are ignored so ordinary words stay readable."""
        if len(secret) >= 4:
            self._secrets.add(secret)

    def add_basic_auth(self, user: str, secret: str) -> None:
        """Register a secret and its ``user:secret`` Basic-auth encoding."""
        self.add(secret)
        self.add(base64.b64encode(f"{user}:{secret}".encode()).decode())

    def scrub(self, text: str) -> str:
        """``text`` with every registered secret and credential pattern replaced."""
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, REDACTED)
        for pattern in _PATTERNS:
            text = pattern.sub(lambda m: f"{m.group(1)}{REDACTED}", text)
        return text


class ScrubbingFormatter(logging.Formatter):
    """Formats like logging.Formatter, then scrubs the whole record, traceback included."""

    def __init__(self, scrubber: Scrubber, fmt: str | None = None) -> None:
        super().__init__(fmt)
        self._scrubber = scrubber

    def format(self, record: logging.LogRecord) -> str:
        """The scrubbed, formatted record."""
        return self._scrubber.scrub(super().format(record))


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 3


class RollingFile(logging.FileHandler):
    """A log file that moves aside to ``.1`` (… ``.N``) once it passes ``max_bytes``.

    What ``logging.handlers.RotatingFileHandler`` does, without that module: it and what it
    imports (socket, pickle, queue) cost ~8 ms on the path to the first paint. A rollover that
    fails (another instance holds the file on Windows) is retried with the next record.
    """

    def __init__(self, path: Path, *, max_bytes: int = LOG_MAX_BYTES,
                 backups: int = LOG_BACKUPS) -> None:
        super().__init__(path, encoding="utf-8", delay=True)
        self.max_bytes = max_bytes
        self.backups = backups

    def emit(self, record: logging.LogRecord) -> None:
        """Write the record, then roll over if the file is now too long."""
        super().emit(record)
        stream = self.stream
        if stream is not None and stream.tell() >= self.max_bytes:
            self._roll_over()

    def _roll_over(self) -> None:
        self.acquire()
        try:
            if self.stream is not None:
                self.stream.close()
                self.stream = None  # reopened by the next emit
            path = Path(self.baseFilename)
            try:
                for n in range(self.backups - 1, 0, -1):
                    older = path.with_name(f"{path.name}.{n}")
                    if older.exists():
                        os.replace(older, path.with_name(f"{path.name}.{n + 1}"))
                os.replace(path, path.with_name(f"{path.name}.1"))
            except OSError:
                pass  # kept as it is; the next record tries again
        finally:
            self.release()


def setup_logging(log_path: Path, scrubber: Scrubber, *, level: int = logging.INFO) -> None:
    """Send logs to a rotating file in the profile (and stderr when there is one)."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_dispatch_desk", False):
            root.removeHandler(handler)
            handler.close()
    file_handler = RollingFile(log_path)
    handlers: list[logging.Handler] = [file_handler]
    if sys.stderr is not None:  # a Windows gui-script has no console
        stream = logging.StreamHandler(sys.stderr)
        stream.setLevel(logging.WARNING)
        handlers.append(stream)
    for handler in handlers:
        handler.setFormatter(ScrubbingFormatter(scrubber, LOG_FORMAT))
        handler._dispatch_desk = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level)


def close_logging() -> None:
    """Close our handlers (Windows cannot delete a temp profile with the log file open)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_dispatch_desk", False):
            root.removeHandler(handler)
            handler.close()


def plain_message(exc: BaseException | None, log_path: Path | None) -> str:
    """What the dispatcher reads: the error's own words when it has them, never a traceback."""
    where = f"\n\nDetails were written to the log:\n{log_path}" if log_path else ""
    if exc is None:
        return f"Something went wrong in the background.{where}"
    if _is_user_facing(exc):
        return f"{exc}{where}"
    return (
        f"Something went wrong ({type(exc).__name__}). Dispatch Desk keeps running; "
        f"you can carry on working.{where}"
    )


def _is_user_facing(exc: BaseException) -> bool:
    # psa's ConnectWiseError messages are written for dispatchers; checked by name so this
    # module does not import psa (and its heavy dependencies) at start-up.
    return any(cls.__name__ == "ConnectWiseError" for cls in type(exc).__mro__) and bool(str(exc))


class ErrorHook:
    """The one global exception hook: log with traceback, show a non-modal message, never exit."""

    def __init__(self, scrubber: Scrubber, *, log_path: Path | None = None) -> None:
        self.scrubber = scrubber
        self._log_path = log_path
        self._presenter: Presenter | None = None
        self._presenting = False
        self._previous_hook: Callable[..., Any] | None = None

    def set_presenter(self, presenter: Presenter | None) -> None:
        """Where messages are shown; None logs only (before the UI exists, and in shutdown)."""
        self._presenter = presenter

    def install(self) -> None:
        """Become sys.excepthook (Qt slots report there) and threading.excepthook."""
        self._previous_hook = sys.excepthook
        sys.excepthook = self.excepthook
        threading.excepthook = self._thread_hook

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Become the loop's exception handler (task errors nobody awaited)."""
        loop.set_exception_handler(self.loop_handler)

    def uninstall(self) -> None:
        """Restore the interpreter's hooks."""
        sys.excepthook = self._previous_hook or sys.__excepthook__
        threading.excepthook = threading.__excepthook__

    def excepthook(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        """Handle an exception nobody caught (Qt slots and asyncSlot tasks end up here)."""
        if issubclass(exc_type, KeyboardInterrupt):
            return
        log.error("Unhandled error", exc_info=(exc_type, exc, tb))
        self._present(exc)

    def loop_handler(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        """asyncio's exception handler: task errors nobody awaited."""
        exc = context.get("exception")
        message = str(context.get("message", "asyncio error"))
        if type(exc).__name__ == "CancelledError":  # asyncio's; not imported at start-up
            return
        if exc is None:
            log.warning("%s (%s)", message, {k: repr(v) for k, v in context.items()})
            return
        log.error("%s", message, exc_info=(type(exc), exc, exc.__traceback__))
        self._present(exc)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        log.error(
            "Unhandled error in thread %s",
            getattr(args.thread, "name", "?"),
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
        )
        # Qt widgets may only be touched on the UI thread: thread errors are logged only.

    def _present(self, exc: BaseException | None) -> None:
        presenter = self._presenter
        if presenter is None or self._presenting:
            return
        self._presenting = True  # an error inside the presenter must not recurse into it
        try:
            presenter("Dispatch Desk", self.scrubber.scrub(plain_message(exc, self._log_path)))
        except Exception:
            log.exception("The error presenter failed")
        finally:
            self._presenting = False
