"""A user's tasks as an iCalendar feed (RFC 5545), built with the `icalendar` package.

One VEVENT per pending task with a due date (Google Calendar ignores VTODO): a stable UID, the
due time as DTSTART in the task's zone (with its VTIMEZONE) or in UTC, a short DURATION, the
repeat rule as RRULE (COUNT is what is left from the current occurrence) and the reminder as a
DISPLAY VALARM relative to the start. `icalendar` writes CRLF line ends and folds lines at 75
octets.
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, vRecur

from chatapp.tasks.schemas import TaskOut
from chatapp.timezones import DEFAULT_ZONE

PRODID = "-//chatapp//tasks feed//EN"
CALENDAR_NAME = "chatapp tasks"
EVENT_LENGTH = timedelta(minutes=30)
UID_DOMAIN = "chatapp"
MEDIA_TYPE = "text/calendar; charset=utf-8"
# How far past the last due date the VTIMEZONE transitions reach (repeating events go on).
ZONE_YEARS_AHEAD = 10


def event_uid(task_id: int) -> str:
    """The same UID for a task in every download, so calendars update it instead of adding."""
    return f"task-{task_id}@{UID_DOMAIN}"


def _event(task: TaskOut, rule: str | None) -> Event:
    event = Event()
    event.add("uid", event_uid(task.id))
    # Without a METHOD, DTSTAMP is when the event's information was last revised.
    event.add("dtstamp", task.updated_at)
    event.add("last-modified", task.updated_at)
    event.add("summary", task.title)
    if task.description:
        event.add("description", task.description)
    assert task.due_at is not None  # the feed holds tasks with a due date (feed_tasks)
    start = task.due_at
    if task.time_zone != DEFAULT_ZONE:
        start = start.astimezone(ZoneInfo(task.time_zone))  # written with TZID=<zone>
    event.add("dtstart", start)
    event.add("duration", EVENT_LENGTH)
    if rule:
        event.add("rrule", vRecur.from_ical(rule))
    if task.remind_at is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", task.title)
        alarm.add("trigger", task.remind_at - task.due_at)  # e.g. -PT30M: before the start
        event.add_component(alarm)
    return event


def render_feed(tasks: list[tuple[TaskOut, str | None]]) -> bytes:
    """The feed for `tasks` as the task service gives them (service.feed_tasks)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    for task, rule in tasks:
        if task.due_at is not None:
            calendar.add_component(_event(task, rule))
    years = [task.due_at.year for task, _ in tasks if task.due_at is not None]
    if years:
        # Each zone used gets a VTIMEZONE covering the years around its events.
        first, last = min(years) - 1, min(max(years) + ZONE_YEARS_AHEAD, 9999)
        calendar.add_missing_timezones(first_date=date(first, 1, 1), last_date=date(last, 1, 1))
    return calendar.to_ical()
