"""What the New Ticket dialog needs from the psa service, and the few reads it adds (no Qt).

``psa.TicketService`` satisfies ``NewTicketBackend``. A board's types and subtypes come from the
service's cached lookups (a role that may not read them gives "unavailable", told apart from a
board that has none by the service's permission warning). The service has no lookups for a
board's default status or a contact's e-mail and phone, so ``FormLookups`` reads those through
the service's client; each degrades to "unknown" instead of failing the form.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from psa.connectwise.conditions import F, all_of
from psa.connectwise.errors import ConnectWiseError
from psa.intake.adapter import contact_email
from psa.models import (
    BoardStatusOption,
    NewTicket,
    Option,
    PermissionWarning,
    TicketDetail,
    TicketView,
    TypeOption,
)

CONTACT_LIMIT = 1000
"""One page of a company's contacts (ConnectWise's largest page)."""


class NewTicketBackend(Protocol):
    """The service calls the dialog makes; structural, so tests can wrap the real service."""

    @property
    def client(self) -> Any: ...

    async def boards(self, *, refresh: bool = False) -> tuple[Option, ...]: ...

    async def statuses(self, board_id: int, *, refresh: bool = False
                       ) -> tuple[BoardStatusOption, ...]: ...

    async def types(self, board_id: int, *, refresh: bool = False
                    ) -> tuple[TypeOption, ...]: ...

    async def subtypes(self, board_id: int, *, refresh: bool = False
                       ) -> tuple[TypeOption, ...]: ...

    @property
    def warnings(self) -> tuple[PermissionWarning, ...]: ...

    async def priorities(self, *, refresh: bool = False) -> tuple[Option, ...]: ...

    async def members(self, *, refresh: bool = False) -> tuple[Option, ...]: ...

    async def companies(self, text: str, *, limit: int = 25) -> tuple[Option, ...]: ...

    async def create_ticket(self, ticket: NewTicket | Mapping[str, Any]) -> TicketView: ...

    async def ticket_detail(self, ticket_id: int, *, configuration_details: bool = True,
                            prefetch: bool = True) -> TicketDetail: ...


@dataclass(frozen=True)
class ContactInfo:
    """A contact of the chosen company, with what the dispatcher checks before calling."""

    id: int
    name: str
    email: str = ""
    phone: str = ""

    @property
    def reach(self) -> str:
        """``email · phone`` (whatever is known)."""
        return " · ".join(p for p in (self.email, self.phone) if p)


@dataclass(frozen=True)
class BoardChoices:
    """A board's statuses (default first known), and its active ticket types and subtypes
    (None: the server did not let us read them)."""

    statuses: tuple[BoardStatusOption, ...]
    default_status_id: int | None
    types: tuple[TypeOption, ...] | None
    subtypes: tuple[TypeOption, ...] | None = None

    def subtypes_for(self, type_id: int | None) -> tuple[TypeOption, ...]:
        """The subtypes that go with ``type_id`` (none without a type)."""
        return tuple(s for s in self.subtypes or () if s.fits(type_id))


def _phone(record: Mapping[str, Any]) -> str:
    items = record.get("communicationItems")
    phones = [i for i in items if isinstance(i, Mapping) and i.get("communicationType") == "Phone"
              and isinstance(i.get("value"), str)] if isinstance(items, list) else []
    phones.sort(key=lambda i: i.get("defaultFlag") is not True)
    if not phones:
        return ""
    extension = phones[0].get("extension")
    value = str(phones[0]["value"])
    return f"{value} x{extension}" if isinstance(extension, str) and extension else value


def contact_info(record: Mapping[str, Any]) -> ContactInfo:
    name = " ".join(str(record.get(k) or "") for k in ("firstName", "lastName")).strip()
    return ContactInfo(id=int(record["id"]), name=name or f"Contact #{record['id']}",
                       email=contact_email(record), phone=_phone(record))


async def _optional(
    call: Callable[[], Awaitable[tuple[TypeOption, ...]]],
) -> tuple[TypeOption, ...] | None:
    """A list the form can do without: None when it could not be read at all.

    Takes the call, not its coroutine: a board load cancelled before this starts (the
    dispatcher picked another board) must leave no coroutine behind un-awaited.
    """
    try:
        return await call()
    except ConnectWiseError:
        return None


class FormLookups:
    """The reads the full form makes beyond the service's cached lookups."""

    def __init__(self, backend: NewTicketBackend) -> None:
        self._backend = backend

    async def contacts_of(self, company_id: int) -> tuple[ContactInfo, ...]:
        """The company's active contacts with e-mail and phone, by name (one request)."""
        rows: Sequence[Mapping[str, Any]] = await self._backend.client.list(
            "/company/contacts",
            conditions=all_of([F("company/id") == int(company_id),
                               F("inactiveFlag") == False]),  # noqa: E712
            fields=("id", "firstName", "lastName", "communicationItems"),
            order_by="firstName asc, lastName asc", page_size=CONTACT_LIMIT,
        )
        return tuple(contact_info(r) for r in rows)

    async def board_choices(self, board_id: int) -> BoardChoices:
        """Statuses (with the default), and types and subtypes when the server lets us read
        them (all in one round trip)."""
        statuses, default, types, subtypes = await asyncio.gather(
            self._backend.statuses(board_id), self._default(board_id),
            _optional(lambda: self._backend.types(board_id)),
            _optional(lambda: self._backend.subtypes(board_id)))
        # A 403 gives an empty list plus the service's warning: unavailable, not "none".
        denied = any(w.area == "types" for w in self._backend.warnings)
        if types is None or (denied and not types):
            return BoardChoices(statuses=statuses, default_status_id=default, types=None)
        active = tuple(t for t in types if not t.inactive)
        if subtypes is None or (denied and not subtypes):
            return BoardChoices(statuses=statuses, default_status_id=default, types=active)
        return BoardChoices(statuses=statuses, default_status_id=default, types=active,
                            subtypes=tuple(s for s in subtypes if not s.inactive))

    async def _default(self, board_id: int) -> int | None:
        try:
            rows = await self._backend.client.list(
                f"/service/boards/{int(board_id)}/statuses", fields=("id", "defaultFlag"),
                conditions=F("defaultFlag") == True,  # noqa: E712
            )
        except ConnectWiseError:
            return None  # the "board default" entry stands in; ConnectWise picks it on create
        found = [r for r in rows if r.get("defaultFlag") is True and isinstance(r.get("id"), int)]
        return int(found[0]["id"]) if found else None
