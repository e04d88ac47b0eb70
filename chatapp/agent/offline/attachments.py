"""Files the user attached: "attach this to the expenses task", "add these receipts to task 3",
"add a task review contract with this file", and a plain acknowledgement otherwise.

The files come from the conversation (`Conversation.recent_attachments`: this message's, else
the latest ones sent), read from the manifest the chat core puts on each message; their ids
go to attach_files or add_task. Tried before the command rules; None means "not about files".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from chatapp.agent.offline import replies
from chatapp.agent.offline.conversation import Conversation, Exchange
from chatapp.agent.offline.file_mentions import FILE_NOUN
from chatapp.agent.offline.intents import Chat
from chatapp.agent.offline.matching import match_tasks
from chatapp.agent.offline.pattern import nocase
from chatapp.agent.offline.replies import names_text
from chatapp.agent.offline.titles import clean_title
from chatapp.agent.offline.tool_results import TaskView, as_int, parse_result, tasks_in
from chatapp.agent.offline.toolbox import Step, Toolbox, kind_of_name
from chatapp.agent.offline.understand import read_message
from chatapp.tasks.schemas import LIST_LIMIT_MAX

# What names the attached files: "this", "these receipts", "the attached pdf", "both".
_FILES = (
    rf"(?:(?:this|these|that|those|the|my|both|all)\s+(?:attached\s+)?{FILE_NOUN}"
    rf"|the\s+attached(?:\s+{FILE_NOUN})?|this|these|that|those|it|them|both(?:\s+of\s+them)?"
    rf"|all\s+of\s+them)"
)
ATTACH_TO = nocase(
    rf"^(?:please\s+|can\s+you\s+|could\s+you\s+)?(?P<verb>attach|add|put|save|keep|file|stick)"
    rf"\s+{_FILES}\s+(?:to|on|onto|with|in|into|under)\s+(?P<task>.+)$"
)
ADD_WITH = nocase(
    rf"^(?:please\s+)?(?:add|create|make)\s+(?:a\s+)?(?:new\s+)?(?:task|to-?do)\s*:?\s+"
    rf"(?P<title>.+?)\s+(?:with|using|and\s+attach)\s+{_FILES}$"
)
_TASK_NUMBER = nocase(r"^(?:task\s*)?#?\s*(?P<id>[0-9]{1,9})$")
_TASK_WORD = nocase(r"^(?:the\s+|my\s+)?(?P<words>.+?)(?:\s+(?:task|to-?do))?$")
_THAT_TASK = nocase(r"^(?:it|that(?:\s+one|\s+task)?|this\s+task|the\s+same\s+task)$")

HOW_TO = (
    "To keep {them} with a task, say e.g. “attach {them} to the expenses task” or "
    "“add a task review contract with {this}”."
)


def _them(files: Sequence[dict[str, str]]) -> dict[str, str]:
    return {"them": "it" if len(files) == 1 else "them", "this": "this file"}


def acknowledgement(files: Sequence[dict[str, str]]) -> str:
    return f"I got {names_text(files)}. " + HOW_TO.format(**_them(files))


def plan_attachments(conversation: Conversation, toolbox: Toolbox, now: datetime) -> Step | None:
    """The step for a message about attached files; None for any other message."""
    text = conversation.user_text.strip().rstrip(" .!")
    files = conversation.recent_attachments
    attach = ATTACH_TO.match(text)
    if attach and not files:
        # "add it to the report task" is a note without files; "attach" always means files.
        return Step(text=replies.NO_FILE) if attach.group("verb").lower() == "attach" else None
    if attach:
        return _attach_to(attach.group("task"), conversation, toolbox)
    add = ADD_WITH.match(text)
    if add and files:
        return _add_with(add.group("title"), conversation, toolbox)
    if conversation.attachments and not conversation.exchanges:
        intent = read_message(conversation.user_text, now).intent
        if isinstance(intent, Chat):  # nothing else asked: say what arrived
            return Step(text=acknowledgement(conversation.attachments))
    return None


def _ids(files: Sequence[dict[str, str]]) -> list[str]:
    return [f["id"] for f in files]


def _made(exchanges: Sequence[Exchange], kind: str) -> Exchange | None:
    return next((e for e in exchanges if kind_of_name(e.name) == kind and e.output), None)


def _attached_reply(exchange: Exchange, files: Sequence[dict[str, str]]) -> str:
    result = parse_result(exchange.output or "")
    if result.error is not None:
        return replies.error_reply("attach the files", result.error, result.code)
    data = result.data if isinstance(result.data, dict) else {}
    task = f"“{data.get('title', 'the task')}” (task {data.get('task_id', '?')})"
    return f"Attached {names_text(files)} to {task}."


def _attach_to(words: str, conversation: Conversation, toolbox: Toolbox) -> Step:
    files = conversation.recent_attachments
    done = _made(conversation.exchanges, "attach_files")
    if done is not None:
        return Step(text=_attached_reply(done, files))
    task_id = _named_task(words.strip(), conversation)
    if task_id is None:
        lookups = [e for e in conversation.exchanges if kind_of_name(e.name) == "list_tasks"]
        if not lookups:
            call = toolbox.call("list_tasks", status="all", limit=LIST_LIMIT_MAX)
            return (
                Step(calls=(call,)) if call else Step(text=replies.missing_tool_reply("list_tasks"))
            )
        wanted = _TASK_WORD.match(words.strip())
        found = _one(match_tasks(wanted.group("words") if wanted else words, _tasks(lookups[-1])))
        if isinstance(found, str):
            return Step(text=found.format(words=words.strip()))
        task_id = found.id
    call = toolbox.call("attach_files", task_id=task_id, attachment_ids=_ids(files))
    if call is None:
        return Step(text=replies.missing_tool_reply("attach_files"))
    return Step(calls=(call,))


def _named_task(words: str, conversation: Conversation) -> int | None:
    number = _TASK_NUMBER.match(words)
    if number:
        return as_int(number.group("id"))
    if _THAT_TASK.match(words):
        return conversation.last_task_id()
    return None


def _tasks(lookup: Exchange) -> list[TaskView]:
    result = parse_result(lookup.output or "")
    return (tasks_in(result.data) or []) if result.error is None else []


def _one(matches: list[TaskView]) -> TaskView | str:
    """The one task meant, or what to say when there is none or several."""
    if len(matches) > 1:
        matches = [task for task in matches if not task.completed] or matches
    if len(matches) == 1:
        return matches[0]
    if not matches:
        return "I couldn't find a task matching “{words}”. Which task should I attach them to?"
    listed = "; ".join(f"{task.title} (task {task.id})" for task in matches[:5])
    return "Several tasks match “{words}”: " + listed + ". Say e.g. “attach them to task N”."


def _add_with(title: str, conversation: Conversation, toolbox: Toolbox) -> Step:
    files = conversation.recent_attachments
    done = _made(conversation.exchanges, "add_task")
    if done is not None:
        result = parse_result(done.output or "")
        if result.error is not None:
            return Step(text=replies.error_reply("add the task", result.error, result.code))
        data = result.data if isinstance(result.data, dict) else {}
        task = f"“{data.get('title', title)}” (task {data.get('task_id', '?')})"
        return Step(text=f"Added {task} with {names_text(files)} attached.")
    call = toolbox.call("add_task", title=clean_title(title), attachment_ids=_ids(files))
    if call is None:
        return Step(text=replies.missing_tool_reply("add_task"))
    return Step(calls=(call,))
