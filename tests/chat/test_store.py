"""chatapp.chat.store.SQLStore on a real database: round trips, paging, upserts, deletes, and one
user never reaching another's threads, items or attachments."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import get_args

import pytest
from chatkit.server import ChatKitServer, NonStreamingResult, StreamingResult
from chatkit.store import NotFoundError
from chatkit.types import (
    ActiveStatus,
    Annotation,
    AssistantMessageContent,
    AssistantMessageItem,
    ClientToolCallItem,
    CustomSummary,
    CustomTask,
    EndOfTurnItem,
    FileAttachment,
    GeneratedImage,
    GeneratedImageItem,
    HiddenContextItem,
    ImageAttachment,
    InferenceOptions,
    LockedStatus,
    SDKHiddenContextItem,
    StructuredInputFreeform,
    StructuredInputItem,
    StructuredInputMultipleChoice,
    StructuredInputMultipleChoiceOption,
    TaskItem,
    ThoughtTask,
    ThreadItem,
    ThreadItemDoneEvent,
    ThreadMetadata,
    ToolChoice,
    URLSource,
    UserMessageItem,
    UserMessageTagContent,
    UserMessageTextContent,
    WidgetItem,
    Workflow,
    WorkflowItem,
)
from chatkit.widgets import Card, Col, Text
from sqlalchemy import text
from sqlmodel import select

from chatapp.chat.store import MAX_ID_LENGTH, RequestContext, SQLStore
from chatapp.db import get_engine, session_scope
from chatapp.db.models import ChatItem, ChatThread

T0 = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def _thread(thread_id: str = "thr_a", created_at: datetime = T0, **fields) -> ThreadMetadata:
    return ThreadMetadata(id=thread_id, created_at=created_at, **fields)


def _message(item_id: str, thread_id: str = "thr_a", at: datetime = T0, text: str = "hi"):
    return UserMessageItem(
        id=item_id,
        thread_id=thread_id,
        created_at=at,
        content=[UserMessageTextContent(text=text)],
        inference_options=InferenceOptions(),
    )


async def _new_thread(store: SQLStore, ctx: RequestContext, thread_id: str = "thr_a", **fields):
    thread = _thread(thread_id, **fields)
    await store.save_thread(thread, ctx)
    return thread


async def _ids(store, ctx, thread_id="thr_a", order="asc") -> list[str]:
    page = await store.load_thread_items(thread_id, None, 1000, order, ctx)
    return [item.id for item in page.data]


# One of every ThreadItem variant, filled in beyond the defaults so a lossy round trip shows.
ITEM_FACTORIES: dict[str, Callable[[str, datetime], ThreadItem]] = {
    "user_message": lambda tid, at: UserMessageItem(
        id="msg_user",
        thread_id=tid,
        created_at=at,
        content=[
            UserMessageTextContent(text="add milk — due friday 🥛"),
            UserMessageTagContent(id="tag1", text="@groceries", data={"list": 3}, group="lists"),
        ],
        attachments=[
            FileAttachment(
                id="atc_1",
                name="list.txt",
                mime_type="text/plain",
                thread_id=tid,
                metadata={"bytes": 12},
            )
        ],
        quoted_text="earlier reply",
        inference_options=InferenceOptions(tool_choice=ToolChoice(id="add_task"), model="m"),
    ),
    "assistant_message": lambda tid, at: AssistantMessageItem(
        id="msg_assistant",
        thread_id=tid,
        created_at=at,
        content=[
            AssistantMessageContent(
                text="Added “milk”.",
                annotations=[
                    Annotation(source=URLSource(title="docs", url="https://example.com"), index=3)
                ],
            )
        ],
    ),
    "client_tool_call": lambda tid, at: ClientToolCallItem(
        id="tc_1",
        thread_id=tid,
        created_at=at,
        status="completed",
        call_id="call_1",
        name="get_timezone",
        arguments={"fallback": "UTC", "nested": {"n": [1, 2]}},
        output={"timezone": "Europe/Paris"},
    ),
    "widget": lambda tid, at: WidgetItem(
        id="wdg_1",
        thread_id=tid,
        created_at=at,
        copy_text="milk",
        widget=Card(children=[Col(children=[Text(value="milk", weight="medium")])]),
    ),
    "generated_image": lambda tid, at: GeneratedImageItem(
        id="img_1",
        thread_id=tid,
        created_at=at,
        image=GeneratedImage(id="gi_1", url="https://example.com/i.png"),
    ),
    "structured_input": lambda tid, at: StructuredInputItem(
        id="si_1",
        thread_id=tid,
        created_at=at,
        inputs=[
            StructuredInputMultipleChoice(
                id="q1",
                question="Which list?",
                options=[StructuredInputMultipleChoiceOption(value="home")],
                multiple=True,
            ),
            StructuredInputFreeform(id="q2", question="Notes?", description="optional"),
        ],
    ),
    "workflow": lambda tid, at: WorkflowItem(
        id="wf_1",
        thread_id=tid,
        created_at=at,
        workflow=Workflow(
            type="custom",
            tasks=[CustomTask(title="Looking up tasks", status_indicator="complete")],
            summary=CustomSummary(title="Checked 3 tasks"),
            expanded=True,
        ),
    ),
    "task": lambda tid, at: TaskItem(
        id="tsk_1", thread_id=tid, created_at=at, task=ThoughtTask(content="thinking")
    ),
    "hidden_context_item": lambda tid, at: HiddenContextItem(
        id="hc_1", thread_id=tid, created_at=at, content={"tz": "UTC", "n": 1}
    ),
    "sdk_hidden_context": lambda tid, at: SDKHiddenContextItem(
        id="shcx_1", thread_id=tid, created_at=at, content="The user cancelled the stream."
    ),
    "end_of_turn": lambda tid, at: EndOfTurnItem(id="eot_1", thread_id=tid, created_at=at),
}


def test_every_thread_item_variant_has_a_factory():
    variants = {model.model_fields["type"].default for model in get_args(get_args(ThreadItem)[0])}
    built = {make("t", T0).type for make in ITEM_FACTORIES.values()}
    assert built == variants


async def test_generated_ids_keep_the_library_prefixes_and_do_not_repeat(store, ann):
    thread = _thread()
    thread_ids = {store.generate_thread_id(ann) for _ in range(200)}
    message_ids = {store.generate_item_id("message", thread, ann) for _ in range(200)}

    assert len(thread_ids) == len(message_ids) == 200
    assert all(i.startswith("thr_") and len(i) <= MAX_ID_LENGTH for i in thread_ids)
    assert all(i.startswith("msg_") for i in message_ids)
    assert store.generate_item_id("tool_call", thread, ann).startswith("tc_")
    assert store.generate_item_id("workflow", thread, ann).startswith("wf_")


async def test_thread_round_trips_title_status_metadata_and_created_at(store, ann):
    naive_local = datetime(2026, 3, 1, 9, 30, 15, 123456)  # what ChatKit's datetime.now() gives
    thread = _thread(
        created_at=naive_local,
        title="Groceries",
        status=LockedStatus(reason="archived"),
        allowed_image_domains=["example.com"],
        metadata={"previous_response_id": "resp_1", "nested": {"n": [1, 2]}},
    )
    await store.save_thread(thread, ann)

    loaded = await store.load_thread("thr_a", ann)
    assert isinstance(loaded.metadata.pop("conversation_id"), int)  # the number, added on load
    assert loaded == thread
    with session_scope() as session:
        row = session.get(ChatThread, "thr_a")
        assert (row.title, row.user_id) == ("Groceries", ann.user_id)


async def test_saving_a_thread_again_updates_it_in_place(store, ann):
    thread = await _new_thread(store, ann, title=None)
    await store.add_thread_item("thr_a", _message("msg_1"), ann)

    thread.title = "Renamed"
    thread.status = ActiveStatus()
    thread.metadata["k"] = "v"
    await store.save_thread(thread, ann)

    loaded = await store.load_thread("thr_a", ann)
    thread.metadata["conversation_id"] = ann.conversation_numbers["thr_a"]
    assert loaded == thread
    assert await _ids(store, ann) == ["msg_1"]
    page = await store.load_threads(10, None, "desc", ann)
    assert [t.title for t in page.data] == ["Renamed"]


async def test_title_with_nul_is_kept_exactly_in_the_thread(store, ann):
    thread = await _new_thread(store, ann, title="a\x00b")
    await store.add_thread_item("thr_a", _message("msg_1", text="x\x00y"), ann)

    assert (await store.load_thread("thr_a", ann)).title == "a\x00b"
    assert (await store.load_item("thr_a", "msg_1", ann)).content[0].text == "x\x00y"
    assert thread.title == "a\x00b"


@pytest.mark.parametrize("kind", list(ITEM_FACTORIES))
async def test_each_item_type_round_trips_through_add_and_load(store, ann, kind):
    await _new_thread(store, ann)
    item = ITEM_FACTORIES[kind]("thr_a", T0)

    await store.add_thread_item("thr_a", item, ann)

    assert await store.load_item("thr_a", item.id, ann) == item
    assert (await store.load_thread_items("thr_a", None, 10, "asc", ann)).data == [item]
    with session_scope() as session:
        row = session.exec(select(ChatItem).where(ChatItem.id == item.id)).one()
        assert (row.type, row.user_id, row.thread_id) == (kind, ann.user_id, "thr_a")


async def test_all_item_types_together_keep_the_order_they_were_added(store, ann):
    await _new_thread(store, ann)
    # created_at deliberately runs backwards: the stored order is the order of arrival.
    items = [
        make("thr_a", T0 - timedelta(seconds=n)) for n, make in enumerate(ITEM_FACTORIES.values())
    ]
    for item in items:
        await store.add_thread_item("thr_a", item, ann)

    assert (await store.load_thread_items("thr_a", None, 100, "asc", ann)).data == items
    assert (await store.load_thread_items("thr_a", None, 100, "desc", ann)).data == items[::-1]


async def _walk(store, ctx, order: str, limit: int) -> list[tuple[list[str], bool, str | None]]:
    pages, after = [], None
    while True:
        page = await store.load_thread_items("thr_a", after, limit, order, ctx)
        pages.append(([i.id for i in page.data], page.has_more, page.after))
        if not page.has_more:
            return pages
        after = page.after


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (
            "asc",
            [
                (["m0", "m1", "m2"], True, "m2"),
                (["m3", "m4", "m5"], True, "m5"),
                (["m6"], False, None),
            ],
        ),
        (
            "desc",
            [
                (["m6", "m5", "m4"], True, "m4"),
                (["m3", "m2", "m1"], True, "m1"),
                (["m0"], False, None),
            ],
        ),
    ],
)
async def test_items_page_in_both_orders_when_created_at_ties(store, ann, order, expected):
    await _new_thread(store, ann)
    for n in range(7):
        await store.add_thread_item("thr_a", _message(f"m{n}", at=T0), ann)

    assert await _walk(store, ann, order, 3) == expected


async def test_a_page_that_exactly_fills_the_limit_has_no_more(store, ann):
    await _new_thread(store, ann)
    for n in range(4):
        await store.add_thread_item("thr_a", _message(f"m{n}"), ann)

    assert await _walk(store, ann, "asc", 2) == [
        (["m0", "m1"], True, "m1"),
        (["m2", "m3"], False, None),
    ]
    assert await _walk(store, ann, "desc", 4) == [(["m3", "m2", "m1", "m0"], False, None)]
    empty = await store.load_thread_items("thr_a", "m3", 5, "asc", ann)
    assert (empty.data, empty.has_more, empty.after) == ([], False, None)


async def test_paging_stays_stable_when_items_are_added_between_pages(store, ann):
    await _new_thread(store, ann)
    for n in range(3):
        await store.add_thread_item("thr_a", _message(f"m{n}"), ann)

    first = await store.load_thread_items("thr_a", None, 2, "desc", ann)
    await store.add_thread_item("thr_a", _message("m3"), ann)
    second = await store.load_thread_items("thr_a", first.after, 2, "desc", ann)

    assert [i.id for i in first.data] == ["m2", "m1"]
    assert ([i.id for i in second.data], second.has_more) == (["m0"], False)


async def test_after_must_name_an_item_of_this_thread(store, ann):
    await _new_thread(store, ann)
    await _new_thread(store, ann, "thr_b")
    await store.add_thread_item("thr_a", _message("m0"), ann)
    await store.add_thread_item("thr_b", _message("other", "thr_b"), ann)

    for after in ["missing", "other"]:
        with pytest.raises(NotFoundError):
            await store.load_thread_items("thr_a", after, 10, "asc", ann)


async def test_unknown_order_is_refused(store, ann):
    await _new_thread(store, ann)
    with pytest.raises(ValueError, match="order"):
        await store.load_thread_items("thr_a", None, 10, "newest", ann)
    with pytest.raises(ValueError, match="order"):
        await store.load_threads(10, None, "sideways", ann)


async def test_save_item_updates_the_stored_item_and_keeps_its_place(store, ann):
    await _new_thread(store, ann)
    call = ITEM_FACTORIES["client_tool_call"]("thr_a", T0)
    call.status, call.output = "pending", None
    await store.add_thread_item("thr_a", call, ann)
    await store.add_thread_item("thr_a", _message("msg_after"), ann)

    call.status, call.output = "completed", {"ok": True}
    await store.save_item("thr_a", call, ann)

    assert await store.load_item("thr_a", "tc_1", ann) == call
    assert await _ids(store, ann) == ["tc_1", "msg_after"]


async def test_save_item_inserts_an_item_it_has_not_seen(store, ann):
    await _new_thread(store, ann)
    await store.save_item("thr_a", _message("msg_new"), ann)

    assert await _ids(store, ann) == ["msg_new"]


async def test_adding_an_item_again_updates_it_in_place(store, ann):
    # ChatKit re-adds a workflow it saved open at the end of a turn once the workflow ends.
    await _new_thread(store, ann)
    workflow = ITEM_FACTORIES["workflow"]("thr_a", T0)
    workflow.workflow.expanded = False
    await store.add_thread_item("thr_a", workflow, ann)
    await store.add_thread_item("thr_a", _message("msg_after"), ann)

    workflow.workflow.tasks.append(CustomTask(title="Done"))
    workflow.workflow.expanded = True
    await store.add_thread_item("thr_a", workflow, ann)

    assert await _ids(store, ann) == ["wf_1", "msg_after"]
    assert await store.load_item("thr_a", "wf_1", ann) == workflow


async def test_the_same_item_id_in_two_threads_is_two_items(store, ann, ben):
    # Chat Completions models give every assistant message the id "__fake_id__".
    await _new_thread(store, ann)
    await _new_thread(store, ann, "thr_b")
    await _new_thread(store, ben, "thr_c")
    for ctx, thread_id in [(ann, "thr_a"), (ann, "thr_b"), (ben, "thr_c")]:
        await store.add_thread_item(
            thread_id, _message("__fake_id__", thread_id, text=thread_id), ctx
        )

    for ctx, thread_id in [(ann, "thr_a"), (ann, "thr_b"), (ben, "thr_c")]:
        item = await store.load_item(thread_id, "__fake_id__", ctx)
        assert (item.thread_id, item.content[0].text) == (thread_id, thread_id)


async def test_delete_thread_item_removes_only_that_item(store, ann):
    await _new_thread(store, ann)
    for n in range(3):
        await store.add_thread_item("thr_a", _message(f"m{n}"), ann)

    await store.delete_thread_item("thr_a", "m1", ann)

    assert await _ids(store, ann) == ["m0", "m2"]
    with pytest.raises(NotFoundError):
        await store.load_item("thr_a", "m1", ann)


async def test_deleting_an_item_that_was_never_stored_is_a_no_op(store, ann):
    # A tripped guardrail makes ChatKit remove every id it produced, saved or not.
    await _new_thread(store, ann)
    await store.add_thread_item("thr_a", _message("m0"), ann)

    await store.delete_thread_item("thr_a", "msg_never_saved", ann)
    await store.delete_thread_item("thr_a", "x" * 1000, ann)

    assert await _ids(store, ann) == ["m0"]


async def test_delete_thread_removes_the_thread_and_its_items(store, ann):
    await _new_thread(store, ann)
    await _new_thread(store, ann, "thr_b")
    await store.add_thread_item("thr_a", _message("m0"), ann)
    await store.add_thread_item("thr_b", _message("m0", "thr_b"), ann)

    await store.delete_thread("thr_a", ann)

    with pytest.raises(NotFoundError):
        await store.load_thread("thr_a", ann)
    with pytest.raises(NotFoundError):
        await store.load_thread_items("thr_a", None, 10, "asc", ann)
    assert await _ids(store, ann, "thr_b") == ["m0"]
    with session_scope() as session:
        assert session.exec(select(ChatItem.thread_id)).all() == ["thr_b"]


async def test_the_database_cascades_a_thread_delete_to_its_items_and_number(store, ann):
    await _new_thread(store, ann)
    await store.add_thread_item("thr_a", _message("m0"), ann)

    with get_engine().begin() as conn:
        conn.execute(text("DELETE FROM chat_threads WHERE id = 'thr_a'"))
        assert conn.execute(text("SELECT count(*) FROM chat_items")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM chat_conversations")).scalar_one() == 0


async def test_deleting_a_user_deletes_their_chats(store, ann, ben):
    await _new_thread(store, ann)
    await store.add_thread_item("thr_a", _message("m0"), ann)
    await store.save_attachment(_file("atc_ann"), ann)
    await _new_thread(store, ben, "thr_b")

    with get_engine().begin() as conn:
        conn.execute(text("DELETE FROM users WHERE id = :id"), {"id": ann.user_id})
        counts = [
            conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("chat_threads", "chat_items", "chat_attachments", "chat_conversations")
        ]
    assert counts == [1, 0, 0, 1]


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (
            "asc",
            [(["t0", "t1a"], True, "t1a"), (["t1b", "t1c"], True, "t1c"), (["t2"], False, None)],
        ),
        (
            "desc",
            [(["t2", "t1c"], True, "t1c"), (["t1b", "t1a"], True, "t1a"), (["t0"], False, None)],
        ),
    ],
)
async def test_threads_page_by_creation_time_in_both_orders(store, ann, ben, order, expected):
    for thread_id, minutes in [("t1b", 1), ("t2", 2), ("t0", 0), ("t1c", 1), ("t1a", 1)]:
        await _new_thread(store, ann, thread_id, created_at=T0 + timedelta(minutes=minutes))
    await _new_thread(store, ben, "t_ben", created_at=T0 + timedelta(minutes=1))
    # Activity does not reorder the list: ChatKit's history is by creation time.
    await store.add_thread_item("t0", _message("m", "t0"), ann)

    pages, after = [], None
    while True:
        page = await store.load_threads(2, after, order, ann)
        pages.append(([t.id for t in page.data], page.has_more, page.after))
        if not page.has_more:
            break
        after = page.after
    assert pages == expected


@pytest.fixture
def local_time_is_india(monkeypatch):
    """A local zone far from UTC (POSIX spelling, so no tz database is needed)."""
    monkeypatch.setenv("TZ", "IST-5:30")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


async def test_naive_created_at_is_local_time_when_threads_are_ordered(
    store, ann, local_time_is_india
):
    naive_local = datetime(2026, 3, 1, 12, 0)  # 06:30 UTC; ChatKit stamps threads this way
    in_utc = datetime(2026, 3, 1, 6, 30, tzinfo=UTC)
    await _new_thread(store, ann, "t_naive", created_at=naive_local)
    await _new_thread(store, ann, "t_before", created_at=in_utc - timedelta(seconds=1))
    await _new_thread(store, ann, "t_after", created_at=in_utc + timedelta(seconds=1))

    page = await store.load_threads(10, None, "asc", ann)

    assert [t.id for t in page.data] == ["t_before", "t_naive", "t_after"]
    assert (await store.load_thread("t_naive", ann)).created_at == naive_local


async def test_item_writes_mark_the_thread_as_updated(store, ann):
    await _new_thread(store, ann)
    long_ago = datetime(2000, 1, 1, tzinfo=UTC)

    def updated_at() -> datetime:
        with session_scope() as session:
            return session.get(ChatThread, "thr_a").updated_at.replace(tzinfo=UTC)

    for write in [
        store.add_thread_item("thr_a", _message("m0"), ann),
        store.save_item("thr_a", _message("m0", text="edited"), ann),
        store.delete_thread_item("thr_a", "m0", ann),
    ]:
        with get_engine().begin() as conn:
            conn.execute(text("UPDATE chat_threads SET updated_at = :t"), {"t": long_ago})
        await write
        assert updated_at() > long_ago


def _file(attachment_id: str = "atc_1") -> FileAttachment:
    return FileAttachment(
        id=attachment_id, name="notes.txt", mime_type="text/plain", metadata={"k": "v"}
    )


async def test_attachments_round_trip_update_and_delete(store, ann):
    image = ImageAttachment(
        id="atc_img",
        name="cat.png",
        mime_type="image/png",
        preview_url="https://example.com/cat.png",
        thread_id="thr_a",
    )
    await store.save_attachment(_file(), ann)
    await store.save_attachment(image, ann)

    assert await store.load_attachment("atc_1", ann) == _file()
    assert await store.load_attachment("atc_img", ann) == image

    renamed = _file().model_copy(update={"name": "renamed.txt", "thread_id": "thr_a"})
    await store.save_attachment(renamed, ann)
    assert await store.load_attachment("atc_1", ann) == renamed

    await store.delete_attachment("atc_1", ann)
    with pytest.raises(NotFoundError):
        await store.load_attachment("atc_1", ann)
    assert await store.load_attachment("atc_img", ann) == image


# Every Store method, called by ben with the ids of ann's thread "thr_a", item "m1" and
# attachment "atc_1" (or, with missing=True, with ids nobody has).
FOREIGN_CALLS = {
    "load_thread": lambda s, ctx, t, i, a: s.load_thread(t, ctx),
    "save_thread": lambda s, ctx, t, i, a: s.save_thread(_thread(t, title="ben's now"), ctx),
    "delete_thread": lambda s, ctx, t, i, a: s.delete_thread(t, ctx),
    "load_threads(after)": lambda s, ctx, t, i, a: s.load_threads(10, t, "desc", ctx),
    "load_thread_items": lambda s, ctx, t, i, a: s.load_thread_items(t, None, 10, "asc", ctx),
    "load_thread_items(after)": lambda s, ctx, t, i, a: s.load_thread_items(t, i, 10, "asc", ctx),
    "add_thread_item": lambda s, ctx, t, i, a: s.add_thread_item(t, _message("m_ben", t), ctx),
    "add_thread_item(existing id)": lambda s, ctx, t, i, a: s.add_thread_item(
        t, _message(i, t, text="ben's now"), ctx
    ),
    "save_item": lambda s, ctx, t, i, a: s.save_item(t, _message(i, t, text="ben's now"), ctx),
    "load_item": lambda s, ctx, t, i, a: s.load_item(t, i, ctx),
    "delete_thread_item": lambda s, ctx, t, i, a: s.delete_thread_item(t, i, ctx),
    "save_attachment": lambda s, ctx, t, i, a: s.save_attachment(
        _file(a).model_copy(update={"name": "ben's now"}), ctx
    ),
    "load_attachment": lambda s, ctx, t, i, a: s.load_attachment(a, ctx),
    "delete_attachment": lambda s, ctx, t, i, a: s.delete_attachment(a, ctx),
}


# Saving under an id nobody has creates the row; only someone else's id must be refused.
CREATES = {"save_thread", "save_attachment"}


def _masked(error: Exception, *ids: str) -> str:
    message = str(error)
    for identifier in ids:
        message = message.replace(identifier, "<id>")
    return message


async def _anns_chat(store: SQLStore, ann: RequestContext) -> tuple:
    return (
        await store.load_thread("thr_a", ann),
        await store.load_thread_items("thr_a", None, 100, "asc", ann),
        await store.load_threads(100, None, "asc", ann),
        await store.load_attachment("atc_1", ann),
    )


@pytest.mark.parametrize("call", list(FOREIGN_CALLS))
async def test_another_users_ids_are_not_found_and_nothing_changes(store, ann, ben, call):
    await _new_thread(store, ann, title="ann's")
    for n in range(3):
        await store.add_thread_item("thr_a", _message(f"m{n}"), ann)
    await store.save_attachment(_file(), ann)
    await _new_thread(store, ben, "thr_ben")
    before = await _anns_chat(store, ann)
    with session_scope() as session:
        stamp = session.get(ChatThread, "thr_a").updated_at

    with pytest.raises(NotFoundError) as foreign:
        await FOREIGN_CALLS[call](store, ben, "thr_a", "m1", "atc_1")
    if call not in CREATES:
        with pytest.raises(NotFoundError) as missing:
            await FOREIGN_CALLS[call](store, ben, "thr_zz", "m_zz", "atc_zz")
        assert _masked(missing.value, "thr_zz", "atc_zz") == _masked(
            foreign.value, "thr_a", "atc_1"
        )
    assert await _anns_chat(store, ann) == before
    with session_scope() as session:
        assert session.get(ChatThread, "thr_a").updated_at == stamp
    assert [t.id for t in (await store.load_threads(10, None, "asc", ben)).data] == ["thr_ben"]


async def test_ben_cannot_reach_anns_item_through_his_own_thread(store, ann, ben):
    await _new_thread(store, ann)
    await store.add_thread_item("thr_a", _message("m1", text="ann's"), ann)
    await _new_thread(store, ben, "thr_ben")

    with pytest.raises(NotFoundError):
        await store.load_item("thr_ben", "m1", ben)
    with pytest.raises(NotFoundError):
        await store.load_thread_items("thr_ben", "m1", 10, "asc", ben)
    await store.delete_thread_item("thr_ben", "m1", ben)

    assert (await store.load_item("thr_a", "m1", ann)).content[0].text == "ann's"


@pytest.mark.parametrize("bad_id", ["a\x00b", "x" * (MAX_ID_LENGTH + 1), ""])
async def test_ids_no_row_can_have_are_not_found(store, ann, bad_id):
    await _new_thread(store, ann)
    await store.add_thread_item("thr_a", _message("m0"), ann)

    for call in [
        store.load_thread(bad_id, ann),
        store.load_thread_items(bad_id, None, 10, "asc", ann),
        store.load_item("thr_a", bad_id, ann),
        store.load_item(bad_id, "m0", ann),
        store.add_thread_item(bad_id, _message("m1", bad_id), ann),
        store.delete_thread(bad_id, ann),
        store.load_attachment(bad_id, ann),
    ]:
        with pytest.raises(NotFoundError):
            await call
    with pytest.raises(ValueError):
        await store.save_thread(_thread(bad_id), ann)
    with pytest.raises(ValueError):
        await store.add_thread_item("thr_a", _message(bad_id), ann)
    assert await _ids(store, ann) == ["m0"]


class _EchoServer(ChatKitServer[RequestContext]):
    """The smallest real ChatKit server: answers every user message with one echo."""

    async def respond(self, thread, input_user_message, context):
        said = input_user_message.content[0].text if input_user_message else "(retry)"
        yield ThreadItemDoneEvent(
            item=AssistantMessageItem(
                id=self.store.generate_item_id("message", thread, context),
                thread_id=thread.id,
                created_at=datetime.now(),
                content=[AssistantMessageContent(text=f"echo: {said}")],
            )
        )
        if thread.title is None:
            thread.title = said


async def _process(server: _EchoServer, ctx: RequestContext, request: dict):
    result = await server.process(json.dumps(request), ctx)
    if isinstance(result, StreamingResult):
        return [chunk async for chunk in result]
    assert isinstance(result, NonStreamingResult)
    return json.loads(result.json)


def _user_input(text_: str) -> dict:
    return {
        "content": [{"type": "input_text", "text": text_}],
        "attachments": [],
        "inference_options": {},
    }


async def test_chatkit_server_creates_lists_retries_and_deletes_through_the_store(store, ann, ben):
    server = _EchoServer(store)

    await _process(
        server, ann, {"type": "threads.create", "params": {"input": _user_input("milk")}}
    )
    [thread] = (await _process(server, ann, {"type": "threads.list", "params": {}}))["data"]
    thread_id = thread["id"]
    await _process(
        server,
        ann,
        {
            "type": "threads.add_user_message",
            "params": {"thread_id": thread_id, "input": _user_input("eggs")},
        },
    )
    items = await _process(server, ann, {"type": "items.list", "params": {"thread_id": thread_id}})

    assert thread["title"] == "milk"
    assert [(i["type"], i["content"][0]["text"]) for i in items["data"]] == [
        ("assistant_message", "echo: eggs"),
        ("user_message", "eggs"),
        ("assistant_message", "echo: milk"),
        ("user_message", "milk"),
    ]

    retried_from = items["data"][1]["id"]
    await _process(
        server,
        ann,
        {
            "type": "threads.retry_after_item",
            "params": {"thread_id": thread_id, "item_id": retried_from},
        },
    )
    after_retry = (await store.load_thread_items(thread_id, None, 10, "desc", ann)).data
    assert [i.id for i in after_retry][1:] == [i["id"] for i in items["data"]][1:]
    assert after_retry[0].id != items["data"][0]["id"]
    assert after_retry[0].content[0].text == "echo: eggs"

    with pytest.raises(NotFoundError):
        await _process(server, ben, {"type": "items.list", "params": {"thread_id": thread_id}})
    with pytest.raises(NotFoundError):
        await _process(server, ben, {"type": "threads.delete", "params": {"thread_id": thread_id}})
    assert (await _process(server, ben, {"type": "threads.list", "params": {}}))["data"] == []

    await _process(server, ann, {"type": "threads.delete", "params": {"thread_id": thread_id}})
    assert (await _process(server, ann, {"type": "threads.list", "params": {}}))["data"] == []


def test_a_chip_title_says_how_a_task_repeats_and_that_a_reminder_is_set():
    from chatapp.chat.history import schedule_facts

    added = {
        "task_id": 3,
        "status": "created",
        "title": "Pay rent",
        "recurrence_text": "every month on the 1st at 09:00",
        "remind_at": "2026-12-01T07:30:00+00:00",
        "reminded_at": None,
    }
    assert schedule_facts(json.dumps(added)) == [
        "repeats every month on the 1st at 09:00",
        "reminder set",
    ]
    assert schedule_facts(json.dumps({**added, "status": "deleted"})) == []
    assert schedule_facts("Task 7 not found") == []
    assert schedule_facts(json.dumps([{"title": "a list"}])) == []
