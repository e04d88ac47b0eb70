"""Issue 11 over REST: tasks take a repeat rule, a time zone and a reminder; completing a
recurring task keeps it open at its next occurrence; completions and reminders have routes.
Every bad input is a 422 naming the field in words a person can act on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

NEXT_MONDAY = "2031-06-02T09:00:00Z"


def create(client, user, **fields) -> dict:
    fields.setdefault("title", "a task")
    r = client.post(user.tasks_url, headers=user.headers, json=fields)
    assert r.status_code == 201, r.text
    return r.json()


def _at(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def test_create_with_a_rule_a_zone_and_a_reminder(client, owner):
    task = create(
        client,
        owner,
        title="Pay rent",
        due_at="2031-07-01T09:00:00+02:00",
        recurrence="rrule:freq=monthly;bymonthday=1",
        time_zone="Europe/Paris",
        remind_at="2031-07-01T06:00:00Z",
    )

    assert task["recurrence"] == "FREQ=MONTHLY;BYMONTHDAY=1"
    assert task["recurrence_text"] == "every month on the 1st at 09:00"
    assert task["time_zone"] == "Europe/Paris"
    assert _at(task["due_at"]) == datetime(2031, 7, 1, 7, tzinfo=UTC)
    assert _at(task["remind_at"]) == datetime(2031, 7, 1, 6, tzinfo=UTC)
    assert task["reminded_at"] is None
    assert client.get(f"{owner.tasks_url}/{task['id']}", headers=owner.headers).json() == task


def test_an_old_request_gets_a_plain_task_in_utc(client, owner):
    task = create(client, owner, title="Buy milk", due_at="2031-05-01T10:30:00Z")

    assert (task["recurrence"], task["recurrence_text"]) == (None, None)
    assert (task["time_zone"], task["remind_at"], task["reminded_at"]) == ("UTC", None, None)


INVALID = {
    "unparseable rule": ({"recurrence": "every monday", "due_at": NEXT_MONDAY}, "recurrence"),
    "secondly": ({"recurrence": "FREQ=SECONDLY", "due_at": NEXT_MONDAY}, "too often"),
    "minutely": ({"recurrence": "FREQ=MINUTELY;INTERVAL=5", "due_at": NEXT_MONDAY}, "too often"),
    "bad part": ({"recurrence": "FREQ=DAILY;BYDAY=XX", "due_at": NEXT_MONDAY}, "recurrence"),
    "count and until": (
        {"recurrence": "FREQ=DAILY;COUNT=2;UNTIL=20320101", "due_at": NEXT_MONDAY},
        "COUNT or UNTIL",
    ),
    "unknown zone": ({"time_zone": "Mars/Olympus"}, "time_zone: unknown time zone"),
    "zone not a string": ({"time_zone": 5}, "time_zone"),
    "no due date": ({"recurrence": "FREQ=WEEKLY"}, "needs a due date"),
    "no occurrence to come": (
        {"recurrence": "FREQ=DAILY;UNTIL=20200105", "due_at": "2020-01-01T09:00:00Z"},
        "no occurrence still to come",
    ),
    "until before the due date": (
        {"recurrence": "FREQ=DAILY;UNTIL=20300101", "due_at": NEXT_MONDAY},
        "no occurrence from the due date on",
    ),
    "unparseable reminder": ({"remind_at": "soon"}, "remind_at"),
    "rule too long": (
        {"recurrence": "FREQ=DAILY;" + "BYHOUR=1;" * 60, "due_at": NEXT_MONDAY},
        "recurrence",
    ),
}


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
def test_every_bad_rule_zone_and_reminder_is_a_readable_422_that_changes_nothing(
    client, owner, method
):
    task = create(client, owner, title="original")
    url = owner.tasks_url if method == "POST" else f"{owner.tasks_url}/{task['id']}"
    wrong = {}

    for case, (fields, says) in INVALID.items():
        body = {"title": "valid title", **fields} if method != "PATCH" else fields
        r = client.request(method, url, headers=owner.headers, json=body)
        detail = r.json().get("detail", "") if r.status_code == 422 else ""
        if r.status_code != 422 or says not in detail or "Value error" in detail:
            wrong[case] = f"{r.status_code} {r.text}"
        elif not r.json().get("errors"):
            wrong[case] = f"no per-field errors: {r.text}"

    assert wrong == {}
    listed = client.get(owner.tasks_url, headers=owner.headers).json()
    assert listed == [task]


def test_the_service_side_422_names_the_field_like_a_schema_422(client, owner):
    r = client.post(
        owner.tasks_url, headers=owner.headers, json={"title": "x", "recurrence": "FREQ=DAILY"}
    )

    assert r.status_code == 422
    body = r.json()
    assert body["detail"].startswith("recurrence: a repeating task needs a due date")
    assert body["errors"] == [
        {
            "loc": ["recurrence"],
            "msg": "a repeating task needs a due date: its first occurrence",
            "type": "value_error",
        }
    ]


def test_patch_removing_the_due_date_of_a_recurring_task_is_422(client, owner):
    task = create(client, owner, due_at=NEXT_MONDAY, recurrence="FREQ=WEEKLY;BYDAY=MO")
    url = f"{owner.tasks_url}/{task['id']}"

    r = client.patch(url, headers=owner.headers, json={"due_at": None})

    assert r.status_code == 422 and "needs a due date" in r.json()["detail"]
    assert client.get(url, headers=owner.headers).json() == task


def test_patch_recurrence_null_stops_repeating_and_absent_keeps_it(client, owner):
    task = create(client, owner, due_at=NEXT_MONDAY, recurrence="FREQ=WEEKLY;BYDAY=MO")
    url = f"{owner.tasks_url}/{task['id']}"

    kept = client.patch(url, headers=owner.headers, json={"title": "renamed"}).json()
    assert kept["recurrence"] == "FREQ=WEEKLY;BYDAY=MO"

    stopped = client.patch(url, headers=owner.headers, json={"recurrence": None}).json()
    assert (stopped["recurrence"], stopped["recurrence_text"]) == (None, None)
    assert stopped["due_at"] == task["due_at"]


def test_patch_sets_a_rule_zone_and_reminder_on_an_existing_task(client, owner):
    task = create(client, owner, title="Stand-up", due_at="2031-06-02T07:00:00Z")
    url = f"{owner.tasks_url}/{task['id']}"

    r = client.patch(
        url,
        headers=owner.headers,
        json={
            "recurrence": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
            "time_zone": "Europe/Paris",
            "remind_at": "2031-06-02T06:50:00Z",
        },
    )

    assert r.status_code == 200, r.text
    out = r.json()
    assert out["recurrence_text"] == "every weekday at 09:00"
    assert out["time_zone"] == "Europe/Paris"
    assert _at(out["remind_at"]) == datetime(2031, 6, 2, 6, 50, tzinfo=UTC)


def test_put_carries_the_new_fields_and_resets_them_when_omitted(client, owner):
    task = create(client, owner)
    url = f"{owner.tasks_url}/{task['id']}"
    full = {
        "title": "Weekly review",
        "due_at": "2031-06-06T16:00:00Z",
        "recurrence": "FREQ=WEEKLY;BYDAY=FR",
        "time_zone": "America/New_York",
        "remind_at": "2031-06-06T15:00:00Z",
    }

    out = client.put(url, headers=owner.headers, json=full).json()
    assert out["recurrence"] == "FREQ=WEEKLY;BYDAY=FR"
    assert out["recurrence_text"] == "every Friday at 12:00"

    reset = client.put(url, headers=owner.headers, json={"title": "Weekly review"}).json()
    assert (reset["recurrence"], reset["time_zone"], reset["remind_at"]) == (None, "UTC", None)


def test_complete_moves_a_recurring_task_and_answers_with_it_open(client, owner):
    task = create(
        client,
        owner,
        title="Team sync",
        due_at=NEXT_MONDAY,
        recurrence="FREQ=WEEKLY;BYDAY=MO",
        remind_at="2031-06-02T08:45:00Z",
    )
    url = f"{owner.tasks_url}/{task['id']}/complete"

    r = client.patch(url, headers=owner.headers)

    assert r.status_code == 200, r.text
    after = r.json()
    assert set(after) == set(task)
    assert (after["id"], after["completed"], after["completed_at"]) == (task["id"], False, None)
    assert _at(after["due_at"]) == datetime(2031, 6, 9, 9, tzinfo=UTC)
    assert _at(after["remind_at"]) == datetime(2031, 6, 9, 8, 45, tzinfo=UTC)
    pending = client.get(owner.tasks_url, headers=owner.headers, params={"status": "pending"})
    assert [t["id"] for t in pending.json()] == [task["id"]]


def test_complete_false_on_a_plain_task_reopens_it_as_before(client, owner):
    task = create(client, owner, completed=True)
    url = f"{owner.tasks_url}/{task['id']}/complete"

    reopened = client.patch(url, headers=owner.headers, json={"completed": False}).json()

    assert (reopened["completed"], reopened["completed_at"]) == (False, None)
    done = client.get(f"/api/{owner.id}/completions", headers=owner.headers).json()
    assert done == []


def test_the_last_occurrence_completes_the_task(client, owner):
    task = create(client, owner, due_at=NEXT_MONDAY, recurrence="FREQ=DAILY;COUNT=2")
    url = f"{owner.tasks_url}/{task['id']}/complete"

    first = client.patch(url, headers=owner.headers).json()
    last = client.patch(url, headers=owner.headers).json()

    assert first["completed"] is False and last["completed"] is True
    assert last["recurrence_text"] == "every day at 09:00, 2 times"


def test_completions_list_every_occurrence_and_plain_task_newest_first(client, owner):
    weekly = create(client, owner, title="Weekly", due_at=NEXT_MONDAY, recurrence="FREQ=WEEKLY")
    plain = create(client, owner, title="Plain")
    before = datetime.now(UTC) - timedelta(seconds=1)
    for task in (weekly, plain, weekly):
        r = client.patch(f"{owner.tasks_url}/{task['id']}/complete", headers=owner.headers)
        assert r.status_code == 200, r.text

    r = client.get(
        f"/api/{owner.id}/completions",
        headers=owner.headers,
        params={"since": before.isoformat()},
    )

    assert r.status_code == 200, r.text
    rows = r.json()
    assert [(row["task_id"], row["title"]) for row in rows] == [
        (weekly["id"], "Weekly"),
        (plain["id"], "Plain"),
        (weekly["id"], "Weekly"),
    ]
    assert set(rows[0]) == {"task_id", "title", "completed_at", "due_at"}
    assert [_at(row["due_at"]) for row in rows] == [
        datetime(2031, 6, 9, 9, tzinfo=UTC),
        None,
        datetime(2031, 6, 2, 9, tzinfo=UTC),
    ]
    assert all(_at(row["completed_at"]) >= before for row in rows)
    later = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    after = client.get(
        f"/api/{owner.id}/completions", headers=owner.headers, params={"since": later}
    )
    assert after.json() == []


def test_completed_since_filters_the_task_list(client, owner):
    weekly = create(client, owner, title="Weekly", due_at=NEXT_MONDAY, recurrence="FREQ=WEEKLY")
    create(client, owner, title="Untouched")
    before = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()
    client.patch(f"{owner.tasks_url}/{weekly['id']}/complete", headers=owner.headers)

    r = client.get(owner.tasks_url, headers=owner.headers, params={"completed_since": before})

    assert [t["title"] for t in r.json()] == ["Weekly"] and r.headers["X-Total-Count"] == "1"


@pytest.mark.parametrize(
    "params", [{"since": "yesterday"}, {"limit": 0}, {"limit": 501}, {"limit": "many"}]
)
def test_bad_completion_queries_are_422(client, owner, params):
    r = client.get(f"/api/{owner.id}/completions", headers=owner.headers, params=params)

    assert r.status_code == 422 and r.json()["detail"]


def test_claiming_reminders_hands_each_out_once(client, owner):
    now = datetime.now(UTC)
    soon = create(
        client,
        owner,
        title="Call mom",
        due_at=(now + timedelta(minutes=15)).isoformat(),
        remind_at=(now - timedelta(seconds=10)).isoformat(),
    )
    missed = create(
        client, owner, title="Dentist", remind_at=(now - timedelta(hours=5)).isoformat()
    )
    create(client, owner, title="Later", remind_at=(now + timedelta(hours=5)).isoformat())
    url = f"/api/{owner.id}/reminders/claim"

    r = client.post(url, headers=owner.headers)

    assert r.status_code == 200, r.text
    assert r.json() == [
        {
            "task_id": missed["id"],
            "title": "Dentist",
            "remind_at": missed["remind_at"],
            "due_at": None,
            "missed": True,
        },
        {
            "task_id": soon["id"],
            "title": "Call mom",
            "remind_at": soon["remind_at"],
            "due_at": soon["due_at"],
            "missed": False,
        },
    ]
    assert client.post(url, headers=owner.headers).json() == []
    shown = client.get(f"{owner.tasks_url}/{soon['id']}", headers=owner.headers).json()
    assert shown["reminded_at"] is not None


def test_another_users_reminders_and_completions_stay_theirs(client, owner, intruder):
    now = datetime.now(UTC)
    task = create(client, owner, title="Secret", remind_at=(now - timedelta(minutes=1)).isoformat())
    client.patch(f"{owner.tasks_url}/{task['id']}/complete", headers=owner.headers, json={})
    create(client, owner, title="Secret 2", remind_at=(now - timedelta(minutes=1)).isoformat())

    assert client.post(f"/api/{intruder.id}/reminders/claim", headers=intruder.headers).json() == []
    assert client.get(f"/api/{intruder.id}/completions", headers=intruder.headers).json() == []
    for method, path in (("POST", "reminders/claim"), ("GET", "completions")):
        r = client.request(method, f"/api/{owner.id}/{path}", headers=intruder.headers)
        assert r.status_code == 403, r.text
    assert [
        r["title"]
        for r in client.post(f"/api/{owner.id}/reminders/claim", headers=owner.headers).json()
    ] == ["Secret 2"]
