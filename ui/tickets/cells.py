"""How ticket values read in the table: relative times, owners and the SLA cell."""

from __future__ import annotations

import re
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
    """How long ago a ticket was entered: precise while young, in days once old."""
    if entered is None:
        return ""
    minutes = max(0, int((now - entered).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes}m"
    if minutes < 24 * 60:
        return f"{minutes // 60}h"
    if minutes < 7 * 24 * 60:
        return duration_text(minutes - minutes % 60)
    return f"{minutes // (24 * 60)}d"


def updated_text(updated: datetime | None, now: datetime) -> str:
    """`just now`, `12m ago`, `3h ago`, then the local date (`6 Nov`, `6 Nov 2024`)."""
    if updated is None:
        return ""
    minutes = (now - updated).total_seconds() / 60
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{int(minutes)}m ago"
    if minutes < 24 * 60:
        return f"{int(minutes // 60)}h ago"
    local = updated.astimezone()
    day = f"{local.day} {local:%b}"
    return day if local.year == now.astimezone().year else f"{day} {local.year}"


_NUMBERED_PRIORITY = re.compile(r"^\s*priority\s*(\d+)\b", re.IGNORECASE)


def priority_text(name: str) -> str:
    """ConnectWise's "Priority 2 - Quick Response" as "P2" (the tooltip has the whole name).

    The number (and the colour dot beside it) is what a dispatcher scans for, and it leaves the
    width to the summary and the SLA. Names of other shapes (a site's own "Critical", "High")
    are shown as they are.
    """
    match = _NUMBERED_PRIORITY.match(name)
    return name if match is None else f"P{match.group(1)}"


def owner_text(row: TicketRow) -> str:
    """The resources string CW derives (owner first), else the owner alone."""
    return row.resources or row.owner_identifier


def sla_cell(state: SlaState | None, row: TicketRow) -> SlaCell:
    """The next SLA deadline and its business time left, from the service's current figures.

    ConnectWise counts SLA time in business hours, so time left is the stage's target minus the
    business minutes the server says have elapsed — never a wall-clock difference. Without
    targets (servers that omit them) the cell shows the stage and due day from the server's own
    status text, or "Breached" once the ticket is out of SLA. Texts stay short enough for the
    column's default width ("Respond · 23h 59m"); the tooltip carries the whole story.
    """
    if state is None:
        return _NO_SLA
    status = state.sla_status
    if row.closed or state.date_resolved is not None or status.casefold() == "resolved":
        met = state.is_in_sla is not False
        return SlaCell("Met" if met else "Missed", SlaLevel.DONE, _DONE_KEY, status or "Resolved")
    if status.casefold().startswith("waiting"):
        waited = duration_text(state.minutes_waiting or 0)
        return SlaCell("Paused", SlaLevel.WAITING, _WAITING_KEY,
                       f"SLA clock paused while waiting on the customer ({waited} so far)")
    stages = (
        ("Respond", state.date_responded, state.respond_minutes, state.responded_hours),
        ("Plan", state.date_resplan, state.res_plan_minutes, state.resplan_hours),
        ("Resolve", None, state.resolve_minutes, state.resolution_hours),
    )
    for label, reached, elapsed, target_hours in stages:
        if reached is not None:
            continue
        if elapsed is not None and target_hours is not None:
            return _timed_cell(label, round(target_hours * 60) - elapsed, status)
        break
    if not status:
        return _NO_SLA
    if state.is_in_sla is False:
        return SlaCell("Breached", SlaLevel.BREACHED, _UNTIMED_KEY, status)
    return SlaCell(_short_status(status), SlaLevel.OK, _UNTIMED_KEY, status)


_DUE = re.compile(r"^(Respond|Resolution Plan|Resolve) by (\w{3})\b")


def _short_status(status: str) -> str:
    """`Resolution Plan by Tue 11/17 3:00 PM UTC-05` → `Plan by Tue` (the tooltip has the rest).

    Text in another shape is shown as it is (the view elides it).
    """
    match = _DUE.match(status)
    if match is None:
        return status
    stage = "Plan" if match[1] == "Resolution Plan" else match[1]
    return f"{stage} by {match[2]}"


# Sort keys: timed cells sort by minutes left; these go after every timed one.
_UNTIMED_KEY = 1e9
_WAITING_KEY = 2e9
_DONE_KEY = 3e9


def _timed_cell(label: str, left: int, status: str) -> SlaCell:
    due = f"{status}\n" if status else ""
    if left < 0:
        return SlaCell(f"Breached {duration_text(-left)}", SlaLevel.BREACHED, left,
                       f"{due}{label} target breached {duration_text(-left)} ago (business time)")
    if left <= URGENT_MINUTES:
        level = SlaLevel.URGENT
    elif left <= SOON_MINUTES:
        level = SlaLevel.SOON
    else:
        level = SlaLevel.OK
    return SlaCell(f"{label} · {duration_text(left)}", level, left,
                   f"{due}{duration_text(left)} of business time left to {label.lower()}")
