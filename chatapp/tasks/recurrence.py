"""Recurring tasks: RFC 5545 RRULE values checked, expanded in the task's time zone, said in words.

python-dateutil does the calendar arithmetic. Rules are expanded in local wall-clock time (a
naive DTSTART in the task's zone, then each occurrence placed in that zone), so "every day at
09:00" in America/New_York stays 09:00 across daylight-saving changes. A task's first due time
is the rule's DTSTART (its anchor): COUNT counts from there, however often the task advanced.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from chatapp.timezones import DEFAULT_ZONE

RULE_MAX = 500
ZONE_MAX = 64
# Every COUNT is walked when a feed says how many are left: keep that walk short.
COUNT_MAX = 1000
# A to-do list repeats by the hour at most: a task every minute is a mistake, not a plan.
TOO_FREQUENT = ("SECONDLY", "MINUTELY")
FREQUENCIES = ("HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_PART = re.compile(r"^[A-Z]+=[A-Z0-9,+\-:]+$")
_UNTIL = re.compile(r"UNTIL=(?P<value>[0-9]{8}(?:T[0-9]{6}Z?)?)")


class RecurrenceError(ValueError):
    """A rule, zone or combination a person must fix; the message says how."""


def normalise_rule(text: str) -> str:
    """'rrule:freq=weekly;byday=mo' → 'FREQ=WEEKLY;BYDAY=MO', or RecurrenceError saying why."""
    rule = text.strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[len("RRULE:") :]
    rule = rule.strip().strip(";").upper()
    if not rule:
        raise RecurrenceError("the repeat rule is empty")
    if len(rule) > RULE_MAX:
        raise RecurrenceError(f"the repeat rule is longer than {RULE_MAX} characters")
    parts = rule.split(";")
    if not all(_PART.match(part) for part in parts):
        raise RecurrenceError(
            f"'{text.strip()}' is not an RFC 5545 repeat rule: write KEY=VALUE parts joined by "
            "';', for example FREQ=WEEKLY;BYDAY=MO"
        )
    keys = [part.split("=", 1)[0] for part in parts]
    if "DTSTART" in keys:
        raise RecurrenceError("leave DTSTART out of the rule: the task's due date is its start")
    if len(set(keys)) != len(keys):
        raise RecurrenceError("each part of the repeat rule may appear only once")
    if "COUNT" in keys and "UNTIL" in keys:
        raise RecurrenceError("a repeat rule takes COUNT or UNTIL, not both")
    values = dict(part.split("=", 1) for part in parts)
    freq = values.get("FREQ")
    if freq is None:
        raise RecurrenceError("the repeat rule needs a FREQ, for example FREQ=DAILY")
    if freq in TOO_FREQUENT:
        raise RecurrenceError(
            f"FREQ={freq} repeats too often for a to-do list: the shortest step is FREQ=HOURLY"
        )
    if freq not in FREQUENCIES:
        raise RecurrenceError(f"FREQ must be one of {', '.join(FREQUENCIES)}, not {freq}")
    try:
        for key, value in values.items():
            _check_part(key, value, values)
    except RecurrenceError as exc:
        raise RecurrenceError(f"'{text.strip()}' is not a valid repeat rule: {exc}") from exc
    try:
        first = _first_occurrence(rule)
    except _EXPANSION_ERRORS as exc:
        raise RecurrenceError(f"'{text.strip()}' is not a valid repeat rule: {exc}") from exc
    if first is None:
        raise RecurrenceError(
            f"'{text.strip()}' never comes round: no date matches all of its BY parts"
        )
    return rule


# What dateutil raises for rules it cannot expand (it has no error type of its own).
_EXPANSION_ERRORS = (ValueError, TypeError, KeyError, IndexError, ZeroDivisionError, OverflowError)
_DAY = "(MO|TU|WE|TH|FR|SA|SU)"
_BYDAY_VALUE = re.compile(rf"^(?P<n>[+-]?[0-9]{{1,2}})?{_DAY}$")
_UNTIL_VALUE = re.compile(r"^[0-9]{8}(T[0-9]{6}Z?)?$")
# Each BY part holding numbers: (lowest, highest, may be negative, the FREQs it goes with).
# The FREQs are RFC 5545's, minus HOURLY for the calendar parts: "every hour, but only on the
# 1st" is no to-do, and dateutil would walk every hour of a year to find it never matches.
_NUMBER_PARTS = {
    "BYMINUTE": (0, 59, False, FREQUENCIES),
    "BYHOUR": (0, 23, False, FREQUENCIES),
    "BYMONTHDAY": (1, 31, True, ("DAILY", "MONTHLY", "YEARLY")),
    "BYYEARDAY": (1, 366, True, ("YEARLY",)),
    "BYWEEKNO": (1, 53, True, ("YEARLY",)),
    "BYMONTH": (1, 12, False, ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")),
    "BYSETPOS": (1, 366, True, ("MONTHLY", "YEARLY")),
}
_KNOWN_PARTS = ("FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "WKST", *_NUMBER_PARTS)
INTERVAL_MAX = 999
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # a leap year's


def _numbers(key: str, value: str) -> list[int]:
    low, high, signed, freqs = _NUMBER_PARTS[key]
    numbers = []
    for item in value.split(","):
        digits = item.lstrip("+-") if signed else item
        if not digits.isdigit() or not low <= int(digits) <= high:
            allowed = f"±{low}..{high}" if signed else f"{low}..{high}"
            raise RecurrenceError(f"{key} takes numbers in {allowed}, not {item}")
        numbers.append(int(item))
    return numbers


def _check_part(key: str, value: str, parts: dict[str, str]) -> None:
    """One KEY=VALUE of a rule against RFC 5545 and what a to-do list can use."""
    freq = parts["FREQ"]
    if key == "FREQ":
        return
    if key == "BYSECOND":
        raise RecurrenceError("leave BYSECOND out: a task is due to the minute")
    if key not in _KNOWN_PARTS:
        raise RecurrenceError(f"{key} is not a part of a repeat rule")
    if key in ("INTERVAL", "COUNT"):
        high = INTERVAL_MAX if key == "INTERVAL" else COUNT_MAX
        if not value.isdigit() or not 1 <= int(value) <= high:
            raise RecurrenceError(f"{key} must be a whole number from 1 to {high}")
    elif key == "UNTIL":
        if not _UNTIL_VALUE.match(value):
            raise RecurrenceError("UNTIL takes a date (20270131) or a time (20270131T090000Z)")
        try:
            datetime.strptime(value[:15], "%Y%m%dT%H%M%S" if "T" in value else "%Y%m%d")
        except ValueError as exc:
            raise RecurrenceError(f"UNTIL={value} is not a real date") from exc
    elif key == "WKST":
        if not re.fullmatch(_DAY, value):
            raise RecurrenceError("WKST takes a day code: MO, TU, WE, TH, FR, SA or SU")
    elif key == "BYDAY":
        numbered = [
            bool((day := _BYDAY_VALUE.match(item)) and day["n"]) for item in value.split(",")
        ]
        if any(numbered) and not all(numbered):
            # dateutil would keep only the days both kinds name (RFC 5545 means either).
            raise RecurrenceError(
                "BYDAY mixes plain days (MO) with numbered ones (-1FR): use one kind"
            )
        for item in value.split(","):
            match = _BYDAY_VALUE.match(item)
            if match is None:
                raise RecurrenceError(f"BYDAY takes day codes such as MO or -1FR, not {item}")
            if match["n"] and freq not in ("MONTHLY", "YEARLY"):
                raise RecurrenceError(f"BYDAY={item}: a numbered day needs MONTHLY or YEARLY")
            if match["n"] and not 1 <= abs(int(match["n"])) <= 53:
                raise RecurrenceError(f"BYDAY={item}: the number must be ±1..53")
    else:
        numbers = _numbers(key, value)
        freqs = _NUMBER_PARTS[key][3]
        if freq not in freqs:
            raise RecurrenceError(f"{key} goes with FREQ={' or '.join(freqs)}, not {freq}")
        if key == "BYMINUTE" and len(numbers) > 1:
            raise RecurrenceError("one BYMINUTE only: more would repeat within the hour")
        if key == "BYSETPOS" and not set(parts) & {"BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYMONTH"}:
            raise RecurrenceError("BYSETPOS picks from another BY part, and there is none")
        if key == "BYMONTHDAY" and "BYMONTH" in parts:
            months = _numbers("BYMONTH", parts["BYMONTH"])
            if not any(
                abs(day) <= _DAYS_IN_MONTH[month - 1] for day in numbers for month in months
            ):
                raise RecurrenceError(
                    f"BYMONTHDAY={value} never falls in BYMONTH={parts['BYMONTH']}"
                )


# dateutil looks for a rule's next match period by period up to the year 9999 and checks UNTIL
# only on matches, so a rule that never matches costs a walk to 9999. The Gregorian calendar
# repeats every 400 years: a rule that matches anywhere matches in 9600-9999, the shortest
# walk that answers "does it ever come round?".
_PROBE_START = datetime(9600, 1, 1, 9, 0)


def _first_occurrence(rule: str) -> datetime | None:
    """The rule's first occurrence from 9600 on, COUNT and UNTIL left out; None if it never
    comes round (no date matches all of its parts)."""
    parts = [part for part in rule.split(";") if part.split("=", 1)[0] not in ("COUNT", "UNTIL")]
    return next(iter(_expand(";".join(parts), _PROBE_START, ZoneInfo(DEFAULT_ZONE))), None)


def _expand(rule: str, start_local: datetime, zone: ZoneInfo) -> rrule:
    """dateutil's rrule for `rule` from the naive local `start_local`; a UTC UNTIL is moved to
    the same naive local clock (dateutil refuses to mix naive and aware)."""

    def local_until(match: re.Match[str]) -> str:
        value = match["value"]
        if not value.endswith("Z"):
            return match[0]
        instant = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        return "UNTIL=" + instant.astimezone(zone).strftime("%Y%m%dT%H%M%S")

    expanded = rrulestr(_UNTIL.sub(local_until, rule), dtstart=start_local)
    if not isinstance(expanded, rrule):
        raise ValueError("one RRULE only")
    return expanded


class Recurrence:
    """One task's rule, anchored at its first due time, in its zone."""

    def __init__(self, rule: str, anchor: datetime, zone_name: str) -> None:
        self.rule = rule
        self.zone = ZoneInfo(zone_name)
        self.anchor = anchor.astimezone(self.zone)
        self._rrule = _expand(rule, self.anchor.replace(tzinfo=None), self.zone)

    def _place(self, local: datetime | None) -> datetime | None:
        return None if local is None else local.replace(tzinfo=self.zone).astimezone(UTC)

    def _local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone).replace(tzinfo=None)

    def next_after(self, moment: datetime) -> datetime | None:
        """The first occurrence strictly after `moment` (UTC), or None when the rule is done."""
        return self._place(self._rrule.after(self._local(moment), inc=False))

    def between(self, start: datetime, end: datetime) -> list[datetime]:
        """Occurrences in [start, end] (UTC)."""
        local = self._rrule.between(self._local(start), self._local(end), inc=True)
        return [moment for moment in map(self._place, local) if moment is not None]

    def remaining_from(self, due: datetime) -> int | None:
        """How many occurrences are left counting the one at `due` (None: no COUNT)."""
        count = dict(part.split("=", 1) for part in self.rule.split(";")).get("COUNT")
        if count is None:
            return None
        # Walk only up to `due`: a sparse rule's later occurrences may lie centuries ahead.
        local_due, passed = self._local(due), 0
        for moment in self._rrule:
            if moment >= local_due:
                break
            passed += 1
        return max(int(count) - passed, 0)

    def describe(self) -> str:
        try:
            return describe(self.rule, self.anchor)
        except (ValueError, KeyError, IndexError):
            # A valid rule our words do not cover (e.g. several BYSETPOS): say it as written.
            return f"repeats as {self.rule}"

    def rule_from(self, due: datetime) -> str:
        """The rule for a calendar whose first event is `due`: COUNT is what is left from there,
        and UNTIL an exact UTC time (RFC 5545 wants UTC when DTSTART names its zone)."""
        parts = dict(part.split("=", 1) for part in self.rule.split(";"))
        if "COUNT" in parts:
            parts["COUNT"] = str(max(self.remaining_from(due) or 0, 1))
        if "UNTIL" in parts and not parts["UNTIL"].endswith("Z"):
            # A date or a floating time ends the rule at that wall-clock time in the task's zone.
            value = parts["UNTIL"]
            local = datetime.strptime(value, "%Y%m%dT%H%M%S" if "T" in value else "%Y%m%d")
            parts["UNTIL"] = (
                local.replace(tzinfo=self.zone).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
            )
        return ";".join(f"{key}={value}" for key, value in parts.items())


def check(rule: str | None, due: datetime | None, zone_name: str, now: datetime) -> None:
    """A rule needs a first due time, an occurrence from then on, and one still to come (the
    due time itself counts when it is in the future)."""
    if rule is None:
        return
    if due is None:
        raise RecurrenceError("a repeating task needs a due date: its first occurrence")
    try:
        recurrence = Recurrence(rule, due, zone_name)
        first = recurrence.next_after(due - timedelta(seconds=1))
        ahead = recurrence.next_after(now - timedelta(seconds=1)) if due < now else first
    except _EXPANSION_ERRORS as exc:
        raise RecurrenceError(f"the repeat rule cannot start at the due date: {exc}") from exc
    if first is None:
        raise RecurrenceError(
            "the repeat rule has no occurrence from the due date on (check UNTIL and COUNT)"
        )
    if ahead is None:
        raise RecurrenceError(
            "the repeat rule has no occurrence still to come: every one is in the past "
            "(check UNTIL, COUNT and the due date)"
        )


# --- in words ---------------------------------------------------------------------------------

_DAY_NAMES = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR")
_WEEKEND = ("SA", "SU")
_UNITS = {"HOURLY": "hour", "DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_BYDAY = re.compile(r"^(?P<n>[+-]?[0-9]{1,2})?(?P<day>MO|TU|WE|TH|FR|SA|SU)$")


def ordinal(n: int) -> str:
    """1 → '1st', 22 → '22nd', -1 → 'last', -2 → 'second to last'."""
    if n == -1:
        return "last"
    if n < 0:
        return f"{ordinal(-n)} to last"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _days(codes: list[str]) -> str:
    if sorted(codes) == sorted(_WEEKDAYS):
        return "weekday"
    if sorted(codes) == sorted(_WEEKEND):
        return "weekend day"
    return _join([_DAY_NAMES[code] for code in codes])


def _every(unit: str, interval: int) -> str:
    if interval == 1:
        return f"every {unit}"
    if interval == 2 and unit in ("week", "day", "month", "year"):
        return f"every other {unit}"
    return f"every {interval} {unit}s"


def describe(rule: str, anchor_local: datetime) -> str:
    """The rule in plain words, e.g. 'every month on the 1st at 09:00'."""
    parts = dict(part.split("=", 1) for part in rule.split(";"))
    freq, interval = parts["FREQ"], int(parts.get("INTERVAL", "1"))
    byday = [m.groupdict() for m in map(_BYDAY.match, parts.get("BYDAY", "").split(",")) if m]
    plain_days = [d["day"] for d in byday if not d["n"]]
    setpos = parts.get("BYSETPOS")
    monthdays = [int(v) for v in parts.get("BYMONTHDAY", "").split(",") if v]
    months = [int(v) for v in parts.get("BYMONTH", "").split(",") if v]

    if freq in ("DAILY", "WEEKLY") and plain_days and len(plain_days) == len(byday):
        if len(set(plain_days)) == 7:
            text = _every(_UNITS[freq], interval) if interval > 1 else "every day"
        elif interval == 1:
            text = "every " + _days(plain_days)
        else:
            text = _every(_UNITS[freq], interval) + " on " + _days(plain_days)
    elif freq == "WEEKLY":
        text = _every("week", interval) + " on " + _DAY_NAMES[_weekday(anchor_local)]
    elif freq == "MONTHLY":
        text = (
            _every("month", interval)
            + " on the "
            + _month_position(anchor_local, monthdays, byday, setpos)
        )
    elif freq == "YEARLY":
        month = _MONTHS[(months[0] if months else anchor_local.month) - 1]
        day = monthdays[0] if monthdays else anchor_local.day
        text = _every("year", interval) + f" on {day} {month}"
    else:
        text = _every(_UNITS[freq], interval)
    if freq != "HOURLY":
        text += " at " + _time_of_day(parts, anchor_local)
    if "COUNT" in parts:
        count = int(parts["COUNT"])
        text += ", once" if count == 1 else f", {count} times"
    if "UNTIL" in parts:
        text += ", until " + _until_words(parts["UNTIL"])
    return text


def _weekday(moment: datetime) -> str:
    return list(_DAY_NAMES)[moment.weekday()]


def _month_position(anchor: datetime, monthdays: list[int], byday, setpos: str | None) -> str:
    if monthdays:
        days = [("last day" if d == -1 else ordinal(d)) for d in monthdays]
        return _join(days)
    if byday:
        first = byday[0]
        n = int(first["n"]) if first["n"] else (int(setpos) if setpos else None)
        names = _days([d["day"] for d in byday])
        return f"{ordinal(n)} {names}" if n is not None else names
    return ordinal(anchor.day)


def _time_of_day(parts: dict[str, str], anchor: datetime) -> str:
    hours = parts.get("BYHOUR")
    minutes = parts.get("BYMINUTE")
    if hours and "," not in hours:
        minute = int(minutes) if minutes and "," not in minutes else anchor.minute
        return f"{int(hours):02d}:{minute:02d}"
    return anchor.strftime("%H:%M")


def _until_words(value: str) -> str:
    day = date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    return f"{day.day} {_MONTHS[day.month - 1][:3]} {day.year}"
