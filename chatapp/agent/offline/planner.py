"""One model step: from the conversation so far to tool calls to make, or words to say.

A turn can take several steps. The planner is stateless: each step re-reads the user's message
and the calls already made after it, and decides what is still missing. "Delete the meeting
task" is a list_tasks lookup, then (with its output in the input) a delete_task call or a
question, then a confirmation built from the delete output.

Each kind of intent has one handler in `_HANDLERS`. A message with several requests
(`Compound`) is planned part by part: the calls already made are replayed against each part's
plan in order, so every part knows which results are its own, and a later part's "it" is the
task an earlier part acted on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from chatapp.agent.offline import bulk, dates, replies
from chatapp.agent.offline.adds import parse_add
from chatapp.agent.offline.calls import add_calls, list_call, lookup, several
from chatapp.agent.offline.context import at_position, prefer, previous_offer
from chatapp.agent.offline.conversation import Conversation, Exchange
from chatapp.agent.offline.dates.recurrence import first_occurrence
from chatapp.agent.offline.dead_ends import dead_end_reply
from chatapp.agent.offline.intents import (
    AddTasks,
    BulkChange,
    Chat,
    Compound,
    ConfirmBulk,
    DeleteTask,
    Intent,
    ListTasks,
    OpenTask,
    RefIntent,
    Select,
    SetCompleted,
    TaskDraft,
    TaskRef,
    UpdateTask,
)
from chatapp.agent.offline.lexicon import DONE_VERBS
from chatapp.agent.offline.matching import match_tasks
from chatapp.agent.offline.mutations import mutation, needs_current
from chatapp.agent.offline.pattern import nocase
from chatapp.agent.offline.summaries import (
    list_text,
    open_text,
    summarise,
)
from chatapp.agent.offline.titles import clean_title
from chatapp.agent.offline.tool_results import TaskView, parse_result, tasks_in
from chatapp.agent.offline.toolbox import EDIT_KINDS, PlannedCall, Step, Toolbox, kind_of_name
from chatapp.agent.offline.understand import read_message, said

MAX_EXCHANGES_PER_TURN = 48
_DONE_VERB_FIRST = nocase(r"^(?:" + DONE_VERBS + r")\s+")
_AND_MORE = nocase(r"^(?:oh\s+)?(?:and|also|plus|oh)\b(?:\s+(?:also|then))?\s+\S")


Handler = Callable[[Intent, Conversation, Toolbox, datetime, bool], Step]


def plan_step(
    conversation: Conversation, toolbox: Toolbox, now: datetime, *, parallel: bool = True
) -> Step:
    """The next step of the turn that `conversation` ends with."""
    intent = read_message(conversation.user_text, now).intent
    if isinstance(intent, Compound):
        return _plan_parts(intent.parts, conversation, toolbox, now, parallel)
    return _plan_one(intent, conversation, toolbox, now, parallel)


def _plan_parts(
    parts: Sequence[Intent],
    conversation: Conversation,
    toolbox: Toolbox,
    now: datetime,
    parallel: bool,
) -> Step:
    remaining = list(conversation.exchanges)
    earlier = conversation.earlier
    texts: list[str] = []
    for part in parts:
        mine: list[Exchange] = []
        while True:
            view = replace(conversation, exchanges=tuple(mine), earlier=earlier)
            step = _plan_one(part, view, toolbox, now, parallel)
            if not step.calls:
                texts.append(step.text)
                break
            if not remaining:
                return step
            taken = remaining[: len(step.calls)]
            if len(taken) < len(step.calls) or not all(
                _same(call, exchange) for call, exchange in zip(step.calls, taken, strict=False)
            ):
                # The calls in the input are not this plan's: say what was done, do no more.
                return Step(text=summarise(conversation.exchanges, now))
            mine.extend(taken)
            del remaining[: len(taken)]
        earlier = (*earlier, *mine)
    return Step(text="\n\n".join(text for text in texts if text) or replies.FALLBACK)


def _same(call: PlannedCall, exchange: Exchange) -> bool:
    return kind_of_name(exchange.name) == call.kind and dict(exchange.arguments) == call.arguments


def _plan_one(
    intent: Intent, conversation: Conversation, toolbox: Toolbox, now: datetime, parallel: bool
) -> Step:
    resolved = _in_context(intent, conversation, toolbox, now)
    if isinstance(resolved, Step):
        return resolved
    if len(conversation.exchanges) > MAX_EXCHANGES_PER_TURN:
        return Step(text=summarise(conversation.exchanges, now))
    handler = _HANDLERS[type(resolved)]
    return handler(resolved, conversation, toolbox, now, parallel)


def _in_context(
    intent: Intent, conversation: Conversation, toolbox: Toolbox, now: datetime
) -> Intent | Step:
    """The intent with what it refers to in earlier turns filled in, or a question back."""
    if isinstance(intent, Select):
        return _resolve_selection(intent, conversation, toolbox, now)
    if isinstance(intent, Chat) and intent.kind in ("confirm", "decline"):
        return bulk.answer(intent, conversation, now)
    if isinstance(intent, Chat) and intent.kind == "unknown":
        return _more_of_the_same(conversation, now) or intent
    if not isinstance(intent, RefIntent):
        return intent
    ref = intent.ref
    if not (ref.pronoun or ref.ordinal):
        return intent
    task_id = None
    if ref.ordinal:
        offer = previous_offer(conversation, now)
        task = at_position(offer.tasks, ref.ordinal) if offer is not None else None
        task_id = task.id if task is not None else None
    if task_id is None and ref.pronoun:
        task_id = conversation.last_task_id()
    if task_id is not None:
        return replace(intent, ref=TaskRef(task_id=task_id))
    if ref.pronoun:
        return Step(text=replies.which_task_reply())
    return Step(text=replies.which_position_reply(ref.ordinal or 1))


def _more_of_the_same(conversation: Conversation, now: datetime) -> Intent | None:
    """ "and eggs" right after "add milk": one more of what was just added."""
    if not _AND_MORE.match(conversation.user_text.strip()):
        return None
    previous = conversation.previous_user_text
    if previous is None:
        return None
    before = read_message(previous, now).intent
    if isinstance(before, Compound):
        before = before.parts[-1]
    if not isinstance(before, AddTasks):
        return None
    added = parse_add(said(conversation.user_text), now)
    return added if isinstance(added, AddTasks) else None


def _resolve_selection(
    select: Select, conversation: Conversation, toolbox: Toolbox, now: datetime
) -> Intent | Step:
    offer = previous_offer(conversation, now)
    tasks = offer.tasks if offer is not None else ()
    if offer is None or offer.kind != "asked":
        listed = at_position(tasks, select.ordinal) if select.ordinal else None
        number = select.number if select.number is not None else (listed.id if listed else None)
        if number is not None:
            return Step(text=replies.what_to_do_reply(number))
        return Step(text=replies.chat_reply("unknown", now, toolbox.kinds))
    ids = [task.id for task in tasks]
    chosen = None
    if select.number is not None and select.number in ids:
        chosen = select.number
    elif select.ordinal is not None:
        task = at_position(tasks, select.ordinal)
        chosen = task.id if task is not None else None
    elif select.words:
        matches = match_tasks(select.words, list(tasks))
        chosen = matches[0].id if len(matches) == 1 else None
    elif select.number is not None:
        chosen = select.number
    original = offer.intent
    if chosen is None or not isinstance(original, RefIntent):
        return Step(text=replies.which_task_reply())
    return replace(original, ref=TaskRef(task_id=chosen))


def _chat(
    intent: Intent, conversation: Conversation, toolbox: Toolbox, now: datetime, parallel: bool
) -> Step:
    assert isinstance(intent, Chat)
    if conversation.exchanges:
        return Step(text=summarise(conversation.exchanges, now))
    if intent.kind == "unknown":
        return Step(text=dead_end_reply(said(conversation.user_text), toolbox.kinds))
    return Step(text=replies.chat_reply(intent.kind, now, toolbox.kinds))


def _add(
    intent: Intent, conversation: Conversation, toolbox: Toolbox, now: datetime, parallel: bool
) -> Step:
    assert isinstance(intent, AddTasks)
    exchanges = conversation.exchanges
    made = [e for e in exchanges if kind_of_name(e.name) == "add_task"]
    # "..., see attached": the files of this message (else the latest sent) go with each task.
    files = conversation.recent_attachments if intent.with_files else ()
    ids = [f["id"] for f in files]
    if len(made) < len(intent.drafts) and made == list(exchanges):
        return add_calls(intent, len(made), toolbox, now, parallel, ids)
    text = summarise(exchanges, now)
    if intent.with_files and not files:
        text += "\n\n" + replies.NO_FILE_KEPT
    elif files and not toolbox.accepts("add_task", "attachment_ids"):
        text += "\n\n" + replies.CANT_KEEP_FILES
    return Step(text=text)


def _list(
    intent: Intent, conversation: Conversation, toolbox: Toolbox, now: datetime, parallel: bool
) -> Step:
    assert isinstance(intent, ListTasks)
    if not conversation.exchanges:
        return list_call(intent.filter, toolbox)
    lookups = [e for e in conversation.exchanges if kind_of_name(e.name) == "list_tasks"]
    if not lookups:
        return Step(text=summarise(conversation.exchanges, now))
    return Step(text=list_text(lookups[-1], intent.filter, now))


def _ref(
    intent: Intent, conversation: Conversation, toolbox: Toolbox, now: datetime, parallel: bool
) -> Step:
    assert isinstance(intent, RefIntent)
    exchanges = conversation.exchanges
    if isinstance(intent, OpenTask) and not toolbox.has("open_task"):
        return Step(text=replies.missing_tool_reply("open_task"))
    if intent.ref.more_ids:
        return several(intent, exchanges, toolbox, now, parallel)
    if not exchanges:
        if intent.ref.task_id is not None and not needs_current(intent):
            return mutation(intent, intent.ref.task_id, None, toolbox, now)
        return lookup(intent, toolbox, filtered=True)
    if isinstance(intent, OpenTask):
        # The app answered the open_task client call (or the tool refused): say how it went.
        opened = [e for e in exchanges if kind_of_name(e.name) == "open_task"]
        if opened:
            return Step(text=open_text(opened[-1]))
    lookups = [e for e in exchanges if kind_of_name(e.name) == "list_tasks"]
    each = _each_part(intent, _looked_up(lookups))
    if each is not None:
        return several(each, exchanges, toolbox, now, parallel)
    made = [e for e in exchanges if kind_of_name(e.name) in (*EDIT_KINDS, "add_task")]
    if made:
        return Step(text=summarise(made, now))
    if not lookups:
        return Step(text=summarise(exchanges, now))
    last = lookups[-1]
    result = parse_result(last.output or "")
    if result.error is not None:
        return Step(text=replies.error_reply("look up your tasks", result.error, result.code))
    tasks = tasks_in(result.data)
    if tasks is None:
        return Step(
            text=replies.error_reply("look up your tasks", "the task list came back empty-handed")
        )
    if intent.ref.task_id is not None:
        current = next((task for task in tasks if task.id == intent.ref.task_id), None)
        if current is None:
            return Step(text=replies.no_such_task_reply(intent.ref.task_id))
        return mutation(intent, current.id, current, toolbox, now)
    words = intent.ref.words or ""
    matches = prefer(intent, match_tasks(words, tasks))
    if not matches and last.arguments.get("query") and len(lookups) == 1:
        return lookup(intent, toolbox, filtered=False)
    if len(matches) == 1:
        return mutation(intent, matches[0].id, matches[0], toolbox, now)
    action = _action(intent)
    if matches:
        return Step(text=replies.ambiguous_reply(words, matches, action, now))
    if isinstance(intent, UpdateTask) and intent.add_if_missing:
        changes = intent.changes
        due = changes.due_at or changes.remind_at
        if due is None and changes.recurrence:
            due = first_occurrence(changes.recurrence, dates.DEFAULT_TIME, now)
        draft = TaskDraft(
            clean_title(words),
            priority=changes.priority,
            due_at=due,
            recurrence=changes.recurrence,
            remind_at=changes.remind_at,
        )
        return add_calls(AddTasks((draft,)), 0, toolbox, now, parallel)
    return Step(text=replies.no_match_reply(words, action))


def _looked_up(lookups: Sequence[Exchange]) -> list[TaskView]:
    result = parse_result(lookups[-1].output or "") if lookups else None
    tasks = tasks_in(result.data) if result is not None and result.error is None else None
    return tasks or []


def _each_part(intent: RefIntent, tasks: list[TaskView]) -> RefIntent | None:
    """ "complete the team meeting and the dentist": one task for each part, or None."""
    if isinstance(intent, OpenTask) or not intent.ref.parts or not tasks:
        return None
    ids: list[int] = []
    for part in intent.ref.parts:
        # "finished the laundry and took out the trash": the verb of a part is not its name.
        part = _DONE_VERB_FIRST.sub("", part) or part
        found = prefer(intent, match_tasks(part, tasks))
        if len(found) != 1 or found[0].id in ids:
            return None
        ids.append(found[0].id)
    return replace(intent, ref=TaskRef(task_id=ids[0], more_ids=tuple(ids[1:])))


def _action(intent: RefIntent) -> replies.Action:
    if isinstance(intent, OpenTask):
        return "open"
    if isinstance(intent, DeleteTask):
        return "delete"
    if isinstance(intent, SetCompleted):
        return "complete" if intent.completed else "reopen"
    return "update"


_HANDLERS: dict[type, Handler] = {
    Chat: _chat,
    AddTasks: _add,
    ListTasks: _list,
    BulkChange: bulk.propose,
    ConfirmBulk: bulk.confirmed,
    SetCompleted: _ref,
    DeleteTask: _ref,
    UpdateTask: _ref,
    OpenTask: _ref,
}
