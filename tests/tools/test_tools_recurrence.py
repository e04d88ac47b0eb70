"""Issue 11 through the MCP task tools, in-process (the app's agent) and over HTTP (/mcp):
add_task/update_task take recurrence, time_zone and remind_at; complete_task moves a repeating
task on; list_tasks and list_completions report what was finished. Old calls keep working."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chatapp.tools import InProcessTaskMCP
from tests.support.tools import error_text, mcp_client, payload, seed, stored, stored_ids

MONDAY = "2031-06-02T09:00:00+02:00"


async def test_add_task_with_a_rule_zone_and_reminder_reports_them(ann):
    body = payload(
        await InProcessTaskMCP(ann.id).call_tool(
            "add_task",
            {
                "title": "Team sync",
                "due_at": MONDAY,
                "recurrence": "FREQ=WEEKLY;BYDAY=MO",
                "time_zone": "Europe/Paris",
                "remind_at": "2031-06-02T08:45:00+02:00",
            },
        )
    )

    assert body["status"] == "created"
    assert body["recurrence"] == "FREQ=WEEKLY;BYDAY=MO"
    assert body["recurrence_text"] == "every Monday at 09:00"
    assert body["time_zone"] == "Europe/Paris"
    assert body["due_at"] == "2031-06-02T07:00:00+00:00"
    assert body["remind_at"] == "2031-06-02T06:45:00+00:00"
    assert (body["reminded_at"], body["completed_at"]) == (None, None)


async def test_a_new_rule_takes_the_chat_users_zone_when_the_model_names_none(ann):
    new_york = InProcessTaskMCP(ann.id, timezone="America/New_York")

    added = payload(
        await new_york.call_tool(
            "add_task",
            {"title": "Gym", "due_at": "2031-06-02T18:00:00-04:00", "recurrence": "FREQ=DAILY"},
        )
    )
    plain = payload(await InProcessTaskMCP(ann.id).call_tool("add_task", {"title": "Plain"}))

    assert added["time_zone"] == "America/New_York"
    assert added["recurrence_text"] == "every day at 18:00"
    assert plain["time_zone"] == "UTC"
    explicit = payload(
        await new_york.call_tool(
            "add_task",
            {
                "title": "Call Tokyo",
                "due_at": "2031-06-02T09:00:00+09:00",
                "recurrence": "FREQ=WEEKLY",
                "time_zone": "Asia/Tokyo",
            },
        )
    )
    assert explicit["time_zone"] == "Asia/Tokyo"


async def test_update_task_tells_a_missing_recurrence_from_null(ann):
    tools = InProcessTaskMCP(ann.id)
    task_id = payload(
        await tools.call_tool(
            "add_task",
            {
                "title": "Weekly",
                "due_at": MONDAY,
                "recurrence": "FREQ=WEEKLY",
                "remind_at": "2031-06-02T08:00:00+02:00",
            },
        )
    )["task_id"]

    renamed = payload(await tools.call_tool("update_task", {"task_id": task_id, "title": "W"}))
    assert renamed["recurrence"] == "FREQ=WEEKLY" and renamed["remind_at"] is not None

    stopped = payload(
        await tools.call_tool("update_task", {"task_id": task_id, "recurrence": None})
    )
    assert (stopped["recurrence"], stopped["recurrence_text"]) == (None, None)
    assert stopped["remind_at"] is not None

    again = payload(
        await tools.call_tool("update_task", {"task_id": task_id, "recurrence": "FREQ=DAILY"})
    )
    assert again["recurrence"] == "FREQ=DAILY"
    blank = payload(await tools.call_tool("update_task", {"task_id": task_id, "recurrence": ""}))
    assert blank["recurrence"] is None

    no_reminder = payload(
        await tools.call_tool("update_task", {"task_id": task_id, "remind_at": None})
    )
    assert no_reminder["remind_at"] is None and stored(task_id).remind_at is None


async def test_update_task_with_a_new_rule_keeps_the_users_clock(ann):
    task_id = seed(ann, "Stand-up", due_at=datetime(2031, 6, 2, 7, tzinfo=UTC))

    body = payload(
        await InProcessTaskMCP(ann.id, timezone="Europe/Paris").call_tool(
            "update_task", {"task_id": task_id, "recurrence": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"}
        )
    )

    assert body["time_zone"] == "Europe/Paris"
    assert body["recurrence_text"] == "every weekday at 09:00"


async def test_complete_task_on_a_repeating_task_keeps_it_open_at_the_next_one(ann):
    tools = InProcessTaskMCP(ann.id)
    task_id = payload(
        await tools.call_tool(
            "add_task",
            {"title": "Weekly", "due_at": MONDAY, "recurrence": "FREQ=WEEKLY;COUNT=2"},
        )
    )["task_id"]

    first = payload(await tools.call_tool("complete_task", {"task_id": task_id}))
    last = payload(await tools.call_tool("complete_task", {"task_id": task_id}))

    assert (first["task_id"], first["status"], first["completed"]) == (task_id, "completed", False)
    assert first["due_at"] == "2031-06-09T07:00:00+00:00"
    assert (last["status"], last["completed"]) == ("completed", True)
    assert last["completed_at"] is not None


async def test_list_tasks_and_list_completions_count_repeating_completions(ann):
    tools = InProcessTaskMCP(ann.id)
    weekly = payload(
        await tools.call_tool(
            "add_task", {"title": "Weekly", "due_at": MONDAY, "recurrence": "FREQ=WEEKLY"}
        )
    )["task_id"]
    plain = seed(ann, "Plain")
    seed(ann, "Untouched")
    since = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()
    await tools.call_tool("complete_task", {"task_id": weekly})
    await tools.call_tool("complete_task", {"task_id": plain})

    done = payload(await tools.call_tool("list_completions", {"since": since}))
    listed = payload(await tools.call_tool("list_tasks", {"completed_since": since}))
    everything = payload(await tools.call_tool("list_completions", {}))

    assert [(row["task_id"], row["title"]) for row in done] == [
        (plain, "Plain"),
        (weekly, "Weekly"),
    ]
    assert set(done[0]) == {"task_id", "title", "completed_at", "due_at"}
    assert done[1]["due_at"] == "2031-06-02T07:00:00+00:00"
    assert [row["id"] for row in listed] == [weekly, plain]
    assert listed[0]["completed"] is False and listed[1]["completed_at"] is not None
    assert listed[0]["recurrence_text"] == "every week on Monday at 07:00"
    assert everything == done
    later = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    assert payload(await tools.call_tool("list_completions", {"since": later})) == []


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        ({"title": "x", "recurrence": "FREQ=MINUTELY", "due_at": MONDAY}, "too often"),
        ({"title": "x", "recurrence": "every day", "due_at": MONDAY}, "not an RFC 5545"),
        ({"title": "x", "recurrence": "FREQ=DAILY"}, "needs a due date"),
        ({"title": "x", "time_zone": "Moon/Base", "due_at": MONDAY}, "unknown time zone"),
        ({"title": "x", "remind_at": "whenever"}, "remind_at"),
        (
            {"title": "x", "recurrence": "FREQ=DAILY;UNTIL=20200102", "due_at": "2020-01-01"},
            "no occurrence still to come",
        ),
    ],
)
async def test_bad_rules_zones_and_reminders_are_readable_tool_errors(ann, arguments, says):
    text = error_text(await InProcessTaskMCP(ann.id).call_tool("add_task", arguments))

    assert says in text and "Value error" not in text
    assert stored_ids(ann) == []


async def test_removing_the_due_date_of_a_repeating_task_is_refused(ann):
    tools = InProcessTaskMCP(ann.id)
    task_id = payload(
        await tools.call_tool(
            "add_task", {"title": "Weekly", "due_at": MONDAY, "recurrence": "FREQ=WEEKLY"}
        )
    )["task_id"]

    text = error_text(await tools.call_tool("update_task", {"task_id": task_id, "due_at": ""}))

    assert text.startswith("recurrence: a repeating task needs a due date")
    assert stored(task_id).due_at is not None


async def test_old_calls_work_unchanged(ann):
    tools = InProcessTaskMCP(ann.id)
    added = payload(await tools.call_tool("add_task", {"title": "Milk", "due_at": "2031-01-01"}))
    task_id = added["task_id"]

    updated = payload(await tools.call_tool("update_task", {"task_id": task_id, "title": "Oat"}))
    done = payload(await tools.call_tool("complete_task", {"task_id": task_id}))

    assert (updated["title"], updated["due_at"]) == ("Oat", "2031-01-01T00:00:00+00:00")
    assert (done["status"], done["completed"]) == ("completed", True)


# --- over HTTP ------------------------------------------------------------------------------


async def test_over_http_the_new_arguments_work_and_null_stops_repeating(live_api, ann):
    async with mcp_client(live_api, ann.token) as client:
        added = payload(
            await client.call_tool(
                "add_task",
                {
                    "title": "Pay rent",
                    "due_at": "2031-07-01T09:00:00+02:00",
                    "recurrence": "FREQ=MONTHLY;BYMONTHDAY=1",
                    "time_zone": "Europe/Paris",
                    "remind_at": "2031-07-01T08:00:00+02:00",
                },
            )
        )
        task_id = added["task_id"]
        moved = payload(await client.call_tool("complete_task", {"task_id": task_id}))
        listed = payload(await client.call_tool("list_tasks", {}))
        done = payload(await client.call_tool("list_completions", {}))
        stopped = payload(
            await client.call_tool("update_task", {"task_id": task_id, "recurrence": None})
        )
        refused = await client.call_tool(
            "add_task", {"title": "x", "recurrence": "FREQ=SECONDLY", "due_at": MONDAY}
        )

    assert added["recurrence_text"] == "every month on the 1st at 09:00"
    assert moved["due_at"] == "2031-08-01T07:00:00+00:00" and moved["completed"] is False
    assert moved["remind_at"] == "2031-08-01T06:00:00+00:00"
    assert listed[0]["recurrence"] == "FREQ=MONTHLY;BYMONTHDAY=1"
    assert {"recurrence_text", "reminded_at", "completed_at", "time_zone"} <= set(listed[0])
    assert [(row["task_id"], row["due_at"]) for row in done] == [
        (task_id, "2031-07-01T07:00:00+00:00")
    ]
    assert stopped["recurrence"] is None
    assert "too often" in error_text(refused)


@pytest.mark.parametrize(
    ("header", "zone", "words"),
    [
        ("America/New_York", "America/New_York", "every day at 18:00"),
        ("Mars/Olympus", "UTC", "every day at 22:00"),  # unknown: ignored, not an error
    ],
)
async def test_over_http_the_timezone_header_is_the_users_zone(live_api, ann, header, zone, words):
    import httpx2

    headers = {**ann.headers, "X-Chatapp-Timezone": header}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=15) as http,
        mcp_client(live_api, http=http) as client,
    ):
        added = payload(
            await client.call_tool(
                "add_task",
                {"title": "Gym", "due_at": "2031-06-02T18:00:00-04:00", "recurrence": "FREQ=DAILY"},
            )
        )

    assert (added["time_zone"], added["recurrence_text"]) == (zone, words)
