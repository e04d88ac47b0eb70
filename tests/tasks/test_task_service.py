"""chatapp.tasks.service called directly: ownership, filters, paging, undo."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chatapp.errors import NotFound
from chatapp.tasks import service
from chatapp.tasks.schemas import TaskCreate, TaskQuery, TaskReplace, TaskUpdate


def _new(user_id: int, title: str = "task", **fields):
    return service.create_task(user_id, TaskCreate(title=title, **fields))


def _titles(user_id: int, **query) -> list[str]:
    tasks, _ = service.list_tasks(user_id, TaskQuery(**query))
    return [t.title for t in tasks]


# Every service function that takes a task id, called by a user who does not own the task.
FOREIGN_CALLS = {
    "get_task": lambda user, tid: service.get_task(user, tid),
    "update_task": lambda user, tid: service.update_task(user, tid, TaskUpdate(title="mine now")),
    "replace_task": lambda user, tid: service.replace_task(user, tid, TaskReplace(title="mine")),
    "set_completed": lambda user, tid: service.set_completed(user, tid, True),
    "set_completed(False)": lambda user, tid: service.set_completed(user, tid, False),
    "delete_task": lambda user, tid: service.delete_task(user, tid),
}


@pytest.mark.parametrize("call", list(FOREIGN_CALLS), ids=list(FOREIGN_CALLS))
def test_every_function_refuses_another_users_task_as_not_found(ann, ben, call):
    task = _new(ann, "ann's", tags=["private"], completed=True)

    with pytest.raises(NotFound) as foreign:
        FOREIGN_CALLS[call](ben, task.id)
    with pytest.raises(NotFound) as missing:
        FOREIGN_CALLS[call](ben, task.id + 1000)

    assert foreign.value.message == f"Task {task.id} not found"
    assert missing.value.message == f"Task {task.id + 1000} not found"
    assert service.get_task(ann, task.id) == task


@pytest.mark.parametrize("call", list(FOREIGN_CALLS), ids=list(FOREIGN_CALLS))
@pytest.mark.parametrize("task_id", [0, -1, 2**31, 2**63])
def test_ids_no_task_can_have_are_not_found(ann, call, task_id):
    with pytest.raises(NotFound, match=f"^Task {task_id} not found$"):
        FOREIGN_CALLS[call](ann, task_id)


def test_list_tasks_returns_only_the_callers_tasks(ann, ben):
    _new(ann, "ann 1")
    _new(ben, "ben 1")
    _new(ann, "ann 2")

    tasks, total = service.list_tasks(ann)

    assert [t.title for t in tasks] == ["ann 1", "ann 2"]
    assert total == 2


def test_list_filters(ann, ben):
    _new(ann, "Pay rent", priority="high", tags=["home"], due_at=datetime(2031, 1, 1, tzinfo=UTC))
    _new(ann, "Write report", description="quarterly RENT numbers", tags=["work"], completed=True)
    _new(ann, "Call mum", priority="low")
    _new(ben, "Pay rent too", priority="high", tags=["home"])

    assert _titles(ann, status="pending") == ["Pay rent", "Call mum"]
    assert _titles(ann, status="completed") == ["Write report"]
    assert _titles(ann, q="rent") == ["Pay rent", "Write report"]
    assert _titles(ann, priority="high") == ["Pay rent"]
    assert _titles(ann, tag="home") == ["Pay rent"]
    assert _titles(ann, due_before=datetime(2031, 6, 1, tzinfo=UTC)) == ["Pay rent"]
    assert _titles(ann, due_after=datetime(2031, 6, 1, tzinfo=UTC)) == []


def test_list_total_counts_every_match_regardless_of_the_page(ann, ben):
    for i in range(6):
        _new(ann, f"match {i}", tags=["x"])
    _new(ann, "other")
    _new(ben, "match but not ann's", tags=["x"])

    page, total = service.list_tasks(ann, TaskQuery(tag="x", limit=4, offset=4))

    assert [t.title for t in page] == ["match 4", "match 5"]
    assert total == 6


def test_list_with_no_query_uses_the_defaults(ann):
    for i in range(3):
        _new(ann, f"t{i}")

    assert service.list_tasks(ann) == service.list_tasks(ann, TaskQuery())


def test_create_sets_timestamps_and_completed_at(ann):
    open_task = _new(ann)
    done_task = _new(ann, completed=True)

    assert open_task.completed_at is None
    assert open_task.created_at == open_task.updated_at
    assert open_task.created_at.tzinfo is not None
    assert done_task.completed_at is not None


def test_update_changes_only_the_fields_set(ann):
    task = _new(ann, "old", description="keep", priority="low", tags=["keep"])

    updated = service.update_task(ann, task.id, TaskUpdate(priority="high"))

    assert updated.priority == "high"
    assert (updated.title, updated.description, updated.tags) == ("old", "keep", ["keep"])
    assert updated.updated_at > task.updated_at
    assert updated.created_at == task.created_at


def test_replace_resets_omitted_content_fields(ann):
    task = _new(ann, "old", description="gone", priority="low", tags=["gone"])

    replaced = service.replace_task(ann, task.id, TaskReplace(title="new"))

    assert (replaced.title, replaced.description, replaced.priority, replaced.tags) == (
        "new",
        None,
        None,
        [],
    )
    assert replaced.updated_at > task.updated_at


def test_set_completed_sets_and_clears_completed_at(ann):
    task = _new(ann)

    done = service.set_completed(ann, task.id)
    reopened = service.set_completed(ann, task.id, False)

    assert done.completed is True and done.completed_at is not None
    assert reopened.completed is False and reopened.completed_at is None


def test_delete_returns_the_task_as_it_was_and_removes_it(ann):
    task = _new(ann, "bye", tags=["t"])

    gone = service.delete_task(ann, task.id)

    assert gone == task
    with pytest.raises(NotFound):
        service.get_task(ann, task.id)


def test_restore_keeps_the_id_and_content_when_the_id_is_free(ann):
    task = _new(ann, "undo me", description="d", priority="medium", tags=["a", "b"])
    task = service.set_completed(ann, task.id)
    snapshot = service.delete_task(ann, task.id)

    restored = service.restore_task(ann, snapshot)

    assert restored.id == task.id
    assert restored.model_dump(exclude={"updated_at"}) == task.model_dump(exclude={"updated_at"})
    assert service.get_task(ann, task.id) == restored


def test_restore_gets_a_new_id_when_the_old_one_is_taken(ann, ben):
    task = _new(ann, "mine")
    snapshot = service.get_task(ann, task.id)  # still present: its id is taken

    restored = service.restore_task(ann, snapshot)

    assert restored.id != task.id
    assert restored.title == "mine"
    assert sorted(t.id for t in service.list_tasks(ann)[0]) == sorted([task.id, restored.id])


def test_restore_never_touches_another_users_task_with_the_same_id(ann, ben):
    bens = _new(ben, "ben's")
    snapshot = service.get_task(ben, bens.id).model_copy(update={"title": "ann's copy"})

    restored = service.restore_task(ann, snapshot)

    assert restored.id != bens.id
    assert service.get_task(ben, bens.id) == bens
    assert service.get_task(ann, restored.id).title == "ann's copy"
