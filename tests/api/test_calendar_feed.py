"""The private iCalendar feed: a session-authenticated route issues (and rotates) an absolute,
unguessable URL; the feed itself needs no other credential, follows RFC 5545 and parses back
with `icalendar`, carries one VEVENT per pending dated task of its owner only, and a rotated or
revoked token is a plain 404."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest


def create(client, user, **fields) -> dict:
    fields.setdefault("title", "a task")
    r = client.post(user.tasks_url, headers=user.headers, json=fields)
    assert r.status_code == 201, r.text
    return r.json()


def feed_url(client, user) -> str:
    r = client.post(f"/api/{user.id}/calendar/token", headers=user.headers)
    assert r.status_code == 200, r.text
    assert set(r.json()) == {"url"}
    return r.json()["url"]


def fetch(client, url: str):
    """GET the feed with no credential at all."""
    return client.get(urlsplit(url).path)


def events(body: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_the_url_is_absolute_unguessable_and_works_without_a_token(client, owner):
    create(client, owner, title="Dentist", due_at="2031-06-02T09:00:00Z")

    url = feed_url(client, owner)

    parts = urlsplit(url)
    assert parts.scheme == "http" and parts.netloc == "testserver"
    token = re.fullmatch(r"/api/calendar/([A-Za-z0-9_-]+)\.ics", parts.path)[1]
    assert len(token) >= 43  # 32 random bytes
    r = fetch(client, url)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "private" in r.headers["cache-control"]
    assert list(events(r.content)) == ["Dentist"]


def test_only_the_hash_of_the_token_is_stored(client, owner):
    from sqlalchemy import text

    from chatapp.db import get_engine

    url = feed_url(client, owner)
    token = urlsplit(url).path.rsplit("/", 1)[1].removesuffix(".ics")

    with get_engine().connect() as conn:
        stored = conn.execute(text("SELECT user_id, token_hash FROM calendar_feeds")).all()

    assert stored == [(owner.id, hashlib.sha256(token.encode()).hexdigest())]
    assert token not in str(stored)


def test_a_new_url_rotates_the_token_and_the_old_one_is_404(client, owner):
    old = feed_url(client, owner)
    new = feed_url(client, owner)

    assert old != new
    gone = fetch(client, old)
    assert gone.status_code == 404
    assert gone.json() == {"detail": "Calendar feed not found"}
    assert fetch(client, new).status_code == 200


def test_revoking_turns_the_feed_off(client, owner):
    url = feed_url(client, owner)

    r = client.delete(f"/api/{owner.id}/calendar/token", headers=owner.headers)

    assert r.status_code == 204
    assert fetch(client, url).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/api/calendar/not-a-token.ics",
        "/api/calendar/" + "A" * 43 + ".ics",
        "/api/calendar/" + "A" * 5000 + ".ics",
        "/api/calendar/%25.ics",
        "/api/calendar/.ics",
    ],
)
def test_unknown_tokens_are_a_json_404(client, owner, path):
    feed_url(client, owner)

    r = client.get(path)

    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["detail"]


def test_the_feed_follows_rfc_5545(client, owner):
    create(
        client,
        owner,
        title="A title long enough to be folded: " + "é" * 60,
        description="line one\nline two; with, punctuation",
        due_at="2031-06-02T09:00:00Z",
    )

    body = fetch(client, feed_url(client, owner)).content

    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and body.endswith(b"END:VCALENDAR\r\n")
    lines = body.split(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75  # octets, folded by icalendar
    assert any(line.startswith(b" ") for line in lines), "the long title is folded"
    calendar = icalendar.Calendar.from_ical(body)
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["PRODID"])
    (event,) = calendar.walk("VEVENT")
    for prop in ("UID", "DTSTAMP", "SUMMARY", "DESCRIPTION", "DTSTART", "DURATION"):
        assert prop in event, prop
    assert str(event["SUMMARY"]).endswith("é" * 60)
    assert str(event["DESCRIPTION"]) == "line one\nline two; with, punctuation"
    assert event.decoded("DTSTART") == datetime(2031, 6, 2, 9, tzinfo=UTC)
    assert timedelta(0) < event.decoded("DURATION") <= timedelta(hours=1)


def test_a_recurring_task_carries_its_rule_zone_and_alarm(client, owner):
    task = create(
        client,
        owner,
        title="Pay rent",
        due_at="2031-07-01T09:00:00+02:00",
        recurrence="FREQ=MONTHLY;BYMONTHDAY=1",
        time_zone="Europe/Paris",
        remind_at="2031-07-01T06:30:00Z",
    )

    body = fetch(client, feed_url(client, owner)).content

    calendar = icalendar.Calendar.from_ical(body)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    event = events(body)["Pay rent"]
    assert str(event["UID"]) == f"task-{task['id']}@chatapp"
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    start = event.decoded("DTSTART")
    assert start == datetime(2031, 7, 1, 9, tzinfo=ZoneInfo("Europe/Paris"))
    assert event["RRULE"].to_ical() == b"FREQ=MONTHLY;BYMONTHDAY=1"
    (alarm,) = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY" and str(alarm["DESCRIPTION"]) == "Pay rent"
    assert alarm.decoded("TRIGGER") == timedelta(minutes=-30)
    assert b"TRIGGER:-PT30M" in body


def test_count_is_what_is_left_once_the_task_has_advanced(client, owner):
    task = create(
        client,
        owner,
        title="Pills",
        due_at="2031-03-01T07:00:00Z",
        recurrence="FREQ=DAILY;COUNT=5",
    )
    url = feed_url(client, owner)
    assert b"COUNT=5" in fetch(client, url).content
    for _ in range(2):
        client.patch(f"{owner.tasks_url}/{task['id']}/complete", headers=owner.headers)

    event = events(fetch(client, url).content)["Pills"]

    assert event.decoded("DTSTART") == datetime(2031, 3, 3, 7, tzinfo=UTC)
    assert event["RRULE"]["COUNT"] == [3]
    assert str(event["UID"]) == f"task-{task['id']}@chatapp"  # the same event, moved on


def test_a_floating_until_becomes_utc_as_rfc_5545_requires(client, owner):
    create(
        client,
        owner,
        title="Garden",
        due_at="2031-05-01T18:00:00-04:00",
        recurrence="FREQ=DAILY;UNTIL=20310510",
        time_zone="America/New_York",
    )

    event = events(fetch(client, feed_url(client, owner)).content)["Garden"]

    (until,) = event["RRULE"]["UNTIL"]
    assert until == datetime(2031, 5, 10, 4, tzinfo=UTC)  # midnight in New York


def test_only_pending_dated_tasks_of_the_owner_are_in_the_feed(client, owner, intruder):
    create(client, owner, title="Due", due_at="2031-06-02T09:00:00Z")
    create(client, owner, title="Undated")
    create(client, owner, title="Done", due_at="2031-06-02T09:00:00Z", completed=True)
    create(client, intruder, title="Intruder's secret", due_at="2031-06-02T09:00:00Z")
    feed_url(client, intruder)

    body = fetch(client, feed_url(client, owner)).content

    assert list(events(body)) == ["Due"]
    assert b"secret" not in body


def test_an_empty_feed_is_still_a_valid_calendar(client, owner):
    body = fetch(client, feed_url(client, owner)).content

    calendar = icalendar.Calendar.from_ical(body)
    assert calendar.walk("VEVENT") == [] and str(calendar["VERSION"]) == "2.0"


def test_issuing_needs_the_path_users_own_session(client, owner, intruder):
    r = client.post(f"/api/{owner.id}/calendar/token", headers=intruder.headers)
    assert r.status_code == 403
    assert client.post(f"/api/{owner.id}/calendar/token").status_code == 401
    r = client.delete(f"/api/{owner.id}/calendar/token", headers=intruder.headers)
    assert r.status_code == 403


def test_the_feed_ignores_credentials_and_query_tricks(client, owner, intruder):
    create(client, owner, title="Owner's", due_at="2031-06-02T09:00:00Z")
    create(client, intruder, title="Intruder's", due_at="2031-06-02T09:00:00Z")
    url = urlsplit(feed_url(client, intruder)).path

    r = client.get(url, headers=owner.headers, params={"user_id": owner.id})

    assert list(events(r.content)) == ["Intruder's"]
