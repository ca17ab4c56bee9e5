"""Task helpers for qasync widgets: a pre-empting LatestTask and per-widget task scopes."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QDialog, QWidget
from typing_extensions import override

T = TypeVar("T")

ErrorSink = Callable[[BaseException], None]
"""Receives exceptions a task raised; the default hands them to the loop's exception handler."""


def report_task_error(task: asyncio.Task[Any], exc: BaseException) -> None:
    """Send a task's exception to its loop's exception handler, where app installs the hook.

    ui/ must not import app, so the loop's handler is the seam to the global error hook.
    """
    task.get_loop().call_exception_handler(
        {"message": f"Unhandled error in task {task.get_name()}", "exception": exc, "task": task}
    )


def _route_outcome(task: asyncio.Task[Any], on_error: ErrorSink | None) -> None:
    if task.cancelled():
        return
    exc = task.exception()
    if exc is None or isinstance(exc, asyncio.CancelledError):
        return
    if on_error is not None:
        on_error(exc)
    else:
        report_task_error(task, exc)


class LatestTask(Generic[T]):
    """Runs at most one task: starting a new one cancels the previous one.

    Keeps a strong reference to the running task (the loop keeps only weak ones), swallows
    ``CancelledError`` and routes every other exception to the error sink, so a search that is
    superseded by the next keystroke never surfaces as an error.
    """

    def __init__(self, *, name: str = "latest", on_error: ErrorSink | None = None) -> None:
        self._name = name
        self._on_error = on_error
        self._task: asyncio.Task[T] | None = None
        self._generation = 0

    @property
    def task(self) -> asyncio.Task[T] | None:
        """The current task, or None once it has finished."""
        return self._task

    @property
    def generation(self) -> int:
        """Bumped on every start; lets callers recognise replies of superseded runs."""
        return self._generation

    def is_running(self) -> bool:
        """True while the current task has not finished."""
        return self._task is not None and not self._task.done()

    def start(self, coro: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        """Cancel the previous task (if any) and run ``coro`` as the current one."""
        self.cancel()
        self._generation += 1
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            coro.close()  # never "coroutine ... was never awaited" on top of the real error
            raise
        task = loop.create_task(coro, name=f"{self._name}#{self._generation}")
        self._task = task
        task.add_done_callback(self._on_done)
        return task

    def cancel(self) -> None:
        """Cancel the current task; its CancelledError is swallowed."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()

    async def wait(self) -> T | None:
        """Await the current task; None when it was cancelled or there is none."""
        task = self._task
        if task is None:
            return None
        with contextlib.suppress(asyncio.CancelledError):
            return await asyncio.shield(task)
        return None

    def _on_done(self, task: asyncio.Task[T]) -> None:
        if self._task is task:
            self._task = None
        _route_outcome(task, self._on_error)


def _cancel(latest: list[LatestTask[Any]], tasks: set[asyncio.Task[Any]]) -> None:
    for one in latest:
        one.cancel()
    for task in list(tasks):
        task.cancel()


class WidgetTasks(QObject):
    """A widget's tasks: cancelled when the widget closes, finishes (dialogs) or is destroyed.

    A coroutine resuming on a deleted widget crashes, so every task a widget starts should be
    owned by its scope. Pass ``cancel_on_close=False`` for a window that hides to the tray.
    """

    def __init__(
        self,
        widget: QWidget,
        *,
        cancel_on_close: bool = True,
        on_error: ErrorSink | None = None,
    ) -> None:
        super().__init__(widget)
        self._on_error = on_error
        self._latest: list[LatestTask[Any]] = []
        self._tasks: set[asyncio.Task[Any]] = set()
        if cancel_on_close:
            widget.installEventFilter(self)
        if isinstance(widget, QDialog):
            widget.finished.connect(self.cancel_all)
        # QWidget deletes its children before QObject emits destroyed, so this scope is gone by
        # then: the slot must be a closure over the containers, not a method of self.
        latest, tasks = self._latest, self._tasks
        widget.destroyed.connect(lambda: _cancel(latest, tasks))

    def latest(self, name: str = "latest") -> LatestTask[Any]:
        """A LatestTask owned by this scope."""
        latest: LatestTask[Any] = LatestTask(name=name, on_error=self._on_error)
        self._latest.append(latest)
        return latest

    def spawn(self, coro: Coroutine[Any, Any, T], *, name: str = "task") -> asyncio.Task[T]:
        """Run ``coro`` alongside others; kept referenced until done, errors routed."""
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._on_spawned_done)
        return task

    def pending(self) -> int:
        """How many owned tasks are still running."""
        running = sum(1 for t in self._tasks if not t.done())
        return running + sum(1 for lt in self._latest if lt.is_running())

    def cancel_all(self) -> None:
        """Cancel every task this scope owns."""
        _cancel(self._latest, self._tasks)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self.cancel_all()
        return False

    def _on_spawned_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        _route_outcome(task, self._on_error)
