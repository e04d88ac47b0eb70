"""The native chat's core without a browser: how stored items render, and what a turn's request
task does on stop, on a missing thread and on retry — against the real TodoChatServer and store.

Fakes only at the model edge: a slowed-down offline model (so a turn is still running when it is
stopped) and one whose provider connection fails."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import openai
import pytest
from chatkit.types import (
    AssistantMessageContent,
    AssistantMessageItem,
    HiddenContextItem,
    InferenceOptions,
    SDKHiddenContextItem,
    ThreadMetadata,
    UserMessageItem,
    UserMessageTextContent,
)

from chatapp.agent.offline.model import DEFAULT_MODEL_NAME, OfflineModel, OfflineModelProvider
from chatapp.chat import get_chat_server
from chatapp.chat.history import ToolCallRecord, by_chip, tool_call_items
from chatapp.chat.store import RequestContext
from chatapp.chat.turns import (
    END,
    NOT_FOUND_MESSAGE,
    is_text_delta,
    pump_turn,
    retry_request,
    user_message_request,
)
from chatapp.state.chat import ChatState
from chatapp.state.chat_items import to_message, to_messages
from tests.support.auth import insert_user

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def ann(db) -> RequestContext:
    return RequestContext(user_id=insert_user("ann@example.com").id)


@pytest.fixture
def ben(db) -> RequestContext:
    return RequestContext(user_id=insert_user("ben@example.com").id)


class SlowModel(OfflineModel):
    """The offline model, one streamed event every 50 ms: a turn that takes long enough to stop."""

    async def stream_response(self, *args, **kwargs):
        async for event in super().stream_response(*args, **kwargs):
            await asyncio.sleep(0.05)
            yield event


class FailingModel(OfflineModel):
    async def stream_response(self, *args, **kwargs):
        raise openai.APIConnectionError(request=None)  # type: ignore[arg-type]
        yield  # pragma: no cover


def use_model(monkeypatch, model_class) -> None:
    class Provider(OfflineModelProvider):
        def get_model(self, model_name):
            return model_class(model_name or DEFAULT_MODEL_NAME)

    monkeypatch.setattr("chatapp.chat.server.model_provider", lambda: Provider())


async def run(request: bytes, ctx: RequestContext) -> tuple[str, list]:
    queue: asyncio.Queue = asyncio.Queue()
    failure = await pump_turn(request, ctx, queue)
    events = []
    while (event := queue.get_nowait()) is not END:
        events.append(event)
    return failure, events


async def items(thread_id: str, ctx: RequestContext) -> list:
    page = await get_chat_server().store.load_thread_items(thread_id, None, 100, "asc", ctx)
    return page.data


def test_tool_chip_shows_tool_name_arguments_and_result():
    thread = ThreadMetadata(id="thr_1", created_at=NOW)
    record = ToolCallRecord(
        call_id="call_1",
        name="add_task",
        arguments={"title": "Buy milk", "due_at": "2026-11-24T17:00:00+00:00"},
        output=json.dumps({"task_id": 7, "status": "created", "title": "Buy milk"}),
    )
    chip, hidden = tool_call_items(record, thread, lambda kind: f"{kind}_1", NOW)

    [message] = to_messages([chip, hidden])
    assert (message.role, message.tool_name, message.failed) == ("tool", "add_task", False)
    assert message.tool_title == "Added a task (add_task)"
    assert json.loads(message.tool_args) == record.arguments
    assert json.loads(message.tool_result) == {
        "task_id": 7,
        "status": "created",
        "title": "Buy milk",
    }
    assert to_message(hidden) is None
    assert to_message(chip, {chip.id: [record]}) == message


@pytest.mark.parametrize(
    ("arguments", "output", "title"),
    [
        (
            {"task_id": 3},
            {"task_id": 3, "status": "completed", "completed": True, "remind_at": "2026-11-24"},
            "Completed a task (complete_task)",  # a finished task's old reminder is not news
        ),
        (
            {"task_id": 3, "completed": False},
            {"task_id": 3, "status": "reopened", "completed": False},
            "Reopened a task (complete_task)",
        ),
        (
            {"task_id": 4},
            {
                "task_id": 4,
                "status": "completed",
                "completed": False,
                "recurrence_text": "every week on Monday at 09:00",
            },
            "Completed a task (complete_task) · repeats every week on Monday at 09:00",
        ),
    ],
)
def test_a_completion_chip_says_what_happened(arguments, output, title):
    thread = ThreadMetadata(id="thr_1", created_at=NOW)
    record = ToolCallRecord("call_1", "complete_task", arguments, json.dumps(output))
    chip, hidden = tool_call_items(record, thread, lambda kind: f"{kind}_1", NOW)

    [message] = to_messages([chip, hidden])
    assert message.tool_title == title


def test_a_chip_is_read_from_its_record_never_from_its_text():
    thread = ThreadMetadata(id="thr_1", created_at=NOW)
    record = ToolCallRecord("call_1", "add_task", {"title": "**x**"}, '{"task_id": 1}')
    chip, hidden = tool_call_items(record, thread, lambda kind: f"{kind}_1", NOW)
    chip.task.content = "rewritten by hand"

    [message] = to_messages([chip, hidden])
    assert (message.tool_name, json.loads(message.tool_args)) == ("add_task", {"title": "**x**"})


def test_an_old_record_without_its_chip_id_belongs_to_the_chip_before_it():
    thread = ThreadMetadata(id="thr_1", created_at=NOW)
    record = ToolCallRecord("call_1", "list_tasks", {}, "[]")
    chip, hidden = tool_call_items(record, thread, lambda kind: f"{kind}_1", NOW)
    del hidden.content["chip_id"]

    [message] = to_messages([chip, hidden])
    assert (message.tool_name, message.tool_result) == ("list_tasks", "[]")


def test_an_old_chip_with_only_text_stays_readable():
    thread = ThreadMetadata(id="thr_1", created_at=NOW)
    output = json.dumps({"error": {"code": "not_found", "message": "Task 9 not found"}})
    chip, _ = tool_call_items(
        ToolCallRecord("c", "delete_task", {"task_id": 9}, output), thread, lambda k: f"{k}_1", NOW
    )

    [message] = to_messages([chip])
    assert message.tool_title == "Failed: Task 9 not found (delete_task)" and message.failed
    assert "delete_task" in message.tool_result and output in message.tool_result


def test_failed_tool_call_is_marked_failed():
    thread = ThreadMetadata(id="thr_1", created_at=NOW)
    output = json.dumps({"error": {"code": "not_found", "message": "Task 99 not found"}})
    record = ToolCallRecord("call_1", "complete_task", {"task_id": 99}, output)
    [message] = to_messages(tool_call_items(record, thread, lambda kind: f"{kind}_1", NOW))
    assert message.failed
    assert json.loads(message.tool_result) == json.loads(output)
    assert message.tool_title == "Failed: Task 99 not found (complete_task)"


def test_a_tool_answering_in_prose_is_not_guessed_to_have_failed():
    thread = ThreadMetadata(id="thr_1", created_at=NOW)
    record = ToolCallRecord("call_1", "complete_task", {"task_id": 99}, "Error: not found")
    [message] = to_messages(tool_call_items(record, thread, lambda kind: f"{kind}_1", NOW))
    assert not message.failed


def _user_item(text: str) -> UserMessageItem:
    return UserMessageItem(
        id="msg_u",
        thread_id="thr_1",
        created_at=NOW,
        content=[UserMessageTextContent(text=text)],
        inference_options=InferenceOptions(),
    )


def test_messages_render_by_kind_and_hidden_context_is_skipped():
    user = _user_item("line one\nline two")
    reply = AssistantMessageItem(
        id="msg_a",
        thread_id="thr_1",
        created_at=NOW,
        content=[AssistantMessageContent(text="Added **Buy milk**.", annotations=[])],
    )
    failed = AssistantMessageItem(
        id="msg_e",
        thread_id="thr_1",
        created_at=NOW,
        content=[AssistantMessageContent(text="⚠️ The AI model is busy.", annotations=[])],
    )
    hidden = SDKHiddenContextItem(id="h", thread_id="thr_1", created_at=NOW, content="x")
    other = HiddenContextItem(id="h2", thread_id="thr_1", created_at=NOW, content={})

    assert (to_message(user).role, to_message(user).text) == ("user", "line one\nline two")
    assert (to_message(reply).role, to_message(reply).text) == ("assistant", "Added **Buy milk**.")
    assert (to_message(failed).role, to_message(failed).text) == ("error", "The AI model is busy.")
    assert to_message(hidden) is None and to_message(other) is None


async def test_stopping_a_turn_saves_the_partial_reply(ann, monkeypatch):
    _, events = await run(user_message_request("hello", None), ann)
    thread_id = events[0].thread.id
    full = next(
        e for e in events if e.type == "thread.item.done" and e.item.type == "assistant_message"
    )
    full_text = full.item.content[0].text

    use_model(monkeypatch, SlowModel)
    queue: asyncio.Queue = asyncio.Queue()
    task = asyncio.create_task(
        pump_turn(user_message_request("hello again", thread_id), ann, queue)
    )
    shown = ""
    while shown.count(" ") < 3:
        event = await asyncio.wait_for(queue.get(), 10)
        if is_text_delta(event):
            shown += event.update.delta
    task.cancel()
    assert await task == ""
    rest = [queue.get_nowait() for _ in range(queue.qsize())]
    assert rest[-1] is END  # the consumer always learns that the turn is over

    stored = await items(thread_id, ann)
    assert [i.type for i in stored][-3:] == [
        "user_message",
        "assistant_message",
        "sdk_hidden_context",
    ]
    partial = stored[-2].content[0].text
    assert partial.startswith(shown) and len(partial) < len(full_text)


async def test_another_users_thread_is_not_found(ann, ben):
    _, events = await run(user_message_request("add buy milk", None), ann)
    thread_id = events[0].thread.id

    failure, events = await run(user_message_request("delete everything", thread_id), ben)
    assert failure == NOT_FOUND_MESSAGE and events == []
    failure, _ = await run(retry_request(thread_id, "msg_x"), ben)
    assert failure == NOT_FOUND_MESSAGE
    assert len(await items(thread_id, ann)) > 0


async def test_retry_after_a_failed_reply_answers_the_same_message_again(ann, monkeypatch):
    use_model(monkeypatch, FailingModel)
    failure, events = await run(user_message_request("add buy milk", None), ann)
    assert failure == ""
    thread_id = events[0].thread.id
    user_item = next(e.item for e in events if e.type == "thread.item.done")
    shown = to_messages(await items(thread_id, ann))
    assert [m.role for m in shown] == ["user", "error"]

    monkeypatch.undo()
    failure, events = await run(retry_request(thread_id, user_item.id), ann)
    assert failure == ""
    shown = to_messages(await items(thread_id, ann))
    assert [m.role for m in shown] == ["user", "tool", "assistant"]
    assert shown[0].id == user_item.id
    assert "Buy milk" in shown[-1].text


async def test_a_native_chat_thread_gets_a_conversation_number(ann):
    _, events = await run(user_message_request("add buy milk", None), ann)

    created = events[0]
    number = created.thread.metadata["conversation_id"]
    conversation = await get_chat_server().store.load_conversation(number, ann)
    assert conversation.thread_id == created.thread.id
    page = await get_chat_server().store.load_threads(10, None, "desc", ann)
    assert [t.metadata["conversation_id"] for t in page.data] == [number]


def _chat_tab(ui_mode: str) -> ChatState:
    """A fresh tab's ChatState (no browser): the root state's substate, ChatKit chosen."""
    from reflex.state import State

    root = State(_reflex_internal_init=True)
    chat = root.get_substate(ChatState.get_full_name().split(".")[1:])
    chat.ui_mode = chat.renderer = ui_mode
    if ui_mode == "auto":
        chat.renderer = "chatkit"
    return chat


async def test_auto_mode_switches_to_native_when_chatkit_cannot_start_and_stays(caplog):
    chat = _chat_tab("auto")

    await ChatState.chatkit_failed.fn(chat, "domain key rejected", "Domain verification failed")

    assert (chat.renderer, chat.chatkit_failure) == ("native", "domain key rejected")
    assert "ChatKit could not start in a browser (domain key rejected)" in caplog.text
    # The next visit's detection finds the element defined again: this tab keeps the native chat.
    ChatState.set_renderer.fn(chat, "chatkit")
    assert chat.renderer == "native"


async def test_forced_chatkit_mode_keeps_chatkit_when_it_cannot_start():
    chat = _chat_tab("chatkit")

    await ChatState.chatkit_failed.fn(chat, "domain key rejected", "Domain verification failed")

    assert (chat.renderer, chat.chatkit_failure) == ("chatkit", "")


def test_a_failed_call_reads_as_one_in_the_stored_chip_itself():
    from chatapp.chat.history import FAILED_ICON

    thread = ThreadMetadata(id="thr_1", created_at=NOW)
    output = json.dumps({"error": {"code": "invalid_input", "message": "title: too long"}})
    chip, _ = tool_call_items(
        ToolCallRecord("c", "add_task", {"title": "x"}, output), thread, lambda k: f"{k}_1", NOW
    )
    assert chip.task.icon == FAILED_ICON and chip.task.status_indicator == "none"
    assert chip.task.title == "Failed: title: too long (add_task)"


async def test_a_streamed_chip_gets_its_fields_from_the_turns_records(ann):
    _, events = await run(user_message_request("add buy milk", None), ann)

    [chip] = [e.item for e in events if e.type == "thread.item.done" and e.item.type == "task"]
    message = to_message(chip, by_chip(ann.tool_calls))
    assert message is not None and (message.tool_name, message.failed) == ("add_task", False)
    assert json.loads(message.tool_args)["title"].lower() == "buy milk"


def test_a_frame_shows_the_first_words_now_and_holds_what_can_wait():
    """The saved user message (its id only) and a thread's new title wait for the next change
    to the list; the reply's text and the items it finishes are shown at once."""
    from chatkit.types import (
        AssistantMessageContentPartTextDelta,
        Page,
        StreamOptions,
        StreamOptionsEvent,
        Thread,
        ThreadItemDoneEvent,
        ThreadItemUpdatedEvent,
        ThreadUpdatedEvent,
    )

    from chatapp.state.chat_items import split_frame

    user = _user_item("hello")
    reply = AssistantMessageItem(
        id="msg_a", thread_id="thr_1", created_at=NOW, content=[AssistantMessageContent(text="Hi")]
    )
    saved = ThreadItemDoneEvent(item=user)
    thread = Thread(id="thr_1", title="Hello", created_at=NOW, items=Page(data=[], has_more=False))
    titled = ThreadUpdatedEvent(thread=thread)
    words = ThreadItemUpdatedEvent(
        item_id="msg_a", update=AssistantMessageContentPartTextDelta(content_index=0, delta="Hi")
    )
    done = ThreadItemDoneEvent(item=reply)
    options = StreamOptionsEvent(stream_options=StreamOptions(allow_cancel=True))

    assert split_frame([saved, options, titled, words]) == ([words], [saved, titled])
    assert split_frame([done]) == ([done], [])
    assert split_frame([options]) == ([], [])
