"""What SQLStore remembers within one request (one RequestContext), and that it never serves
anything the database would not: several items in one transaction, the re-read of a thread's
newest items, and ChatKit's second save of an item the request already committed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from chatkit.types import (
    CustomTask,
    HiddenContextItem,
    InferenceOptions,
    TaskItem,
    UserMessageItem,
    UserMessageTextContent,
)
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from chatapp.chat.store import RequestContext, SQLStore
from chatapp.db import get_engine

T0 = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def _message(item_id: str, text: str = "hi") -> UserMessageItem:
    return UserMessageItem(
        id=item_id,
        thread_id="thr_a",
        created_at=T0,
        content=[UserMessageTextContent(text=text)],
        inference_options=InferenceOptions(),
    )


def _pair(n: int) -> list:
    chip = TaskItem(
        id=f"tsk_{n}",
        thread_id="thr_a",
        created_at=T0,
        task=CustomTask(title="Added a task", content="…", status_indicator="complete"),
    )
    record = HiddenContextItem(
        id=f"msg_rec_{n}", thread_id="thr_a", created_at=T0, content={"kind": "tool_call"}
    )
    return [chip, record]


@contextmanager
def statements() -> Iterator[list[str]]:
    """Every SQL statement the engine runs inside the block."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append(statement.lstrip().split(None, 1)[0].upper())

    engine = get_engine()
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
async def thread(store: SQLStore, ann: RequestContext) -> str:
    from chatkit.types import ThreadMetadata

    await store.save_thread(ThreadMetadata(id="thr_a", created_at=T0), ann)
    return "thr_a"


def fresh(ctx: RequestContext) -> RequestContext:
    """A new request by the same user: nothing remembered."""
    return RequestContext(user_id=ctx.user_id)


async def ids(store: SQLStore, ctx: RequestContext, thread: str) -> list[str]:
    page = await store.load_thread_items(thread, None, 100, "asc", fresh(ctx))
    return [item.id for item in page.data]


async def test_items_added_together_are_stored_together(store, ann, thread) -> None:
    await store.add_thread_items(thread, _pair(1), ann)
    assert await ids(store, ann, thread) == ["tsk_1", "msg_rec_1"]


async def test_when_the_second_item_fails_the_first_is_not_stored(store, ann, thread) -> None:
    writes = 0

    def die_on_the_second_insert(conn, cursor, statement, parameters, context, executemany):
        nonlocal writes
        if statement.lstrip().upper().startswith("INSERT"):
            writes += 1
            if writes == 2:
                raise OperationalError(statement, parameters, Exception("disk gone"))

    engine = get_engine()
    event.listen(engine, "before_cursor_execute", die_on_the_second_insert)
    try:
        with pytest.raises(OperationalError):
            await store.add_thread_items(thread, _pair(1), ann)
    finally:
        event.remove(engine, "before_cursor_execute", die_on_the_second_insert)

    assert await ids(store, ann, thread) == []
    assert ann.saved_items == {}  # nothing is remembered as saved, so ChatKit's save retries


async def test_an_unstorable_id_stores_none_of_the_items(store, ann, thread) -> None:
    chip, record = _pair(1)
    record.id = "x" * 300
    with pytest.raises(ValueError):
        await store.add_thread_items(thread, [chip, record], ann)
    assert await ids(store, ann, thread) == []


async def test_an_item_saved_again_unchanged_costs_no_statement(store, ann, thread) -> None:
    pair = _pair(1)
    await store.add_thread_items(thread, pair, ann)
    with statements() as seen:
        for item in pair:
            await store.add_thread_item(thread, item, ann)
    assert seen == []


async def test_an_item_changed_after_it_was_saved_is_saved_again(store, ann, thread) -> None:
    chip, record = _pair(1)
    await store.add_thread_items(thread, [chip, record], ann)
    chip.task.status_indicator = "loading"  # the caller changed the very object it saved
    await store.add_thread_item(thread, chip, ann)

    stored = await store.load_item(thread, chip.id, fresh(ann))
    assert stored.task.status_indicator == "loading"


async def test_another_request_does_not_skip_its_own_save(store, ann, thread) -> None:
    chip, record = _pair(1)
    await store.add_thread_items(thread, [chip, record], ann)
    await store.delete_thread_item(thread, chip.id, fresh(ann))

    await store.add_thread_item(thread, chip, fresh(ann))
    assert await ids(store, ann, thread) == ["msg_rec_1", "tsk_1"]


async def test_the_newest_items_are_read_once_per_request(store, ann, thread) -> None:
    for n in range(5):
        await store.add_thread_item(thread, _message(f"msg_{n}"), fresh(ann))
    request = fresh(ann)
    window = await store.load_thread_items(thread, None, 4, "desc", request)

    with statements() as seen:
        last_two = await store.load_thread_items(thread, None, 2, "desc", request)
    assert seen == []
    assert [i.id for i in last_two.data] == ["msg_4", "msg_3"]
    assert last_two.has_more and last_two.after == "msg_3"
    assert [i.id for i in window.data] == ["msg_4", "msg_3", "msg_2", "msg_1"]


async def test_the_remembered_page_is_exactly_what_the_database_answers(store, ann, thread) -> None:
    for n in range(3):
        await store.add_thread_item(thread, _message(f"msg_{n}"), fresh(ann))
    request = fresh(ann)
    await store.load_thread_items(thread, None, 40, "desc", request)
    for limit in (1, 2, 3, 5, 40):
        remembered = await store.load_thread_items(thread, None, limit, "desc", request)
        direct = await store.load_thread_items(thread, None, limit, "desc", fresh(ann))
        assert remembered == direct, limit


async def test_a_smaller_read_does_not_answer_a_larger_one(store, ann, thread) -> None:
    for n in range(5):
        await store.add_thread_item(thread, _message(f"msg_{n}"), fresh(ann))
    request = fresh(ann)
    await store.load_thread_items(thread, None, 2, "desc", request)

    page = await store.load_thread_items(thread, None, 4, "desc", request)
    assert [i.id for i in page.data] == ["msg_4", "msg_3", "msg_2", "msg_1"]


async def test_a_write_in_the_request_is_seen_by_its_next_read(store, ann, thread) -> None:
    request = fresh(ann)
    await store.add_thread_item(thread, _message("msg_0"), request)
    await store.load_thread_items(thread, None, 10, "desc", request)

    await store.add_thread_item(thread, _message("msg_1"), request)
    after_add = await store.load_thread_items(thread, None, 10, "desc", request)
    assert [i.id for i in after_add.data] == ["msg_1", "msg_0"]

    await store.delete_thread_item(thread, "msg_1", request)
    after_delete = await store.load_thread_items(thread, None, 10, "desc", request)
    assert [i.id for i in after_delete.data] == ["msg_0"]


async def test_changing_a_returned_item_does_not_change_the_memory(store, ann, thread) -> None:
    await store.add_thread_item(thread, _message("msg_0", "original"), fresh(ann))
    request = fresh(ann)
    await store.load_thread_items(thread, None, 10, "desc", request)

    first = await store.load_thread_items(thread, None, 1, "desc", request)
    first.data[0].content[0].text = "changed by a caller"
    again = await store.load_thread_items(thread, None, 1, "desc", request)
    assert again.data[0].content[0].text == "original"


async def test_another_users_request_never_sees_the_memory(store, ann, ben, thread) -> None:
    from chatkit.store import NotFoundError

    await store.add_thread_item(thread, _message("msg_0"), fresh(ann))
    await store.load_thread_items(thread, None, 10, "desc", ann)
    with pytest.raises(NotFoundError):
        await store.load_thread_items(thread, None, 10, "desc", ben)


async def test_a_user_message_brings_back_the_history_the_next_read_takes(ann, thread) -> None:
    store = SQLStore(history_window=3)
    for n in range(4):
        await store.add_thread_item(thread, _message(f"msg_{n}"), fresh(ann))
    request = fresh(ann)
    await store.add_thread_item(thread, _message("msg_new"), request)

    with statements() as seen:
        history = await store.load_thread_items(thread, None, 3, "desc", request)
    assert seen == []
    assert history == await store.load_thread_items(thread, None, 3, "desc", fresh(ann))
    assert [i.id for i in history.data] == ["msg_new", "msg_3", "msg_2"]
    assert history.has_more


async def test_items_other_than_a_user_message_bring_nothing_back(ann, thread) -> None:
    store = SQLStore(history_window=3)
    with statements() as seen:
        await store.add_thread_items(thread, _pair(1), ann)
    assert "SELECT" not in seen
    with statements() as seen:
        await store.load_thread_items(thread, None, 3, "desc", ann)
    assert seen == ["SELECT"]


async def test_a_door_that_streams_the_stored_message_first_reads_no_history_with_it(
    ann, thread
) -> None:
    """/chatkit's first event is the stored user message: its commit is not followed by the
    history read in the same trip (the read comes when the model needs it)."""
    store = SQLStore(history_window=3)
    request = fresh(ann)
    request.read_back_history = False
    with statements() as seen:
        await store.add_thread_item(thread, _message("msg_new"), request)
    assert "SELECT" not in seen
    with statements() as seen:
        history = await store.load_thread_items(thread, None, 3, "desc", request)
    assert "SELECT" in seen and [i.id for i in history.data] == ["msg_new"]


async def _title(store: SQLStore, ctx: RequestContext, thread_id: str) -> str | None:
    return (await store.load_thread(thread_id, fresh(ctx))).title


async def test_a_thread_change_goes_with_the_next_item_write(store, ann, thread) -> None:
    request = fresh(ann)
    metadata = await store.load_thread(thread, request)
    metadata.title = "Groceries"
    store.save_thread_with_next_item(metadata, request)
    assert await _title(store, ann, thread) is None

    await store.add_thread_items(thread, _pair(1), request)
    assert await _title(store, ann, thread) == "Groceries"
    with statements() as seen:
        await store.save_thread(metadata, request)  # ChatKit's own save, unchanged
    assert seen == []


async def test_a_thread_saved_before_any_item_write_is_saved_at_once(store, ann, thread) -> None:
    request = fresh(ann)
    metadata = await store.load_thread(thread, request)
    metadata.title = "Groceries"
    store.save_thread_with_next_item(metadata, request)
    await store.save_thread(metadata, request)
    assert await _title(store, ann, thread) == "Groceries"

    metadata.title = "Changed later"
    await store.add_thread_items(thread, _pair(1), request)  # carries nothing now
    assert await _title(store, ann, thread) == "Groceries"
    await store.save_thread(metadata, request)
    assert await _title(store, ann, thread) == "Changed later"


async def test_a_thread_changed_after_its_item_write_is_saved_again(store, ann, thread) -> None:
    request = fresh(ann)
    metadata = await store.load_thread(thread, request)
    metadata.title = "Groceries"
    store.save_thread_with_next_item(metadata, request)
    await store.add_thread_items(thread, _pair(1), request)

    metadata.title = "Renamed"
    await store.save_thread(metadata, request)
    assert await _title(store, ann, thread) == "Renamed"
