"""Bulk changes are proposed, then made only when the next message says yes."""

from __future__ import annotations

from agent_support import TodoStore, run


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
    assert store.calls == [("delete_task", {"task_id": 1})]


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
