"""Due-date phrases resolved against a fixed now: Monday 23 Nov 2026, 14:05 in Paris."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from chatapp.agent.offline import dates
from tests.support.agent import NOW

PARIS = ZoneInfo("Europe/Paris")


def at(day: int, hour: int, minute: int = 0, month: int = 11, year: int = 2026) -> str:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS).isoformat()


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("today", at(23, 9)),
        ("tomorrow", at(24, 9)),
        ("tommorow", at(24, 9)),
        ("tommorrow at 5pm", at(24, 17)),
        ("tonight", at(23, 20)),
        ("tomorrow morning", at(24, 9)),
        ("tomorrow evening", at(24, 18)),
        ("the day after tomorrow", at(25, 9)),
        ("friday", at(27, 9)),
        ("on friday", at(27, 9)),
        ("monday", at(30, 9)),
        ("this friday", at(27, 9)),
        ("next friday", at(4, 9, month=12)),
        ("next monday", at(30, 9)),
        ("in 3 days", at(26, 9)),
        ("in a week", at(30, 9)),
        ("in 2 weeks", at(7, 9, month=12)),
        ("in two days", at(25, 9)),
        ("in 2 hours", at(23, 16, 5)),
        ("in 30 minutes", at(23, 14, 35)),
        ("at 5pm", at(23, 17)),
        ("at 17:00", at(23, 17)),
        ("5:30pm", at(23, 17, 30)),
        ("at 9am", at(24, 9)),
        ("at 5", at(23, 17)),
        ("noon", at(24, 12)),
        ("end of month", at(30, 17)),
        ("end of week", at(27, 17)),
        ("end of day", at(23, 17)),
        ("next week", at(30, 9)),
        ("next month", at(1, 9, month=12)),
        ("this weekend", at(28, 9)),
        ("2026-12-01", at(1, 9, month=12)),
        ("2026-12-01 10:30", at(1, 10, 30, month=12)),
        ("2026-12-01T10:30:00+00:00", at(1, 11, 30, month=12)),
        ("Dec 3", at(3, 9, month=12)),
        ("December 3rd", at(3, 9, month=12)),
        ("3 December", at(3, 9, month=12)),
        ("the 3rd of December", at(3, 9, month=12)),
        ("Dec 3, 2027", at(3, 9, month=12, year=2027)),
        ("Jan 5", at(5, 9, month=1, year=2027)),
        ("on the 5th", at(5, 9, month=12)),
        ("tomorrow at 5pm", at(24, 17)),
        ("at 5pm tomorrow", at(24, 17)),
        ("tonight at 9", at(23, 21)),
        ("friday 3pm", at(27, 15)),
        ("next friday at noon", at(4, 12, month=12)),
        ("Dec 3 at 14:00", at(3, 14, month=12)),
    ],
)
def test_phrase_resolves_against_now(phrase: str, expected: str) -> None:
    found = dates.find_datetime(phrase, NOW)
    assert found is not None
    assert found.value.isoformat() == expected


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("call mom tomorrow at 5pm", "call mom"),
        ("report due friday", "report"),
        ("pay rent by end of month", "pay rent"),
        ("water plants in 3 days", "water plants"),
        ("dentist on Dec 3 at 14:00", "dentist"),
        ("at 5pm call the bank", "call the bank"),
    ],
)
def test_match_spans_cut_the_date_out_of_the_title(text: str, title: str) -> None:
    found = dates.find_datetime(text, NOW)
    assert found is not None
    assert found.remove_from(text) == title


@pytest.mark.parametrize(
    "text",
    ["buy milk", "sunday roast", "buy 5 apples", "read chapter 12", "march in the parade", ""],
)
def test_text_without_a_date_has_no_match(text: str) -> None:
    assert dates.find_datetime(text, NOW) is None


def test_weekday_named_today_means_next_week() -> None:
    monday = dates.find_datetime("monday", NOW)
    assert monday is not None and monday.value.date() == NOW.date() + timedelta(days=7)


def test_time_already_past_today_moves_to_tomorrow() -> None:
    found = dates.find_datetime("at 10am", NOW)
    assert found is not None and found.value.isoformat() == at(24, 10)


def test_dst_change_keeps_the_wall_clock_time() -> None:
    before_dst = datetime(2027, 3, 26, 12, 0, tzinfo=PARIS)
    found = dates.find_datetime("in 3 days at 9am", before_dst)
    assert found is not None
    assert found.value.isoformat() == "2027-03-29T09:00:00+02:00"


def test_find_now_reads_the_instructions_line_with_zone() -> None:
    now = dates.find_now(
        "Be nice.\nCurrent date and time: 2026-11-23T14:05:00+01:00 (Europe/Paris)"
    )
    assert now == NOW
    assert getattr(now.tzinfo, "key", None) == "Europe/Paris"


def test_find_now_without_zone_keeps_the_offset() -> None:
    now = dates.find_now("Current date and time: 2026-11-23T08:05:00-05:00")
    assert now is not None and now.utcoffset() == timedelta(hours=-5)


def test_find_now_with_an_unknown_zone_keeps_the_offset_or_reads_utc() -> None:
    aware = dates.find_now("Current date and time: 2026-11-23T08:05:00-05:00 (Mars/Olympus)")
    assert aware is not None and aware.utcoffset() == timedelta(hours=-5)
    naive = dates.find_now("Current date and time: 2026-11-23T08:05:00 (Mars/Olympus)")
    assert naive is not None and naive.utcoffset() == timedelta(0)


def test_find_now_accepts_z_suffix() -> None:
    now = dates.find_now("Current date and time: 2026-11-23T13:05:00Z")
    assert now == datetime(2026, 11, 23, 13, 5, tzinfo=UTC)


def test_parse_now_falls_back_when_the_line_is_missing() -> None:
    fallback = datetime(2030, 1, 1, tzinfo=UTC)
    assert dates.parse_now("no date here", fallback) == fallback
    assert dates.parse_now(None).tzinfo is not None


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("what's due today", at(23, 0), at(24, 0)),
        ("due tomorrow", at(24, 0), at(25, 0)),
        ("due this week", at(23, 0), at(30, 0)),
        ("next week", at(30, 0), at(7, 0, month=12)),
        ("this month", at(1, 0), at(1, 0, month=12)),
        ("in the next 3 days", at(23, 14, 5), at(27, 0)),
        # a bound word opens the window: "before" ends where the day starts, "by" where it ends
        ("what's due before friday", None, at(27, 0)),
        ("what's due by friday", None, at(28, 0)),
        ("due until friday", None, at(28, 0)),
        ("anything due before the 30th", None, at(30, 0)),
        ("what's due by the end of the week", None, at(30, 0)),
        ("due before next week", None, at(30, 0)),
        ("due before tomorrow", None, at(24, 0)),
        ("due by 5pm friday", None, at(27, 17, 1)),
        ("before friday at 5pm", None, at(27, 17)),
        ("after Dec 3", at(4, 0, month=12), None),
        ("from friday", at(27, 0), None),
    ],
)
def test_period_for_listing(text: str, start: str | None, end: str | None) -> None:
    period = dates.find_period(text, NOW)
    assert period is not None
    assert (period.start.isoformat() if period.start else None) == start
    assert (period.end.isoformat() if period.end else None) == end


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("what's due before friday", "due before Fri 27 Nov"),
        ("what's due by friday", "due by Fri 27 Nov"),
        ("due by the end of the month", "due by the end of this month"),
        ("due friday", "due on Fri 27 Nov"),
        ("due this week", "due this week"),
    ],
)
def test_period_label_names_the_bound(text: str, label: str) -> None:
    period = dates.find_period(text, NOW)
    assert period is not None and period.label == label


def test_describe_is_short_and_locale_independent() -> None:
    assert dates.describe(datetime(2026, 11, 24, 17, 0, tzinfo=PARIS), NOW) == "Tue 24 Nov at 17:00"
    assert (
        dates.describe(datetime(2027, 1, 5, 9, 0, tzinfo=PARIS), NOW) == "Tue 5 Jan 2027 at 09:00"
    )
    utc = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)
    assert dates.describe(utc, NOW) == "Tue 24 Nov at 17:00"
