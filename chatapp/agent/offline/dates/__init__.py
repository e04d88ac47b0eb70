"""Dates in the offline model: moments, windows, repeat rules, and how they are written."""

from chatapp.agent.offline.dates.formatting import (
    Span,
    describe,
    find_now,
    parse_iso,
    parse_now,
    relative_day,
    remove_spans,
    short_day,
    to_iso,
    zone_name,
)
from chatapp.agent.offline.dates.moments import (
    DEFAULT_TIME,
    END_OF_DAY_TIME,
    LAST_MINUTE,
    TONIGHT_TIME,
    DateMatch,
    day_bounds,
    find_datetime,
    parse_number,
)
from chatapp.agent.offline.dates.windows import Period, find_period

__all__ = [
    "DEFAULT_TIME",
    "END_OF_DAY_TIME",
    "LAST_MINUTE",
    "TONIGHT_TIME",
    "DateMatch",
    "Period",
    "Span",
    "day_bounds",
    "describe",
    "find_datetime",
    "find_now",
    "find_period",
    "parse_iso",
    "parse_now",
    "parse_number",
    "relative_day",
    "remove_spans",
    "short_day",
    "to_iso",
    "zone_name",
]
