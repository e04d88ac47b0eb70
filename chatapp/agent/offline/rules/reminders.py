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
from chatapp.agent.offline.rules.row import NOCASE_DOTALL, Rule
from chatapp.agent.offline.slots import content_words, parse_ref, ref_intent

_REMIND_BEFORE = re.compile(
    r"^remind\s+me\s+(?P<n>[0-9]{1,3}|an?|one|two|three|five|ten|fifteen|thirty)\s+"
    r"(?P<unit>minutes?|mins?|hours?|hrs?|days?)\s+(?:before|ahead(?:\s+of)?|earlier)"
    r"(?:\s+(?:it(?:'s|\s+is)?\s+due|(?:it|the\s+deadline))?)?(?:\s+(?:for\s+)?(?P<target>.+?))?$",
    NOCASE_DOTALL,
)
_REMIND_ABOUT = re.compile(r"^remind\s+me\s+(?:about|of)\s+(?P<what>.+)$", NOCASE_DOTALL)
_STOP_REPEAT = re.compile(
    r"^(?:stop|don'?t\s+keep|quit|no\s+more)\s+(?:repeating|recurring)\s*(?P<target>.*)$"
    r"|^(?:make\s+)?(?P<target2>.+?)\s+(?:should(?:n'?t|\s+not)|does(?:n'?t|\s+not)\s+need\s+to"
    r"|(?:must|will)\s+not|won'?t)\s+(?:repeat|recur)(?:\s+any\s*more)?$",
    NOCASE_DOTALL,
)
_MAKE_REPEAT = re.compile(
    r"^(?:make|set|have|let)\s+(?P<target>.+?)\s+(?:to\s+)?(?:repeat|recur|happen|come\s+back)"
    r"\s+(?P<when>.+)$",
    NOCASE_DOTALL,
)
_REMIND = re.compile(
    r"^(?:remind\s+me\s*(?:to|about|that|of)?|remember\s+(?:to|that)|don'?t\s+(?:let\s+me\s+)?"
    r"forget\s*(?:to|about|that)?|do\s+not\s+(?:let\s+me\s+)?forget\s*(?:to|about|that)?"
    r"|make\s+sure\s+(?:i|to)|note\s+to\s+self\s*:?|(?:new\s+)?(?:todo|to-do|task|reminder)\s*:)"
    r"\s*(?P<rest>.*)$",
    NOCASE_DOTALL,
)
_ANYTHING = re.compile(r"^.+$", NOCASE_DOTALL)


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


def _repeat_statement(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    # "gym every monday at 6pm": a thing that repeats, said without a verb, is a new task.
    if find_repeat(text, now) is None:
        return None
    return parse_add(text, now)


REMIND_BEFORE = Rule(
    "remind_before", _REMIND_BEFORE, _remind_before, ("remind me 30 minutes before",)
)
REMIND_ABOUT = Rule(
    "remind_about", _REMIND_ABOUT, _remind_about, ("remind me about the report at 3pm",)
)
STOP_REPEAT = Rule("stop_repeat", _STOP_REPEAT, _stop_repeat, ("stop repeating the rent task",))
MAKE_REPEAT = Rule(
    "make_repeat", _MAKE_REPEAT, _make_repeat, ("make the standup repeat every weekday",)
)
REMIND = Rule("remind", _REMIND, _remind, ("remind me to call the plumber", "todo: fix the bike"))
REPEAT_STATEMENT = Rule(
    "repeat_statement", _ANYTHING, _repeat_statement, ("yoga every tuesday at 7pm",)
)
