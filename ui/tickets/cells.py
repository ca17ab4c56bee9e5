"""How ticket values read in the table: relative times, owners and the SLA cell."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from psa.models import SlaState, TicketRow


class SlaLevel(Enum):
    """How urgent a ticket's next SLA deadline is; the table colours by it."""

    NONE = "none"  # no SLA figures (yet)
    DONE = "done"  # every stage met or the ticket is resolved
    WAITING = "waiting"  # clock paused while waiting on the customer
    OK = "ok"  # green
    SOON = "soon"  # amber
    URGENT = "urgent"  # red
    BREACHED = "breached"


@dataclass(frozen=True)
class SlaCell:
    """What the SLA column shows for one ticket, and how it sorts."""

    text: str
    level: SlaLevel
    sort_key: float
    tooltip: str = ""


# Thresholds of time left (minutes) between green, amber and red.
SOON_MINUTES = 4 * 60
URGENT_MINUTES = 60
_STAGES = (("respond", "Respond"), ("plan", "Plan"), ("resolve", "Resolve"))
_NO_SLA = SlaCell("", SlaLevel.NONE, float("inf"))


def duration_text(minutes: float) -> str:
    """A compact duration: `45m`, `3h 20m`, `2d 4h`."""
    minutes = max(0, int(minutes))
    if minutes < 60:
        return f"{minutes}m"
    hours, mins = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h {mins:02d}m" if mins else f"{hours}h"
    days, hours = divmod(hours, 24)
    return f"{days}d {hours}h" if hours else f"{days}d"


def age_text(entered: datetime | None, now: datetime) -> str:
    """How long ago a ticket was entered, compactly."""
    if entered is None:
        return ""
    return duration_text((now - entered).total_seconds() / 60)


def updated_text(updated: datetime | None, now: datetime) -> str:
    """`just now`, `12m ago`, `3h ago`, then the local date for anything older than a day."""
    if updated is None:
        return ""
    minutes = (now - updated).total_seconds() / 60
    if minutes < 1:
        return "just now"
    if minutes < 24 * 60:
        return f"{duration_text(minutes)} ago"
    return updated.astimezone().strftime("%d %b %Y")


def owner_text(row: TicketRow) -> str:
    """The resources string CW derives (owner first), else the owner alone."""
    return row.resources or row.owner_identifier


def sla_cell(state: SlaState | None, row: TicketRow, now: datetime) -> SlaCell:
    """The next SLA deadline and its time left, from the service's current SLA figures.

    ConnectWise counts SLA time in business hours, so the time left is the server's figure
    (minutes remaining per stage), never a wall-clock difference computed here.
    """
    del now  # kept in the signature: a deadline-based server variant will need it
    if state is None:
        return _NO_SLA
    if row.closed or state.date_resolved is not None:
        return SlaCell(
            "Met" if state.is_in_sla is not False else "Missed",
            SlaLevel.DONE,
            float("inf") - 1,
            "Resolved",
        )
    if state.minutes_waiting and state.sla_status.lower().startswith("wait"):
        return SlaCell("Waiting", SlaLevel.WAITING, 1e9, "SLA clock paused while waiting")
    stage_minutes = (
        (state.date_responded, state.respond_minutes),
        (state.date_resplan, state.res_plan_minutes),
        (state.date_resolved, state.resolve_minutes),
    )
    for (key, label), (done_at, left) in zip(_STAGES, stage_minutes, strict=True):
        if done_at is not None or left is None:
            continue
        del key
        return _timed_cell(label, left)
    if state.sla_status:
        return SlaCell(state.sla_status, SlaLevel.NONE, 1e9 + 1, state.sla_status)
    return _NO_SLA


def _timed_cell(label: str, left: int) -> SlaCell:
    if left < 0:
        return SlaCell(
            f"{label} · breached {duration_text(-left)}",
            SlaLevel.BREACHED,
            left,
            f"{label} deadline passed {duration_text(-left)} ago (business time)",
        )
    if left <= URGENT_MINUTES:
        level = SlaLevel.URGENT
    elif left <= SOON_MINUTES:
        level = SlaLevel.SOON
    else:
        level = SlaLevel.OK
    return SlaCell(
        f"{label} · {duration_text(left)}",
        level,
        left,
        f"{duration_text(left)} of business time left to {label.lower()}",
    )
