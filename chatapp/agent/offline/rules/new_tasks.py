"""Rows that add tasks or show one: add verbs strong and weak, "open task 3", "I need to ...",
and a to-do said plainly ("buy stamps friday")."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from chatapp.agent.offline import dates
from chatapp.agent.offline.adds import TASK_NOUN, parse_add
from chatapp.agent.offline.intents import (
    AddTasks,
    DeleteTask,
    Intent,
    ListTasks,
    OpenTask,
    SetCompleted,
    TaskDraft,
    TaskRef,
    UpdateTask,
)
from chatapp.agent.offline.lexicon import ACTION_VERBS, ORDINALS, POSITION_WORDS
from chatapp.agent.offline.pattern import nocase, nocase_dotall
from chatapp.agent.offline.rules.questions import LIST_SIGNAL
from chatapp.agent.offline.rules.row import ANY_MESSAGE, NOCASE, Reading, Rule
from chatapp.agent.offline.slots import (
    LEADING_ID,
    LEADING_IDS,
    LIST_PHRASE,
    REF_FILLER,
    content_words,
    id_of,
    parse_ref,
)

_ADD_STRONG = nocase_dotall(
    r"^(?:add|create|insert|jot(?:\s+down)?|note\s+down|write\s+down|schedule)\b[\s:,-]*(?P<rest>.*)$"
)
# Verbs that only ever mean "show me this one task" when a single task follows them.
_OPEN = nocase_dotall(
    r"^(?:open(?:\s+up)?|highlight|go\s+to|jump\s+to|take\s+me\s+to|bring\s+up|pull\s+up"
    r"|focus\s+on|scroll\s+to|navigate\s+to|point\s+me\s+to)\b\s*(?P<target>.+)$"
)
# Listing verbs: one task only when it is named as one ("task 3", "the milk task").
_SHOW_ONE = nocase_dotall(r"^(?:show|display|view|see)(?:\s+me)?\s+(?P<target>.+)$")
_TASK_WORD = r"(?:task|todo|to-do|reminder)"
_ONE_TASK_NAMED = nocase_dotall(
    rf"^(?:the|my|that)\s+(?:{_TASK_WORD}\s+(?:called|named|titled)\s+.+|.+\s+{_TASK_WORD})$"
)
_MANY = nocase(r"\b(?:tasks|todos|to-?dos|items|reminders|list|lists|everything|all|every|both)\b")
_NEW_THING = nocase(r"^(?:a|an|another|new|one\s+more)\b")
_ADD_WEAK = nocase_dotall(
    r"^(?:make|set(?:\s+up)?|put|save|record|log|track|enter|register|new|open|start)\b\s*(?P<rest>.*)$"
)
_OBLIGATION = nocase_dotall(
    r"^(?:i\s+|we\s+|i(?='d)|we(?='d))?(?:really\s+|still\s+|also\s+|definitely\s+)?(?:(?:need|have|got|ought|want"
    r"|'d\s+like|would\s+like|will\s+need|'ll\s+need|'ve\s+got|should|must)\s+to|gotta|wanna|must"
    r"|should|need)\s+(?:remember\s+to\s+|not\s+forget\s+to\s+|make\s+sure\s+(?:to|i)\s+)?"
    r"(?P<rest>.+)$"
)
# "order me a pizza" asks the assistant for a service it does not have; not a to-do.
_ACTION_STATEMENT = nocase_dotall(r"^(?:" + ACTION_VERBS + r")\s+(?!me\b|us\b)\S.*$")


# "I forgot to add call the bank": a new task, not a reopened one.
_FORGOT_TO_ADD = nocase_dotall(
    r"^(?:i\s+|we\s+)?(?:forgot|forget|didn't|did\s+not)\s+(?:to\s+)?(?:add|mention|include|put"
    r"(?:\s+down)?|write\s+down|note\s+down)\s*:?\s*(?P<rest>.+)$"
)
# "shopping: apples, rice", "work list: update the wiki": items for the list named first.
_NAMED_LIST = nocase_dotall(
    r"^(?:(?:my|the|our)\s+)?(?P<tag>[^\W\d_][\w-]*)(?:\s+list)?\s*(?::|\s[-\u2013\u2014])\s*"
    r"(?P<items>.+)$"
)
# "tomorrow: call the bank, pay rent", "this weekend I need to clean the garage": a date first.
_LEADING_WHEN = nocase_dotall(
    r"^(?:(?:my\s+)?(?:to\s*-?\s*dos?|tasks?|plans?|agenda|list)\s+(?:for\s+)?)?"
    r"(?P<when>(?:(?:for|on|by|this|next|later)\s+)?(?:today|tonight|tomorrow|weekend|week"
    r"|morning|afternoon|evening|(?:mon|tues|wednes|thurs|fri|satur|sun)day)(?:\s+(?:morning"
    r"|afternoon|evening|night))?)\s*(?:[:,\-]\s*|\s+(?=(?:i|we|remind|add|please|need|gotta"
    r"|have|must|should|don't)\b))(?P<rest>.+)$"
)


# "I have a dentist appointment next tuesday", "there's a party saturday": a new task, dated.
_HAVE_A = nocase_dotall(
    r"^(?:(?:i|we)(?:'ve|\s+have)?(?:\s+got)?|there(?:'s|\s+is))\s+(?P<rest>(?:a|an|my|our)\s+.+)$"
)
_NOT_A_THING = nocase(
    r"^(?:i|i'm|we|you|it|it's|they|he|she|what|which|who|how|when|where|why|is|are|do|does"
    r"|did|can|could|would|should|will|was|were|has|have|there|here|no|not|yes)\b"
)


# "my back hurts today", "the weather is nice today": a sentence about the day, not a to-do.
_NOT_A_TODO = nocase(
    r"\b(?:is|are|was|were|am|be|been|hurts?|feels?|felt|seems?|looks?|sounds?|how|what|why"
    r"|weather|rain\w*|snow\w*|sunny|cold|hot|tired|sick|happy|sad|bored|love|hate)\b|\?"
)


def _dated(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    # "lunch with tom on wednesday at noon": a thing and when, said without a verb.
    rest = match.group("rest") if "rest" in match.groupdict() else text
    found = dates.find_datetime(rest, now)
    if found is None or _NOT_A_THING.match(rest):
        return None
    remainder = found.remove_from(rest)
    if not content_words(remainder) or _NOT_A_TODO.search(remainder):
        return None
    return parse_add(rest, now)


def _named_list(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    tag = match.group("tag").lower()
    if tag in ("todo", "to-do", "task", "tasks", "reminder", "note", "re", "list"):
        return parse_add(match.group("items"), now)
    if tag in ("urgent", "important", "asap"):
        return parse_add(f"{match.group('items')} urgent", now)
    if re.fullmatch(ACTION_VERBS, tag, NOCASE):
        return parse_add(f"{tag} {match.group('items')}", now)  # "buy: milk, bread, eggs"
    return parse_add(f"to the {tag} list: {match.group('items')}", now)


def _on_day(draft: TaskDraft, day: datetime) -> TaskDraft:
    """The day said first, at the item's own time if it gave one ("tomorrow: gym at 6pm")."""
    if draft.due_at is None or draft.recurrence:
        return draft if draft.due_at else replace(draft, due_at=day)
    at = draft.due_at.astimezone(day.tzinfo).timetz()
    return replace(draft, due_at=datetime.combine(day.date(), at))


def leading_when_rule(classify: Callable[[str, datetime], Reading]) -> Rule:
    """ "tomorrow: call the bank, pay rent": the date said first is every new task's due date."""

    def build(match: re.Match[str], text: str, now: datetime) -> Intent | None:
        found = dates.find_datetime(match.group("when"), now)
        inner = classify(match.group("rest"), now).intent
        if not isinstance(inner, AddTasks) and re.search(
            r"[:\-]\s*$", match.group(0)[: match.start("rest")]
        ):
            inner = parse_add(match.group("rest"), now)  # "today: laundry, dishes": a list
        if found is None or not isinstance(inner, AddTasks):
            return None
        drafts = tuple(_on_day(draft, found.value) for draft in inner.drafts)
        return AddTasks(drafts)

    return Rule("leading_when", _LEADING_WHEN, build, ("tomorrow: call the bank, pay rent",))


def _open(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    target = REF_FILLER.sub("", match.group("target")).strip()
    if not target or _MANY.search(target) or _NEW_THING.match(target):
        return None
    ref = parse_ref(target)
    return OpenTask(ref) if ref is not None and not ref.more_ids else None


def _show_one(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    target = REF_FILLER.sub("", match.group("target")).strip()
    leading = LEADING_ID.match(target)
    if leading and not leading.group("bare") and not target[leading.end() :].strip():
        return OpenTask(TaskRef(task_id=id_of(leading)))
    if not _ONE_TASK_NAMED.match(target) or _MANY.search(target):
        return None
    words = content_words(target)
    listed = {word.lower() for word in words.split()}
    if not words or LIST_SIGNAL.search(words) or listed & (POSITION_WORDS | set(ORDINALS)):
        return None
    return OpenTask(TaskRef(words=words))


def _add_weak(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    rest = match.group("rest")
    if LEADING_ID.match(rest) or LEADING_IDS.match(rest):
        return None
    if TASK_NOUN.match(rest) and not re.fullmatch(r"(?:tasks?|todos?)\s*", rest, NOCASE):
        return parse_add(rest, now)
    if LIST_PHRASE.search(rest):
        return parse_add(rest, now)
    if match.group(0).lower().startswith("put") and dates.find_datetime(rest, now) is not None:
        return parse_add(rest, now)  # "put dinner with alex on friday at 7pm"
    return None


def _add_rest(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    return parse_add(match.group("rest"), now)


def _action_statement(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    # "buy stamps friday", "pick up the parcel and dry cleaning": a to-do said plainly.
    return parse_add(text, now)


def obligation_rule(classify: Callable[[str, datetime], Reading]) -> Rule:
    """ "I need to call the bank": a new task, unless what follows is itself a command."""

    def build(match: re.Match[str], text: str, now: datetime) -> Intent | None:
        rest = match.group("rest")
        inner = classify(rest, now).intent
        if isinstance(inner, ListTasks | DeleteTask | UpdateTask | AddTasks):
            return inner
        if isinstance(inner, OpenTask) and inner.ref.task_id is not None:
            return inner  # "I want to see task 3"; "I need to open the garage" is a new task
        if isinstance(inner, SetCompleted) and not inner.completed:
            return inner
        return parse_add(rest, now)

    return Rule("obligation", _OBLIGATION, build, ("i need to call the bank",))


FORGOT_TO_ADD = Rule("forgot_to_add", _FORGOT_TO_ADD, _add_rest, ("I forgot to add call the bank",))
NAMED_LIST = Rule("named_list", _NAMED_LIST, _named_list, ("shopping: apples, rice and coffee",))
HAVE_A = Rule("have_a", _HAVE_A, _dated, ("I have a dentist appointment next tuesday at 2pm",))
DATED = Rule("dated", ANY_MESSAGE, _dated, ("lunch with tom on wednesday at noon",))
ADD = Rule("add", _ADD_STRONG, _add_rest, ("add buy milk", "create a task to call mom"))
OPEN = Rule("open", _OPEN, _open, ("open task 3", "highlight the milk task"))
SHOW_ONE = Rule("show_one", _SHOW_ONE, _show_one, ("show me task 2", "show me the dentist task"))
ADD_WEAK = Rule(
    "add_weak", _ADD_WEAK, _add_weak, ("set a reminder to stretch", "put bread on my list")
)
ACTION_STATEMENT = Rule(
    "action_statement", _ACTION_STATEMENT, _action_statement, ("buy stamps friday",)
)
