"""Reminder and repeat rows: "remind me to ...", "remind me 30 minutes before", "make it repeat
every monday", "stop repeating it", and a repeating thing said without a verb."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta

from chatapp.agent.offline import dates
from chatapp.agent.offline.adds import parse_add
from chatapp.agent.offline.dates.recurrence import find_repeat
from chatapp.agent.offline.intents import AddTasks, Intent, TaskChanges, TaskRef, UpdateTask
from chatapp.agent.offline.pattern import nocase_dotall
from chatapp.agent.offline.rules.row import ANY_MESSAGE, Rule
from chatapp.agent.offline.slots import content_words, parse_ref, ref_intent

_AMOUNT = (
    r"(?P<n>[0-9]{1,3}|an?|one|two|three|four|five|ten|fifteen|twenty|thirty|forty-five|half\s+an)"
    r"\s+(?P<unit>minutes?|mins?|hours?|hrs?|days?|weeks?)"
)
# "remind me 30 minutes before", "remind me a day before the bill is due",
# "remind me about the dentist an hour before": a reminder set from the due date.
_REMIND_BEFORE = nocase_dotall(
    r"^(?:remind\s+me|set\s+(?:up\s+)?a\s+reminder|give\s+me\s+a\s+(?:reminder|heads[\s-]up))\s+"
    + _AMOUNT
    + r"\s+(?:before|ahead(?:\s+of)?|earlier|in\s+advance|prior(?:\s+to)?)"
    r"(?:\s+(?:it(?:'s|\s+is)?\s+due|(?:it|the\s+deadline))?)?(?:\s+(?:for\s+|of\s+)?(?P<target>.+?))?"
    r"(?:\s+(?:is\s+due|is|starts|begins|happens|comes\s+up))?$"
    r"|^(?:remind\s+me|set\s+(?:up\s+)?a\s+reminder)\s+(?:about|of|for)\s+(?P<target2>.+?)\s+"
    + _AMOUNT.replace("<n>", "<n2>").replace("<unit>", "<unit2>")
    + r"\s+(?:before(?:hand)?|ahead(?:\s+of\s+time)?|earlier|in\s+advance|prior)(?:\s+(?:it(?:'s|\s+is)?"
    r"\s+due|it\s+starts))?$"
)
_REMIND_ABOUT = nocase_dotall(r"^remind\s+me\s+(?:about|of)\s+(?P<what>.+)$")
# Before the add verbs read "set a reminder ..." as a new task: one for a task there may be.
_REMIND_FOR = nocase_dotall(
    r"^(?:set|put|add|create)\s+(?:up\s+)?a\s+reminder\s+(?:for|about|on)\s+(?P<what>.+)$"
)
_STOP_REPEAT = nocase_dotall(
    r"^(?:stop|don'?t\s+keep|quit|no\s+more)\s+(?:repeating|recurring)\s*(?P<target>.*)$"
    r"|^(?:make\s+)?(?P<target2>.+?)\s+(?:should(?:n'?t|\s+not)|does(?:n'?t|\s+not)\s+need\s+to"
    r"|(?:must|will)\s+not|won'?t)\s+(?:repeat|recur)(?:\s+any\s*more)?$"
)
_MAKE_REPEAT = nocase_dotall(
    r"^(?:make|set|have|let)\s+(?P<target>.+?)\s+(?:to\s+)?(?:repeat|recur|happen|come\s+back)"
    r"\s+(?P<when>.+)$"
    r"|^(?:make|set|turn)\s+(?P<target2>.+?)\s+(?:into\s+)?(?:(?:a|an)\s+)?(?P<when2>(?:daily|weekly"
    r"|fortnightly|monthly|yearly|annual|recurring|repeating|every)\b.*?)(?:\s+(?:task|thing|one"
    r"|event))?$"
)
_REMIND = nocase_dotall(
    r"^(?:remind\s+me\s*(?:(?:to|about|that|of)\b)?|remember\s+(?:to|that)|don'?t\s+(?:let\s+me\s+)?"
    r"forget\s*(?:to|about|that)?|do\s+not\s+(?:let\s+me\s+)?forget\s*(?:to|about|that)?"
    r"|make\s+sure\s+(?:i|to)|note\s+to\s+self\s*:?|(?:new\s+)?(?:todo|to-do|task|reminder)\s*:)"
    r"\s*(?P<rest>.*)$"
)


def _remind(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    added = parse_add(match.group("rest"), now)
    if not isinstance(added, AddTasks) or not re.match(r"remind\b", text, re.IGNORECASE):
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
    raw = (match.group("n") or match.group("n2")).lower()
    amount = 0.5 if raw.startswith("half") else dates.parse_number(raw)
    unit = (match.group("unit") or match.group("unit2")).lower()
    delta = {"m": timedelta(minutes=amount), "h": timedelta(hours=amount)}.get(unit[0])
    if delta is None:
        delta = timedelta(weeks=amount) if unit.startswith("w") else timedelta(days=amount)
    target = match.group("target") or match.group("target2") or "it"
    return ref_intent(target, lambda ref: UpdateTask(ref, TaskChanges(remind_before=delta)))


def _make_repeat(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    when = match.group("when") or match.group("when2")
    repeat = find_repeat(when, now)
    if repeat is None:
        return None
    changes = TaskChanges(recurrence=repeat.rule)
    target = match.group("target") or match.group("target2")
    return ref_intent(target, lambda ref: UpdateTask(ref, changes))


def _stop_repeat(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    changes = TaskChanges(clear=frozenset({"recurrence"}))
    target = match.group("target") or match.group("target2") or "it"
    return ref_intent(target, lambda ref: UpdateTask(ref, changes))


# "walk the dog every morning from now on": the task there is (or a new one) repeats.
_FROM_NOW_ON = nocase_dotall(
    r"^(?P<target>.+?)\s+(?P<when>(?:every|each|daily|weekly|monthly|on\s+\w+s)\b.*?)\s*,?\s+"
    r"(?:from\s+now\s+on|going\s+forward|starting\s+(?:now|today|this\s+week)|from\s+today)$"
)


def _from_now_on(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    repeat = find_repeat(match.group("when"), now)
    words = content_words(match.group("target"))
    if repeat is None or not words:
        return None
    changes = TaskChanges(recurrence=repeat.rule)
    return UpdateTask(parse_ref(words) or TaskRef(words=words), changes, add_if_missing=True)


def _repeat_statement(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    # "gym every monday at 6pm": a thing that repeats, said without a verb, is a new task.
    if find_repeat(text, now) is None:
        return None
    return parse_add(text, now)


REMIND_BEFORE = Rule(
    "remind_before", _REMIND_BEFORE, _remind_before, ("remind me 30 minutes before",)
)
REMIND_FOR = Rule(
    "remind_for", _REMIND_FOR, _remind_about, ("set a reminder for the bill tomorrow at noon",)
)
REMIND_ABOUT = Rule(
    "remind_about", _REMIND_ABOUT, _remind_about, ("remind me about the report at 3pm",)
)
STOP_REPEAT = Rule("stop_repeat", _STOP_REPEAT, _stop_repeat, ("stop repeating the rent task",))
MAKE_REPEAT = Rule(
    "make_repeat",
    _MAKE_REPEAT,
    _make_repeat,
    ("make the standup repeat every weekday", "make the team meeting weekly"),
)
REMIND = Rule("remind", _REMIND, _remind, ("remind me to call the plumber", "todo: fix the bike"))
FROM_NOW_ON = Rule(
    "from_now_on", _FROM_NOW_ON, _from_now_on, ("walk the dog every morning from now on",)
)
REPEAT_STATEMENT = Rule(
    "repeat_statement", ANY_MESSAGE, _repeat_statement, ("yoga every tuesday at 7pm",)
)
