"""Due-date windows for listing questions: "due this week", "before friday", "by the 30th"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from chatapp.agent.offline.dates.formatting import Span, describe, short_day
from chatapp.agent.offline.dates.moments import (
    add_months,
    day_bounds,
    find_datetime,
    local_at,
    parse_number,
)
from chatapp.agent.offline.lexicon import COUNT_RE
from chatapp.agent.offline.pattern import nocase

_FLAGS = re.IGNORECASE

# A word that turns a window into an open range: "before friday", "by the end of the month".
_BOUND = nocase(
    r"\b(?P<bound>before|by|until|till|til|after|from|starting(?:\s+(?:on|from))?"
    r"|no\s+later\s+than)\s+(?:the\s+)?(?:end\s+of\s+(?:the\s+)?)?$"
)


_BOUND_WORDS = ("before", "by", "until", "till", "til", "no later than", "after", "from")


@dataclass(frozen=True)
class Period:
    """A due-date window for filtering, [start, end): either bound may be open."""

    start: datetime | None
    end: datetime | None
    label: str
    spans: tuple[Span, ...]


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
            start = now if which.startswith("rest") else local_at(monday, time(0), now)
            end = local_at(monday + timedelta(days=7), time(0), now)
        elif unit == "weekend":
            saturday = today + timedelta(days=(5 - today.weekday()) % 7)
            if today.weekday() == 6:
                saturday = today - timedelta(days=1)
            if following:
                saturday += timedelta(weeks=1)
            start = local_at(saturday, time(0), now)
            end = local_at(saturday + timedelta(days=2), time(0), now)
        else:
            first = add_months(today.replace(day=1), int(following))
            start = local_at(first, time(0), now)
            end = local_at(add_months(first, 1), time(0), now)
        name = f"{'next' if following else 'this'} {unit}"
        spans = (match.span(),)
        return _Window(start, end, name, f"due {name}", spans, last=f"the end of {name}")
    match = re.search(
        r"\b(?:in\s+)?(?:the\s+)?(?:next|coming)\s+(?P<n>"
        + COUNT_RE
        + r")\s+(?P<unit>days?|weeks?)\b",
        text,
        _FLAGS,
    )
    if match:
        days = parse_number(match.group("n")) * (
            7 if match.group("unit").lower().startswith("w") else 1
        )
        end = local_at(today + timedelta(days=days + 1), time(0), now)
        name = f"the next {days} days"
        return _Window(now, end, name, f"due in {name}", (match.span(),))
    match = re.search(r"\b(?:coming\s+up|upcoming|soon)\b", text, _FLAGS)
    if match:
        end = local_at(today + timedelta(days=8), time(0), now)
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
