"""SQLStore's conversation numbers: given with the thread in one transaction, carried by loaded
threads, resolved per user, and never reused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from chatkit.store import NotFoundError
from chatkit.types import ThreadMetadata
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import select

from chatapp.chat.store import CONVERSATION_KEY, Conversation, RequestContext, SQLStore
from chatapp.db import get_engine, session_scope
from chatapp.db.models import ChatConversation, ChatThread

T0 = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


async def _thread(store: SQLStore, ctx: RequestContext, thread_id: str, minutes: int = 0) -> int:
    thread = ThreadMetadata(id=thread_id, created_at=T0 + timedelta(minutes=minutes))
    await store.save_thread(thread, ctx)
    return ctx.conversation_numbers[thread_id]


async def test_each_new_thread_gets_the_next_number_whoever_owns_it(store, ann, ben):
    first = await _thread(store, ann, "thr_a")
    second = await _thread(store, ben, "thr_b")

    assert 1 <= first < second
    with session_scope() as session:
        rows = session.exec(select(ChatConversation).order_by(ChatConversation.id)).all()
    assert [(r.id, r.thread_id, r.user_id) for r in rows] == [
        (first, "thr_a", ann.user_id),
        (second, "thr_b", ben.user_id),
    ]


async def test_saving_a_thread_again_keeps_its_number(store, ann):
    number = await _thread(store, ann, "thr_a")
    loaded = await store.load_thread("thr_a", ann)
    loaded.title = "Renamed"

    await store.save_thread(loaded, RequestContext(user_id=ann.user_id))

    again = await store.load_thread("thr_a", ann)
    assert (again.title, again.metadata) == ("Renamed", {CONVERSATION_KEY: number})
    with session_scope() as session:
        assert session.exec(select(ChatConversation.id)).all() == [number]


async def test_loaded_threads_carry_the_number_but_the_payload_does_not(store, ann):
    a = await _thread(store, ann, "thr_a", minutes=0)
    b = await _thread(store, ann, "thr_b", minutes=1)

    page = await store.load_threads(10, None, "asc", ann)

    assert [(t.id, t.metadata) for t in page.data] == [
        ("thr_a", {CONVERSATION_KEY: a}),
        ("thr_b", {CONVERSATION_KEY: b}),
    ]
    assert (await store.load_thread("thr_b", ann)).metadata == {CONVERSATION_KEY: b}
    # Its one home is chat_conversations: a stale copy in the payload could never disagree.
    loaded = await store.load_thread("thr_a", ann)
    loaded.metadata[CONVERSATION_KEY] = 999
    await store.save_thread(loaded, ann)
    with session_scope() as session:
        payloads = session.exec(select(ChatThread.payload)).all()
    assert all(CONVERSATION_KEY not in p.get("metadata", {}) for p in payloads)
    assert (await store.load_thread("thr_a", ann)).metadata == {CONVERSATION_KEY: a}


async def test_a_conversation_resolves_by_number_and_by_thread_id(store, ann):
    number = await _thread(store, ann, "thr_a")

    assert await store.load_conversation(number, ann) == Conversation(number, "thr_a")
    assert await store.load_conversation("thr_a", ann) == Conversation(number, "thr_a")


@pytest.mark.parametrize("kind", ["number", "thread id"])
async def test_another_users_conversation_is_not_found(store, ann, ben, kind):
    number = await _thread(store, ann, "thr_a")

    with pytest.raises(NotFoundError) as raised:
        await store.load_conversation(number if kind == "number" else "thr_a", ben)
    assert str(raised.value) == f"Conversation {number if kind == 'number' else 'thr_a'} not found"


@pytest.mark.parametrize("conversation", [0, -1, 2**31, 2**63, 10**30, "", "x" * 256, "a\x00b"])
async def test_a_name_no_row_can_have_is_not_found(store, ann, conversation):
    await _thread(store, ann, "thr_a")
    with pytest.raises(NotFoundError):
        await store.load_conversation(conversation, ann)


async def test_a_deleted_conversations_number_is_never_given_again(store, ann):
    old = await _thread(store, ann, "thr_a")

    await store.delete_thread("thr_a", ann)
    new = await _thread(store, ann, "thr_b")

    assert new > old
    with pytest.raises(NotFoundError):
        await store.load_conversation(old, ann)
    with session_scope() as session:
        assert session.exec(select(ChatConversation.thread_id)).all() == ["thr_b"]


async def test_a_thread_and_its_number_are_stored_together_or_not_at_all(store, ann):
    def number_insert_fails(conn, cursor, statement: str, *_) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO CHAT_CONVERSATIONS"):
            raise OperationalError(statement, None, Exception("simulated failure"))

    event.listen(get_engine(), "before_cursor_execute", number_insert_fails)
    try:
        with pytest.raises(DBAPIError):
            await _thread(store, ann, "thr_a")
    finally:
        event.remove(get_engine(), "before_cursor_execute", number_insert_fails)

    with session_scope() as session:
        assert session.exec(select(ChatThread.id)).all() == []
    assert ann.conversation_numbers == {}
    with pytest.raises(NotFoundError):
        await store.load_thread("thr_a", ann)
