"""The native chat's paging of a long thread (ChatKit's items.list, newest first): pages that
reach the thread's start, never split a tool chip from its records, and stay per user."""

from __future__ import annotations

import pytest
from chatkit.store import NotFoundError
from chatkit.types import (
    AssistantMessageContent,
    AssistantMessageItem,
    HiddenContextItem,
    ThreadMetadata,
)

from chatapp.chat import get_chat_server
from chatapp.chat.history import ToolCallRecord, tool_call_items
from chatapp.chat.store import RequestContext
from tests.state.test_chat_state import NOW, ann, ben  # noqa: F401  -- fixtures


async def _thread(ctx: RequestContext, items) -> str:
    store = get_chat_server().store
    thread = ThreadMetadata(id=store.generate_thread_id(ctx), created_at=NOW)
    await store.save_thread(thread, ctx)
    await store.add_thread_items(thread.id, items(thread), ctx)
    return thread.id


def _reply(thread, n: int) -> AssistantMessageItem:
    return AssistantMessageItem(
        id=f"msg_{n:04d}",
        thread_id=thread.id,
        created_at=NOW,
        content=[AssistantMessageContent(text=f"reply {n}", annotations=[])],
    )


async def _all_pages(thread_id: str, ctx, limit: int) -> list[list]:
    pages, before = [], None
    while True:
        items, before = await get_chat_server().thread_window(thread_id, before, limit, ctx)
        pages.append(items)
        if before is None:
            return pages


async def test_pages_walk_back_to_the_start_newest_first_each_oldest_first(ann):  # noqa: F811
    thread_id = await _thread(ann, lambda t: [_reply(t, n) for n in range(1, 121)])

    pages = await _all_pages(thread_id, ann, 50)

    assert [len(page) for page in pages] == [50, 50, 20]
    assert [page[0].id for page in pages] == ["msg_0071", "msg_0021", "msg_0001"]
    assert [item.id for page in reversed(pages) for item in page] == [
        f"msg_{n:04d}" for n in range(1, 121)
    ]


async def test_a_page_never_starts_on_a_tool_record_without_its_chip(ann):  # noqa: F811
    def items(thread):
        record = ToolCallRecord(call_id="call_1", name="add_task", arguments={}, output="{}")
        chip, hidden = tool_call_items(record, thread, lambda kind: f"{kind}_chip", NOW)
        replies = [_reply(thread, n) for n in range(1, 8)]
        return [*replies[:5], chip, hidden, *replies[5:]]

    thread_id = await _thread(ann, items)

    # The newest 3 end on the record: that page reaches back to (a page past) its chip.
    pages = await _all_pages(thread_id, ann, 3)

    assert [[item.id for item in page] for page in pages] == [
        ["msg_0004", "msg_0005", "task_chip", "message_chip", "msg_0006", "msg_0007"],
        ["msg_0001", "msg_0002", "msg_0003"],
    ]
    assert isinstance(pages[0][3], HiddenContextItem)


async def test_another_users_thread_is_not_found(ann, ben):  # noqa: F811
    thread_id = await _thread(ann, lambda t: [_reply(t, 1)])

    with pytest.raises(NotFoundError):
        await get_chat_server().thread_window(thread_id, None, 50, ben)
