"""What a reminder says: in the viewer's zone, "missed" when it rang while nobody was there, and a
browser notification script that carries user text only as JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from chatapp.state.reminders import notification_script, reminder_text
from chatapp.tasks.schemas import ReminderOut

NOW = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)


def test_a_reminder_names_the_task_and_its_due_time_in_the_viewers_zone():
    reminder = ReminderOut(
        task_id=1,
        title="Call the bank",
        remind_at=datetime(2026, 12, 1, 15, 59, tzinfo=UTC),
        due_at=datetime(2026, 12, 1, 16, 30, tzinfo=UTC),
        missed=False,
    )
    assert reminder_text(reminder, "Europe/Paris", NOW) == (
        "Reminder: Call the bank",
        "Due Tue 01 Dec, 17:30.",
    )


def test_a_missed_reminder_says_when_it_was_set_for():
    reminder = ReminderOut(
        task_id=2,
        title="Renew passport",
        remind_at=datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
        due_at=None,
        missed=True,
    )
    headline, detail = reminder_text(reminder, "America/New_York", NOW)
    assert headline == "Missed reminder: Renew passport"
    assert detail == "It was set for Tue 01 Dec, 03:00."


def test_the_notification_script_carries_titles_as_json_only():
    title = "</script><script>alert(1)</script>\"'`${x}"
    script = notification_script(title, "body", "tag-1")
    assert json.dumps(title) in script
    assert "${x}" not in script.replace(json.dumps(title), "")
