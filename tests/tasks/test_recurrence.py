"""Recurrence rules: checked with messages a person can act on, expanded in the task's own zone
(wall-clock time kept across daylight-saving changes), anchored at the first due time, and said
in words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr

from chatapp.tasks.recurrence import Recurrence, RecurrenceError, check, normalise_rule, valid_zone


def local(zone: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone))


@pytest.mark.parametrize(
    ("zone", "start", "dst_day"),
    [
        # 2027: New York springs forward on 14 March and falls back on 7 November.
        ("America/New_York", (2027, 3, 10, 9, 0), 14),
        # 2027: Paris springs forward on 28 March.
        ("Europe/Paris", (2027, 3, 25, 9, 0), 28),
    ],
)
def test_every_day_at_nine_stays_nine_local_across_a_dst_change(zone, start, dst_day):
    first = local(zone, *start)
    recurrence = Recurrence("FREQ=DAILY", first.astimezone(UTC), zone)
    moments = recurrence.between(first.astimezone(UTC), (first + timedelta(days=7)).astimezone(UTC))

    assert [m.astimezone(ZoneInfo(zone)).hour for m in moments] == [9] * 8
    offsets = {m.astimezone(ZoneInfo(zone)).utcoffset() for m in moments}
    assert len(offsets) == 2, "the week crosses the change, so two UTC offsets"
    utc_hours = [m.hour for m in moments]
    assert utc_hours[0] != utc_hours[-1]
    assert any(m.astimezone(ZoneInfo(zone)).day == dst_day for m in moments)


def test_weekly_in_new_york_across_the_autumn_change_keeps_the_local_time():
    zone = "America/New_York"
    first = local(zone, 2027, 10, 25, 18, 30)  # a Monday
    recurrence = Recurrence("FREQ=WEEKLY;BYDAY=MO", first.astimezone(UTC), zone)
    after_change = recurrence.next_after(local(zone, 2027, 11, 2, 0, 0).astimezone(UTC))
    assert after_change == local(zone, 2027, 11, 8, 18, 30).astimezone(UTC)
    assert after_change.hour == 23  # EST: UTC-5 (it was 22:30 UTC in October)


def test_next_after_matches_dateutils_own_expansion_of_the_rule():
    zone = ZoneInfo("Europe/Paris")
    first = datetime(2026, 12, 1, 9, 0, tzinfo=zone)
    rule = "FREQ=MONTHLY;BYDAY=-1FR;COUNT=6"
    expected = list(rrulestr(rule, dtstart=first.replace(tzinfo=None)))
    recurrence = Recurrence(rule, first.astimezone(UTC), "Europe/Paris")
    moment, seen = first.astimezone(UTC) - timedelta(seconds=1), []
    while (moment := recurrence.next_after(moment)) is not None:
        seen.append(moment.astimezone(zone).replace(tzinfo=None))
    assert seen == expected


def test_count_counts_from_the_anchor_not_from_the_current_due_time():
    first = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    recurrence = Recurrence("FREQ=DAILY;COUNT=3", first, "UTC")
    third = first + timedelta(days=2)
    assert recurrence.next_after(first) == first + timedelta(days=1)
    assert recurrence.next_after(third) is None
    assert recurrence.remaining_from(third) == 1
    assert Recurrence("FREQ=DAILY", first, "UTC").remaining_from(third) is None


def test_a_utc_until_is_honoured_in_the_local_zone():
    zone = "Asia/Tokyo"
    first = local(zone, 2026, 12, 1, 9, 0)
    # 2026-12-03T00:00Z is 09:00 on 3 Dec in Tokyo: that occurrence is the last one.
    recurrence = Recurrence("FREQ=DAILY;UNTIL=20261203T000000Z", first.astimezone(UTC), zone)
    last = local(zone, 2026, 12, 3, 9, 0).astimezone(UTC)
    assert recurrence.next_after(last - timedelta(minutes=1)) == last
    assert recurrence.next_after(last) is None


@pytest.mark.parametrize(
    ("given", "normal"),
    [
        ("FREQ=WEEKLY;BYDAY=MO", "FREQ=WEEKLY;BYDAY=MO"),
        ("RRULE:freq=monthly;bymonthday=1", "FREQ=MONTHLY;BYMONTHDAY=1"),
        (" FREQ=DAILY;INTERVAL=2;COUNT=10; ", "FREQ=DAILY;INTERVAL=2;COUNT=10"),
        ("FREQ=HOURLY;INTERVAL=6", "FREQ=HOURLY;INTERVAL=6"),
        ("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3"),
    ],
)
def test_rules_are_normalised(given, normal):
    assert normalise_rule(given) == normal


@pytest.mark.parametrize(
    ("rule", "says"),
    [
        ("FREQ=SECONDLY", "too often"),
        ("FREQ=MINUTELY;INTERVAL=15", "too often"),
        ("every monday", "not an RFC 5545 repeat rule"),
        ("FREQ=FORTNIGHTLY", "FREQ must be one of"),
        ("INTERVAL=2", "needs a FREQ"),
        ("FREQ=DAILY;BYDAY=XX", "not a valid repeat rule"),
        ("FREQ=DAILY;COUNT=2;UNTIL=20270101", "COUNT or UNTIL"),
        ("DTSTART=20260101T090000;FREQ=DAILY", "leave DTSTART out"),
        ("FREQ=DAILY;FREQ=WEEKLY", "only once"),
        ("", "empty"),
        ("FREQ=DAILY;" + "BYHOUR=1;" * 100, "longer than"),
    ],
)
def test_bad_rules_are_refused_with_a_reason(rule, says):
    with pytest.raises(RecurrenceError, match=says):
        normalise_rule(rule)


def test_a_rule_needs_a_due_date_and_a_future_occurrence():
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    with pytest.raises(RecurrenceError, match="needs a due date"):
        check("FREQ=DAILY", None, "UTC", now)
    with pytest.raises(RecurrenceError, match="no occurrence"):
        check("FREQ=DAILY;UNTIL=20200101", now, "UTC", now)
    check("FREQ=DAILY;COUNT=1", now, "UTC", now)
    check(None, None, "UTC", now)


def test_zones_are_checked_and_canonical():
    assert valid_zone("Europe/Paris") == "Europe/Paris"
    assert valid_zone(None) == valid_zone("") == "UTC"
    for bad in ("Mars/Olympus", "../etc/passwd", "Europe/"):
        with pytest.raises(RecurrenceError, match="unknown time zone"):
            valid_zone(bad)


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=MONTHLY;BYMONTHDAY=1", "every month on the 1st at 09:00"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "every month on the last day at 09:00"),
        ("FREQ=MONTHLY;BYMONTHDAY=15", "every month on the 15th at 09:00"),
        ("FREQ=MONTHLY", "every month on the 1st at 09:00"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "every month on the last Friday at 09:00"),
        ("FREQ=MONTHLY;BYDAY=3FR", "every month on the 3rd Friday at 09:00"),
        ("FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1", "every month on the last Friday at 09:00"),
        ("FREQ=WEEKLY;BYDAY=MO", "every Monday at 09:00"),
        ("FREQ=WEEKLY;BYDAY=MO,TH", "every Monday and Thursday at 09:00"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "every weekday at 09:00"),
        ("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", "every weekday at 09:00"),
        ("FREQ=WEEKLY;BYDAY=SA,SU", "every weekend day at 09:00"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", "every other week on Friday at 09:00"),
        ("FREQ=WEEKLY;INTERVAL=3", "every 3 weeks on Tuesday at 09:00"),
        ("FREQ=WEEKLY", "every week on Tuesday at 09:00"),
        ("FREQ=DAILY", "every day at 09:00"),
        ("FREQ=DAILY;INTERVAL=2;COUNT=10", "every other day at 09:00, 10 times"),
        ("FREQ=DAILY;UNTIL=20270601T000000Z", "every day at 09:00, until 1 Jun 2027"),
        ("FREQ=YEARLY", "every year on 1 December at 09:00"),
        ("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3", "every year on 3 March at 09:00"),
        ("FREQ=HOURLY;INTERVAL=4", "every 4 hours"),
        ("FREQ=DAILY;BYHOUR=7;BYMINUTE=30", "every day at 07:30"),
        ("FREQ=DAILY;COUNT=1", "every day at 09:00, once"),
    ],
)
def test_rules_in_words(rule, words):
    anchor = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))  # a Tuesday
    assert Recurrence(rule, anchor.astimezone(UTC), "Europe/Paris").describe() == words
