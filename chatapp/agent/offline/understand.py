"""One user message to what it asks for: normalise, small talk, then the command rules."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from chatapp.agent.offline.file_mentions import without_file_mentions
from chatapp.agent.offline.intents import AddTasks, Chat, Compound, Intent, Select
from chatapp.agent.offline.lexicon import ACTION_VERBS, COMMAND_VERBS
from chatapp.agent.offline.normalise import (
    bare,
    expand_shorthand,
    fix_slips,
    normalise,
    polite_gerund,
    scrub,
    strip_lead,
)
from chatapp.agent.offline.pattern import nocase
from chatapp.agent.offline.rules import Reading, classify
from chatapp.agent.offline.smalltalk import chat_kind, selection

# What is left of "thanks, see attached" or "new task, file attached" asks for nothing more.
_SAYS_NOTHING_MORE = frozenset(("greeting", "thanks", "ack", "empty", "unknown", "missing_title"))
_NOT_A_NEW_REQUEST = frozenset(("action_statement", "repeat_statement", "words_done"))
_NEXT_COMMAND = r"(?=(?:please\s+|pls\s+|also\s+|just\s+)*(?:" + COMMAND_VERBS + r")\b)"
# Where one request ends and the next may begin; a split is kept only if every clause reads as a
# command by itself, so "buy milk and eggs" or "call mom then dad" stay whole.
_CLAUSE_BREAK = nocase(
    r"\s*(?:[,;]\s*(?:and\s+)?then\b|\s+and\s+then\b|\s+then\b|;|\n|(?<=\w)[.!?]\s+"
    r"|,\s+and\s+|,\s*(?:(?:and|also|now|plus|but|so)\s+)*"
    + _NEXT_COMMAND
    + r"|\s+(?:and|&|plus|as\s+well\s+as)\s+(?:also\s+)?"
    + _NEXT_COMMAND
    + r")\s*"
)


# "can you call my mom for me": the assistant asked to run an errand itself, which it cannot
# (a to-do list verb after "can you" is a command: "can you add ...", "could you move ...").
_SERVICE = nocase(
    r"^(?:(?:hey|hi|ok|okay|so)[\s,]+)?(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+|pls\s+"
    r"|just\s+|maybe\s+)?(?!(?:add|create|put|remind|show|list|display|mark|complete|finish|delete"
    r"|remove|cancel|move|change|rename|update|set|make|tag|schedule|reschedule|push|postpone|find"
    r"|tell|give|check|note|write\s+down|jot|clear|reopen|open|keep|track|save|record|log|bump"
    r"|delay|untag|label|prioriti[sz]e|sort|archive|undo|drop|erase)\b)(?:" + ACTION_VERBS + r")\b"
)


def said(text: str) -> str:
    """The user's own words for what they asked, without the politeness around them."""
    return strip_lead(scrub(normalise(text))) or normalise(text)


def read_message(text: str, now: datetime) -> Reading:
    """What `text` asks for, with dates resolved against `now`, and the rule that read it.

    A message that reads as several requests, each one a command on its own ("finish task 4
    and push task 6 to monday"), is a `Compound` of them in order. Clauses that only point at
    attached files ("..., see attached") are no request: the tasks the rest adds keep the files.
    """
    rest, mentioned = without_file_mentions(text)
    if mentioned:
        reading = _read_requests(rest, now) if rest else Reading(Chat("files"), "files")
        return Reading(_with_files(reading.intent), f"{reading.rule}+files")
    return _read_requests(text, now)


def _read_requests(text: str, now: datetime) -> Reading:
    clauses = _clauses(normalise(text))
    if len(clauses) > 1:
        readings = [_read_one(clause, now) for clause in clauses]
        if all(_is_command(reading) for reading in readings):
            rules = "+".join(reading.rule for reading in readings)
            return Reading(Compound(tuple(r.intent for r in readings)), f"compound:{rules}")
    return _read_one(text, now)


def _with_files(intent: Intent) -> Intent:
    if isinstance(intent, AddTasks):
        return replace(intent, with_files=True)
    if isinstance(intent, Compound):
        return Compound(tuple(_with_files(part) for part in intent.parts))
    if isinstance(intent, Chat) and intent.kind in _SAYS_NOTHING_MORE:
        return Chat("files")  # "hi, here's the scan": the files are the message
    return intent


def _is_command(reading: Reading) -> bool:
    # A to-do said plainly ("water the plants") continues a list of adds, not a new request.
    if reading.rule in _NOT_A_NEW_REQUEST:
        return False
    return not isinstance(reading.intent, Chat | Select | Compound)


def _clauses(text: str) -> list[str]:
    parts = [part.strip(" ,;.") for part in _CLAUSE_BREAK.split(text) if part]
    # A connector alone ("... 4. after that, delete ...") is no clause of its own.
    return [part for part in parts if part.strip(" ,;.") and strip_lead(part)]


def _read_one(text: str, now: datetime) -> Reading:
    cleaned = normalise(text)
    if not cleaned:
        kind = "unknown" if text.strip() else "empty"  # an emoji alone says nothing we can do
        return Reading(Chat(kind), kind)
    if re.fullmatch(r"\?+", cleaned):
        return Reading(Chat("help"), "help")
    cleaned = scrub(cleaned)
    if _SERVICE.match(cleaned):
        return Reading(Chat("unknown"), "service")
    edges_stripped = bare(cleaned)
    if not edges_stripped:
        return Reading(Chat("unknown"), "unknown")
    kind = chat_kind(edges_stripped)
    if kind is not None:
        return Reading(Chat(kind), kind)
    selected = selection(edges_stripped)
    if selected is not None:
        return Reading(selected, "select")
    body = fix_slips(strip_lead(expand_shorthand(polite_gerund(cleaned))))
    if not body:
        return Reading(Chat("greeting"), "greeting")
    return classify(body, now)


def parse_intent(text: str, now: datetime) -> Intent:
    """What `text` asks for, with dates resolved against `now`."""
    return read_message(text, now).intent
