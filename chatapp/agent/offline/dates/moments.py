"""A due moment in text ("tomorrow at 5pm", "next friday", "in 3 days"), resolved against `now`.

Conventions: a day without a time means 09:00; "tonight" means 20:00; "end of week" is Friday
17:00; a bare weekday ("friday") is its next occurrence after today; "next friday" is the Friday
of next (Monday-based) week.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from chatapp.agent.offline.dates.formatting import Span, remove_spans
from chatapp.agent.offline.lexicon import (
    COUNT_RE,
    COUNT_WORDS,
    MONTH_RE,
    MONTHS,
    WEEKDAY_RE,
    WEEKDAYS,
)
from chatapp.agent.offline.pattern import nocase

DEFAULT_TIME = time(9, 0)


TONIGHT_TIME = time(20, 0)


END_OF_DAY_TIME = time(17, 0)


LAST_MINUTE = time(23, 59, 59)


_DAY_PARTS = {
    "morning": time(9, 0),
    "afternoon": time(15, 0),
    "evening": time(18, 0),
    "night": TONIGHT_TIME,
}


_PREFIX = (
    r"(?:(?P<prefix>due(?:\s+(?:on|by|before|until))?|by|on|for|before|until|till|til|after"
    r"|from|starting(?:\s+on)?|no\s+later\s+than)\s+)?"
)


_ISO = nocase(
    _PREFIX + r"\b(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"(?:[T ](?P<time>[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)(?P<zone>Z|[+-][0-9]{2}:?[0-9]{2})?)?"
    r"(?![\w:])"
)


_RELATIVE = nocase(
    _PREFIX + r"\b(?:in\s+(?P<n>" + COUNT_RE + r")\s+(?P<unit>minutes?|mins?|hours?|hrs?|days?"
    r"|weeks?|wks?|months?|years?)|(?P<n2>" + COUNT_RE + r")\s+(?P<unit2>minutes?|mins?|hours?"
    r"|hrs?|days?|weeks?|wks?|months?|years?)\s+from\s+(?:now|today))\b"
)


_DAY_WORD = nocase(
    _PREFIX + r"\b(?P<word>(?:the\s+)?day\s+after\s+tomorrow|tomorrow|tomorow|tommorow|tommorrow"
    r"|tomorrw|tmrw|tmr|today|tonight"
    r"|tonite|this\s+(?:morning|afternoon|evening))(?:\s+(?P<part>morning|afternoon|evening|night))?\b"
)


_END_OF = nocase(
    _PREFIX
    + r"\b(?:(?:the\s+)?end\s+of\s+(?:the\s+)?(?P<unit>day|week|month|year)|(?P<abbr>eod|eow|eom|eoy))\b"
)


_PERIOD = nocase(
    _PREFIX
    + r"\b(?P<which>next|this|the|this\s+coming|coming)\s+(?P<unit>week|month|year|weekend)\b"
)


_WEEKDAY = nocase(
    _PREFIX
    + r"\b(?:(?P<which>this\s+coming|this|next|coming)\s+)?(?P<day>"
    + WEEKDAY_RE
    + r")\b(?!'s)\.?"
)


_MONTH_DAY = nocase(
    _PREFIX + r"\b(?P<month>" + MONTH_RE + r")\.?\s+(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?\b"
    r"(?:,?\s+(?P<year>[0-9]{4})\b)?(?!:)"
)


_DAY_MONTH = nocase(
    _PREFIX
    + r"\b(?:the\s+)?(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>"
    + MONTH_RE
    + r")\b\.?"
    r"(?:,?\s+(?P<year>[0-9]{4})\b)?"
)


_ORDINAL_DAY = nocase(
    _PREFIX
    + r"\bthe\s+(?P<day>[0-9]{1,2})(?:st|nd|rd|th)\b(?!\s+(?:of\s+)?(?:"
    + MONTH_RE
    + r")\b)"
)


_TIME_PREFIX = r"(?:(?P<prefix>at|by|before|around|from|@)\s*)?"


_CLOCK_12 = nocase(
    _TIME_PREFIX
    + r"\b(?P<hour>[0-9]{1,2})(?:[:.](?P<minute>[0-5][0-9]))?\s*(?P<ampm>[ap])\.?m\b\.?"
)


_CLOCK_24 = nocase(_TIME_PREFIX + r"\b(?P<hour>[01]?[0-9]|2[0-3])[:h](?P<minute>[0-5][0-9])\b")


_CLOCK_BARE = nocase(
    r"(?P<prefix>\bat|\bby|\baround|@)\s*(?P<hour>[0-9]{1,2})\b(?![:.]?[0-9])"
    r"(?!\s*(?:%|percent|st\b|nd\b|rd\b|th\b|days?\b|weeks?\b|months?\b|years?\b|hours?\b"
    r"|minutes?\b|items?\b|tasks?\b|people\b|of\b))"
)


_NAMED_TIME = nocase(
    r"(?:\b(?P<prefix>at|by|before|around)\s+)?\b(?P<name>noon|midday|midnight|lunch\s*time|lunchtime)\b"
)


_PART_TIME = nocase(r"\b(?:in\s+the\s+|at\s+)?(?P<part>morning|afternoon|evening|night)\b")


# A bare weekday is only a date when what follows cannot be the rest of a title ("sunday roast").
_AFTER_BARE_WEEKDAY = nocase(
    r"\s*(?:$|[,.;:!?)#]|and\b|at\b|@|[0-9]|morning|afternoon|evening|night|noon|high|low|medium"
    r"|priority|urgent|due\b|by\b|before\b|with\b|tagged\b|tag\b)"
)


_REPEAT = nocase(
    r"\b(?:every|each)\s+(?:other\s+|single\s+)?(?:[0-9]+\s+)?(?:" + WEEKDAY_RE + r"|day|days|week"
    r"|weeks|weekday|weekend|month|months|year|morning|afternoon|evening|night|hour|hours)\b"
)


@dataclass(frozen=True)
class DateMatch:
    """A moment found in text, and the spans of the text that expressed it."""

    value: datetime
    spans: tuple[Span, ...]
    has_time: bool
    prefix: str | None = None
    has_day: bool = True  # False for a time alone ("at 3pm"): the day is only a guess

    def remove_from(self, text: str) -> str:
        return remove_spans(text, self.spans)


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
            return DateMatch(local_at(day_part.day, at, now), spans, True, prefix)
        at = day_part.implied or DEFAULT_TIME
        return DateMatch(
            local_at(day_part.day, at, now),
            (day_part.span,),
            day_part.implied is not None,
            day_part.prefix,
        )
    if time_part is not None:
        candidate = local_at(now.date(), time_part.value, now)
        if candidate <= now:
            candidate = local_at(now.date() + timedelta(days=1), time_part.value, now)
        return DateMatch(candidate, (time_part.span,), True, time_part.prefix, has_day=False)
    return None


def day_bounds(day: date, now: datetime) -> tuple[datetime, datetime]:
    """`day` as [its midnight, the next midnight) in the zone of `now`: list_tasks' due_before is
    exclusive, and a task due "end of day" after 17:00 is due at 23:59:59."""
    return local_at(day, time(0), now), local_at(day + timedelta(days=1), time(0), now)


_PartT = TypeVar("_PartT", _DatePart, _TimePart)


def local_at(day: date, at: time, now: datetime) -> datetime:
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
    return int(word) if word.isdigit() else COUNT_WORDS.get(word, 1)


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
                moment.astimezone(now.tzinfo)
                if moment.tzinfo
                else local_at(day, moment.time(), now)
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
            day = add_months(today, amount)
        else:
            day = add_months(today, 12 * amount)
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
            if local_at(day, END_OF_DAY_TIME, now) <= now:
                day += timedelta(weeks=1)
            implied = END_OF_DAY_TIME
        elif unit == "month":
            day = month_end(today)
            if local_at(day, END_OF_DAY_TIME, now) <= now:
                day = month_end(add_months(today.replace(day=1), 1))
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
                    match.span(), _prefix(match), day=add_months(today.replace(day=1), 1)
                )
            else:
                yield _DatePart(
                    match.span(), _prefix(match), day=month_end(today), implied=END_OF_DAY_TIME
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
        weekday = WEEKDAYS[name]
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
            month = MONTHS[match.group("month").lower().rstrip(".")]
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
            candidate = add_months(candidate, 1)


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
        if 1 <= hour <= 6 and not match.group("hour").startswith("0"):
            # "at 2:30" on a to-do list means the afternoon, as a bare "at 2" does.
            yield _TimePart(match.span(), _prefix(match), time(hour + 12, minute), True)
            continue
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


def add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])
