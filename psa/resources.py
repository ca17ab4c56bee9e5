"""Ticket resources: list (owner + co-assignees), add and remove, idempotently.

ConnectWise derives the read-only ``resources`` string from the ticket's owner and its schedule
entries of type 4 (API-NOTES quirks). So adding a member sets the owner when the ticket has
none and otherwise creates a schedule entry; removing clears the owner and/or deletes the
member's entries. Adding someone already there, or removing someone absent, changes nothing.
Schedule entries need Service Desk > Resource Scheduling; a 403 names that permission.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from psa.connectwise.errors import NotFound
from psa.connectwise.models import PatchOp
from psa.context import ServiceContext
from psa.detail import SCHEDULE_FIELDS, SERVICE_SCHEDULE_TYPE, resources_of, schedule_condition
from psa.models import LIST_FIELDS, Resource
from psa.mutations import Mutations

_TICKET_FIELDS = ",".join((*LIST_FIELDS, "owner/name"))


class ResourceOps:
    """Owner and co-assignee management for one service."""

    def __init__(self, ctx: ServiceContext, mutations: Mutations) -> None:
        self._ctx = ctx
        self._mutations = mutations

    async def _ticket(self, ticket_id: int) -> dict[str, Any]:
        data: dict[str, Any] = await self._ctx.client.get_json(
            f"/service/tickets/{ticket_id}", {"fields": _TICKET_FIELDS}
        )
        return data

    async def _entries(self, ticket_id: int) -> list[dict[str, Any]]:
        return await self._ctx.client.list(
            "/schedule/entries", conditions=schedule_condition(ticket_id),
            fields=SCHEDULE_FIELDS, page_size=1000,
        )

    async def _state(self, ticket_id: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        ticket, entries = await asyncio.gather(self._ticket(ticket_id), self._entries(ticket_id))
        return ticket, entries

    async def list(self, ticket_id: int) -> tuple[Resource, ...]:
        """Owner and co-assignees; owner only (and a warning) without Resource Scheduling."""
        ticket_task = asyncio.ensure_future(self._ticket(int(ticket_id)))
        entries, _ = await self._ctx.degrade(
            "resources", lambda: self._entries(int(ticket_id)), _no_entries
        )
        return resources_of(_owner(await ticket_task), entries)

    async def add(self, ticket_id: int, member_id: int, *,
                  expected_last_updated: datetime | None = None) -> tuple[Resource, ...]:
        """Make ``member_id`` a resource: owner if there is none, else a co-assignee."""
        ticket_id, member_id = int(ticket_id), int(member_id)
        ticket, entries = await self._state(ticket_id)
        self._check(ticket, expected_last_updated)
        current = resources_of(_owner(ticket), entries)
        if any(r.member_id == member_id for r in current):
            return current
        if _owner(ticket) is None:
            data = await self._ctx.client.patch_json(
                f"/service/tickets/{ticket_id}",
                [PatchOp(op="replace", path="owner", value={"id": member_id})],
            )
            return resources_of(_owner(data), entries)
        entry = await self._ctx.client.post_json("/schedule/entries", {
            "objectId": ticket_id,
            "member": {"id": member_id},
            "type": {"id": SERVICE_SCHEDULE_TYPE},
        })
        return resources_of(_owner(ticket), [*entries, entry])

    async def remove(self, ticket_id: int, member_id: int, *,
                     expected_last_updated: datetime | None = None) -> tuple[Resource, ...]:
        """Stop ``member_id`` being a resource: clear the owner and/or delete its entries."""
        ticket_id, member_id = int(ticket_id), int(member_id)
        ticket, entries = await self._state(ticket_id)
        self._check(ticket, expected_last_updated)
        owner = _owner(ticket)
        mine = [e for e in entries if _member_id(e) == member_id]
        await asyncio.gather(*(self._delete_entry(int(e["id"])) for e in mine))
        if owner is not None and owner.get("id") == member_id:
            ticket = await self._ctx.client.patch_json(
                f"/service/tickets/{ticket_id}", [PatchOp(op="remove", path="owner")]
            )
        rest = [e for e in entries if _member_id(e) != member_id]
        return resources_of(_owner(ticket), rest)

    async def _delete_entry(self, entry_id: int) -> None:
        with contextlib.suppress(NotFound):  # already gone: removing is idempotent
            await self._ctx.client.delete(f"/schedule/entries/{entry_id}")

    def _check(self, ticket: Mapping[str, Any], expected: datetime | None) -> None:
        if expected is not None:
            self._mutations.check_row(ticket, expected)


def _no_entries() -> list[dict[str, Any]]:
    return []


def _owner(ticket: Any) -> Mapping[str, Any] | None:
    owner = ticket.get("owner") if isinstance(ticket, Mapping) else None
    return owner if isinstance(owner, Mapping) and isinstance(owner.get("id"), int) else None


def _member_id(entry: Mapping[str, Any]) -> int | None:
    member = entry.get("member")
    return member.get("id") if isinstance(member, Mapping) else None
