"""Build an IntakeCatalog from ConnectWise records, or load one through the ticket service.

Each board's ticket types come from the service's ``types`` lookup (cached, and empty with a
permission warning when the role may not read them), so Quick Create and the Full Form share
one read per board. Company domains come from the company's website and from its contacts'
e-mail addresses (free-mail domains excluded); the MSP's own domains from its members'
addresses, so a message copied to the help desk never matches the MSP itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol
from urllib.parse import urlsplit

from psa.connectwise.client import ConnectWiseClient
from psa.connectwise.conditions import F
from psa.connectwise.errors import NotFound, PermissionDenied
from psa.intake.catalog import (
    FREE_MAIL_DOMAINS,
    BoardEntry,
    CompanyEntry,
    ContactEntry,
    IntakeCatalog,
    MemberEntry,
    PriorityEntry,
    TypeEntry,
)
from psa.models import TypeOption

Record = Mapping[str, Any]
COMPANY_FIELDS = ("id", "identifier", "name", "website", "deletedFlag")
CONTACT_FIELDS = ("id", "firstName", "lastName", "company/id", "inactiveFlag",
                  "communicationItems")
BOARD_FIELDS = ("id", "name", "inactiveFlag")
PRIORITY_FIELDS = ("id", "name", "sortOrder", "defaultFlag", "level")
MEMBER_FIELDS = ("id", "identifier", "firstName", "lastName", "officeEmail", "inactiveFlag",
                 "licenseClass")


def _str(record: Record, key: str) -> str:
    value = record.get(key)
    return value if isinstance(value, str) else ""


def _int(record: Record, key: str) -> int | None:
    value = record.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def domain_of(address: str) -> str:
    """``x@Mail.Example.com`` or ``https://www.example.com/a`` → ``mail.example.com``."""
    address = address.strip().casefold()
    if "@" in address:
        return address.rsplit("@", 1)[1]
    host = urlsplit(address if "//" in address else f"//{address}").hostname or ""
    return host.removeprefix("www.")


def contact_email(record: Record) -> str:
    """The contact's default e-mail address from its communication items."""
    items = record.get("communicationItems")
    emails = [
        item for item in items if isinstance(item, Mapping)
        and item.get("communicationType") == "Email" and isinstance(item.get("value"), str)
    ] if isinstance(items, list) else []
    emails.sort(key=lambda item: item.get("defaultFlag") is not True)
    return str(emails[0]["value"]) if emails else ""


def contact_entry(record: Record) -> ContactEntry:
    company = record.get("company")
    company_id = _int(company, "id") if isinstance(company, Mapping) else None
    return ContactEntry(
        id=int(record["id"]), company_id=company_id, first_name=_str(record, "firstName"),
        last_name=_str(record, "lastName"), email=contact_email(record),
        inactive=record.get("inactiveFlag") is True,
    )


def member_entry(record: Record) -> MemberEntry:
    name = " ".join(p for p in (_str(record, "firstName"), _str(record, "lastName")) if p)
    # API members (licence class "A") are integrations, never assignees.
    inactive = record.get("inactiveFlag") is True or _str(record, "licenseClass") == "A"
    return MemberEntry(id=int(record["id"]), identifier=_str(record, "identifier"),
                       name=name or _str(record, "identifier"), email=_str(record, "officeEmail"),
                       inactive=inactive)


def catalog_from_wire(
    *, companies: Iterable[Record], contacts: Iterable[Record] = (),
    boards: Iterable[Record] = (), priorities: Iterable[Record] = (),
    types: Mapping[int, Sequence[Record]] | None = None, members: Iterable[Record] = (),
    default_board_id: int | None = None, type_options: Iterable[TypeOption] = (),
) -> IntakeCatalog:
    """A catalog from ConnectWise JSON records (``types`` per board id), plus types already
    read by the service (``type_options``)."""
    people = [contact_entry(r) for r in contacts]
    staff = [member_entry(r) for r in members]
    own = sorted({domain_of(m.email) for m in staff if "@" in m.email} - FREE_MAIL_DOMAINS)
    seen_domains: dict[int, set[str]] = {}
    for person in people:
        domain = domain_of(person.email) if "@" in person.email else ""
        if person.company_id is not None and domain and domain not in FREE_MAIL_DOMAINS:
            seen_domains.setdefault(person.company_id, set()).add(domain)
    entries = []
    for record in companies:
        if record.get("deletedFlag") is True:
            continue
        company_id = int(record["id"])
        domains = set(seen_domains.get(company_id, ()))
        website = domain_of(_str(record, "website")) if _str(record, "website") else ""
        if website and website not in FREE_MAIL_DOMAINS:
            domains.add(website)
        entries.append(CompanyEntry(
            id=company_id, identifier=_str(record, "identifier"), name=_str(record, "name"),
            # The MSP's own company shares the members' domain: it gets no domain at all.
            domains=() if domains & set(own) else tuple(sorted(domains)),
        ))
    priority_entries = [
        PriorityEntry(id=int(r["id"]), name=_str(r, "name"), sort_order=_int(r, "sortOrder"),
                      is_default=r.get("defaultFlag") is True, level=_str(r, "level"))
        for r in priorities
    ]
    default_priority = next((p.id for p in priority_entries if p.is_default), None)
    return IntakeCatalog(
        companies=tuple(entries), contacts=tuple(people),
        boards=tuple(BoardEntry(id=int(r["id"]), name=_str(r, "name"),
                                inactive=r.get("inactiveFlag") is True) for r in boards),
        priorities=tuple(priority_entries),
        types=(*(
            TypeEntry(id=int(r["id"]), name=_str(r, "name"), board_id=board_id,
                      inactive=r.get("inactiveFlag") is True)
            for board_id, rows in (types or {}).items() for r in rows
        ), *(TypeEntry(id=t.id, name=t.name, board_id=t.board_id, inactive=t.inactive)
             for t in type_options)),
        members=tuple(staff), own_domains=tuple(own),
        default_board_id=default_board_id, default_priority_id=default_priority,
    )


TypesOf = Callable[[int], Awaitable[Sequence[TypeOption]]]


class CatalogSource(Protocol):
    """What the catalog is read through: the ticket service (or a wrapper of it)."""

    @property
    def client(self) -> ConnectWiseClient: ...

    async def types(self, board_id: int, *, refresh: bool = False
                    ) -> Sequence[TypeOption]: ...


async def _safe(call: Any) -> list[dict[str, Any]]:
    """A list the API member may not read (403) or the server may not have (404) is empty."""
    try:
        rows: list[dict[str, Any]] = await call
        return rows
    except (PermissionDenied, NotFound):
        return []


async def _types_of(types_of: TypesOf, board_id: int) -> Sequence[TypeOption]:
    """A board's types; a board gone meanwhile (404) has none (403 is the lookup's own)."""
    try:
        return await types_of(board_id)
    except NotFound:
        return ()


async def load_catalog(client: ConnectWiseClient, types_of: TypesOf) -> IntakeCatalog:
    """Every lookup intake needs, read concurrently (unreadable lists come back empty)."""
    companies, contacts, boards, priorities, members = await asyncio.gather(
        _safe(client.list_all("/company/companies", fields=COMPANY_FIELDS,
                              conditions=F("deletedFlag") == False)),  # noqa: E712
        _safe(client.list_all("/company/contacts", fields=CONTACT_FIELDS,
                              conditions=F("inactiveFlag") == False)),  # noqa: E712
        _safe(client.list_all("/service/boards", fields=BOARD_FIELDS)),
        _safe(client.list_all("/service/priorities", fields=PRIORITY_FIELDS,
                              order_by="sortOrder asc")),
        _safe(client.list_all("/system/members", fields=MEMBER_FIELDS)),
    )
    active = [int(b["id"]) for b in boards if b.get("inactiveFlag") is not True]
    per_board = await asyncio.gather(*(_types_of(types_of, board_id) for board_id in active))
    return catalog_from_wire(
        companies=companies, contacts=contacts, boards=boards, priorities=priorities,
        members=members, type_options=(t for types in per_board for t in types),
    )


async def catalog_from_service(service: CatalogSource) -> IntakeCatalog:
    """The catalog for Quick Create: lists through the service's client, types through its
    cached ``types`` lookup."""
    return await load_catalog(service.client, service.types)
