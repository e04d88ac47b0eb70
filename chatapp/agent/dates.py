"""Natural-language due dates, resolved against an explicit `now`.

Every function here is pure: the caller passes `now` (an aware datetime in the user's zone) and
gets back aware datetimes in that zone plus the character spans of the text that was consumed, so
a task title can be cut free of its date ("call mom tomorrow at 5pm" -> "call mom").

Conventions: a day without a time means 09:00; "tonight" means 20:00; "end of week" is Friday
17:00; a bare weekday ("friday") is its next occurrence after today; "next friday" is the Friday
of next (Monday-based) week.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIME = time(9, 0)
TONIGHT_TIME = time(20, 0)
END_OF_DAY_TIME = time(17, 0)
LAST_MINUTE = time(23, 59, 59)

Span = tuple[int, int]

_FLAGS = re.IGNORECASE

_NOW_LINE = re.compile(
    r"current date and time\s*:\s*(?P<iso>[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:.]+(?:Z|[+-][0-9]{2}:?[0-9]{2})?)"
    r"(?:\s*\((?P<zone>[A-Za-z0-9_+\-/]+)\))?",
    _FLAGS,
)

_WEEKDAYS = {
    "monday": 0, "mon": 0,
    "tuesday": 1, "tue": 1, "tues": 1,
    "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3,
    "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}  # fmt: skip
_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2,
    "a couple": 2, "couple of": 2, "a few": 3, "few": 3,
}  # fmt: skip
_DAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAY_PARTS = {
    "morning": time(9, 0),
    "afternoon": time(15, 0),
    "evening": time(18, 0),
    "night": TONIGHT_TIME,
}

_WEEKDAY_RE = (
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun"
)
_MONTH_RE = (
    r"january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)
_NUMBER_RE = (
    r"[0-9]{1,3}|a couple of|a couple|couple of|a few|few|an|a|one|two|three|four|five|six"
    r"|seven|eight|nine|ten|eleven|twelve"
)
_PREFIX = (
    r"(?:(?P<prefix>due(?:\s+(?:on|by|before|until))?|by|on|for|before|until|till|til|after"
    r"|from|starting(?:\s+on)?|no\s+later\s+than)\s+)?"
)

_ISO = re.compile(
    _PREFIX + r"\b(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"(?:[T ](?P<time>[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)(?P<zone>Z|[+-][0-9]{2}:?[0-9]{2})?)?"
    r"(?![\w:])",
    _FLAGS,
)
_RELATIVE = re.compile(
    _PREFIX + r"\b(?:in\s+(?P<n>" + _NUMBER_RE + r")\s+(?P<unit>minutes?|mins?|hours?|hrs?|days?"
    r"|weeks?|wks?|months?|years?)|(?P<n2>" + _NUMBER_RE + r")\s+(?P<unit2>minutes?|mins?|hours?"
    r"|hrs?|days?|weeks?|wks?|months?|years?)\s+from\s+(?:now|today))\b",
    _FLAGS,
)
_DAY_WORD = re.compile(
    _PREFIX + r"\b(?P<word>(?:the\s+)?day\s+after\s+tomorrow|tomorrow|tomorow|tommorow|tommorrow"
    r"|tomorrw|tmrw|tmr|today|tonight"
    r"|tonite|this\s+(?:morning|afternoon|evening))(?:\s+(?P<part>morning|afternoon|evening|night))?\b",
    _FLAGS,
)
_END_OF = re.compile(
    _PREFIX
    + r"\b(?:(?:the\s+)?end\s+of\s+(?:the\s+)?(?P<unit>day|week|month|year)|(?P<abbr>eod|eow|eom|eoy))\b",
    _FLAGS,
)
_PERIOD = re.compile(
    _PREFIX
    + r"\b(?P<which>next|this|the|this\s+coming|coming)\s+(?P<unit>week|month|year|weekend)\b",
    _FLAGS,
)
_WEEKDAY = re.compile(
    _PREFIX
    + r"\b(?:(?P<which>this\s+coming|this|next|coming)\s+)?(?P<day>"
    + _WEEKDAY_RE
    + r")\b\.?",
    _FLAGS,
)
_MONTH_DAY = re.compile(
    _PREFIX + r"\b(?P<month>" + _MONTH_RE + r")\.?\s+(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?\b"
    r"(?:,?\s+(?P<year>[0-9]{4})\b)?(?!:)",
    _FLAGS,
)
_DAY_MONTH = re.compile(
    _PREFIX
    + r"\b(?:the\s+)?(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>"
    + _MONTH_RE
    + r")\b\.?"
    r"(?:,?\s+(?P<year>[0-9]{4})\b)?",
    _FLAGS,
)
_ORDINAL_DAY = re.compile(
    _PREFIX
    + r"\bthe\s+(?P<day>[0-9]{1,2})(?:st|nd|rd|th)\b(?!\s+(?:of\s+)?(?:"
    + _MONTH_RE
    + r")\b)",
    _FLAGS,
)

_TIME_PREFIX = r"(?:(?P<prefix>at|by|before|around|from|@)\s*)?"
_CLOCK_12 = re.compile(
    _TIME_PREFIX
    + r"\b(?P<hour>[0-9]{1,2})(?:[:.](?P<minute>[0-5][0-9]))?\s*(?P<ampm>[ap])\.?m\b\.?",
    _FLAGS,
)
_CLOCK_24 = re.compile(
    _TIME_PREFIX + r"\b(?P<hour>[01]?[0-9]|2[0-3])[:h](?P<minute>[0-5][0-9])\b",
    _FLAGS,
)
_CLOCK_BARE = re.compile(
    r"(?P<prefix>\bat|\bby|\baround|@)\s*(?P<hour>[0-9]{1,2})\b(?![:.]?[0-9])"
    r"(?!\s*(?:%|percent|st\b|nd\b|rd\b|th\b|days?\b|weeks?\b|months?\b|years?\b|hours?\b"
    r"|minutes?\b|items?\b|tasks?\b|people\b|of\b))",
    _FLAGS,
)
_NAMED_TIME = re.compile(
    r"(?:\b(?P<prefix>at|by|before|around)\s+)?\b(?P<name>noon|midday|midnight|lunch\s*time|lunchtime)\b",
    _FLAGS,
)
_PART_TIME = re.compile(
    r"\b(?:in\s+the\s+)?(?P<part>morning|afternoon|evening)\b",
    _FLAGS,
)
# A bare weekday is only a date when what follows cannot be the rest of a title ("sunday roast").
_AFTER_BARE_WEEKDAY = re.compile(
    r"\s*(?:$|[,.;:!?)#]|and\b|at\b|@|[0-9]|morning|afternoon|evening|night|noon|high|low|medium"
    r"|priority|urgent|due\b|by\b|before\b|with\b|tagged\b|tag\b)",
    _FLAGS,
)

_REPEAT = re.compile(
    r"\b(?:every|each)\s+(?:other\s+|single\s+)?(?:[0-9]+\s+)?(?:" + _WEEKDAY_RE + r"|day|days|week"
    r"|weeks|weekday|weekend|month|months|year|morning|afternoon|evening|night|hour|hours)\b",
    _FLAGS,
)
# A word that turns a window into an open range: "before friday", "by the end of the month".
_BOUND = re.compile(
    r"\b(?P<bound>before|by|until|till|til|after|from|starting(?:\s+(?:on|from))?"
    r"|no\s+later\s+than)\s+(?:the\s+)?(?:end\s+of\s+(?:the\s+)?)?$",
    _FLAGS,
)
_BOUND_WORDS = ("before", "by", "until", "till", "til", "no later than", "after", "from")


@dataclass(frozen=True)
class DateMatch:
    """A moment found in text, and the spans of the text that expressed it."""

    value: datetime
    spans: tuple[Span, ...]
    has_time: bool
    prefix: str | None = None

    def remove_from(self, text: str) -> str:
        return remove_spans(text, self.spans)


@dataclass(frozen=True)
class Period:
    """A due-date window for filtering, [start, end): either bound may be open."""

    start: datetime | None
    end: datetime | None
    label: str
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class _DatePart:
    span: Span
    prefix: str | None
    day: date | None = None
    moment: datetime | None = None
    implied: time | None = None
    evening: bool = False


@dataclass(frozen=True)
class _TimePart:
    span: Span
    prefix: str | None
    value: time
    meridiem_known: bool


def find_now(text: str | None) -> datetime | None:
    """The moment in a `Current date and time: <ISO> (<zone>)` line, if there is one."""
    if not text:
        return None
    match = _NOW_LINE.search(text)
    if match is None:
        return None
    raw = match.group("iso").replace(" ", "T")
    if raw.endswith(("Z", "z")):
        raw = raw[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return None
    zone = _zone(match.group("zone"))
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone or UTC)
    return moment.astimezone(zone) if zone is not None else moment


def parse_now(text: str | None, fallback: datetime | None = None) -> datetime:
    """`find_now`, or `fallback`, or the current UTC time."""
    found = find_now(text)
    if found is not None:
        return found
    return fallback if fallback is not None else datetime.now(UTC)


def find_datetime(text: str, now: datetime) -> DateMatch | None:
    """The first due moment expressed in `text`, resolved against `now`.

    "every morning" and "each friday" repeat; tasks have no repeat, so they stay in the title
    rather than become one due date.
    """
    text = _REPEAT.sub(lambda match: " " * len(match.group()), text)
    day_part = _first(_date_parts(text, now))
    blocked = [day_part.span] if day_part else []
    time_part = _first(p for p in _time_parts(text) if not _overlaps(p.span, blocked))

    if day_part is not None and day_part.moment is not None:
        return DateMatch(day_part.moment, (day_part.span,), True, day_part.prefix)
    if day_part is not None and day_part.day is not None:
        if time_part is not None:
            at = time_part.value
            if day_part.evening and not time_part.meridiem_known and at.hour < 12:
                at = at.replace(hour=at.hour + 12)
            spans = tuple(sorted((day_part.span, time_part.span)))
            prefix = day_part.prefix or time_part.prefix
            return DateMatch(_at(day_part.day, at, now), spans, True, prefix)
        at = day_part.implied or DEFAULT_TIME
        return DateMatch(
            _at(day_part.day, at, now),
            (day_part.span,),
            day_part.implied is not None,
            day_part.prefix,
        )
    if time_part is not None:
        candidate = _at(now.date(), time_part.value, now)
        if candidate <= now:
            candidate = _at(now.date() + timedelta(days=1), time_part.value, now)
        return DateMatch(candidate, (time_part.span,), True, time_part.prefix)
    return None


def find_period(text: str, now: datetime) -> Period | None:
    """A due-date window for a listing question ("due this week", "before friday", "by the 30th").

    A bound word in front of the window turns it into an open range: "before friday" ends where
    Friday starts, "by friday" and "until friday" where it ends, "after friday" starts where it
    ends and "from friday" where it starts.
    """
    window = _window(text, now)
    if window is None:
        return None
    bound = window.bound or _bound_before(text, window.spans[0][0])
    if bound == "before":
        return Period(None, window.start, f"due before {window.name}", window.spans)
    if bound in ("by", "until", "till", "til", "no later than"):
        return Period(None, window.end, f"due by {window.last or window.name}", window.spans)
    if bound == "after":
        return Period(window.end, None, f"due after {window.name}", window.spans)
    if bound in ("from", "starting"):
        return Period(window.start, None, f"due from {window.name}", window.spans)
    return Period(window.start, window.end, window.label, window.spans)


def _bound_before(text: str, position: int) -> str | None:
    match = _BOUND.search(text[:position])
    return _bound_word(match.group("bound")) if match else None


def _bound_word(prefix: str | None) -> str | None:
    """ "due by" -> "by", "starting on" -> "starting"; None for "on", "at" or no prefix."""
    words = " ".join((prefix or "").lower().split()).removeprefix("due").strip()
    if words.startswith("starting"):
        return "starting"
    return words if words in _BOUND_WORDS else None


def _window(text: str, now: datetime) -> _Window | None:
    today = now.date()
    match = re.search(
        r"\b(?:(?:due|for|on)\s+)?(?P<word>today|tonight|tomorrow|tmrw)\b", text, _FLAGS
    )
    if match:
        word = match.group("word").lower()
        day = today if word in ("today", "tonight") else today + timedelta(1)
        name = "today" if day == today else "tomorrow"
        return _Window(*day_bounds(day, now), name, f"due {name}", (match.span(),))
    match = re.search(
        r"\b(?:(?:due|for)\s+)?(?:the\s+)?(?P<which>rest\s+of\s+(?:the|this)|this|next|the|coming)"
        r"\s+(?P<unit>week|weekend|month)\b",
        text,
        _FLAGS,
    )
    if match:
        which = match.group("which").lower()
        unit = match.group("unit").lower()
        following = which == "next"
        if unit == "week":
            monday = today - timedelta(days=today.weekday()) + timedelta(weeks=int(following))
            start = now if which.startswith("rest") else _at(monday, time(0), now)
            end = _at(monday + timedelta(days=7), time(0), now)
        elif unit == "weekend":
            saturday = today + timedelta(days=(5 - today.weekday()) % 7)
            if today.weekday() == 6:
                saturday = today - timedelta(days=1)
            if following:
                saturday += timedelta(weeks=1)
            start = _at(saturday, time(0), now)
            end = _at(saturday + timedelta(days=2), time(0), now)
        else:
            first = _add_months(today.replace(day=1), int(following))
            start = _at(first, time(0), now)
            end = _at(_add_months(first, 1), time(0), now)
        name = f"{'next' if following else 'this'} {unit}"
        spans = (match.span(),)
        return _Window(start, end, name, f"due {name}", spans, last=f"the end of {name}")
    match = re.search(
        r"\b(?:in\s+)?(?:the\s+)?(?:next|coming)\s+(?P<n>"
        + _NUMBER_RE
        + r")\s+(?P<unit>days?|weeks?)\b",
        text,
        _FLAGS,
    )
    if match:
        days = parse_number(match.group("n")) * (
            7 if match.group("unit").lower().startswith("w") else 1
        )
        end = _at(today + timedelta(days=days + 1), time(0), now)
        name = f"the next {days} days"
        return _Window(now, end, name, f"due in {name}", (match.span(),))
    match = re.search(r"\b(?:coming\s+up|upcoming|soon)\b", text, _FLAGS)
    if match:
        end = _at(today + timedelta(days=8), time(0), now)
        return _Window(now, end, "the next 7 days", "due in the next 7 days", (match.span(),))

    found = find_datetime(text, now)
    if found is None:
        return None
    bound = _bound_word(found.prefix) or _bound_before(text, found.spans[0][0])
    if found.has_time and bound is not None:
        # "by 5pm friday": the moment itself is the bound ("by" includes it, to the minute).
        end = found.value + timedelta(minutes=1) if bound != "before" else found.value
        start = found.value
        name = describe(found.value, now)
    else:
        start, end = day_bounds(found.value.date(), now)
        name = short_day(found.value, now)
    return _Window(start, end, name, f"due on {short_day(found.value, now)}", found.spans, bound)


def day_bounds(day: date, now: datetime) -> tuple[datetime, datetime]:
    """`day` as [its midnight, the next midnight) in the zone of `now`: list_tasks' due_before is
    exclusive, and a task due "end of day" after 17:00 is due at 23:59:59."""
    return _at(day, time(0), now), _at(day + timedelta(days=1), time(0), now)


def remove_spans(text: str, spans: Iterable[Span]) -> str:
    """`text` without the given spans, with the whitespace around them collapsed."""
    kept: list[str] = []
    cursor = 0
    for start, end in sorted(spans):
        if start < cursor:
            start = cursor
        kept.append(text[cursor:start])
        cursor = max(cursor, end)
    kept.append(text[cursor:])
    joined = " ".join(part.strip() for part in kept if part.strip())
    return re.sub(r"\s+([,.;:!?])", r"\1", joined).strip()


def to_iso(moment: datetime) -> str:
    """ISO 8601 with offset, to the second."""
    return moment.isoformat(timespec="seconds")


def parse_iso(value: object, now: datetime) -> datetime | None:
    """An ISO 8601 string from a tool, in the zone of `now`; naive values are taken as UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    raw = value.strip()
    if raw.endswith(("Z", "z")):
        raw = raw[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(now.tzinfo)


def describe(moment: datetime, now: datetime) -> str:
    """A short human form: "Tue 24 Nov at 17:00" (with the year when it is not this year)."""
    local = moment.astimezone(now.tzinfo)
    return f"{short_day(local, now)} at {local.strftime('%H:%M')}"


def short_day(moment: datetime, now: datetime) -> str:
    """ "Tue 24 Nov", with the year when it is not the year of `now`."""
    local = moment.astimezone(now.tzinfo)
    # Fixed English names: strftime would follow whatever locale the process runs under.
    shown = f"{_DAY_ABBR[local.weekday()]} {local.day} {_MONTH_ABBR[local.month - 1]}"
    return shown if local.year == now.year else f"{shown} {local.year}"


@dataclass(frozen=True)
class _Window:
    """[start, end) of a named stretch of time, and the bound word the match itself carried."""

    start: datetime
    end: datetime
    name: str
    label: str
    spans: tuple[Span, ...]
    bound: str | None = None
    last: str | None = None  # how its end is named, when not by `name`: "the end of this week"


_PartT = TypeVar("_PartT", _DatePart, _TimePart)


def _zone(name: str | None) -> tzinfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _at(day: date, at: time, now: datetime) -> datetime:
    # With a ZoneInfo this picks the offset in force on `day`, so DST changes are honoured.
    return datetime.combine(day, at, tzinfo=now.tzinfo or UTC)


def _first(parts: Iterable[_PartT]) -> _PartT | None:
    ordered = sorted(parts, key=lambda part: (part.span[0], part.span[0] - part.span[1]))
    return ordered[0] if ordered else None


def _overlaps(span: Span, others: list[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in others)


def parse_number(word: str) -> int:
    """A small count written as digits or words ("3", "three", "a couple of")."""
    word = " ".join(word.lower().split())
    return int(word) if word.isdigit() else _NUMBERS.get(word, 1)


def _prefix(match: re.Match[str]) -> str | None:
    value = match.groupdict().get("prefix")
    return " ".join(value.lower().split()) if value else None


def _date_parts(text: str, now: datetime) -> Iterable[_DatePart]:
    today = now.date()
    for match in _ISO.finditer(text):
        try:
            day = date.fromisoformat(match.group("date"))
        except ValueError:
            continue
        if match.group("time"):
            zone = match.group("zone")
            raw = f"{match.group('date')}T{match.group('time')}"
            if zone:
                raw += "+00:00" if zone.upper() == "Z" else zone
            try:
                moment = datetime.fromisoformat(raw)
            except ValueError:
                continue
            moment = (
                moment.astimezone(now.tzinfo) if moment.tzinfo else _at(day, moment.time(), now)
            )
            yield _DatePart(match.span(), _prefix(match), moment=moment)
        else:
            yield _DatePart(match.span(), _prefix(match), day=day)

    for match in _RELATIVE.finditer(text):
        amount = parse_number(match.group("n") or match.group("n2"))
        unit = (match.group("unit") or match.group("unit2")).lower()
        if amount > 1000:
            continue
        if unit.startswith(("min", "h")):
            delta = timedelta(minutes=amount) if unit.startswith("min") else timedelta(hours=amount)
            moment = (now.astimezone(UTC) + delta).astimezone(now.tzinfo)
            yield _DatePart(match.span(), _prefix(match), moment=moment)
            continue
        if unit.startswith("d"):
            day = today + timedelta(days=amount)
        elif unit.startswith("w"):
            day = today + timedelta(weeks=amount)
        elif unit.startswith("m"):
            day = _add_months(today, amount)
        else:
            day = _add_months(today, 12 * amount)
        yield _DatePart(match.span(), _prefix(match), day=day)

    for match in _DAY_WORD.finditer(text):
        word = " ".join(match.group("word").lower().split())
        part = (match.group("part") or "").lower()
        if word.endswith("day after tomorrow"):
            day = today + timedelta(days=2)
        elif word.startswith(("tom", "tmr")):
            day = today + timedelta(days=1)
        else:
            day = today
        implied = None
        if word in ("tonight", "tonite"):
            implied, part = TONIGHT_TIME, "night"
        elif word.startswith("this "):
            part = word.split()[1]
        if part:
            implied = _DAY_PARTS[part]
        evening = part in ("evening", "night", "afternoon")
        yield _DatePart(match.span(), _prefix(match), day=day, implied=implied, evening=evening)

    for match in _END_OF.finditer(text):
        unit = (match.group("unit") or match.group("abbr")).lower()
        unit = {"eod": "day", "eow": "week", "eom": "month", "eoy": "year"}.get(unit, unit)
        if unit == "day":
            day = today
            implied = END_OF_DAY_TIME if now.time() < END_OF_DAY_TIME else LAST_MINUTE
        elif unit == "week":
            day = today + timedelta(days=(4 - today.weekday()) % 7)
            if _at(day, END_OF_DAY_TIME, now) <= now:
                day += timedelta(weeks=1)
            implied = END_OF_DAY_TIME
        elif unit == "month":
            day = _month_end(today)
            if _at(day, END_OF_DAY_TIME, now) <= now:
                day = _month_end(_add_months(today.replace(day=1), 1))
            implied = END_OF_DAY_TIME
        else:
            day = date(today.year, 12, 31)
            implied = END_OF_DAY_TIME
        yield _DatePart(match.span(), _prefix(match), day=day, implied=implied)

    for match in _PERIOD.finditer(text):
        which = " ".join(match.group("which").lower().split())
        unit = match.group("unit").lower()
        following = which == "next"
        if unit == "week":
            if following:
                day = today - timedelta(days=today.weekday()) + timedelta(weeks=1)
                yield _DatePart(match.span(), _prefix(match), day=day)
            else:
                day = today + timedelta(days=(4 - today.weekday()) % 7)
                yield _DatePart(match.span(), _prefix(match), day=day, implied=END_OF_DAY_TIME)
        elif unit == "weekend":
            saturday = today + timedelta(days=(5 - today.weekday()) % 7)
            if today.weekday() == 6:
                saturday = today
            if following:
                saturday += timedelta(weeks=1)
            yield _DatePart(match.span(), _prefix(match), day=saturday)
        elif unit == "month":
            if following:
                yield _DatePart(
                    match.span(), _prefix(match), day=_add_months(today.replace(day=1), 1)
                )
            else:
                yield _DatePart(
                    match.span(), _prefix(match), day=_month_end(today), implied=END_OF_DAY_TIME
                )
        elif following:
            yield _DatePart(match.span(), _prefix(match), day=date(today.year + 1, 1, 1))
        else:
            day = date(today.year, 12, 31)
            yield _DatePart(match.span(), _prefix(match), day=day, implied=END_OF_DAY_TIME)

    for match in _WEEKDAY.finditer(text):
        name = match.group("day").lower()
        which = " ".join((match.group("which") or "").lower().split())
        prefixed = bool(which or match.group("prefix"))
        if not prefixed:
            if len(name) < 6:
                continue
            if not _AFTER_BARE_WEEKDAY.match(text, match.end()):
                continue
        weekday = _WEEKDAYS[name]
        if which == "next":
            monday = today - timedelta(days=today.weekday()) + timedelta(weeks=1)
            day = monday + timedelta(days=weekday)
        elif which == "this":
            ahead = (weekday - today.weekday()) % 7
            day = today + timedelta(days=ahead)
        else:
            ahead = (weekday - today.weekday()) % 7 or 7
            day = today + timedelta(days=ahead)
        yield _DatePart(match.span(), _prefix(match), day=day)

    for pattern in (_MONTH_DAY, _DAY_MONTH):
        for match in pattern.finditer(text):
            month = _MONTHS[match.group("month").lower().rstrip(".")]
            day_number = int(match.group("day"))
            year = int(match.group("year")) if match.group("year") else today.year
            try:
                day = date(year, month, day_number)
            except ValueError:
                continue
            if not match.group("year") and day < today:
                try:
                    day = date(year + 1, month, day_number)
                except ValueError:
                    continue
            yield _DatePart(match.span(), _prefix(match), day=day)

    for match in _ORDINAL_DAY.finditer(text):
        day_number = int(match.group("day"))
        if not 1 <= day_number <= 31:
            continue
        candidate = today.replace(day=1)
        for _ in range(3):
            if day_number <= calendar.monthrange(candidate.year, candidate.month)[1]:
                day = candidate.replace(day=day_number)
                if day >= today:
                    yield _DatePart(match.span(), _prefix(match), day=day)
                    break
            candidate = _add_months(candidate, 1)


def _time_parts(text: str) -> Iterable[_TimePart]:
    for match in _CLOCK_12.finditer(text):
        hour = int(match.group("hour"))
        minute = int(match.group("minute") or 0)
        if not 1 <= hour <= 12:
            continue
        hour = hour % 12 + (12 if match.group("ampm").lower() == "p" else 0)
        yield _TimePart(match.span(), _prefix(match), time(hour, minute), True)
    for match in _CLOCK_24.finditer(text):
        hour, minute = int(match.group("hour")), int(match.group("minute"))
        yield _TimePart(match.span(), _prefix(match), time(hour, minute), hour >= 13 or hour == 0)
    for match in _CLOCK_BARE.finditer(text):
        hour = int(match.group("hour"))
        if hour > 23:
            continue
        # "at 5" in a to-do list means the afternoon, not five in the morning.
        if 1 <= hour <= 6:
            hour += 12
        yield _TimePart(match.span(), _prefix(match), time(hour, 0), hour >= 13)
    for match in _NAMED_TIME.finditer(text):
        name = match.group("name").lower()
        value = LAST_MINUTE.replace(second=0) if name == "midnight" else time(12, 0)
        yield _TimePart(match.span(), _prefix(match), value, True)
    for match in _PART_TIME.finditer(text):
        yield _TimePart(match.span(), None, _DAY_PARTS[match.group("part").lower()], True)


def _add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])
