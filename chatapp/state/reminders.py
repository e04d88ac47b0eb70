"""ReminderState: every open tab asks, now and then, for the user's reminders that came due; each
one is handed to exactly one tab (the task service claims it atomically), which shows it as a
toast and, when the user turned them on, as a browser notification."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import reflex as rx

from chatapp.errors import AppError
from chatapp.state.auth import AuthState
from chatapp.state.tasks import TaskState, moment_label
from chatapp.tasks import service
from chatapp.tasks.schemas import ReminderOut
from chatapp.timezones import zone_or_default

# How often an open tab asks; a reminder shows at most this late.
REMINDER_POLL_MS = 10_000
REMINDER_TOAST_MS = 20_000
PERMISSIONS = ("default", "granted", "denied", "unsupported")


def notification_script(title: str, body: str, tag: str) -> str:
    """JS showing one browser notification; every value JSON-encoded (titles are user text)."""
    args = ", ".join(json.dumps(v) for v in (title, body, tag))
    return (
        "((title, body, tag) => { try { new Notification(title, {body, tag}); }"
        f" catch (e) {{}} }})({args})"
    )


def reminder_text(reminder: ReminderOut, zone: str, now: datetime) -> tuple[str, str]:
    """(headline, detail) for one reminder, times in the viewer's zone."""
    tz = zone_or_default(zone)
    if reminder.missed:
        headline = f"Missed reminder: {reminder.title}"
        detail = f"It was set for {moment_label(reminder.remind_at, tz, now)}."
    else:
        headline = f"Reminder: {reminder.title}"
        detail = ""
    if reminder.due_at is not None:
        detail = (detail + " " if detail else "") + f"Due {moment_label(reminder.due_at, tz, now)}."
    return headline, detail


class ReminderState(AuthState):
    notifications: str = "default"  # the browser's Notification permission
    ask_permission: int = 0

    @rx.event
    def set_notifications(self, value: str):
        self.notifications = value if value in PERMISSIONS else "unsupported"

    @rx.event
    def turn_on_notifications(self):
        """The user clicked "turn on notifications": only now does the browser ask."""
        self.ask_permission += 1

    @rx.event
    async def tick(self, zone: str):
        user_id = await self.current_user_id()
        if user_id is None:
            return None
        try:
            due = await asyncio.to_thread(service.claim_due_reminders, user_id)
        except AppError:
            return None  # the database is away: the next tick asks again, nothing is lost
        if not due:
            return None
        now = datetime.now(UTC)
        events = []
        for reminder in due:
            headline, detail = reminder_text(reminder, zone, now)
            toast = rx.toast.warning if reminder.missed else rx.toast.info
            events.append(
                toast(
                    headline,
                    description=detail,
                    duration=REMINDER_TOAST_MS,
                    close_button=True,
                    id=f"reminder-{reminder.task_id}",
                )
            )
            if self.notifications == "granted":
                tag = f"chatapp-reminder-{reminder.task_id}"
                events.append(rx.call_script(notification_script(headline, detail, tag)))
        events.append(TaskState.refresh)  # the rows' bells show what has rung
        return events
