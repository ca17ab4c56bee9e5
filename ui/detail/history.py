"""Back/forward history of the tickets shown in the detail dock, like a browser's."""

from __future__ import annotations

HISTORY_LIMIT = 50


class History:
    """Ticket ids visited; visiting a new one drops the forward part."""

    def __init__(self, limit: int = HISTORY_LIMIT) -> None:
        self._items: list[int] = []
        self._index = -1
        self._limit = limit

    @property
    def current(self) -> int | None:
        return self._items[self._index] if self._index >= 0 else None

    def visit(self, ticket_id: int) -> None:
        """Record a ticket shown by the user's choice (not by back/forward)."""
        if self.current == ticket_id:
            return
        del self._items[self._index + 1:]
        self._items.append(ticket_id)
        if len(self._items) > self._limit:
            del self._items[0]
        self._index = len(self._items) - 1

    def can_back(self) -> bool:
        return self._index > 0

    def can_forward(self) -> bool:
        return self._index < len(self._items) - 1

    def back(self) -> int | None:
        """Step back; the ticket to show, or None at the start."""
        if not self.can_back():
            return None
        self._index -= 1
        return self._items[self._index]

    def forward(self) -> int | None:
        """Step forward; the ticket to show, or None at the end."""
        if not self.can_forward():
            return None
        self._index += 1
        return self._items[self._index]

    def items(self) -> list[int]:
        return list(self._items)
