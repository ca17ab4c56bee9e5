"""Saved views in settings: unreadable entries survive every save; a delete can be undone."""

from __future__ import annotations

import json

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot

from psa.filters import TicketFilters
from ui.tickets.saved_views import (
    SETTINGS_KEY,
    SavedView,
    SavedViewsModel,
    load_views,
    save_views,
)
from ui.tickets.saved_views_panel import SavedViewsPanel

GOOD = {"name": "Good", "filters": {"board_id": 1}, "labels": {}}
BAD = {"name": "Old", "filters": {"board_id": 1, "colour": "red"}}


def test_an_unreadable_view_is_kept_as_it_was_across_saves(settings: QSettings) -> None:
    settings.setValue(SETTINGS_KEY, json.dumps([GOOD, BAD, 7]))
    stored = load_views(settings)
    assert [v.name for v in stored.views] == ["Good"]
    assert stored.unreadable == (BAD, 7)
    assert stored.unreadable_note() == (
        "2 saved views could not be read and are kept as they were (Old).")
    model = SavedViewsModel(stored.views, unreadable=stored.unreadable)
    model.views_changed.connect(
        lambda: save_views(settings, model.views(), model.unreadable()))
    assert model.rename(0, "Good, renamed")
    assert json.loads(str(settings.value(SETTINGS_KEY)))[1:] == [BAD, 7]
    assert [v.name for v in load_views(settings).views] == ["Good, renamed"]


def test_settings_that_are_not_a_list_give_the_defaults_and_are_kept(
    settings: QSettings
) -> None:
    settings.setValue(SETTINGS_KEY, "{not json")
    stored = load_views(settings)
    assert stored.views and stored.unreadable == ("{not json",)
    save_views(settings, stored.views, stored.unreadable)
    again = load_views(settings)
    assert again.views == stored.views and again.unreadable == ("{not json",)


def test_a_deleted_view_comes_back_in_its_place_with_undo(qtbot: QtBot) -> None:
    views = [SavedView(name=n, filters=TicketFilters(query=n)) for n in ("A", "B", "C")]
    model = SavedViewsModel(views)
    panel = SavedViewsPanel(model)
    qtbot.addWidget(panel)
    panel.show()
    panel.select_row(1)
    panel.delete_action.trigger()
    assert [v.name for v in model.views()] == ["A", "C"]
    assert panel.undo_button.isVisible() and "“B”" in panel.undo_label.text()
    panel.undo_action.trigger()
    assert model.views() == views
    assert not panel.undo_button.isVisible() and not panel.undo_action.isEnabled()


def test_the_panel_fits_its_default_width_with_named_buttons(qtbot: QtBot) -> None:
    # The table needs the width (1440 px with the dock open): the buttons are symbols with
    # names for screen readers, and the panel fits its default 185 px.
    model = SavedViewsModel([SavedView(name="Waiting on customer", filters=TicketFilters())])
    panel = SavedViewsPanel(model)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.minimumSizeHint().width() <= 185
    buttons = [b for b in panel.findChildren(QToolButton) if b.isVisible()]
    assert len(buttons) == 5
    assert all(b.accessibleName() and b.toolTip() for b in buttons)
