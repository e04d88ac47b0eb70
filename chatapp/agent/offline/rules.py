"""The command rules: an ordered table of named rows, each a pattern and a builder.

Classification is a loop over `RULES`: the first row whose pattern matches the message and
whose builder returns an intent wins, and the reading records that row's name. A builder returns
None to pass the message on to the rows below it. Each row lists example phrasings; the tests
check that every example is read by that row, so adding a phrasing is one row or one example.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from chatapp.agent.offline import dates
from chatapp.agent.offline.adds import TASK_NOUN, parse_add
from chatapp.agent.offline.changes import (
    ADD_TO_TASK,
    CLEAR_FIELD,
    CLEAR_TAGS,
    NO_FIELD,
    UNTAG,
    add_to_task,
    clear_field,
    clear_tags,
    parse_update,
    untag,
)
from chatapp.agent.offline.dates.recurrence import find_repeat
from chatapp.agent.offline.intents import (
    AddTasks,
    BulkAction,
    BulkChange,
    Chat,
    DeleteTask,
    Intent,
    ListTasks,
    OpenTask,
    SetCompleted,
    TaskChanges,
    TaskFilter,
    TaskRef,
    UpdateTask,
)
from chatapp.agent.offline.lexicon import (
    ACTION_VERBS,
    DONE_VERBS,
    ORDINALS,
    POSITION_WORDS,
    PRIORITY_DOWN,
)
from chatapp.agent.offline.queries import parse_list
from chatapp.agent.offline.slots import (
    ID_ITEM,
    ID_JOIN,
    LEADING_ID,
    LEADING_IDS,
    LIST_PHRASE,
    ONE_TARGET,
    REF_FILLER,
    STATE_WORDS,
    content_words,
    id_of,
    parse_ref,
    priority_word,
    ref_intent,
    state_is_done,
)
from chatapp.agent.offline.titles import clean_title

_I = re.IGNORECASE
_IS = re.IGNORECASE | re.DOTALL

_WHEN = re.compile(
    r"^when(?:'s|\s+is|\s+are|\s+was|\s+do\s+i\s+(?:have|need)\s+to(?:\s+do)?|\s+should\s+i)"
    r"\s+(?P<what>.+?)(?:\s+(?:due|happening|scheduled|again))?[\s?!.]*$",
    _IS,
)
_DONE_QUESTION = re.compile(
    r"^(?:did|have|has)\s+(?:i|we)\s+(?:already\s+|ever\s+|actually\s+|really\s+)?"
    r"(?P<verb>[a-z]+)(?:\s+(?:up|off|out))?\s+(?P<what>.+?)(?:\s+(?:yet|already|today))?[\s?!.]*$",
    _IS,
)
_IS_IT_DONE = re.compile(
    r"^(?:is|was|are|were|has|have)\s+(?P<what>(?!there\b|anything\b|everything\b).+?)"
    r"(?:\s+been)?\s+(?:done|finished|completed|complete|paid|sent|booked|sorted)"
    r"(?:\s+(?:yet|already))?[\s?!.]*$",
    _IS,
)
_URGENT_QUESTION = re.compile(
    r"^(?:what(?:'s|\s+is|s)\s+(?:the\s+)?(?:most\s+(?:urgent|important|pressing)|(?:my\s+)?top"
    r"\s+priority|next\s+(?:up|on\s+my\s+list)|(?:my\s+)?next\s+task)|what\s+should\s+i"
    r"\s+(?:do|work\s+on|tackle|start\s+with|focus\s+on)(?:\s+(?:first|next|now|today))?"
    r"|where\s+(?:should|do)\s+i\s+start|what\s+needs\s+(?:my\s+)?attention"
    r"|what(?:'s|\s+is)\s+(?:the\s+)?most\s+urgent\s+(?:task|thing|one))\b.*$",
    _IS,
)
_FINISHED = re.compile(
    r"^(?:what|which\s+(?:tasks?|things?))\s+(?:did|have)\s+(?:i|we)\s+(?:already\s+)?"
    r"(?:finish(?:ed)?|complete[d]?|do(?:ne)?|did|get\s+done|got\s+done|accomplish(?:ed)?"
    r"|tick(?:ed)?\s+off|check(?:ed)?\s+off)\b.*$",
    _IS,
)
_LIST_SIGNAL_WORDS = re.compile(
    r"(?:(?:my|the|all|any)\s+)?(?:tasks?|todos?|list|everything|anything|it|that|this|them)", _I
)

_REMIND_BEFORE = re.compile(
    r"^remind\s+me\s+(?P<n>[0-9]{1,3}|an?|one|two|three|five|ten|fifteen|thirty)\s+"
    r"(?P<unit>minutes?|mins?|hours?|hrs?|days?)\s+(?:before|ahead(?:\s+of)?|earlier)"
    r"(?:\s+(?:it(?:'s|\s+is)?\s+due|(?:it|the\s+deadline))?)?(?:\s+(?:for\s+)?(?P<target>.+?))?$",
    _IS,
)
_REMIND_ABOUT = re.compile(r"^remind\s+me\s+(?:about|of)\s+(?P<what>.+)$", _IS)
_STOP_REPEAT = re.compile(
    r"^(?:stop|don'?t\s+keep|quit|no\s+more)\s+(?:repeating|recurring)\s*(?P<target>.*)$"
    r"|^(?:make\s+)?(?P<target2>.+?)\s+(?:should(?:n'?t|\s+not)|does(?:n'?t|\s+not)\s+need\s+to"
    r"|(?:must|will)\s+not|won'?t)\s+(?:repeat|recur)(?:\s+any\s*more)?$",
    _IS,
)
_MAKE_REPEAT = re.compile(
    r"^(?:make|set|have|let)\s+(?P<target>.+?)\s+(?:to\s+)?(?:repeat|recur|happen|come\s+back)"
    r"\s+(?P<when>.+)$",
    _IS,
)
_DONE_STATEMENT = re.compile(
    r"^(?:just\s+|finally\s+|already\s+)?(?:" + DONE_VERBS + r")\s+(?P<target>.+)$", _IS
)
_WORDS_DONE = re.compile(
    r"^(?P<target>(?!(?:what|which|how|is|are|anything|everything|all)\b).+?)\s*[:\-]?\s+"
    r"(?:done|finished|completed|sorted|dealt\s+with)(?:\s+(?:now|already|today))?$",
    _IS,
)
# "order me a pizza" asks the assistant for a service it does not have; not a to-do.
_ACTION_STATEMENT = re.compile(r"^(?:" + ACTION_VERBS + r")\s+(?!me\b|us\b)\S.*$", _IS)
_ANYTHING = re.compile(r"^.+$", _IS)

Builder = Callable[[re.Match[str], str, datetime], Intent | None]


@dataclass(frozen=True)
class Rule:
    """One row: what it is called, what it matches, what it builds, and phrasings it is for."""

    name: str
    pattern: re.Pattern[str]
    build: Builder
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Reading:
    """An intent and the name of the rule that read it (for tests and for logs)."""

    intent: Intent
    rule: str


_ADD_STRONG = re.compile(
    r"^(?:add|create|insert|jot(?:\s+down)?|note\s+down|write\s+down|schedule)\b[\s:,-]*(?P<rest>.*)$",
    _IS,
)


# Verbs that only ever mean "show me this one task" when a single task follows them.
_OPEN = re.compile(
    r"^(?:open(?:\s+up)?|highlight|go\s+to|jump\s+to|take\s+me\s+to|bring\s+up|pull\s+up"
    r"|focus\s+on|scroll\s+to|navigate\s+to|point\s+me\s+to)\b\s*(?P<target>.+)$",
    _IS,
)


# Listing verbs: one task only when it is named as one ("task 3", "the milk task").
_SHOW_ONE = re.compile(r"^(?:show|display|view|see)(?:\s+me)?\s+(?P<target>.+)$", _IS)


_ONE_TASK_NAMED = re.compile(
    r"^(?:the|my|that)\s+(?:(?:task|todo|to-do|reminder)\s+(?:called|named|titled)\s+.+"
    r"|.+\s+(?:task|todo|to-do|reminder))$",
    _IS,
)


_MANY = re.compile(
    r"\b(?:tasks|todos|to-?dos|items|reminders|list|lists|everything|all|every|both)\b", _I
)


_NEW_THING = re.compile(r"^(?:a|an|another|new|one\s+more)\b", _I)


_ADD_WEAK = re.compile(
    r"^(?:make|set(?:\s+up)?|put|save|record|log|track|enter|register|new|open|start)\b\s*(?P<rest>.*)$",
    _IS,
)


_REMIND = re.compile(
    r"^(?:remind\s+me\s*(?:to|about|that|of)?|remember\s+(?:to|that)|don'?t\s+(?:let\s+me\s+)?"
    r"forget\s*(?:to|about|that)?|do\s+not\s+(?:let\s+me\s+)?forget\s*(?:to|about|that)?"
    r"|make\s+sure\s+(?:i|to)|note\s+to\s+self\s*:?|(?:new\s+)?(?:todo|to-do|task|reminder)\s*:)"
    r"\s*(?P<rest>.*)$",
    _IS,
)


_REOPEN = re.compile(
    r"^(?:re-?open|un-?complete|un-?mark|un-?check|un-?tick|un-?finish|undo|restore|revive"
    r"|resurrect|reactivate)\b\s*(?P<target>.*)$",
    _IS,
)


_MARK = re.compile(
    r"^(?:mark|flag|set|put|move|switch|change)\s+(?P<target>.+?)\s+(?:as\s+|to\s+|back\s+to\s+)?"
    + STATE_WORDS
    + r"$",
    _IS,
)


_PRIORITY_STEP = re.compile(
    r"^(?P<verb>lower|decrease|reduce|downgrade|raise|increase|boost|upgrade|bump\s+up"
    r"|bump\s+down)\s+(?:(?:the\s+)?(?:priority|prio)\s+(?:of|for|on)\s+(?P<target>.+)"
    r"|(?P<target2>.+?)(?:'s)?\s+(?:priority|prio))$",
    _IS,
)


_MARK_PRIORITY = re.compile(
    r"^(?:mark|flag)\s+(?P<target>.+?)\s+(?:as\s+)?(?:(?:a\s+)?(?P<priority>high|low|medium|top"
    r"|normal)[\s-]+prio(?:rity)?|(?P<urgent>urgent|important))$",
    _IS,
)


_MARK_BARE = re.compile(
    r"^(?:mark|check\s+off|tick\s+off|cross\s+(?:off|out)|strike\s+(?:off|through))\b\s*"
    r"(?:(?:as\s+)?(?:done|complete|completed|finished)\b\s*:?\s*)?(?P<target>.*)$",
    _IS,
)


# "completed tasks" is a listing, not an order to complete something.
_COMPLETE = re.compile(
    r"^(?:complete|finish|close|resolve|(?:done(?:\s+with)?|completed|finished)"
    r"(?!\s+(?:tasks|todos|to-?dos|items|ones)\b))\b\s*(?P<target>.*)$",
    _IS,
)


_I_DID = re.compile(
    r"^(?:i|we)(?:'ve|\s+have|'m|\s+am|\s+just|\s+already|\s+finally|\s+all)*\s+"
    r"(?:(?:done|finished)\s+with|finished|completed|done|did|closed|resolved|ticked\s+off"
    r"|checked\s+off|crossed\s+off|took\s+care\s+of|taken\s+care\s+of|handled|wrapped\s+up"
    r"|sorted(?:\s+out)?|paid|bought|called|sent|emailed|submitted|booked|cleaned|fixed)\b"
    r"(?!\s*(?:not|n't)\b)\s*(?P<target>.*)$",
    _IS,
)


# "I didn't finish task 5", "we haven't done the taxes": it is not done after all.
_NOT_DONE = re.compile(
    r"^(?:i|we)\s+(?:didn't|did\s+not|haven't|have\s+not|never|still\s+haven't)\s+(?:actually\s+|really\s+)?"
    r"(?:finish(?:ed)?|complete[d]?|do(?:ne)?)\s+(?P<target>.+)$",
    _IS,
)


_DELETE = re.compile(
    r"^(?:delete|remove|erase|drop|cancel|trash|discard|scrap|purge|nuke|ditch|bin|get\s+rid\s+of"
    r"|forget\s+about|throw\s+(?:away|out)|take\s+off)\b\s*(?P<target>.*)$",
    _IS,
)


_UPDATE = re.compile(
    r"^(?P<verb>change|rename|retitle|update|edit|modify|alter|set|make|move|push|reschedule"
    r"|postpone|delay|bump|shift|defer|prioriti[sz]e|deprioriti[sz]e|tag|label)\b\s*(?P<rest>.*)$",
    _IS,
)


_LIST = re.compile(
    r"^(?:show|list|display|view|print|summari[sz]e|summary|overview|agenda"
    r"|see\s+(?:my|all|what|everything|which|tasks|todos|pending|completed|overdue|the\s+(?:list|tasks))"
    r"|get\s+(?:me\s+)?(?:my|the|all|a\s+list)|give\s+me|fetch|tell\s+me|read\s+(?:me\s+)?(?:my|the|all)"
    r"|what|what's|whats|which|how\s+many|how\s+much|do\s+i\s+have|have\s+i|did\s+i|is\s+there"
    r"|are\s+there|any|anything|everything|find|search|look\s+(?:for|up|at\s+my|through)|lookup"
    r"|check\s+(?:my|the|what|all|if|whether|for|on)|where|open\s+(?:tasks|todos|items)"
    r"|my\s+(?:tasks|todos|to-?dos|list|agenda|to-?do\s+list|schedule)|all\s+(?:my\s+)?(?:tasks|todos|items)"
    r"|pending|overdue|completed|upcoming|outstanding|remaining|due\s+(?:today|tomorrow|this|next"
    r"|soon|before|by|on)|tasks?|todos?|to-?dos?|to-?do\s+list)\b",
    _I,
)


_OBLIGATION = re.compile(
    r"^(?:i\s+|we\s+|i(?='d)|we(?='d))?(?:really\s+|still\s+|also\s+|definitely\s+)?(?:(?:need|have|got|ought|want"
    r"|'d\s+like|would\s+like|will\s+need|'ll\s+need|'ve\s+got|should|must)\s+to|gotta|wanna|must"
    r"|should|need)\s+(?:remember\s+to\s+|not\s+forget\s+to\s+|make\s+sure\s+(?:to|i)\s+)?"
    r"(?P<rest>.+)$",
    _IS,
)


_STATE_SENTENCE = re.compile(
    r"^(?P<target>.+?)(?:\s+(?:is|are|was|were|has\s+been|have\s+been)|'s)(?P<neg>\s+not|n't)?\s+"
    r"(?:(?:now|all|already|finally|totally|yet|still)\s+)?(?P<state>done|complete|completed|finished"
    r"|closed|sorted|taken\s+care\s+of|open|pending|incomplete|undone|unfinished)\b[\s.!]*$",
    _IS,
)


# Tasks named by id and a state, without a verb: "task 2 done", "3 and 4: finished".
_ID_STATE = re.compile(
    r"^(?P<target>(?:the\s+)?" + ID_ITEM + r"(?:" + ID_JOIN.format(to="") + ID_ITEM + r")*)"
    r"\s*[:\-\u2013]?\s*(?:(?:is|are)\s+)?(?:now\s+)?(?P<state>done|complete|completed|finished"
    r"|not\s+done|undone)$",
    _IS,
)


# "task 2 is due friday", "the rent task is due on the 30th", "it's due tomorrow at 5pm".
_DUE_SENTENCE = re.compile(
    r"^(?P<target>" + ONE_TARGET + r")(?:'s|\s+(?:is|are|should\s+be|will\s+be|must\s+be"
    r"|needs\s+to\s+be\s+done))?\s+(?:now\s+)?(?:due(?:\s+date\s+is)?|deadline\s+is)\s+"
    r"(?P<when>.+)$",
    _IS,
)


# A question about one task: "is task 3 done?", "what's the status of task 3?".
_ABOUT_ONE = re.compile(
    r"^(?:(?:what(?:'s|\s+is)\s+)?(?:the\s+)?(?:status|state|progress)\s+(?:of|on|for)"
    r"|how(?:'s|\s+is)|is|was|has|have\s+i\s+(?:done|finished|completed)|did\s+i\s+(?:do|finish"
    r"|complete)|(?:any\s+)?(?:details|info|news)\s+(?:of|for|on|about)|tell\s+me\s+about"
    r"|what\s+about)\s+(?:the\s+)?(?:task|todo|to-do|item|number|no\.?)\s*#?\s*(?P<id>[0-9]{1,9})\b"
    r"(?:'s\s+status)?(?:\s+[\w\s,'-]*)?[\s?!.]*$",
    _I,
)


# "task 2 should be called Buy oat milk", "the milk task should be renamed to oat milk".
_NAME_SENTENCE = re.compile(
    r"^(?P<target>" + ONE_TARGET + r")\s+(?:should\s+be|is\s+now|will\s+be|must\s+be)\s+"
    r"(?:called|named|titled|renamed\s+(?:to|as))\s+(?P<title>.+)$",
    _IS,
)


# "give task 3 a due date of friday", "give the milk task high priority".
_GIVE = re.compile(r"^give\s+(?P<target>" + ONE_TARGET + r")\s+(?P<rest>.+)$", _IS)


# "clear completed", "clear out the done ones": a bulk delete, which is refused.
_CLEAR_DONE = re.compile(
    r"^(?:clear|clean)(?:\s+(?:out|up))?\s+(?:all\s+)?(?:(?:the|my)\s+)?(?:completed|finished|done)"
    r"(?:\s+(?:ones|tasks|todos|items))?$",
    _I,
)


_QUESTION_START = re.compile(
    r"^(?:what|what's|whats|which|how\s+many|how\s+much|where|is\s+there|are\s+there|any"
    r"|anything|did\s+i|have\s+i|give\s+me|tell\s+me)\b",
    _I,
)


_LIST_SIGNAL = re.compile(
    r"\b(?:tasks?|todos?|to-?dos?|list|pending|open|completed|complete|done|finished|overdue|due"
    r"|left|remaining|outstanding|plate|agenda|schedule|today|tonight|tomorrow|week|weekend|month"
    r"|tagged|tag|priority|urgent|important|need\s+to|have\s+to|to\s+do|upcoming|anything"
    r"|everything|accomplish(?:ed)?|late|behind|about|finish|did\s+i\s+do)\b|#\w",
    _I,
)


_LISTISH_ANYWHERE = re.compile(
    r".*?\b(?:tasks|todos|to-?dos|to-?do\s+list|my\s+list|agenda)\b", _IS
)


def classify(body: str, now: datetime) -> Reading:
    """The first rule that reads `body` (a command with its politeness stripped)."""
    text = body.rstrip(" .!")
    for rule in RULES:
        match = rule.pattern.match(text)
        if match is None:
            continue
        intent = rule.build(match, text, now)
        if intent is not None:
            return Reading(intent, rule.name)
    return Reading(Chat("unknown"), "unknown")


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
    if not words or _LIST_SIGNAL.search(words) or listed & (POSITION_WORDS | set(ORDINALS)):
        return None
    return OpenTask(TaskRef(words=words))


def _add_weak(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    rest = match.group("rest")
    if LEADING_ID.match(rest) or LEADING_IDS.match(rest):
        return None
    if TASK_NOUN.match(rest) and not re.fullmatch(r"(?:tasks?|todos?)\s*", rest, _I):
        return parse_add(rest, now)
    if LIST_PHRASE.search(rest):
        return parse_add(rest, now)
    return None


def _add_rest(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    return parse_add(match.group("rest"), now)


def _remind(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    added = parse_add(match.group("rest"), now)
    if not isinstance(added, AddTasks) or not re.match(r"remind\b", text, _I):
        return added
    # "remind me at 8am to ...": a reminder at that time, on a task due then.
    drafts = tuple(
        replace(draft, remind_at=draft.due_at) if draft.due_at and not draft.recurrence else draft
        for draft in added.drafts
    )
    return AddTasks(drafts)


def _remind_about(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    found = dates.find_datetime(match.group("what"), now)
    if found is None:
        return None
    words = content_words(found.remove_from(match.group("what")))
    if not words:
        return None
    ref = parse_ref(words) or TaskRef(words=words)
    return UpdateTask(ref, TaskChanges(remind_at=found.value), add_if_missing=True)


def _remind_before(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    amount = dates.parse_number(match.group("n"))
    unit = match.group("unit").lower()
    delta = {"m": timedelta(minutes=amount), "h": timedelta(hours=amount)}.get(
        unit[0], timedelta(days=amount)
    )
    target = match.group("target") or "it"
    return ref_intent(target, lambda ref: UpdateTask(ref, TaskChanges(remind_before=delta)))


def _make_repeat(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    repeat = find_repeat(match.group("when"), now)
    if repeat is None:
        return None
    changes = TaskChanges(recurrence=repeat.rule)
    return ref_intent(match.group("target"), lambda ref: UpdateTask(ref, changes))


def _stop_repeat(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    changes = TaskChanges(clear=frozenset({"recurrence"}))
    target = match.group("target") or match.group("target2") or "it"
    return ref_intent(target, lambda ref: UpdateTask(ref, changes))


def _done_statement(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    target = REF_FILLER.sub("", match.group("target")).strip()
    target = re.sub(r"\s+(?:done|finished|completed)$", "", target, flags=_I)
    words = content_words(target)
    if not words or _QUESTION_START.match(text):
        return None
    return SetCompleted(parse_ref(target) or TaskRef(words=words), True)


def _action_statement(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    # "buy stamps friday", "pick up the parcel and dry cleaning": a to-do said plainly.
    return parse_add(text, now)


def _repeat_statement(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    # "gym every monday at 6pm": a thing that repeats, said without a verb, is a new task.
    if find_repeat(text, now) is None:
        return None
    return parse_add(text, now)


def _on_ref(
    target: str, build: Callable[[TaskRef], Intent], action: BulkAction, now: datetime
) -> Intent:
    """The intent for the task `target` names, or a bulk change when it names many."""
    ref = parse_ref(target)
    if ref is not None:
        return build(ref)
    if re.search(r"[0-9]", target):
        return Chat("bulk")  # too many ids at once ("tasks 1-500"): name fewer
    return BulkChange(action, _bulk_filter(target, action, now))


def _bulk_filter(target: str, action: BulkAction, now: datetime) -> TaskFilter:
    found = parse_list(target, now).filter
    if action == "complete" and found.status == "all":
        return replace(found, status="pending")
    if action == "reopen" and found.status == "all":
        return replace(found, status="completed")
    return found


def _reopen(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    return _on_ref(match.group("target"), lambda ref: SetCompleted(ref, False), "reopen", now)


def _complete(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    return _on_ref(match.group("target"), lambda ref: SetCompleted(ref, True), "complete", now)


def _priority_step(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    verb = " ".join(match.group("verb").lower().split())
    changes = TaskChanges(priority_step=-1 if verb in PRIORITY_DOWN else 1)
    target = match.group("target") or match.group("target2")
    return ref_intent(target, lambda ref: UpdateTask(ref, changes))


def _mark_priority(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    changes = TaskChanges(priority=priority_word(match.group("priority") or match.group("urgent")))
    return ref_intent(match.group("target"), lambda ref: UpdateTask(ref, changes))


def _mark_state(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    done = state_is_done(match.group("state"))
    action: BulkAction = "complete" if done else "reopen"
    return _on_ref(match.group("target"), lambda ref: SetCompleted(ref, done), action, now)


def _clear_done(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    return BulkChange("delete", TaskFilter(status="completed"))


def _delete(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    return _on_ref(match.group("target"), DeleteTask, "delete", now)


def _when(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    words = content_words(match.group("what"))
    if not words or _LIST_SIGNAL_WORDS.fullmatch(words):
        return None
    return ListTasks(TaskFilter(about=words, question="when"))


def _done_question(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    words = content_words(match.group("what"))
    if not words or _LIST_SIGNAL_WORDS.fullmatch(words):
        return None
    verb = (match.groupdict().get("verb") or "").lower()
    if verb and verb not in ("do", "finish", "complete", "get", "tick", "check"):
        words = f"{verb} {words}"
    return ListTasks(TaskFilter(about=words, question="done"))


def _urgent(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    return ListTasks(TaskFilter(status="pending", question="urgent"))


def _finished(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    listed = parse_list(text, now).filter
    return ListTasks(
        TaskFilter(
            status="completed",
            question="finished",
            done_after=listed.due_after,
            done_before=listed.due_before,
            period=(listed.period or "").removeprefix("due ").removeprefix("on ") or None,
        )
    )


def _update(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    return parse_update(match.group("verb").lower(), match.group("rest"), now)


def _give(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    rest = re.sub(r"^(?:an?|the)\s+", "", match.group("rest"), flags=_I)
    update = parse_update("set", f"{match.group('target')} {rest}", now)
    if isinstance(update, UpdateTask) and update.changes.tags:
        # Giving a task a tag adds it to the ones it has.
        added = replace(update.changes, tags=None, add_tags=update.changes.tags)
        return replace(update, changes=added)
    return update


def _name_sentence(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    changes = TaskChanges(title=clean_title(match.group("title")) or None)
    if not changes.title:
        return None
    return ref_intent(match.group("target"), lambda ref: UpdateTask(ref, changes))


def _about_one(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    return ListTasks(TaskFilter(task_id=int(match.group("id"))))


def _due_sentence(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    found = dates.find_datetime(match.group("when"), now)
    if found is None:
        return None
    changes = TaskChanges(due_at=found.value)
    return ref_intent(match.group("target"), lambda ref: UpdateTask(ref, changes))


def _state_sentence(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    if _QUESTION_START.match(text):
        return None
    done = state_is_done(match.group("state")) != bool(match.group("neg"))
    return ref_intent(match.group("target"), lambda ref: SetCompleted(ref, done))


def _list(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    if _QUESTION_START.match(text) and not _LIST_SIGNAL.search(text):
        return None
    return parse_list(text, now)


def _obligation(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    rest = match.group("rest")
    inner = classify(rest, now).intent
    if isinstance(inner, ListTasks | DeleteTask | UpdateTask | AddTasks):
        return inner
    if isinstance(inner, OpenTask) and inner.ref.task_id is not None:
        return inner  # "I want to see task 3"; "I need to open the garage" is a new task
    if isinstance(inner, SetCompleted) and not inner.completed:
        return inner
    return parse_add(rest, now)


def _listish(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    return parse_list(text, now)


def _tag_removal(build: Callable[[re.Match[str]], Intent]) -> Builder:
    return lambda match, text, now: build(match)


RULES: tuple[Rule, ...] = (
    Rule(
        "add_to_task",
        ADD_TO_TASK,
        lambda match, text, now: add_to_task(match),
        ("add the tag work to task 3", "add #home to it", "add a note to task 2: ring first"),
    ),
    Rule("add", _ADD_STRONG, _add_rest, ("add buy milk", "create a task to call mom")),
    Rule("open", _OPEN, _open, ("open task 3", "highlight the milk task")),
    Rule("show_one", _SHOW_ONE, _show_one, ("show me task 2", "show me the dentist task")),
    Rule("add_weak", _ADD_WEAK, _add_weak, ("set a reminder to stretch", "put bread on my list")),
    Rule("remind_before", _REMIND_BEFORE, _remind_before, ("remind me 30 minutes before",)),
    Rule("remind_about", _REMIND_ABOUT, _remind_about, ("remind me about the report at 3pm",)),
    Rule("stop_repeat", _STOP_REPEAT, _stop_repeat, ("stop repeating the rent task",)),
    Rule("make_repeat", _MAKE_REPEAT, _make_repeat, ("make the standup repeat every weekday",)),
    Rule("remind", _REMIND, _remind, ("remind me to call the plumber", "todo: fix the bike")),
    Rule("reopen", _REOPEN, _reopen, ("reopen task 4", "undo task 2")),
    Rule("not_done", _NOT_DONE, _reopen, ("i didn't finish task 5",)),
    Rule("priority_step", _PRIORITY_STEP, _priority_step, ("lower the priority of task 3",)),
    Rule("mark_priority", _MARK_PRIORITY, _mark_priority, ("mark task 3 as urgent",)),
    Rule("mark_state", _MARK, _mark_state, ("mark task 3 done", "set task 2 to pending")),
    Rule("mark_bare", _MARK_BARE, _complete, ("check off task 3", "cross off the milk task")),
    Rule("complete", _COMPLETE, _complete, ("complete task 2", "finish the report task")),
    Rule("i_did", _I_DID, _complete, ("i finished task 2", "i paid the rent task")),
    Rule("done_statement", _DONE_STATEMENT, _done_statement, ("paid the water bill",)),
    Rule("untag", UNTAG, _tag_removal(untag), ("remove the work tag from task 3",)),
    Rule("clear_tags", CLEAR_TAGS, _tag_removal(clear_tags), ("remove all tags from task 3",)),
    Rule("clear_field", CLEAR_FIELD, _tag_removal(clear_field), ("clear the due date of task 2",)),
    Rule("no_field", NO_FIELD, _tag_removal(clear_field), ("task 3 has no due date",)),
    Rule("clear_done", _CLEAR_DONE, _clear_done, ("clear completed",)),
    Rule("delete", _DELETE, _delete, ("delete task 5", "remove the meeting task")),
    Rule("update", _UPDATE, _update, ("rename task 2 to Call the bank", "move task 2 to friday")),
    Rule("give", _GIVE, _give, ("give task 3 a due date of friday",)),
    Rule("name_sentence", _NAME_SENTENCE, _name_sentence, ("task 2 should be called oat milk",)),
    Rule("about_one", _ABOUT_ONE, _about_one, ("is task 3 done?", "status of task 4")),
    Rule("id_state", _ID_STATE, _mark_state, ("task 2 done", "3 and 4: finished")),
    Rule("due_sentence", _DUE_SENTENCE, _due_sentence, ("task 2 is due friday",)),
    Rule("state_sentence", _STATE_SENTENCE, _state_sentence, ("the rent task is done",)),
    Rule("when", _WHEN, _when, ("when's my haircut?", "when is the dentist due")),
    Rule("done_question", _DONE_QUESTION, _done_question, ("did i pay the gas bill?",)),
    Rule("is_it_done", _IS_IT_DONE, _done_question, ("is the report done yet?",)),
    Rule("urgent", _URGENT_QUESTION, _urgent, ("what's most urgent?", "what should i do first")),
    Rule("finished", _FINISHED, _finished, ("what did i finish today?",)),
    Rule("list", _LIST, _list, ("show my tasks", "what's due this week?")),
    Rule("obligation", _OBLIGATION, _obligation, ("i need to call the bank",)),
    Rule("words_done", _WORDS_DONE, _done_statement, ("groceries done", "the ferns: sorted")),
    Rule("action_statement", _ACTION_STATEMENT, _action_statement, ("buy stamps friday",)),
    Rule("repeat_statement", _ANYTHING, _repeat_statement, ("yoga every tuesday at 7pm",)),
    Rule("listish", _LISTISH_ANYWHERE, _listish, ("so how do my tasks look",)),
)
