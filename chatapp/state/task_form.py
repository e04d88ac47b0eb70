"""The task editor's repeat and reminder pickers: their choices, and how a choice becomes the
task's `recurrence` rule or `remind_at` time (and back, to show a saved task in the editor)."""

from __future__ import annotations

from datetime import datetime, timedelta

from chatapp.errors import AppError

# (value, label) in the order the picker lists them. The rule repeats from the due date, so
# "every week" is on the due date's weekday and "every month" on its day of the month.
REPEAT_CHOICES = (
    ("none", "Does not repeat"),
    ("daily", "Every day"),
    ("weekdays", "Every weekday (Mon–Fri)"),
    ("weekly", "Every week, on the due day"),
    ("monthly", "Every month, on the due date"),
    ("yearly", "Every year, on the due date"),
    ("custom", "Custom rule (RRULE)…"),
)
REPEAT_RULES = {
    "daily": "FREQ=DAILY",
    "weekdays": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "weekly": "FREQ=WEEKLY",
    "monthly": "FREQ=MONTHLY",
    "yearly": "FREQ=YEARLY",
}
REMIND_CHOICES = (
    ("none", "No reminder"),
    ("at", "At the due time"),
    ("10m", "10 minutes before"),
    ("30m", "30 minutes before"),
    ("1h", "1 hour before"),
    ("1d", "1 day before"),
    ("custom", "At a time I pick…"),
)
REMIND_OFFSETS = {
    "at": timedelta(0),
    "10m": timedelta(minutes=10),
    "30m": timedelta(minutes=30),
    "1h": timedelta(hours=1),
    "1d": timedelta(days=1),
}
REPEAT_VALUES = tuple(value for value, _ in REPEAT_CHOICES)
REMIND_VALUES = tuple(value for value, _ in REMIND_CHOICES)


def rule_for(choice: str, custom_rule: str) -> str | None:
    """The RRULE a picker choice stands for (validated later by the task schemas)."""
    if choice == "custom":
        rule = custom_rule.strip()
        if not rule:
            raise AppError("Repeat: type a custom rule, e.g. FREQ=WEEKLY;BYDAY=MO,TH")
        return rule
    return REPEAT_RULES.get(choice)


def choice_for_rule(rule: str | None) -> str:
    if not rule:
        return "none"
    return next((choice for choice, known in REPEAT_RULES.items() if known == rule), "custom")


def remind_at_for(choice: str, due: datetime | None, custom: datetime | None) -> datetime | None:
    """The reminder time a picker choice stands for, given the due time (UTC)."""
    if choice == "custom":
        if custom is None:
            raise AppError("Reminder: pick the date and time to be reminded.")
        return custom
    offset = REMIND_OFFSETS.get(choice)
    if offset is None:
        return None
    if due is None:
        raise AppError("Reminder: a reminder before the due time needs a due date.")
    return due - offset


def choice_for_reminder(remind_at: datetime | None, due: datetime | None) -> str:
    if remind_at is None:
        return "none"
    if due is not None:
        for choice, offset in REMIND_OFFSETS.items():
            if due - remind_at == offset:
                return choice
    return "custom"
