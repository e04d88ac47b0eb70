"""The offline model's reasoning summary: when a turn chained several tool calls, one short line
saying what each step did and found ("Looked for 'meeting' → found task 3 → deleted task 3"),
given before the reply as a Responses reasoning item (the chat shows it on the workflow)."""

from __future__ import annotations

from collections.abc import Iterator

from agents.items import TResponseStreamEvent
from openai.types.responses import (
    ResponseReasoningItem,
    ResponseReasoningSummaryTextDeltaEvent,
    ResponseReasoningSummaryTextDoneEvent,
)
from openai.types.responses.response_reasoning_item import Summary

from chatapp.agent.offline.conversation import Conversation, Exchange
from chatapp.agent.offline.tool_results import as_int, parse_result, task_view, tasks_in
from chatapp.agent.offline.toolbox import kind_of_name

CHAIN_MIN_CALLS = 2  # a single call needs no summary: its chip says it all
_DONE = {
    "add_task": "added",
    "complete_task": "completed",
    "delete_task": "deleted",
    "update_task": "updated",
}


def _task_name(exchange: Exchange, data) -> str:
    view = task_view(data)
    if view is not None:
        return f"task {view.id}" if exchange.name != "add_task" else f"'{view.title}'"
    task_id = as_int(exchange.arguments.get("task_id"))
    return f"task {task_id}" if task_id is not None else "a task"


def _found(count: int, views) -> str:
    if count == 0:
        return "found nothing"
    if count == 1:
        return f"found task {views[0].id}"
    return f"found {count} tasks"


def step_phrases(exchange: Exchange) -> list[str]:
    """What one call did, and for a look-up what it found."""
    kind = kind_of_name(exchange.name) or exchange.name
    result = parse_result(exchange.output or "")
    if result.error is not None:
        return [f"{kind} failed ({result.error})"]
    if kind == "list_tasks":
        query = exchange.arguments.get("query") or exchange.arguments.get("tag")
        looked = f"looked for '{query}'" if query else "looked up tasks"
        views = tasks_in(result.data) or []
        return [looked, _found(len(views), views)]
    if kind == "complete_task" and exchange.arguments.get("completed") is False:
        return [f"reopened {_task_name(exchange, result.data)}"]
    verb = _DONE.get(kind, f"ran {exchange.name}")
    return [f"{verb} {_task_name(exchange, result.data)}"]


def chain_summary(conversation: Conversation) -> str | None:
    """The summary of this turn's calls, or None when it made fewer than CHAIN_MIN_CALLS."""
    done = [exchange for exchange in conversation.exchanges if exchange.output is not None]
    if len(done) < CHAIN_MIN_CALLS:
        return None
    phrases: list[str] = []
    for exchange in done:
        for phrase in step_phrases(exchange):
            # "found task 3 → deleted task 3" reads as "found task 3 → deleted it"
            named = phrase.rsplit(" ", 2)[-2:]
            if phrases and phrases[-1].endswith(" " + " ".join(named)) and named[0] == "task":
                phrase = phrase[: -len(" ".join(named))] + "it"
            phrases.append(phrase)
    text = " → ".join(phrases)
    return text[:1].upper() + text[1:]


def reasoning_item(text: str, item_id: str) -> ResponseReasoningItem:
    return ResponseReasoningItem(
        type="reasoning",
        id=item_id,
        summary=[Summary(type="summary_text", text=text)],
        status="completed",
    )


def reasoning_events(
    item: ResponseReasoningItem, index: int, sequence: Iterator[int]
) -> Iterator[TResponseStreamEvent]:
    """What the Responses API streams inside a reasoning item: its summary text."""
    for summary_index, summary in enumerate(item.summary):
        common = {"item_id": item.id, "output_index": index, "summary_index": summary_index}
        yield ResponseReasoningSummaryTextDeltaEvent(
            type="response.reasoning_summary_text.delta",
            delta=summary.text,
            sequence_number=next(sequence),
            **common,
        )
        yield ResponseReasoningSummaryTextDoneEvent(
            type="response.reasoning_summary_text.done",
            text=summary.text,
            sequence_number=next(sequence),
            **common,
        )
