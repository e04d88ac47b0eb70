"""Statements about one task: what is now true of it, said after its name.

"the electricity bill is urgent", "the team meeting is cancelled", "the passport is renewed",
"the report can wait until next week", "the bill goes under home". Each row is a predicate; the
words before it name the task (matched against the list by the planner, typos and all). A
subject that is a question or a person ("is it", "I am") is not a task, and the row passes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from chatapp.agent.offline import dates
from chatapp.agent.offline.dates.recurrence import find_repeat
from chatapp.agent.offline.intents import (
    Chat,
    Clearable,
    DeleteTask,
    Intent,
    Priority,
    SetCompleted,
    TaskChanges,
    TaskRef,
    UpdateTask,
)
from chatapp.agent.offline.lexicon import CANCELLED_WORDS, COMMAND_VERBS, DONE_PARTICIPLES
from chatapp.agent.offline.pattern import nocase, nocase_dotall
from chatapp.agent.offline.rules.row import NOCASE, Rule
from chatapp.agent.offline.slots import FIELD_WORDS, TAG_LIST, content_words, parse_ref, tags_from
from chatapp.agent.offline.titles import clean_title

# What a predicate builds from its match, once the subject reads as a task.
Predicate = Callable[[re.Match[str], TaskRef, datetime], Intent | None]

_MAX_SUBJECT_WORDS = 10
_NOT_A_TASK = nocase(
    r"^(?:i|i'm|i've|we|we're|you|they|he|she|there|here|what|what's|whats|which|who|how|when"
    r"|where|why|is|are|was|were|do|does|did|can|could|would|should|will|has|have|nothing"
    r"|everything|anything|something|someone|today|tomorrow|tonight|life|it's\s+all)\b"
)
# "show what's due", "list what is done": a command, not a task's name.
_COMMAND_SUBJECT = nocase(
    r"^(?:" + COMMAND_VERBS + r"|tell|find|search|give|check)\b|\b(?:what|what's|whats|which|who"
    r"|how|when|where|why)\b"
)
_WANT = nocase(
    r"^(?:i|we)\s+(?:want|need|'d\s+like|would\s+like|expect|really\s+need|really\s+want)\s+(?=\S)"
)
_BE = (
    r"(?:'s\s+been|'ve\s+been|'s|'re|\s+(?:is|are|was|were|has\s+been|have\s+been|got|gets|get"
    r"|becomes|became|should\s+be|needs\s+to\s+be))"
)
_NOT_BE = (
    r"(?:\s+(?:isn't|is\s+not|aren't|are\s+not|wasn't|was\s+not|hasn't\s+been|has\s+not\s+been"
    r"|haven't\s+been|have\s+not\s+been|ain't))"
)
_ADVERB = r"(?:\s+(?:now|all|already|finally|totally|completely|officially|actually|really|also))*"
_TAIL = (
    r"(?:\s+(?:now|already|today|too|as\s+well|at\s+last|any\s*more|after\s+all|then|again))*"
    r"[\s.!]*$"
)
_DONE = r"(?:" + DONE_PARTICIPLES + r")"
_WHEN_FILLER = nocase(
    r"^(?:now|then|instead|again|please|at|on|the|for|by|until|till|to|from|of|this|that|is"
    r"|due|time|and|,)$"
)


def _statement(name: str, predicate: str, build: Predicate, examples: tuple[str, ...]) -> Rule:
    pattern = nocase_dotall(r"^(?P<subject>.+?)(?:" + predicate + r")")

    def read(match: re.Match[str], text: str, now: datetime) -> Intent | None:
        ref = _subject(match.group("subject"))
        return None if ref is None else build(match, ref, now)

    return Rule(name, pattern, read, examples)


def _subject(text: str) -> TaskRef | None:
    # "I want the report done by wednesday": what is wanted of the task is said of it.
    subject = _WANT.sub("", text.strip(" ,:;-"))
    if not subject or _NOT_A_TASK.match(subject) or _COMMAND_SUBJECT.search(subject):
        return None
    if len(subject.split()) > _MAX_SUBJECT_WORDS:
        return None
    ref = parse_ref(subject)
    if ref is None or not (ref.task_id or ref.pronoun or ref.ordinal or content_words(subject)):
        return None
    return ref


def _change(changes: TaskChanges, *, add_if_missing: bool = False) -> Predicate:
    return lambda match, ref, now: UpdateTask(ref, changes, add_if_missing=add_if_missing)


def _priority(match: re.Match[str], ref: TaskRef, now: datetime) -> Intent | None:
    level = " ".join((match.group("level") or match.group("neg")).lower().split())
    priority: Priority = "high"
    if re.search(r"\b(?:not|less|no\s+rush|low|lowest)\b", level) or match.groupdict().get("neg"):
        priority = "low"
    elif re.search(r"\b(?:medium|normal)\b", level):
        priority = "medium"
    return UpdateTask(ref, TaskChanges(priority=priority))


def _due(match: re.Match[str], ref: TaskRef, now: datetime) -> Intent | None:
    # A weekday alone ("thursday now") is a date here: nothing else can follow "is due".
    for when in (match.group("when"), f"on {match.group('when')}"):
        found = dates.find_datetime(when, now)
        if found is not None:
            break
    else:
        return None
    rest = found.remove_from(when).replace(",", " ").split()
    if any(not _WHEN_FILLER.match(word) for word in rest):
        return None
    return UpdateTask(
        ref,
        TaskChanges(due_at=found.value, keep_day=not found.has_day, keep_time=not found.has_time),
    )


def _repeats(match: re.Match[str], ref: TaskRef, now: datetime) -> Intent | None:
    when = match.group("when")
    repeat = find_repeat(when, now)
    if repeat is None or dates.remove_spans(when, repeat.spans).strip(" ,.!"):
        return None
    return UpdateTask(ref, TaskChanges(recurrence=repeat.rule))


def _tagged(match: re.Match[str], ref: TaskRef, now: datetime) -> Intent | None:
    tags = tags_from(match.group("tags") or match.group("tags2") or "")
    return UpdateTask(ref, TaskChanges(add_tags=tags)) if tags else None


def _named(match: re.Match[str], ref: TaskRef, now: datetime) -> Intent | None:
    title = clean_title(match.group("title"))
    return UpdateTask(ref, TaskChanges(title=title)) if title else None


def _no_field(match: re.Match[str], ref: TaskRef, now: datetime) -> Intent | None:
    field = (match.group("field") or match.group("field2")).lower()
    if field.startswith(("title", "name", "priorit")):
        return Chat("cant_clear")
    if field.startswith(("tag", "label")):
        return UpdateTask(ref, TaskChanges(tags=()))
    cleared: Clearable = "description" if field.startswith(("desc", "detail", "note")) else "due_at"
    return UpdateTask(ref, TaskChanges(clear=frozenset({cleared})))


PRIORITY = _statement(
    "is_priority",
    r"(?:" + _BE + r"|\s+(?:feels|seems|should\s+be|needs\s+to\s+be|must\s+be|has\s+to\s+be"
    r"|will\s+be|can\s+be|could\s+be|may\s+be))"
    + _ADVERB
    + r"\s+(?:very\s+|super\s+|really\s+|quite\s+"
    r"|pretty\s+|extremely\s+|kind\s+of\s+|more\s+)?(?P<level>urgent|important|critical|pressing"
    r"|time[\s-]sensitive|(?:a|the|my)\s+(?:top\s+|high\s+|big\s+)?priority|top\s+priority"
    r"|(?:a\s+)?(?:high|low|medium|normal)(?:est)?[\s-]+prio(?:rity)?|not\s+(?:that\s+|very\s+"
    r"|so\s+|too\s+)?(?:urgent|important|a\s+priority)|less\s+(?:urgent|important)|no\s+rush"
    r"|asap|priority\s+(?:one|number\s+one|#?1))"
    + _TAIL
    + r"|"
    + _NOT_BE
    + r"\s+(?:that\s+|very\s+|so\s+|too\s+)?(?P<neg>urgent|important|a\s+priority|pressing)"
    + _TAIL,
    _priority,
    ("the electricity bill is urgent", "task 2 is high priority", "the gym isn't urgent"),
)
CAN_WAIT = _statement(
    "can_wait",
    r"\s+(?:can|could)\s+wait(?:\s+(?:a\s+bit|a\s+while|for\s+now))?" + _TAIL,
    lambda match, ref, now: UpdateTask(ref, TaskChanges(priority="low")),
    ("the garage can wait",),
)
DUE = _statement(
    "is_due",
    r"(?:"
    + _BE
    + r"|\s+(?:should\s+be|needs?\s+to\s+be|has\s+to\s+be|must\s+be|will\s+be|can\s+be|is\s+to\s+be"
    r"|needs?\s+to\s+happen|has\s+to\s+happen|should\s+happen|must\s+happen|will\s+happen"
    r"|can\s+wait|moves?|moved|shifts?|slips?|goes(?:\s+out)?|is\s+going|happens|takes\s+place"
    r"|(?:can|could|will|should|must|may|might)\s+(?:move|shift|go|happen|be\s+moved|be\s+done)"
    r"|is\s+happening))"
    + _ADVERB
    + r"\s+(?:(?:due(?:\s+date\s+is)?|deadline\s+is|done|finished|ready|handed\s+in|submitted"
    r"|scheduled|happening|planned|set|moved|moving|being\s+moved|getting\s+moved|shifting"
    r"|pushed(?:\s+back|\s+out)?|postponed|rescheduled|delayed"
    r"|brought\s+forward|back)\s+)?(?P<when>(?:until|till|to|for|on|at|by|before|next|this|in"
    r"|tomorrow|today|tonight|[0-9]|(?:mon|tues?|wed|thu|fri|sat|sun)|the|end|jan|feb|mar|apr"
    r"|may|jun|jul|aug|sep|oct|nov|dec).*)$",
    _due,
    ("the team meeting is due thursday now", "the report needs to be done by thursday"),
)
MOVED = _statement(
    "moved_to",
    r"\s+(?:rescheduled|moved|pushed(?:\s+back)?|postponed|delayed|bumped|shifted|done|finished"
    r"|ready|completed|submitted|handed\s+in)\s+(?P<when>(?:to|for|until|till|by|before|on)\b.+)$",
    _due,
    ("haircut rescheduled for next tuesday", "the report done by wednesday"),
)
INSTEAD = _statement(
    "at_instead",
    r"(?:\s+is)?\s+(?P<when>(?:at|on|for|to|by|until|next|this|tomorrow|today)\b.+?)\s+instead"
    r"(?:\s+of\s+.+?)?[\s.!]*$",
    _due,
    ("the dentist at 4pm instead",),
)
NOW_ON = _statement(
    "now_on",
    r"\s+(?:is\s+)?now\s+(?P<when>(?:on|at|for|until|till)\b.+)$",
    _due,
    ("the dentist now on friday at 4",),
)
DONE = _statement(
    "is_done",
    _BE
    + _ADVERB
    + r"\s+(?P<state>"
    + _DONE
    + r")"
    + _TAIL
    + r"|\s+(?:went\s+(?:well|fine|ok|okay)|happened|is\s+behind\s+(?:me|us))"
    + _TAIL,
    lambda match, ref, now: SetCompleted(ref, True),
    ("the passport is renewed", "the team meeting is over", "the rent task is done"),
)
NOT_DONE = _statement(
    "not_done_yet",
    _NOT_BE
    + r"(?:\s+(?:actually|really|quite|yet|fully))*\s+(?:"
    + _DONE
    + r")"
    + _TAIL
    + r"|"
    + _BE
    + r"\s+(?:still\s+|actually\s+)?(?:open|pending|not\s+done|undone|unfinished|incomplete"
    r"|back\s+on(?:\s+(?:my|the)\s+list)?|not\s+finished)"
    + _TAIL
    + r"|\s+(?:still\s+)?needs\s+(?:more\s+)?(?:work|doing|finishing|to\s+be\s+(?:done|finished))"
    + _TAIL,
    lambda match, ref, now: SetCompleted(ref, False),
    ("the invoice isn't actually sent", "the garage is still open"),
)
CANCELLED = _statement(
    "is_cancelled",
    r"(?:"
    + _BE
    + r"|\s+(?:has\s+been|got|was))"
    + _ADVERB
    + r"\s+(?:"
    + CANCELLED_WORDS
    + r")"
    + _TAIL
    + r"|"
    + _NOT_BE
    + r"\s+(?:needed|happening|necessary|required|relevant|on)"
    + _TAIL
    + r"|\s+(?:can\s+go|can\s+be\s+(?:deleted|removed|dropped|scrapped)|won't\s+happen"
    r"|is\s+no\s+more)" + _TAIL,
    lambda match, ref, now: DeleteTask(ref),
    ("the team meeting is cancelled", "the gym class isn't happening anymore"),
)
TAGGED = _statement(
    "goes_under",
    r"\s+(?:goes|belongs|should\s+go|can\s+go|fits|is|should\s+be|files)\s+(?:under|in|into"
    r"|with)\s+(?:the\s+|my\s+)?(?P<tags>"
    + TAG_LIST
    + r")(?:\s+(?:list|tags?|category|pile|folder|stuff))?"
    + _TAIL
    + r"|"
    + _BE
    + r"\s+(?:tagged|labell?ed)\s+(?:as\s+|with\s+)?(?P<tags2>"
    + TAG_LIST
    + r")"
    + _TAIL,
    _tagged,
    ("the electricity bill goes under home and bills",),
)
REPEATS = _statement(
    "repeats",
    r"\s+(?:repeats|recurs|happens|occurs|comes\s+up|is|should\s+repeat|should\s+recur"
    r"|needs\s+to\s+happen|has\s+to\s+happen|is\s+due|should\s+be|needs\s+to\s+be|will\s+be"
    r"|should\s+happen)\s+(?P<when>(?:every|each|daily|weekly"
    r"|monthly|yearly|annually|once|twice|biweekly|fortnightly|on\s+(?:the\s+)?\S+\s+of\s+every)"
    r".*)$",
    _repeats,
    ("the team meeting repeats every tuesday",),
)
NAMED = _statement(
    "is_named",
    r"\s+(?:(?:should\s+be|is\s+now|will\s+be|must\s+be|is)\s+(?:called|named|titled|renamed"
    r"(?:\s+(?:to|as))?)|(?:needs|gets|should\s+get|deserves)\s+a\s+(?:new|better|different)\s+"
    r"(?:name|title)(?:\s*:|\s+like)?)\s+(?P<title>.+)$",
    _named,
    ("task 2 should be called oat milk", "the annual report should be called Yearly report"),
)
NO_FIELD = _statement(
    "no_field",
    r"\s+(?:has|have|should\s+have|gets|needs|can\s+have)\s+no\s+(?:more\s+)?(?P<field>"
    + FIELD_WORDS
    + r")(?:\s+any\s*more)?[\s.!]*$|\s+(?:doesn't|does\s+not|shouldn't|should\s+not|won't"
    r"|will\s+not|don't|do\s+not)\s+(?:have|need)\s+(?:a|an|any)\s+(?P<field2>"
    + FIELD_WORDS
    + r")(?:\s+any\s*more)?[\s.!]*$",
    _no_field,
    ("task 3 has no due date", "the electricity bill doesn't have a deadline anymore"),
)


def _merged(one: TaskChanges, other: TaskChanges) -> TaskChanges:
    """Both changes: each field from whichever of the two sets it."""
    fields = {
        name: getattr(one, name) or getattr(other, name)
        for name in TaskChanges.__dataclass_fields__
    }
    return TaskChanges(**fields)


def _two_facts(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    # "the water bill is important and due tomorrow": two statements about one task.
    subject, verb = match.group("subject"), match.group("verb")
    readings = []
    for fact in (match.group("a"), match.group("b")):
        fact = re.sub(r"^(?:it(?:'s|\s+is)|is|are)\s+", "", fact.strip(), flags=NOCASE)
        found = _first_statement(f"{subject} {verb} {fact}", now)
        if not isinstance(found, UpdateTask):
            return None
        readings.append(found)
    first, second = readings
    if first.ref != second.ref:
        return None
    return UpdateTask(first.ref, _merged(first.changes, second.changes))


def _first_statement(text: str, now: datetime) -> Intent | None:
    for rule in STATEMENTS:
        match = rule.pattern.match(text)
        intent = rule.build(match, text, now) if match else None
        if intent is not None:
            return intent
    return None


TWO_FACTS = Rule(
    "two_facts",
    nocase_dotall(
        r"^(?P<subject>.+?)\s+(?P<verb>is|are|should\s+be|needs\s+to\s+be)\s+(?P<a>.+?)\s+and\s+"
        r"(?P<b>(?:it(?:'s|\s+is)\s+|is\s+)?.+)$"
    ),
    _two_facts,
    ("the water bill is important and due tomorrow",),
)
# In the order they are tried: a due date before "done" ("done by friday" is a date).
STATEMENTS: tuple[Rule, ...] = (
    NAMED,
    NO_FIELD,
    REPEATS,
    DUE,
    MOVED,
    INSTEAD,
    NOW_ON,
    PRIORITY,
    CAN_WAIT,
    CANCELLED,
    NOT_DONE,
    DONE,
    TAGGED,
)
