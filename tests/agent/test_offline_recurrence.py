"""Every repeat phrase gives the rule it should: same row, and the same dates as dateutil's
expansion of the expected RRULE."""

from __future__ import annotations

from datetime import datetime

import pytest
from dateutil.rrule import rrulestr

from chatapp.agent.offline.dates.recurrence import find_repeat, which_rule
from tests.support.agent import NOW

ROWS = [
    ("every day", "every_unit", "FREQ=DAILY"),
    ("each day", "every_unit", "FREQ=DAILY"),
    ("every week", "every_unit", "FREQ=WEEKLY"),
    ("every month", "every_unit", "FREQ=MONTHLY"),
    ("every year", "every_unit", "FREQ=YEARLY"),
    ("daily", "frequency_word", "FREQ=DAILY"),
    ("weekly", "frequency_word", "FREQ=WEEKLY"),
    ("monthly", "frequency_word", "FREQ=MONTHLY"),
    ("yearly", "frequency_word", "FREQ=YEARLY"),
    ("annually", "frequency_word", "FREQ=YEARLY"),
    ("fortnightly", "frequency_word", "FREQ=WEEKLY;INTERVAL=2"),
    ("every weekday", "weekdays", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
    ("on weekdays", "weekdays", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
    ("every workday", "weekdays", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
    ("every weekend", "weekends", "FREQ=WEEKLY;BYDAY=SA,SU"),
    ("on weekends", "weekends", "FREQ=WEEKLY;BYDAY=SA,SU"),
    ("every monday", "weekday_list", "FREQ=WEEKLY;BYDAY=MO"),
    ("every friday", "weekday_list", "FREQ=WEEKLY;BYDAY=FR"),
    ("every monday and thursday", "weekday_list", "FREQ=WEEKLY;BYDAY=MO,TH"),
    ("every mon, wed and fri", "weekday_list", "FREQ=WEEKLY;BYDAY=MO,WE,FR"),
    ("on mondays and thursdays", "weekday_list", "FREQ=WEEKLY;BYDAY=MO,TH"),
    ("every tuesday evening", "weekday_list", "FREQ=WEEKLY;BYDAY=TU"),
    ("every other week", "every_other_unit", "FREQ=WEEKLY;INTERVAL=2"),
    ("every other day", "every_other_unit", "FREQ=DAILY;INTERVAL=2"),
    ("every other month", "every_other_unit", "FREQ=MONTHLY;INTERVAL=2"),
    ("every other friday", "other_weekday", "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"),
    ("every 2 weeks on friday", "every_n_units", "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"),
    ("every 3 days", "every_n_units", "FREQ=DAILY;INTERVAL=3"),
    ("every six months", "every_n_units", "FREQ=MONTHLY;INTERVAL=6"),
    ("every 1st of the month", "month_day", "FREQ=MONTHLY;BYMONTHDAY=1"),
    ("on the 15th of every month", "month_day", "FREQ=MONTHLY;BYMONTHDAY=15"),
    ("the 28th of each month", "month_day", "FREQ=MONTHLY;BYMONTHDAY=28"),
    ("on the first of every month", "month_day", "FREQ=MONTHLY;BYMONTHDAY=1"),
    ("monthly on the fifteenth", "monthly_on_day", "FREQ=MONTHLY;BYMONTHDAY=15"),
    ("every last day of the month", "month_day", "FREQ=MONTHLY;BYMONTHDAY=-1"),
    ("monthly on the 10th", "monthly_on_day", "FREQ=MONTHLY;BYMONTHDAY=10"),
    ("every last friday", "nth_weekday_of_month", "FREQ=MONTHLY;BYDAY=-1FR"),
    ("every 3rd friday", "nth_weekday_of_month", "FREQ=MONTHLY;BYDAY=3FR"),
    ("the first monday of every month", "nth_weekday_of_month", "FREQ=MONTHLY;BYDAY=1MO"),
    ("every year on march 3", "year_day", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3"),
    ("every march 3", "year_day", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3"),
    ("annually on dec 25", "year_day", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25"),
    ("every morning", "every_part_of_day", "FREQ=DAILY"),
    ("every evening", "every_part_of_day", "FREQ=DAILY"),
    ("every monday until june", "weekday_list", "FREQ=WEEKLY;BYDAY=MO;UNTIL=20270630T235959"),
    ("every day for 10 times", "every_unit", "FREQ=DAILY;COUNT=10"),
]


def _dates(rule: str) -> list[datetime]:
    start = datetime(2026, 11, 23, 9, 0)
    return list(rrulestr(rule, dtstart=start).xafter(start, count=12, inc=True))


def test_the_table_has_at_least_forty_rows() -> None:
    assert len(ROWS) >= 40


@pytest.mark.parametrize(("phrase", "row", "rule"), ROWS)
def test_phrase_gives_its_rule(phrase: str, row: str, rule: str) -> None:
    found = find_repeat(f"water the plants {phrase}", NOW)
    assert found is not None
    assert which_rule(phrase, NOW) == row
    assert found.rule == rule
    assert _dates(found.rule) == _dates(rule)


@pytest.mark.parametrize(("phrase", "hour"), [("every morning", 9), ("every evening", 18)])
def test_parts_of_the_day_give_a_time(phrase: str, hour: int) -> None:
    found = find_repeat(phrase, NOW)
    assert found is not None and found.at is not None and found.at.hour == hour
