"""Recurrence rules: checked with messages a person can act on, expanded in the task's own zone
(wall-clock time kept across daylight-saving changes), anchored at the first due time, and said
in words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr

from chatapp.tasks.recurrence import Recurrence, RecurrenceError, check, normalise_rule
from chatapp.timezones import UnknownZone, valid_zone


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
        ("FREQ=DAILY;COUNT=0", "COUNT must be a whole number from 1 to 1000"),
        ("FREQ=DAILY;COUNT=1000000000", "COUNT must be a whole number from 1 to 1000"),
        ("FREQ=DAILY;INTERVAL=0", "INTERVAL must be a whole number from 1 to 999"),
        ("FREQ=DAILY;BYSECOND=0", "leave BYSECOND out"),
        ("FREQ=DAILY;BYMINUTE=0,30", "one BYMINUTE only"),
        ("FREQ=DAILY;BYMINUTE=60", "BYMINUTE takes numbers in 0..59"),
        ("FREQ=DAILY;BYHOUR=24", "BYHOUR takes numbers in 0..23"),
        ("FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY takes numbers in ±1..31"),
        ("FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY takes numbers in ±1..31"),
        ("FREQ=YEARLY;BYMONTH=13", "BYMONTH takes numbers in 1..12"),
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "BYMONTHDAY=30 never falls in BYMONTH=2"),
        ("FREQ=WEEKLY;BYMONTHDAY=1", "BYMONTHDAY goes with FREQ=DAILY or MONTHLY or YEARLY"),
        ("FREQ=HOURLY;BYMONTH=2", "not HOURLY"),
        ("FREQ=MONTHLY;BYWEEKNO=1", "BYWEEKNO goes with FREQ=YEARLY"),
        ("FREQ=DAILY;BYSETPOS=1;BYDAY=MO", "BYSETPOS goes with FREQ=MONTHLY or YEARLY"),
        ("FREQ=MONTHLY;BYSETPOS=1", "BYSETPOS picks from another BY part"),
        ("FREQ=WEEKLY;BYDAY=1MO", "a numbered day needs MONTHLY or YEARLY"),
        ("FREQ=MONTHLY;BYDAY=MO,-1FR", "mixes plain days"),
        ("FREQ=MONTHLY;BYDAY=54MO", "the number must be ±1..53"),
        ("FREQ=MONTHLY;BYDAY=MON", "BYDAY takes day codes"),
        ("FREQ=DAILY;WKST=XX", "WKST takes a day code"),
        ("FREQ=DAILY;UNTIL=20270231", "not a real date"),
        ("FREQ=DAILY;UNTIL=tomorrow", "UNTIL takes a date"),
        ("FREQ=DAILY;UNTIL=2027", "UNTIL takes a date"),
        ("FREQ=DAILY;X-NAME=1", "not an RFC 5545 repeat rule"),
        ("FREQ=DAILY;BYEASTER=1", "BYEASTER is not a part of a repeat rule"),
        ("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=20", "never comes round"),
        ("FREQ=YEARLY;BYYEARDAY=366;BYMONTHDAY=1,15", "never comes round"),
        ("FREQ=YEARLY;BYWEEKNO=1;BYMONTH=6", "never comes round"),
    ],
)
def test_bad_rules_are_refused_with_a_reason(rule, says):
    with pytest.raises(RecurrenceError, match=says):
        normalise_rule(rule)


def test_refusing_a_rule_that_never_comes_round_is_quick():
    """dateutil walks to the year 9999 looking for a match that never comes: the probe walks
    one 400-year calendar cycle, whatever the FREQ."""
    import time

    for rule in (
        "FREQ=MONTHLY;BYDAY=MO,TU;BYMONTHDAY=1,15;BYSETPOS=366;BYMONTH=3,6",
        "FREQ=MONTHLY;BYDAY=5FR;BYMONTH=2;BYMONTHDAY=1",  # a fifth Friday on 1 February
        "FREQ=YEARLY;BYYEARDAY=366;BYMONTHDAY=1,15",
        "FREQ=YEARLY;BYWEEKNO=1;BYMONTH=6",
    ):
        started = time.perf_counter()
        with pytest.raises(RecurrenceError, match="never comes round"):
            normalise_rule(rule)
        assert time.perf_counter() - started < 3.0, rule  # a 400-year scan; an endless one hangs


def test_rare_rules_that_do_come_round_are_accepted():
    for rule in (
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO",  # a Monday 29 February
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO",
        "FREQ=MONTHLY;BYMONTHDAY=13;BYDAY=FR",  # Friday the 13th
        "FREQ=YEARLY;BYDAY=53MO",  # years with 53 Mondays
        "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=1,2",
    ):
        assert normalise_rule(rule) == rule


def test_a_rule_our_words_cannot_say_is_said_as_written():
    anchor = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    rule = "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=1,2"
    assert Recurrence(rule, anchor, "UTC").describe() == f"repeats as {rule}"


def test_a_rule_that_cannot_start_at_the_due_date_is_refused():
    # Every 7th day from a Tuesday is never a Monday.
    tuesday = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    with pytest.raises(RecurrenceError, match="no occurrence from the due date on"):
        check("FREQ=DAILY;INTERVAL=7;BYDAY=MO", tuesday, "UTC", tuesday)
    with pytest.raises(RecurrenceError, match="cannot start at the due date"):
        check("FREQ=HOURLY;INTERVAL=24;BYHOUR=10", tuesday, "UTC", tuesday)


def test_a_rule_needs_a_due_date_and_a_future_occurrence():
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    with pytest.raises(RecurrenceError, match="needs a due date"):
        check("FREQ=DAILY", None, "UTC", now)
    with pytest.raises(RecurrenceError, match="no occurrence"):
        check("FREQ=DAILY;UNTIL=20200101", now, "UTC", now)
    check("FREQ=DAILY;COUNT=1", now, "UTC", now)
    check(None, None, "UTC", now)


def test_an_overdue_rule_needs_an_occurrence_still_to_come():
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    last_week = now - timedelta(days=7)
    with pytest.raises(RecurrenceError, match="no occurrence still to come"):
        check("FREQ=DAILY;COUNT=3", last_week, "UTC", now)
    with pytest.raises(RecurrenceError, match="no occurrence still to come"):
        check("FREQ=DAILY;UNTIL=20261130", last_week, "UTC", now)
    check("FREQ=DAILY;COUNT=10", last_week, "UTC", now)
    check("FREQ=DAILY", last_week, "UTC", now)


def test_the_rule_for_a_calendar_counts_what_is_left_and_ends_in_utc():
    first = local("Europe/Paris", 2026, 12, 1, 9, 0).astimezone(UTC)
    counted = Recurrence("FREQ=DAILY;INTERVAL=2;COUNT=5", first, "Europe/Paris")
    assert counted.rule_from(first) == "FREQ=DAILY;INTERVAL=2;COUNT=5"
    assert counted.rule_from(first + timedelta(days=4)) == "FREQ=DAILY;INTERVAL=2;COUNT=3"

    until = Recurrence("FREQ=DAILY;UNTIL=20261210", first, "Europe/Paris")
    # Midnight on 10 December in Paris is 23:00 UTC the day before.
    assert until.rule_from(first) == "FREQ=DAILY;UNTIL=20261209T230000Z"
    exact = Recurrence("FREQ=DAILY;UNTIL=20261210T080000Z", first, "Europe/Paris")
    assert exact.rule_from(first) == "FREQ=DAILY;UNTIL=20261210T080000Z"
    assert Recurrence("FREQ=WEEKLY", first, "UTC").rule_from(first) == "FREQ=WEEKLY"


def test_zones_are_checked_and_canonical():
    assert valid_zone("Europe/Paris") == "Europe/Paris"
    assert valid_zone(None) == valid_zone("") == "UTC"
    for bad in ("Mars/Olympus", "../etc/passwd", "Europe/"):
        with pytest.raises(UnknownZone, match="unknown time zone"):
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
