"""Bulk changes are proposed, then made only when the next message says yes."""

from __future__ import annotations

from tests.support.agent import TodoStore, run


async def _propose(store: TodoStore, message: str):
    first = await run(store, message)
    assert [name for name, _ in store.calls] == ["list_tasks"]
    return first


async def test_yes_deletes_what_was_proposed(store: TodoStore) -> None:
    store.seed("Old thing", completed=True)
    store.seed("Open thing")
    first = await _propose(store, "delete everything that's done")
    assert "Old thing" in str(first.final_output) and "Open thing" not in str(first.final_output)
    store.calls.clear()
    await run(store, first.to_input_list() + [{"role": "user", "content": "go ahead"}])
    # The tasks are looked up again before anything is deleted (they may have changed).
    assert [name for name, _ in store.calls] == ["list_tasks", "delete_task"]
    assert store.calls[-1] == ("delete_task", {"task_id": 1})


async def test_yes_leaves_tasks_that_changed_since_the_proposal_and_says_so(
    store: TodoStore,
) -> None:
    store.seed("Old thing", completed=True)
    store.seed("Reopened thing", completed=True)
    store.seed("Gone thing", completed=True)
    first = await _propose(store, "delete everything that's done")
    store.tasks[2]["completed"] = False
    del store.tasks[3]
    store.calls.clear()
    second = await run(store, first.to_input_list() + [{"role": "user", "content": "yes"}])
    assert [call for call in store.calls if call[0] == "delete_task"] == [
        ("delete_task", {"task_id": 1})
    ]
    reply = str(second.final_output)
    assert "Reopened thing" in reply and "changed since I listed it" in reply
    assert "Gone thing" in reply and "already gone" in reply


async def test_delete_them_after_a_proposal_confirms_it(store: TodoStore) -> None:
    store.seed("Old thing", completed=True)
    store.seed("Older thing", completed=True)
    first = await _propose(store, "clear my completed tasks")
    store.calls.clear()
    await run(store, first.to_input_list() + [{"role": "user", "content": "yes delete them all"}])
    deleted = sorted(args["task_id"] for name, args in store.calls if name == "delete_task")
    assert deleted == [1, 2]


async def test_anything_else_cancels(store: TodoStore) -> None:
    store.seed("Old thing", completed=True)
    first = await _propose(store, "clear my completed tasks")
    store.calls.clear()
    second = await run(store, first.to_input_list() + [{"role": "user", "content": "no"}])
    assert store.calls == []
    assert "left your tasks" in str(second.final_output)


async def test_compound_request_makes_each_call_in_order(store: TodoStore) -> None:
    store.seed("Report")
    store.seed("Gym")
    await run(store, "finish task 1 and push task 2 to monday")
    assert [name for name, _ in store.calls] == ["complete_task", "update_task"]
