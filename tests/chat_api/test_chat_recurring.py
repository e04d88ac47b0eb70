"""Issue 11 through the chat: repeat and reminder phrases reach the real task tools, a repeating
task marked done says where it moved, "what did I finish today?" counts it (it is open again,
so only the completions log knows), and "stop repeating" says so. Through POST
/api/{user_id}/chat with the real offline model, on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.support.chat import Chat, due


def _row(chat: Chat, title: str) -> dict:
    return next(row for row in chat.tasks() if row["title"] == title)


def test_a_monthly_rent_task_is_added_with_its_rule_and_a_reminder(me: Chat) -> None:
    body = me.say("hey, I need to pay rent every 1st of the month at 9am")
    me.say("remind me 30 minutes before", conversation_id=body["conversation_id"])

    rent = _row(me, "Pay rent")
    assert rent["recurrence"] == "FREQ=MONTHLY;BYMONTHDAY=1"
    assert rent["recurrence_text"] == "every month on the 1st at 09:00"
    assert rent["time_zone"] == "Europe/Paris"
    assert due(rent).day == 1 and due(rent).hour == 9
    assert rent["remind_at"] is not None


def test_done_moves_a_repeating_task_on_and_counts_as_finished_today(me: Chat) -> None:
    first = me.say("water the plants every day at 7pm")
    before = due(_row(me, "Water the plants"))

    done = me.say("mark the plants done", conversation_id=first["conversation_id"])

    plants = _row(me, "Water the plants")
    assert plants["completed"] is False and due(plants) > before
    assert "next one is due" in done["response"]
    finished = me.say("what did I finish today?", conversation_id=first["conversation_id"])
    assert "Water the plants" in finished["response"]
    assert "haven't finished" not in finished["response"]


def test_stop_repeating_clears_the_rule_and_says_so(me: Chat) -> None:
    first = me.say("standup every weekday at 9:30")

    body = me.say("stop repeating the standup", conversation_id=first["conversation_id"])

    standup = _row(me, "Standup")
    assert standup["recurrence"] is None and standup["completed"] is False
    assert "no longer repeating" in body["response"]
    assert "as done" not in body["response"]
