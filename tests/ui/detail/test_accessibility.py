"""Every control of the dock a keyboard reaches has a name a screen reader can say."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from psa.sandbox import Sandbox
from tests.ui.detail.support import loaded, service, settle, with_configurations
from ui.detail.detail_dock import DetailDock
from ui.tickets.shortcut_sheet import SHORTCUTS

MakeDock = Callable[..., DetailDock]


def spoken_name(widget: QWidget) -> str:
    """The accessible name, else the text a label or button is read by."""
    if widget.accessibleName():
        return widget.accessibleName()
    if isinstance(widget, QLabel | QAbstractButton):
        return widget.text()
    return ""


def test_every_focusable_widget_of_a_loaded_dock_has_a_name(
    sandbox: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any]
) -> None:
    tid = with_configurations(sandbox)

    async def scenario() -> None:
        async with service(sandbox) as svc:
            dock = make_dock(svc)
            await loaded(dock, tid)
            focusable = [w for w in dock.findChildren(QWidget)
                         if w.focusPolicy() & Qt.FocusPolicy.TabFocus
                         and w.window() is dock.window()]  # not the combos' popup lists
            assert len(focusable) > 20
            unnamed = [f"{type(w).__name__} in {type(w.parentWidget()).__name__}: "
                       f"{spoken_name(w)!r}" for w in focusable
                       if not any(c.isalnum() for c in spoken_name(w))]
            assert unnamed == []
            header = dock.panel.header
            assert header.status_combo.accessibleName() == "Status"
            status_label = next(label for label in header.findChildren(QLabel)
                                if label.text() == "Status")
            assert status_label.buddy() is header.status_combo
            names = {w.accessibleName() for w in focusable}
            assert {"Note text", "Note type", "Notes", "Related tickets",
                    "Member to add"} <= names
            # Toolbar buttons are reached by mouse and shortcut, but are read out all the same.
            for action, name in ((dock.back_action, "Back"), (dock.forward_action, "Forward")):
                button = dock.toolbar.widgetForAction(action)
                assert button is not None and button.accessibleName() == name
            await settle(dock)

    run_async(scenario())


def sheet_form(keys: QKeySequence) -> str:
    text = keys.toString(QKeySequence.SequenceFormat.PortableText)
    return text.replace("Left", "←").replace("Right", "→").replace("Return", "Enter")


def test_the_shortcut_sheet_lists_the_docks_shortcuts(
    sandbox: Sandbox, make_dock: MakeDock, run_async: Callable[..., Any]
) -> None:
    listed = " / ".join(keys for keys, _ in SHORTCUTS)

    async def scenario() -> None:
        async with service(sandbox) as svc:
            dock = make_dock(svc)
            actions = (dock.back_action, dock.forward_action, dock.spin_off_action)
            for action in actions:
                assert action.shortcut().toString()  # they exist...
                assert sheet_form(action.shortcut()) in listed  # ...and are listed
            send_keys = {sheet_form(QKeySequence(k)) for k in ("Ctrl+Enter", "Ctrl+Return")}
            assert send_keys == {"Ctrl+Enter"} and "Ctrl+Enter" in listed
            await settle(dock)

    run_async(scenario())
