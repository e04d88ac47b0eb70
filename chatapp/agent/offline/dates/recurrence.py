"""Repeat phrases to RFC 5545 RRULE values: an ordered table of named rows, each a pattern and a
builder. "every monday and thursday" -> FREQ=WEEKLY;BYDAY=MO,TH. The rule carries no time of
day: the task's due date is the rule's anchor, so "at 7pm" and "every evening" set the due time.
The tests check every example phrase against dateutil's expansion of the rule it should give.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr

from chatapp.agent.offline.dates.formatting import Span
from chatapp.agent.offline.lexicon import COUNT_WORDS, MONTH_RE, MONTHS, WEEKDAY_RE, WEEKDAYS
from chatapp.agent.offline.pattern import nocase

_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_EVERY = r"(?:every|each|on\s+every|on\s+each)"
_DAY = r"(?:" + WEEKDAY_RE + r")s?"
_DAY_LIST = _DAY + r"(?:\s*(?:,|and|&|\+)\s*(?:on\s+)?" + _DAY + r")*"
_NTH = r"(?P<nth>first|1st|second|2nd|third|3rd|fourth|4th|last|final)"
_NTH_VALUES = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4}
_NTH_VALUES |= {"4th": 4, "last": -1, "final": -1}
_COUNT = r"(?P<n>[0-9]{1,2}|two|three|four|five|six|seven|eight|nine|ten|twelve)"
_UNIT = r"(?P<unit>day|week|month|year|hour)s?"
_FREQ = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY", "year": "YEARLY", "hour": "HOURLY"}
_PART_TIMES = {"morning": time(9, 0), "afternoon": time(15, 0), "evening": time(18, 0)}
_PART_TIMES |= {"night": time(20, 0)}


@dataclass(frozen=True)
class Repeat:
    """A repeat found in text: its rule, the span it took, and the time of day it implies."""

    rule: str
    spans: tuple[Span, ...]
    at: time | None = None


Build = Callable[[re.Match[str]], tuple[str, time | None]]


@dataclass(frozen=True)
class RepeatRow:
    name: str
    pattern: re.Pattern[str]
    build: Build


def _days(text: str) -> str:
    names = re.findall(WEEKDAY_RE, text.lower())
    codes = dict.fromkeys(_CODES[WEEKDAYS[name]] for name in names)
    return ",".join(code for code in _CODES if code in codes)


def _weekly_on(match: re.Match[str]) -> tuple[str, time | None]:
    part = (match.groupdict().get("part") or "").lower()
    return f"FREQ=WEEKLY;BYDAY={_days(match.group('days'))}", _PART_TIMES.get(part)


def _fixed(rule: str, at: time | None = None) -> Build:
    return lambda match: (rule, at)


def _interval(match: re.Match[str]) -> tuple[str, time | None]:
    raw = (match.groupdict().get("n") or "2").lower()
    count = int(raw) if raw.isdigit() else COUNT_WORDS.get(raw, 2)
    unit = match.group("unit").lower()
    rule = f"FREQ={_FREQ[unit]}" + (f";INTERVAL={count}" if count != 1 else "")
    days = match.groupdict().get("days")
    if days:
        rule += f";BYDAY={_days(days)}"
    return rule, None


def _other_weekday(match: re.Match[str]) -> tuple[str, time | None]:
    return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={_days(match.group('days'))}", None


def _nth_weekday(match: re.Match[str]) -> tuple[str, time | None]:
    nth = _NTH_VALUES[match.group("nth").lower()]
    return f"FREQ=MONTHLY;BYDAY={nth}{_days(match.group('days'))}", None


def _month_day(match: re.Match[str]) -> tuple[str, time | None]:
    return f"FREQ=MONTHLY;BYMONTHDAY={_day_number(match.group('day'))}", None


def _day_number(raw: str) -> int:
    raw = raw.lower()
    if raw in ("last", "final"):
        return -1
    return _DAY_ORDINALS.get(raw) or int(re.sub(r"\D", "", raw))


def _year_day(match: re.Match[str]) -> tuple[str, time | None]:
    month = MONTHS[match.group("month").lower().rstrip(".")]
    return f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY={int(match.group('day'))}", None


def _daily_at(match: re.Match[str]) -> tuple[str, time | None]:
    return "FREQ=DAILY", _PART_TIMES[match.group("part").lower()]


_DAY_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "fifteenth": 15,
    "twentieth": 20, "thirtieth": 30,
}  # fmt: skip
_MONTH_DAY_WORD = r"(?P<day>[0-9]{1,2}(?:st|nd|rd|th)|last|final|" + "|".join(_DAY_ORDINALS) + r")"
_OF_MONTH = r"(?:\s+day)?\s+of\s+(?:the|every|each)\s+month"

# Order matters: longer, more specific phrasings first.
REPEAT_ROWS: tuple[RepeatRow, ...] = (
    RepeatRow(
        "nth_weekday_of_month",
        nocase(
            r"\b(?:"
            + _EVERY
            + r"\s+|(?:on\s+)?the\s+)"
            + _NTH
            + r"\s+(?P<days>"
            + _DAY
            + r")(?:\s+(?:of|in)\s+(?:the|every|each)\s+month)?\b"
        ),
        _nth_weekday,
    ),
    RepeatRow(
        "month_day",
        nocase(
            r"\b(?:" + _EVERY + r"\s+(?:the\s+)?" + _MONTH_DAY_WORD + r"(?:" + _OF_MONTH + r")?"
            r"|(?:on\s+)?the\s+" + _MONTH_DAY_WORD.replace("day>", "day2>") + _OF_MONTH + r")\b"
        ),
        lambda match: _month_day_either(match),
    ),
    RepeatRow(
        "monthly_on_day",
        nocase(r"\b(?:monthly|" + _EVERY + r"\s+month)\s+on\s+the\s+" + _MONTH_DAY_WORD + r"\b"),
        _month_day,
    ),
    RepeatRow(
        "year_day",
        nocase(
            r"\b(?:(?:every|each)\s+year|yearly|annually)\s+on\s+(?P<month>"
            + MONTH_RE
            + r")\.?\s+(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?\b"
            r"|\b(?:every|each)\s+(?P<month2>" + MONTH_RE + r")\.?\s+(?P<day2>[0-9]{1,2})"
            r"(?:st|nd|rd|th)?\b"
        ),
        lambda match: _year_day_either(match),
    ),
    RepeatRow(
        "weekdays",
        nocase(
            r"\b(?:" + _EVERY + r"\s+(?:week\s*day|work\s*day|working\s+day|business\s+day)"
            r"|(?:on\s+)?weekdays|monday\s+(?:to|through|thru|-)\s+friday)\b"
        ),
        _fixed("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
    ),
    RepeatRow(
        "weekends",
        nocase(r"\b(?:" + _EVERY + r"\s+weekend|(?:on\s+)?weekends)\b"),
        _fixed("FREQ=WEEKLY;BYDAY=SA,SU"),
    ),
    RepeatRow(
        "other_weekday",
        nocase(r"\b" + _EVERY + r"\s+(?:other|second)\s+(?P<days>" + _DAY_LIST + r")\b"),
        _other_weekday,
    ),
    RepeatRow(
        "every_other_unit",
        nocase(r"\b" + _EVERY + r"\s+(?:other|second)\s+" + _UNIT + r"\b"),
        _interval,
    ),
    RepeatRow(
        "every_n_units",
        nocase(
            r"\b"
            + _EVERY
            + r"\s+"
            + _COUNT
            + r"\s+"
            + _UNIT
            + r"(?:\s+on\s+(?P<days>"
            + _DAY_LIST
            + r"))?\b"
        ),
        _interval,
    ),
    RepeatRow(
        "weekday_list",
        nocase(
            r"\b(?:" + _EVERY + r"\s+(?P<days>" + _DAY_LIST + r")"
            r"|on\s+(?P<plural>(?:"
            + WEEKDAY_RE
            + r")s(?:\s*(?:,|and|&)\s*(?:"
            + WEEKDAY_RE
            + r")s)*))(?:\s+(?P<part>morning|afternoon|evening|night))?s?\b"
        ),
        lambda match: _weekly_either(match),
    ),
    RepeatRow(
        "every_part_of_day",
        nocase(
            r"\b(?:" + _EVERY + r"\s+(?P<part>morning|afternoon|evening|night)"
            r"|(?P<part2>morning|afternoon|evening|night)ly)\b"
        ),
        lambda match: ("FREQ=DAILY", _PART_TIMES[(match.group("part") or "night").lower()]),
    ),
    RepeatRow(
        "every_unit",
        nocase(r"\b(?:" + _EVERY + r"\s+(?:single\s+)?" + _UNIT + r")\b"),
        lambda match: (f"FREQ={_FREQ[match.group('unit').lower()]}", None),
    ),
    RepeatRow(
        "frequency_word",
        nocase(r"\b(?P<word>daily|weekly|fortnightly|monthly|yearly|annually|hourly)\b"),
        lambda match: _FREQUENCY_WORDS[match.group("word").lower()],
    ),
)
_FREQUENCY_WORDS: dict[str, tuple[str, time | None]] = {
    "daily": ("FREQ=DAILY", None),
    "weekly": ("FREQ=WEEKLY", None),
    "fortnightly": ("FREQ=WEEKLY;INTERVAL=2", None),
    "monthly": ("FREQ=MONTHLY", None),
    "yearly": ("FREQ=YEARLY", None),
    "annually": ("FREQ=YEARLY", None),
    "hourly": ("FREQ=HOURLY", None),
}
_UNTIL = nocase(
    r"\s*,?\s*\b(?:until|till|til|through|up\s+to)\s+(?:the\s+end\s+of\s+)?(?P<month>"
    + MONTH_RE
    + r")\b(?:\s+(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?)?(?:\s+(?P<year>[0-9]{4}))?"
)
_TIMES = nocase(
    r"\s*,?\s*\b(?:for\s+)?(?P<n>[0-9]{1,3}|two|three|four|five|six|seven|eight|nine|ten|twelve)"
    r"\s+(?:times|occurrences|weeks?\s+in\s+a\s+row)\b"
)


def _weekly_either(match: re.Match[str]) -> tuple[str, time | None]:
    days = match.group("days") or match.group("plural")
    part = (match.group("part") or "").lower()
    return f"FREQ=WEEKLY;BYDAY={_days(days)}", _PART_TIMES.get(part)


def _month_day_either(match: re.Match[str]) -> tuple[str, time | None]:
    day = _day_number(match.group("day") or match.group("day2"))
    return f"FREQ=MONTHLY;BYMONTHDAY={day}", None


def _year_day_either(match: re.Match[str]) -> tuple[str, time | None]:
    month = MONTHS[(match.group("month") or match.group("month2")).lower().rstrip(".")]
    day = int(match.group("day") or match.group("day2"))
    return f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY={day}", None


def find_repeat(text: str, now: datetime) -> Repeat | None:
    """The first repeat phrase in `text`, with any "until june" / "10 times" after it."""
    found: tuple[RepeatRow, re.Match[str]] | None = None
    for row in REPEAT_ROWS:
        match = row.pattern.search(text)
        if match and (found is None or match.start() < found[1].start()):
            found = (row, match)
    if found is None:
        return None
    row, match = found
    rule, at = row.build(match)
    spans: list[Span] = [match.span()]
    limits = [m for m in (_UNTIL.search(text, match.end()), _TIMES.search(text, match.end())) if m]
    if limits:
        limit = min(limits, key=lambda m: m.start())
        rule += _limit(limit, now)
        spans.append(limit.span())
    return Repeat(rule, tuple(spans), at)


def which_rule(text: str, now: datetime) -> str | None:
    """The name of the row that reads the repeat in `text` (for tests)."""
    best: tuple[int, str] | None = None
    for row in REPEAT_ROWS:
        match = row.pattern.search(text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), row.name)
    return best[1] if best else None


def _limit(match: re.Match[str], now: datetime) -> str:
    groups = match.groupdict()
    if groups.get("n"):
        raw = groups["n"].lower()
        count = int(raw) if raw.isdigit() else COUNT_WORDS.get(raw, 1)
        return f";COUNT={count}"
    month = MONTHS[groups["month"].lower()]
    year = int(groups["year"]) if groups.get("year") else now.year
    if groups.get("day"):
        last = date(year, month, int(groups["day"]))
    else:
        # "until june" runs through the end of June.
        last = date(year, month, 1) + relativedelta(months=1) - timedelta(days=1)
    if not groups.get("year") and last < now.date():
        last = last.replace(year=last.year + 1)
    return f";UNTIL={last:%Y%m%d}T235959"


def first_occurrence(rule: str, at: time, now: datetime) -> datetime:
    """The first time the rule fires at `at` (local wall time) from now on, in the zone of now."""
    local_now = now.replace(tzinfo=None)
    start = datetime.combine(now.date(), at)
    try:
        rrule = rrulestr(rule, dtstart=start)
        found = rrule.after(local_now, inc=True)
    except (ValueError, TypeError):
        found = None
    if found is None:
        found = start if start >= local_now else start + timedelta(days=1)
    return found.replace(tzinfo=now.tzinfo)
