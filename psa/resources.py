"""Ticket resources: list (owner + co-assignees), add and remove, idempotently.

ConnectWise derives the read-only ``resources`` string from the ticket's owner and its schedule
entries of type 4 (API-NOTES quirks). So adding a member sets the owner when the ticket has
none and otherwise creates a schedule entry; removing clears the owner and/or deletes the
member's entries. Adding someone already there, or removing someone absent, changes nothing.
Schedule entries need Service Desk > Resource Scheduling. Without it the owner can still be set
and cleared (a ticket PATCH): the entries are read degraded, and only a co-assignee change — a
schedule entry — is refused, with a PermissionDenied naming that permission.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from psa.connectwise.errors import NotFound, PermissionDenied
from psa.connectwise.models import PatchOp
from psa.context import ServiceContext
from psa.detail import SCHEDULE_FIELDS, SERVICE_SCHEDULE_TYPE, resources_of, schedule_condition
from psa.models import LIST_FIELDS, Resource
from psa.mutations import Mutations

_TICKET_FIELDS = ",".join((*LIST_FIELDS, "owner/name"))
SCHEDULING = "Service Desk > Resource Scheduling"
Entries = list[dict[str, Any]] | None
"""A ticket's service schedule entries; None when the role may not read them."""


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

    async def _state(self, ticket_id: int) -> tuple[dict[str, Any], Entries]:
        """The ticket and its entries (None, with the warning recorded, when not readable)."""
        ticket_task = asyncio.ensure_future(self._ticket(ticket_id))
        try:
            entries, warning = await self._ctx.degrade(
                "resources", lambda: self._entries(ticket_id), _no_entries)
        except BaseException:
            ticket_task.cancel()
            raise
        return await ticket_task, None if warning is not None else entries

    async def list(self, ticket_id: int) -> tuple[Resource, ...]:
        """Owner and co-assignees; owner only (and a warning) without Resource Scheduling."""
        ticket, entries = await self._state(int(ticket_id))
        return resources_of(_owner(ticket), entries or [])

    async def add(self, ticket_id: int, member_id: int, *,
                  expected_last_updated: datetime | None = None) -> tuple[Resource, ...]:
        """Make ``member_id`` a resource: owner if there is none, else a co-assignee."""
        ticket_id, member_id = int(ticket_id), int(member_id)
        ticket, known = await self._state(ticket_id)
        self._check(ticket, expected_last_updated)
        entries = known or []
        current = resources_of(_owner(ticket), entries)
        if any(r.member_id == member_id for r in current):
            return current
        if _owner(ticket) is None:
            data = await self._ctx.client.patch_json(
                f"/service/tickets/{ticket_id}",
                [PatchOp(op="replace", path="owner", value={"id": member_id})],
            )
            return resources_of(_owner(data), entries)
        if known is None:
            raise _needs_scheduling("added", "Add")
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
        ticket, known = await self._state(ticket_id)
        self._check(ticket, expected_last_updated)
        owner = _owner(ticket)
        is_owner = owner is not None and owner.get("id") == member_id
        if known is None and not is_owner:
            raise _needs_scheduling("removed", "Delete")
        entries = known or []
        mine = [e for e in entries if _member_id(e) == member_id]
        await asyncio.gather(*(self._delete_entry(int(e["id"])) for e in mine))
        if is_owner:
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


def _needs_scheduling(verb: str, action: str) -> PermissionDenied:
    """A co-assignee is a schedule entry: without Resource Scheduling it cannot change."""
    permission = f"{SCHEDULING} (Inquire, {action})"
    return PermissionDenied(
        f"Co-assignees are schedule entries, which need {permission}: the member was not "
        f"{verb}. The owner can still be changed.",
        permission=permission, code="ResourceScheduling",
        endpoint="/schedule/entries", status=None,
    )


def _owner(ticket: Any) -> Mapping[str, Any] | None:
    owner = ticket.get("owner") if isinstance(ticket, Mapping) else None
    return owner if isinstance(owner, Mapping) and isinstance(owner.get("id"), int) else None


def _member_id(entry: Mapping[str, Any]) -> int | None:
    member = entry.get("member")
    return member.get("id") if isinstance(member, Mapping) else None
