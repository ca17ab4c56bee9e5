"""Business-hours calendar and SLA maths for the sandbox: pure functions over epoch seconds.

ConnectWise measures SLAs against the service calendar, not the wall clock. What the sandbox
does (ConnectWise's exact rules are not public, so every rule below is an [I] choice):

- **Calendar.** "Standard Calendar": Monday–Friday 08:00–17:00 in the company time zone, which
  is US Eastern *standard* time, UTC−05:00 all year. There is no DST on purpose: the maths stays
  pure and needs no tz database (Windows ships none). Timestamps everywhere else are UTC.
- **Holidays.** "Standard Holiday List": New Year's Day, Memorial Day (last Monday of May),
  Independence Day, Labor Day (first Monday of September), Thanksgiving (fourth Thursday of
  November) and Christmas Day. A holiday is a whole non-business day; one that falls on a weekend
  is simply not observed (no shifting to Friday/Monday).
- **Targets** come from the ticket's priority (respond, resolution plan, resolve, in business
  hours). The clock starts at ``_info.dateEntered``.
- **Stages** follow the status's ``escalationStatus``: ``Responded`` marks the ticket responded,
  ``ResolutionPlan`` responded + planned, ``Resolved`` all three; ``NotResponded`` marks nothing.
  The first discussion note by a member also marks it responded. A later stage implies the
  earlier ones. Reopening (leaving a ``Resolved`` status for another) clears the resolution.
- **Waiting.** A status whose ``escalationStatus`` is ``NoEscalation`` (Waiting on Customer,
  Waiting on Parts, ...) stops the clock: business time spent there adds to ``minutesWaiting``
  and does not count towards the targets; ``minutesBeforeWaiting`` is the active time when the
  current wait began (0 when not waiting).
- **Fields.** ``respondMinutes``/``resPlanMinutes``/``resolveMinutes``: active business minutes
  to reach the stage, or elapsed so far while it is pending. ``isInSla``: every reached stage was
  within target and the pending one still is. ``slaStatus``: ``"Respond by Mon 11/30 10:00 AM
  UTC-05"``, ``"Resolution Plan by …"``, ``"Resolve by …"``, ``"Waiting"`` or ``"Resolved"``.
  ``escalationLevel``: how many stages missed their target. ``respondedHours``/``resplanHours``/
  ``resolutionHours``: the targets in hours.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

DAY = 86_400
WEEK = 7 * DAY
# 1970-01-05 was a Monday: local day numbers count from 1970-01-01, so Monday-based weekday
# arithmetic anchors there.
_MONDAY0 = 4
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

WAITING = "NoEscalation"
STAGE_OF_ESCALATION = {"Responded": 1, "ResolutionPlan": 2, "Resolved": 3}


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th (1-based; -1 = last) given weekday (0 = Monday) of a month."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def us_holidays(first_year: int, last_year: int) -> list[date]:
    """The Standard Holiday List for a range of years (see the module docstring)."""
    days: list[date] = []
    for year in range(first_year, last_year + 1):
        days += [
            date(year, 1, 1),
            _nth_weekday(year, 5, 0, -1),
            date(year, 7, 4),
            _nth_weekday(year, 9, 0, 1),
            _nth_weekday(year, 11, 3, 4),
            date(year, 12, 25),
        ]
    return sorted(days)


@dataclass(frozen=True)
class Calendar:
    """A weekly business-hours calendar with holidays, at a fixed UTC offset."""

    utc_offset_minutes: int = -300
    # Monday..Sunday: (start, end) in seconds after local midnight, or None for a closed day.
    hours: tuple[tuple[int, int] | None, ...] = (
        (8 * 3600, 17 * 3600),
    ) * 5 + (None, None)
    holidays: tuple[date, ...] = field(default_factory=lambda: tuple(us_holidays(2000, 2100)))
    _prefix: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _holiday_days: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _holiday_cum: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        prefix = [0]
        for window in self.hours:
            prefix.append(prefix[-1] + (window[1] - window[0] if window else 0))
        days: list[int] = []
        cum = [0]
        for holiday in sorted(set(self.holidays)):
            day = holiday.toordinal() - _EPOCH_ORDINAL
            length = self._window_length(day)
            if length:
                days.append(day)
                cum.append(cum[-1] + length)
        object.__setattr__(self, "_prefix", tuple(prefix))
        object.__setattr__(self, "_holiday_days", tuple(days))
        object.__setattr__(self, "_holiday_cum", tuple(cum))
        # Business-clock reading at the start of each holiday (it stands still through it).
        marks = tuple(self._plain_at(day * DAY) - cum[i] for i, day in enumerate(days))
        object.__setattr__(self, "_holiday_marks", marks)

    @property
    def week_seconds(self) -> int:
        return self._prefix[-1]

    def _window_length(self, day: int) -> int:
        window = self.hours[(day - _MONDAY0) % 7]
        return window[1] - window[0] if window else 0

    def _plain_at(self, local: int) -> int:
        """Business seconds up to a local time, ignoring holidays."""
        day, second = divmod(local, DAY)
        weeks, weekday = divmod(day - _MONDAY0, 7)
        total = weeks * self.week_seconds + self._prefix[weekday]
        window = self.hours[weekday]
        if window is not None and second > window[0]:
            total += min(second, window[1]) - window[0]
        return total

    def _holiday_seconds(self, local: int) -> int:
        """Business seconds lost to holidays before a local time."""
        day, second = divmod(local, DAY)
        index = bisect.bisect_left(self._holiday_days, day)
        lost = self._holiday_cum[index]
        if index < len(self._holiday_days) and self._holiday_days[index] == day:
            window = self.hours[(day - _MONDAY0) % 7]
            if window is not None and second > window[0]:
                lost += min(second, window[1]) - window[0]
        return lost

    def seconds_at(self, ts: int) -> int:
        """Cumulative business seconds from a fixed origin up to epoch second ``ts``."""
        local = ts + self.utc_offset_minutes * 60
        return self._plain_at(local) - self._holiday_seconds(local)

    def _plain_inverse(self, target: int) -> int:
        """Earliest local time at which ``_plain_at`` reaches ``target`` (holidays ignored)."""
        weeks, rem = divmod(target, self.week_seconds)
        if rem == 0:
            weeks, rem = weeks - 1, self.week_seconds
        weekday = bisect.bisect_left(self._prefix, rem) - 1
        window = self.hours[weekday]
        assert window is not None  # bisect lands on a day that has business hours
        day = _MONDAY0 + weeks * 7 + weekday
        return day * DAY + window[0] + rem - self._prefix[weekday]

    def time_at(self, target: int) -> int:
        """Earliest epoch second at which ``seconds_at`` reaches ``target``."""
        marks: tuple[int, ...] = self.__dict__["_holiday_marks"]
        # Holidays whose start lies before ``target`` on the business clock are skipped whole.
        lost = self._holiday_cum[bisect.bisect_left(marks, target)]
        return self._plain_inverse(target + lost) - self.utc_offset_minutes * 60

    def between(self, start: int, end: int) -> int:
        """Business seconds in [start, end) (0 if end precedes start)."""
        return max(0, self.seconds_at(end) - self.seconds_at(start))

    def add(self, start: int, seconds: int) -> int:
        """The epoch second when ``seconds`` business seconds after ``start`` have passed."""
        if seconds <= 0:
            return start
        return max(start, self.time_at(self.seconds_at(start) + seconds))

    def describe(self, ts: int) -> str:
        """A deadline as ConnectWise-ish local text: ``Mon 11/30 10:00 AM UTC-05``."""
        local = ts + self.utc_offset_minutes * 60
        day, second = divmod(local, DAY)
        hours, minutes = divmod(abs(self.utc_offset_minutes), 60)
        sign = "-" if self.utc_offset_minutes < 0 else "+"
        zone = f"UTC{sign}{hours:02d}" + (f":{minutes:02d}" if minutes else "")
        hour, minute = second // 3600, second % 3600 // 60
        clock = f"{(hour + 11) % 12 + 1}:{minute:02d} {'AM' if hour < 12 else 'PM'}"
        return f"{_day_label(day)} {clock} {zone}"


_DAY_LABEL: dict[int, str] = {}


def _day_label(day: int) -> str:
    """``Mon 11/30`` for a day number (cached: deadlines cluster on few days)."""
    label = _DAY_LABEL.get(day)
    if label is None:
        moment = date.fromordinal(_EPOCH_ORDINAL + day)
        label = _DAY_LABEL[day] = f"{_WEEKDAYS[moment.weekday()]} {moment:%m/%d}"
    return label


STANDARD_CALENDAR = Calendar()


@dataclass(frozen=True)
class Targets:
    """An SLA's targets for one priority, in business hours."""

    respond_hours: float
    plan_hours: float
    resolve_hours: float

    def __post_init__(self) -> None:
        hours = (self.respond_hours, self.plan_hours, self.resolve_hours)
        object.__setattr__(self, "_seconds", tuple(int(h * 3600) for h in hours))

    def seconds(self, stage: int) -> int:
        seconds: tuple[int, int, int] = self.__dict__["_seconds"]
        return seconds[stage]


@dataclass(slots=True)
class SlaClock:
    """Per-ticket SLA state (internal; the wire fields are derived from it).

    ``base`` and ``waiting_base`` cache the calendar's ``seconds_at`` of ``entered`` and
    ``waiting_since``: one clock always runs on one calendar. Build it with ``start``.
    """

    entered: int
    base: int
    # Epoch second each stage was reached (respond, plan, resolve), and by whom.
    reached: list[int | None] = field(default_factory=lambda: [None, None, None])
    reached_by: list[str | None] = field(default_factory=lambda: [None, None, None])
    # Active business seconds taken to reach each stage.
    taken: list[int | None] = field(default_factory=lambda: [None, None, None])
    waiting_since: int | None = None
    waiting_base: int = 0
    waited: int = 0
    before_waiting: int = 0

    @classmethod
    def start(cls, cal: Calendar, entered: int) -> SlaClock:
        return cls(entered, cal.seconds_at(entered))

    def active(self, cal: Calendar, at: int, at_seconds: int | None = None) -> int:
        """Business seconds the clock has run (waiting excluded) up to ``at``."""
        if at_seconds is None:
            at_seconds = cal.seconds_at(at)
        running = at_seconds - self.base - self.waited
        if self.waiting_since is not None:
            running -= max(0, at_seconds - self.waiting_base)
        return max(0, running)

    def reach(self, cal: Calendar, stage: int, at: int, member: str | None) -> None:
        """Mark stages 0..stage reached at ``at`` (already reached ones keep their time)."""
        for index in range(stage + 1):
            if self.reached[index] is None:
                self.reached[index] = at
                self.reached_by[index] = member
                self.taken[index] = self.active(cal, at)

    def reopen(self) -> None:
        """Leaving a resolved status: the resolution no longer counts."""
        self.reached[2] = self.reached_by[2] = self.taken[2] = None

    def start_waiting(self, cal: Calendar, at: int) -> None:
        if self.waiting_since is None:
            self.waiting_base = cal.seconds_at(at)
            self.before_waiting = self.active(cal, at, self.waiting_base)
            self.waiting_since = at

    def stop_waiting(self, cal: Calendar, at: int) -> None:
        if self.waiting_since is not None:
            self.waited += max(0, cal.seconds_at(at) - self.waiting_base)
            self.waiting_since = None
            self.before_waiting = 0

    def on_status(self, cal: Calendar, escalation: str | None, at: int, member: str | None) -> None:
        """Apply a move into a status with the given ``escalationStatus``."""
        stage = STAGE_OF_ESCALATION.get(escalation or "")
        if stage != 3:
            self.reopen()
        if escalation == WAITING:
            self.start_waiting(cal, at)
            return
        self.stop_waiting(cal, at)
        if stage is not None:
            self.reach(cal, stage - 1, at, member)


def sla_fields(clock: SlaClock, targets: Targets, cal: Calendar, as_of: int) -> dict[str, Any]:
    """The ticket's SLA wire fields as of ``as_of`` (epoch seconds)."""
    as_of_seconds = cal.seconds_at(as_of)
    active = clock.active(cal, as_of, as_of_seconds)
    minutes: list[int] = []
    in_sla = True
    missed = 0
    pending: int | None = None
    for stage in range(3):
        taken = clock.taken[stage]
        spent = active if taken is None else taken
        minutes.append(spent // 60)
        if spent > targets.seconds(stage):
            missed += 1
            in_sla = False
        if taken is None and pending is None:
            pending = stage
    waited = clock.waited
    if clock.waiting_since is not None:
        waited += max(0, as_of_seconds - clock.waiting_base)
    fields: dict[str, Any] = {
        "resolveMinutes": minutes[2],
        "resPlanMinutes": minutes[1],
        "respondMinutes": minutes[0],
        "isInSla": in_sla,
        "slaStatus": _status_text(clock, targets, cal, pending, waited),
        "escalationLevel": missed,
        "minutesBeforeWaiting": clock.before_waiting // 60 if clock.waiting_since else 0,
        "respondedSkippedMinutes": 0,
        "resplanSkippedMinutes": 0,
        "respondedHours": targets.respond_hours,
        "resplanHours": targets.plan_hours,
        "resolutionHours": targets.resolve_hours,
        "minutesWaiting": waited // 60,
    }
    names = (("dateResponded", "respondedBy"), ("dateResplan", "resplanBy"),
             ("dateResolved", "resolvedBy"))
    for stage, (date_key, by_key) in enumerate(names):
        reached = clock.reached[stage]
        if reached is not None:
            fields[date_key] = cw_ts(reached)
            by = clock.reached_by[stage]
            if by:
                fields[by_key] = by
    return fields


SLA_FIELD_NAMES = (
    "resolveMinutes", "resPlanMinutes", "respondMinutes", "isInSla", "slaStatus",
    "escalationLevel", "minutesBeforeWaiting", "respondedSkippedMinutes", "resplanSkippedMinutes",
    "respondedHours", "resplanHours", "resolutionHours", "minutesWaiting", "dateResponded",
    "respondedBy", "dateResplan", "resplanBy", "dateResolved", "resolvedBy",
)


def _status_text(
    clock: SlaClock, targets: Targets, cal: Calendar, pending: int | None, waited: int
) -> str:
    if pending is None:
        return "Resolved"
    if clock.waiting_since is not None:
        return "Waiting"
    due = cal.time_at(clock.base + targets.seconds(pending) + waited)
    label = ("Respond", "Resolution Plan", "Resolve")[pending]
    return f"{label} by {cal.describe(due)}"


_DAY_TEXT: dict[int, str] = {}


def cw_ts(ts: int) -> str:
    """ConnectWise's timestamp text for an epoch second; fast (day prefixes are cached)."""
    day, second = divmod(ts, DAY)
    prefix = _DAY_TEXT.get(day)
    if prefix is None:
        prefix = _DAY_TEXT[day] = date.fromordinal(_EPOCH_ORDINAL + day).isoformat() + "T"
    return prefix + _HOUR_MINUTE[second // 60] + _SECOND[second % 60]


_HOUR_MINUTE = tuple(f"{m // 60:02d}:{m % 60:02d}:" for m in range(1440))
_SECOND = tuple(f"{s:02d}Z" for s in range(60))


def parse_ts(text: str) -> int:
    """Epoch seconds of a ConnectWise timestamp (``Z`` or an offset)."""
    return int(datetime.fromisoformat(str(text).replace("Z", "+00:00")).timestamp())


def epoch(moment: datetime) -> int:
    """An aware datetime as whole epoch seconds."""
    return int(moment.timestamp())
