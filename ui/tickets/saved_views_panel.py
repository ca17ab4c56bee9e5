"""The saved-views side panel: the list with counts and its buttons."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QBrush, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from ui.tickets.saved_views import CountRole, SavedView, SavedViewsModel

AnyIndex = QModelIndex | QPersistentModelIndex
UNDO_MS = 15_000
"""How long "Deleted … Undo" stays offered after a view is deleted."""


class _CountDelegate(QStyledItemDelegate):
    """Draws a view's ticket count right-aligned, muted, beside its name."""

    @override
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        count = index.model().data(index, CountRole)
        text = "…" if count is None else f"{count:,}"
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        metrics = opt.fontMetrics
        width = metrics.horizontalAdvance(text) + 8 + 14  # right margin, then a clear gap
        rect = QRect(opt.rect)
        view = self.parent()
        if isinstance(view, QListView):  # the whole row, whatever width the layout last gave it
            rect.setRight(view.viewport().width() - 1)
        opt.rect = rect.adjusted(0, 0, -width, 0)
        # The name is cut to fit before the count, never drawn under it.
        opt.text = metrics.elidedText(opt.text, Qt.TextElideMode.ElideRight,
                                      max(opt.rect.width() - 12, 0))
        style = opt.widget.style() if opt.widget is not None else None
        if style is None:
            return
        # Paint the full row's selection background first, then the name in the narrowed rect.
        full = QStyleOptionViewItem(opt)
        full.rect = rect
        full.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, full, painter, opt.widget)
        opt.backgroundBrush = QBrush(Qt.BrushStyle.NoBrush)
        opt.state &= ~QStyle.StateFlag.State_Selected
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        opt.palette.setColor(QPalette.ColorRole.Text, option.palette.color(group))
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        muted = option.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
        )
        painter.setPen(muted)
        painter.drawText(rect.adjusted(0, 0, -8, 0),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
        painter.restore()

    @override
    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        size = super().sizeHint(option, index)
        # As wide as the list, so the selection spans the row and the count sits at its end.
        view = self.parent()
        width = view.viewport().width() if isinstance(view, QListView) else size.width() + 48
        return QSize(width, max(size.height(), option.fontMetrics.height() + 10))


class SavedViewsPanel(QWidget):
    """Lists saved views; Enter or a click opens one. Buttons save, rename, delete, move."""

    view_activated = Signal(object)
    save_current_requested = Signal()

    def __init__(self, model: SavedViewsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("savedViewsPanel")
        self.model = model
        title = QLabel("Saved views", self)
        title.setObjectName("panelTitle")
        self.list = QListView(self)
        self.list.setObjectName("savedViewsList")
        self.list.setAccessibleName("Saved views")
        self.list.setModel(model)
        self.list.setItemDelegate(_CountDelegate(self.list))
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.DoubleClicked)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.activated.connect(self._on_list_activated)
        self.list.clicked.connect(self._on_list_activated)
        title.setBuddy(self.list)

        buttons = QHBoxLayout()
        buttons.setSpacing(2)
        self.save_action = self._button(buttons, "+", "Save current filters as a view",
                                        self.save_current_requested.emit)
        # Symbols, named in their tooltips and for screen readers: the panel stays narrow and
        # the table keeps the width (at 1440 px with the dock open every pixel counts).
        self.rename_action = self._button(buttons, "✎", "Rename the view (F2)",
                                          self._rename, QKeySequence(Qt.Key.Key_F2))
        self.delete_action = self._button(buttons, "−", "Delete the view (Del)",
                                          self._delete, QKeySequence(Qt.Key.Key_Delete))
        self.up_action = self._button(buttons, "↑", "Move the view up (Alt+Up)",
                                      lambda: self._move(-1), QKeySequence("Alt+Up"))
        self.down_action = self._button(buttons, "↓", "Move the view down (Alt+Down)",
                                        lambda: self._move(+1), QKeySequence("Alt+Down"))
        buttons.addStretch(1)

        self._build_notes()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        layout.setSpacing(6)
        layout.addWidget(title)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.note)
        layout.addLayout(self._undo_row)
        layout.addLayout(buttons)

    def _build_notes(self) -> None:
        # A note under the list: views kept unread, or "Deleted … Undo" after a delete.
        self.note = QLabel(self)
        self.note.setObjectName("savedViewsNote")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.hide()
        self._undo_row = QHBoxLayout()
        self._undo_row.setSpacing(4)
        self.undo_label = QLabel(self)
        self.undo_label.setWordWrap(True)
        self.undo_label.setTextFormat(Qt.TextFormat.PlainText)
        self.undo_action = QAction("Undo", self)
        self.undo_action.setToolTip("Bring the deleted view back (Ctrl+Z)")
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_action.setEnabled(False)
        self.undo_action.triggered.connect(self.undo_delete)
        self.addAction(self.undo_action)
        self.undo_button = QToolButton(self)
        self.undo_button.setDefaultAction(self.undo_action)
        self.undo_button.setAccessibleName("Undo delete")
        self._undo_row.addWidget(self.undo_label, 1)
        self._undo_row.addWidget(self.undo_button)
        self.undo_label.hide()
        self.undo_button.hide()
        self._deleted: tuple[int, SavedView] | None = None
        self._undo_timer = QTimer(self, singleShot=True, interval=UNDO_MS)
        self._undo_timer.timeout.connect(self._forget_deleted)

    def _button(self, row: QHBoxLayout, text: str, tip: str, slot: object,
                shortcut: QKeySequence | None = None) -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        if shortcut is not None:
            # Only while the list has focus: Del and F2 mean other things elsewhere.
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.list.addAction(action)
        button = QToolButton(self)
        button.setDefaultAction(action)
        button.setAccessibleName(tip.split(" (", maxsplit=1)[0])
        button.setAutoRaise(True)
        row.addWidget(button)
        return action

    # -- operations ---------------------------------------------------------------------------
    def current_row(self) -> int:
        """The selected view's row, or -1."""
        index = self.list.currentIndex()
        return index.row() if index.isValid() else -1

    def select_row(self, row: int) -> None:
        """Highlight a view without opening it (e.g. after Ctrl+1..9 or a filter change)."""
        if 0 <= row < self.model.rowCount():
            self.list.setCurrentIndex(self.model.index(row))
        else:
            self.list.clearSelection()
            self.list.setCurrentIndex(QModelIndex())

    def activate_row(self, row: int) -> None:
        """Open the view at a row (Ctrl+1..9)."""
        view = self.model.view_at(row)
        if view is not None:
            self.select_row(row)
            self.view_activated.emit(view)

    def edit_row(self, row: int) -> None:
        """Start renaming a view in place."""
        self.list.setFocus()
        self.select_row(row)
        self.list.edit(self.model.index(row))

    def _on_list_activated(self, index: QModelIndex) -> None:
        view: SavedView | None = self.model.view_at(index.row())
        if view is not None:
            self.view_activated.emit(view)

    def _rename(self) -> None:
        if self.current_row() >= 0:
            self.edit_row(self.current_row())

    def show_note(self, text: str) -> None:
        """A lasting note under the list (e.g. views that could not be read); "" hides it."""
        self.note.setText(text)
        self.note.setAccessibleName(text)
        self.note.setVisible(bool(text))

    def undo_delete(self) -> None:
        """Put the last deleted view back where it was (offered for a while after Delete)."""
        deleted, self._deleted = self._deleted, None
        self._forget_deleted()
        if deleted is not None:
            row = self.model.add(deleted[1], deleted[0])
            self.select_row(row)

    def _delete(self) -> None:
        row = self.current_row()
        view = self.model.remove(row) if row >= 0 else None
        if view is None:
            return
        self.select_row(min(row, self.model.rowCount() - 1))
        self._deleted = (row, view)
        self.undo_label.setText(f"Deleted “{view.name}”.")
        self.undo_label.show()
        self.undo_button.show()
        self.undo_action.setEnabled(True)
        self._undo_timer.start()

    def _forget_deleted(self) -> None:
        self._undo_timer.stop()
        self._deleted = None
        self.undo_action.setEnabled(False)
        self.undo_label.hide()
        self.undo_button.hide()

    def _move(self, step: int) -> None:
        row = self.current_row()
        if row < 0:
            return
        target = row + step
        if 0 <= target < self.model.rowCount():
            self.model.move(row, target + 1 if step > 0 else target)
            self.select_row(target)
