"""Dates in and out of text: the clock line of the instructions, ISO 8601, and short human forms."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime

from chatapp.agent.offline.pattern import nocase
from chatapp.timezones import known_zone

Span = tuple[int, int]


_NOW_LINE = nocase(
    r"current date and time\s*:\s*(?P<iso>[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:.]+(?:Z|[+-][0-9]{2}:?[0-9]{2})?)"
    r"(?:\s*\((?P<zone>[A-Za-z0-9_+\-/]+)\))?"
)


_DAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def find_now(text: str | None) -> datetime | None:
    """The moment in a `Current date and time: <ISO> (<zone>)` line, if there is one."""
    if not text:
        return None
    match = _NOW_LINE.search(text)
    if match is None:
        return None
    moment = _from_iso(match.group("iso").replace(" ", "T"))
    if moment is None:
        return None
    zone = known_zone(match.group("zone"))
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone or UTC)
    return moment.astimezone(zone) if zone is not None else moment


def parse_now(text: str | None, fallback: datetime | None = None) -> datetime:
    """`find_now`, or `fallback`, or the current UTC time."""
    found = find_now(text)
    if found is not None:
        return found
    return fallback if fallback is not None else datetime.now(UTC)


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
    moment = _from_iso(value.strip())
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(now.tzinfo)


def _from_iso(raw: str) -> datetime | None:
    """`raw` read as ISO 8601, a trailing Z as UTC; None when it is not a date and time."""
    if raw.endswith(("Z", "z")):
        raw = raw[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        return None


def describe(moment: datetime, now: datetime) -> str:
    """A short human form: "Tue 24 Nov at 17:00" (with the year when it is not this year)."""
    local = moment.astimezone(now.tzinfo)
    return f"{short_day(local, now)} at {local.strftime('%H:%M')}"


def relative_day(moment: datetime, now: datetime) -> str | None:
    """ "today", "tomorrow" or "yesterday" when `moment` is one of those days."""
    days = (moment.astimezone(now.tzinfo).date() - now.date()).days
    return {-1: "yesterday", 0: "today", 1: "tomorrow"}.get(days)


def short_day(moment: datetime, now: datetime) -> str:
    """ "Tue 24 Nov", with the year when it is not the year of `now`."""
    local = moment.astimezone(now.tzinfo)
    # Fixed English names: strftime would follow whatever locale the process runs under.
    shown = f"{_DAY_ABBR[local.weekday()]} {local.day} {_MONTH_ABBR[local.month - 1]}"
    return shown if local.year == now.year else f"{shown} {local.year}"


def zone_name(now: datetime) -> str:
    """The IANA name of the user's zone, as `now` carries it ("UTC" for a bare offset)."""
    return getattr(now.tzinfo, "key", None) or "UTC"
