"""The sandbox's business-hours calendar and SLA maths."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from psa.sandbox.sla import (
    STANDARD_CALENDAR,
    Calendar,
    SlaClock,
    Targets,
    cw_ts,
    epoch,
    sla_fields,
    us_holidays,
)

CAL = STANDARD_CALENDAR
HOUR = 3600


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    """Epoch seconds of a wall-clock time in the calendar's zone (UTC-05:00)."""
    return epoch(datetime(year, month, day, hour, minute, tzinfo=UTC) + timedelta(hours=5))


# 2026-11-23 is a Monday; 2026-11-26 is Thanksgiving.
MON = (2026, 11, 16)


def test_business_hours_within_one_day() -> None:
    assert CAL.between(local(*MON, 9), local(*MON, 11)) == 2 * HOUR


def test_time_outside_hours_counts_nothing() -> None:
    assert CAL.between(local(*MON, 17), local(2026, 11, 17, 8)) == 0
    assert CAL.between(local(*MON, 5), local(*MON, 8)) == 0


def test_business_hours_across_a_night() -> None:
    assert CAL.between(local(*MON, 16), local(2026, 11, 17, 9)) == 2 * HOUR


def test_business_hours_across_a_weekend() -> None:
    friday_4pm = local(2026, 11, 20, 16)
    monday_9am = local(2026, 11, 23, 9)
    assert CAL.between(friday_4pm, monday_9am) == 2 * HOUR


def test_a_full_week_is_45_hours() -> None:
    assert CAL.between(local(*MON, 0), local(2026, 11, 23, 0)) == 45 * HOUR


def test_holiday_counts_nothing() -> None:
    assert date(2026, 11, 26) in us_holidays(2026, 2026)
    wednesday = local(2026, 11, 25, 0)
    friday = local(2026, 11, 27, 0)
    assert CAL.between(wednesday, friday) == 9 * HOUR


def test_weekend_holiday_is_not_shifted() -> None:
    # 2027-12-25 is a Saturday: the Friday before stays a business day.
    assert CAL.between(local(2027, 12, 24, 0), local(2027, 12, 25, 0)) == 9 * HOUR


def test_add_within_day() -> None:
    assert CAL.add(local(*MON, 9), 3 * HOUR) == local(*MON, 12)


def test_add_rolls_over_night_and_weekend() -> None:
    friday_9am = local(2026, 11, 20, 9)
    assert CAL.add(friday_9am, 9 * HOUR) == local(2026, 11, 23, 9)


def test_add_ending_exactly_at_close_stays_on_that_day() -> None:
    assert CAL.add(local(*MON, 9), 8 * HOUR) == local(*MON, 17)


def test_add_from_outside_hours_starts_at_opening() -> None:
    saturday = local(2026, 11, 21, 12)
    assert CAL.add(saturday, HOUR) == local(2026, 11, 23, 9)


def test_add_skips_a_holiday() -> None:
    wednesday_4pm = local(2026, 11, 25, 16)
    assert CAL.add(wednesday_4pm, 2 * HOUR) == local(2026, 11, 27, 9)


def test_add_skips_christmas_and_new_year() -> None:
    # 2026-12-24 Thu 16:00 + 2h: Fri 25 is Christmas, so Monday 28 09:00.
    assert CAL.add(local(2026, 12, 24, 16), 2 * HOUR) == local(2026, 12, 28, 9)


def test_custom_calendar_with_saturday_hours() -> None:
    cal = Calendar(
        utc_offset_minutes=0,
        hours=((9 * HOUR, 17 * HOUR),) * 6 + (None,),
        holidays=(),
    )
    saturday = epoch(datetime(2026, 11, 21, 10, tzinfo=UTC))
    assert cal.add(saturday, 8 * HOUR) == epoch(datetime(2026, 11, 23, 10, tzinfo=UTC))


@given(
    start=st.integers(min_value=epoch(datetime(2025, 1, 1, tzinfo=UTC)),
                      max_value=epoch(datetime(2027, 12, 1, tzinfo=UTC))),
    seconds=st.integers(min_value=1, max_value=400 * HOUR),
)
def test_add_inverts_between(start: int, seconds: int) -> None:
    end = CAL.add(start, seconds)
    assert CAL.between(start, end) == seconds
    # And it is the earliest such moment.
    assert CAL.between(start, end - 1) == seconds - 1


@given(
    a=st.integers(min_value=epoch(datetime(2025, 1, 1, tzinfo=UTC)),
                  max_value=epoch(datetime(2027, 1, 1, tzinfo=UTC))),
    span=st.integers(min_value=0, max_value=40 * 86_400),
)
def test_between_matches_a_minute_by_minute_count(a: int, span: int) -> None:
    a -= a % 60
    span -= span % 60
    step = 60
    counted = 0
    holidays = set(us_holidays(2024, 2028))
    for t in range(a, a + span, step):
        wall = datetime.fromtimestamp(t, UTC) - timedelta(hours=5)
        if wall.weekday() < 5 and wall.date() not in holidays and 8 <= wall.hour < 17:
            counted += step
    assert CAL.between(a, a + span) == counted


def test_cw_ts_formats_like_connectwise() -> None:
    assert cw_ts(epoch(datetime(2026, 11, 27, 9, 5, 7, tzinfo=UTC))) == "2026-11-27T09:05:07Z"


def test_describe_gives_local_deadline_text() -> None:
    assert CAL.describe(local(2026, 11, 30, 10)) == "Mon 11/30 10:00 AM UTC-05"
    assert CAL.describe(local(2026, 11, 30, 14, 30)) == "Mon 11/30 2:30 PM UTC-05"


TARGETS = Targets(respond_hours=1, plan_hours=4, resolve_hours=8)


def test_new_ticket_counts_towards_respond() -> None:
    clock = SlaClock.start(CAL, local(*MON, 9))
    fields = sla_fields(clock, TARGETS, CAL, local(*MON, 9, 30))
    assert fields["respondMinutes"] == 30
    assert fields["isInSla"] is True
    assert fields["slaStatus"] == "Respond by Mon 11/16 10:00 AM UTC-05"
    assert "dateResponded" not in fields


def test_unresponded_ticket_breaches_after_target() -> None:
    clock = SlaClock.start(CAL, local(*MON, 9))
    fields = sla_fields(clock, TARGETS, CAL, local(*MON, 11))
    assert fields["isInSla"] is False
    assert fields["escalationLevel"] == 1


def test_responded_status_records_time_and_member() -> None:
    clock = SlaClock.start(CAL, local(*MON, 9))
    clock.on_status(CAL, "Responded", local(*MON, 9, 20), "jdoe")
    fields = sla_fields(clock, TARGETS, CAL, local(*MON, 12))
    assert fields["respondMinutes"] == 20
    assert fields["dateResponded"] == cw_ts(local(*MON, 9, 20))
    assert fields["respondedBy"] == "jdoe"
    assert fields["resPlanMinutes"] == 180
    assert fields["slaStatus"].startswith("Resolution Plan by ")


def test_resolved_status_implies_every_stage() -> None:
    clock = SlaClock.start(CAL, local(*MON, 9))
    clock.on_status(CAL, "Resolved", local(*MON, 10), "jdoe")
    fields = sla_fields(clock, TARGETS, CAL, local(2026, 11, 20, 9))
    assert fields["slaStatus"] == "Resolved"
    assert fields["respondMinutes"] == fields["resPlanMinutes"] == fields["resolveMinutes"] == 60
    assert fields["resolvedBy"] == "jdoe"
    assert fields["isInSla"] is True


def test_reopening_clears_the_resolution_only() -> None:
    clock = SlaClock.start(CAL, local(*MON, 9))
    clock.on_status(CAL, "Resolved", local(*MON, 10), "jdoe")
    clock.on_status(CAL, "Responded", local(*MON, 11), "jdoe")
    fields = sla_fields(clock, TARGETS, CAL, local(*MON, 12))
    assert "dateResolved" not in fields
    assert fields["dateResponded"] == cw_ts(local(*MON, 10))
    assert fields["resolveMinutes"] == 180


def test_waiting_stops_the_clock() -> None:
    clock = SlaClock.start(CAL, local(*MON, 9))
    clock.on_status(CAL, "Responded", local(*MON, 9, 10), "jdoe")
    clock.on_status(CAL, "NoEscalation", local(*MON, 10), "jdoe")
    waiting = sla_fields(clock, TARGETS, CAL, local(2026, 11, 17, 10))
    assert waiting["slaStatus"] == "Waiting"
    assert waiting["minutesBeforeWaiting"] == 60
    assert waiting["minutesWaiting"] == 9 * 60
    assert waiting["resolveMinutes"] == 60
    clock.on_status(CAL, "Responded", local(2026, 11, 17, 10), "jdoe")
    resumed = sla_fields(clock, TARGETS, CAL, local(2026, 11, 17, 11))
    assert resumed["resolveMinutes"] == 120
    assert resumed["minutesWaiting"] == 9 * 60
    assert resumed["minutesBeforeWaiting"] == 0
    # The 4-hour plan target moved out by the 9 business hours spent waiting.
    assert resumed["slaStatus"] == "Resolution Plan by Tue 11/17 1:00 PM UTC-05"


@pytest.mark.parametrize("stage", ["NotResponded", None])
def test_non_stage_status_marks_nothing(stage: str | None) -> None:
    clock = SlaClock.start(CAL, local(*MON, 9))
    clock.on_status(CAL, stage, local(*MON, 10), "jdoe")
    assert clock.reached == [None, None, None]
