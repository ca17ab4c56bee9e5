"""A small LRU cache of ticket details, so a recently viewed ticket shows at once.

The detail pane shows the cached detail immediately and refreshes it in the background; the
cache is only a first paint, never the truth. Mutations update the cached copy (so going back
to a ticket shows what was just done) and a refresh replaces it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

from psa.models import ConfigurationItem, Section, TicketDetail, TicketRow, TicketView

DEFAULT_CAPACITY = 40


def merge_row(view: TicketView, row: TicketRow) -> TicketView:
    """``view`` with the list-level fields of a newer ``row`` of the same ticket."""
    if row.id != view.id:
        raise ValueError(f"row #{row.id} is not ticket #{view.id}")
    return view.model_copy(update=dict(row))


def as_row(view: TicketRow) -> TicketRow:
    """The plain list row of a ticket view (the table model keeps rows of one type)."""
    if type(view) is TicketRow:
        return view
    return TicketRow(**{name: getattr(view, name) for name in TicketRow.model_fields})


def reuse_configuration_details(
    fresh: TicketDetail, previous: TicketDetail | None
) -> TicketDetail:
    """``fresh`` with the full configuration records of ``previous`` when the refs are the same.

    A background refresh reads only the references; when they did not change, the records
    already read are still the best there is and a second round trip is saved.
    """
    if previous is None or previous.ticket.id != fresh.ticket.id:
        return fresh
    new, old = fresh.configurations.value, previous.configurations.value
    if new is None or old is None or not old or not all(i.detailed for i in old):
        return fresh
    if [i.id for i in new] != [i.id for i in old]:
        return fresh
    return fresh.model_copy(update={
        "configurations": Section[tuple[ConfigurationItem, ...]](
            value=old, error=fresh.configurations.error, warning=fresh.configurations.warning
        )
    })


def configurations_complete(items: Sequence[ConfigurationItem] | None) -> bool:
    """True when nothing is left to fetch for the configurations section."""
    return items is None or all(i.detailed for i in items)


class DetailCache:
    """Ticket id → the latest detail seen, least recently used dropped beyond ``capacity``."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self._items: OrderedDict[int, TicketDetail] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, ticket_id: object) -> bool:
        return ticket_id in self._items

    def get(self, ticket_id: int) -> TicketDetail | None:
        """The cached detail (now the most recently used), or None."""
        detail = self._items.get(int(ticket_id))
        if detail is not None:
            self._items.move_to_end(int(ticket_id))
        return detail

    def peek(self, ticket_id: int) -> TicketDetail | None:
        """The cached detail without making it recently used."""
        return self._items.get(int(ticket_id))

    def put(self, detail: TicketDetail) -> None:
        """Remember ``detail`` as its ticket's latest."""
        tid = detail.ticket.id
        self._items[tid] = detail
        self._items.move_to_end(tid)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)

    def update_row(self, row: TicketRow) -> None:
        """Apply a newer list row (a status change, a refresh) to a cached ticket, if any."""
        detail = self._items.get(row.id)
        if detail is not None:
            self._items[row.id] = detail.model_copy(
                update={"ticket": merge_row(detail.ticket, row)}
            )

    def invalidate(self, ticket_id: int) -> None:
        """Forget one ticket (it changed in ways the cache cannot follow)."""
        self._items.pop(int(ticket_id), None)

    def clear(self) -> None:
        self._items.clear()

    def ids(self) -> list[int]:
        """Cached ticket ids, least recently used first."""
        return list(self._items)
