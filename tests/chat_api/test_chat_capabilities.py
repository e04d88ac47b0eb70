"""Issue 12's capabilities end to end: compound requests, lists that share details, questions,
bulk changes confirmed in the next message (also after a restart), typos and casual text, and
tool failures as data. Each runs through POST /api/{user_id}/chat with the real offline model
on SQLite and on PostgreSQL; effects are read back with GET /api/{user_id}/tasks."""

from __future__ import annotations

from datetime import date, timedelta

from tests.support.chat import Chat, at, due, local_now


def _titles(chat: Chat) -> dict[str, dict]:
    return {row["title"]: row for row in chat.tasks()}


def _next(weekday: int) -> date:
    today = local_now().date()
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


# ---- compound requests


def test_finish_one_task_and_push_another_in_one_message(me: Chat) -> None:
    ids = me.seed({"report": {"title": "Write report"}, "gym": {"title": "Gym"}})

    body = me.say(f"finish task {ids['report']} and push task {ids['gym']} to monday")

    rows = _titles(me)
    assert rows["Write report"]["completed"] is True
    assert due(rows["Gym"]).date() == _next(0)
    assert [call["name"] for call in body["tool_calls"]] == ["complete_task", "update_task"]


def test_moving_a_task_to_another_day_keeps_its_time_of_day(me: Chat) -> None:
    me.seed({"dentist": {"title": "Dentist", "due_at": at(1, 16, 30)}})

    me.say("move the dentist to friday")

    moved = due(_titles(me)["Dentist"])
    assert moved is not None
    assert (moved.date(), moved.hour, moved.minute) == (_next(4), 16, 30)


def test_set_priority_and_move_it_refers_to_the_same_task(me: Chat) -> None:
    me.seed({"report": {"title": "Quarterly report"}, "gym": {"title": "Gym"}})

    me.say("set the report to high priority and move it to friday")

    rows = _titles(me)
    assert rows["Quarterly report"]["priority"] == "high"
    assert due(rows["Quarterly report"]).date() == _next(4)
    assert rows["Gym"]["priority"] is None and rows["Gym"]["due_at"] is None


def test_add_two_things_then_show_the_list(me: Chat) -> None:
    me.seed({"gym": {"title": "Gym"}})

    body = me.say("add milk and eggs, then show my list")

    assert sorted(_titles(me)) == ["Eggs", "Gym", "Milk"]
    assert all(word in body["response"] for word in ("Milk", "Eggs", "Gym"))


# ---- lists with shared details


def test_two_errands_of_one_verb_share_the_date(me: Chat) -> None:
    me.say("pick up dry cleaning and groceries tomorrow")

    rows = _titles(me)
    assert sorted(rows) == ["Pick up dry cleaning", "Pick up groceries"]
    tomorrow = local_now().date() + timedelta(days=1)
    assert {due(row).date() for row in rows.values()} == {tomorrow}


def test_things_put_on_a_named_list_are_tagged_with_it(me: Chat) -> None:
    me.say("put apples, rice and coffee on the shopping list")

    rows = _titles(me)
    assert sorted(rows) == ["Apples", "Coffee", "Rice"]
    assert all(row["tags"] == ["shopping"] for row in rows.values())


# ---- questions


def test_when_is_a_task_due(me: Chat) -> None:
    me.seed({"haircut": {"title": "Book a haircut", "due_at": at(2, 11)}})

    body = me.say("when's my haircut?")

    assert "Book a haircut" in body["response"] and "11:00" in body["response"]
    assert [call["name"] for call in body["tool_calls"]] == ["list_tasks"]


def test_did_i_already_do_it_answers_yes_or_no(me: Chat) -> None:
    me.seed(
        {
            "bill": {"title": "Pay the electricity bill", "completed": True},
            "gas": {"title": "Pay the gas bill"},
        }
    )

    assert me.say("did I already pay the electricity bill?")["response"].startswith("Yes")
    assert "not yet" in me.say("did I pay the gas bill?")["response"]


def test_most_urgent_says_why(me: Chat) -> None:
    me.seed(
        {
            "late": {"title": "Renew insurance", "due_at": at(-1, 9)},
            "later": {"title": "Plan the trip", "due_at": at(5, 9)},
        }
    )

    body = me.say("what's most urgent right now?")

    assert "Renew insurance" in body["response"] and "overdue" in body["response"]


def test_how_much_is_still_open_counts_the_pending_tasks(me: Chat) -> None:
    me.seed(
        {"a": {"title": "One"}, "b": {"title": "Two"}, "c": {"title": "Three", "completed": True}}
    )

    assert "2 pending tasks" in me.say("how much is still open?")["response"]


# ---- bulk changes: a proposal, then the next message decides


def test_delete_everything_done_waits_for_yes(me: Chat) -> None:
    me.seed({"old": {"title": "Old thing", "completed": True}, "open": {"title": "Open thing"}})

    proposal = me.say("delete everything that's done")
    assert "Old thing" in proposal["response"] and sorted(_titles(me)) == [
        "Old thing",
        "Open thing",
    ]

    me.say("yes", proposal["conversation_id"])

    assert sorted(_titles(me)) == ["Open thing"]


def test_anything_but_yes_cancels_the_bulk_change(me: Chat) -> None:
    me.seed({"old": {"title": "Old thing", "completed": True}})

    proposal = me.say("clear my completed tasks")
    reply = me.say("actually no", proposal["conversation_id"])

    assert sorted(_titles(me)) == ["Old thing"]
    assert "left your tasks" in reply["response"]


def test_go_ahead_after_a_restart_still_confirms_the_proposal(me: Chat) -> None:
    from fastapi.testclient import TestClient

    from chatapp.api import build_api
    from chatapp.chat import get_chat_server

    me.seed(
        {
            "milk": {"title": "Buy milk", "tags": ["shopping"]},
            "bread": {"title": "Buy bread", "tags": ["shopping"]},
            "gym": {"title": "Gym"},
        }
    )
    proposal = me.say("mark all shopping tasks done")

    get_chat_server.cache_clear()  # a fresh chat server: only the database remembers
    with TestClient(build_api()) as restarted:
        Chat(restarted, me.user).say("go ahead", proposal["conversation_id"])

    done = {title: row["completed"] for title, row in _titles(me).items()}
    assert done == {"Buy milk": True, "Buy bread": True, "Gym": False}


def test_yes_leaves_a_task_that_changed_since_the_proposal(me: Chat) -> None:
    ids = me.seed(
        {
            "old": {"title": "Old thing", "completed": True},
            "back": {"title": "Reopened thing", "completed": True},
        }
    )
    proposal = me.say("delete everything that's done")
    reopened = me.client.patch(
        f"{me.user.tasks_url}/{ids['back']}/complete",
        json={"completed": False},
        headers=me.user.headers,
    )
    assert reopened.status_code == 200, reopened.text

    reply = me.say("yes", proposal["conversation_id"])

    assert sorted(_titles(me)) == ["Reopened thing"]
    assert "Reopened thing" in reply["response"] and "changed" in reply["response"]


# ---- typos and casual text


def test_misspelt_verb_and_title_still_find_the_task(me: Chat) -> None:
    me.seed({"standup": {"title": "Weekly standup"}, "gym": {"title": "Gym"}})

    me.say("pls delte the standpu task thx")

    assert sorted(_titles(me)) == ["Gym"]


def test_capitals_and_shorthand_are_read_as_usual(me: Chat) -> None:
    me.say("ADD CALL THE BANK TMRW")

    (row,) = me.tasks()
    assert row["title"] == "Call the bank"
    assert due(row).date() == local_now().date() + timedelta(days=1)


def test_a_statement_of_fact_completes_the_task(me: Chat) -> None:
    me.seed({"bill": {"title": "Pay the water bill"}, "gym": {"title": "Gym"}})

    me.say("also, paid the water bill ✅")

    assert {title: row["completed"] for title, row in _titles(me).items()} == {
        "Pay the water bill": True,
        "Gym": False,
    }


# ---- failures cross as data


def test_a_missing_task_fails_with_a_code_the_reply_explains(me: Chat) -> None:
    body = me.say("delete task 987654321")

    (call,) = body["tool_calls"]
    assert call["output"] == {"error": {"code": "not_found", "message": "Task 987654321 not found"}}
    assert "not found" in body["response"]
