"""One user message to what it asks for: normalise, small talk, then the command rules."""

from __future__ import annotations

import re
from datetime import datetime

from chatapp.agent.offline.intents import Chat, Intent
from chatapp.agent.offline.normalise import (
    bare,
    fix_slips,
    normalise,
    polite_gerund,
    scrub,
    strip_lead,
)
from chatapp.agent.offline.rules import Reading, classify
from chatapp.agent.offline.smalltalk import chat_kind, selection


def read_message(text: str, now: datetime) -> Reading:
    """What `text` asks for, with dates resolved against `now`, and the rule that read it."""
    cleaned = normalise(text)
    if not cleaned:
        return Reading(Chat("empty"), "empty")
    if re.fullmatch(r"\?+", cleaned):
        return Reading(Chat("help"), "help")
    cleaned = scrub(cleaned)
    edges_stripped = bare(cleaned)
    if not edges_stripped:
        return Reading(Chat("unknown"), "unknown")
    kind = chat_kind(edges_stripped)
    if kind is not None:
        return Reading(Chat(kind), kind)
    selected = selection(edges_stripped)
    if selected is not None:
        return Reading(selected, "select")
    body = fix_slips(strip_lead(polite_gerund(cleaned)))
    if not body:
        return Reading(Chat("greeting"), "greeting")
    return classify(body, now)


def parse_intent(text: str, now: datetime) -> Intent:
    """What `text` asks for, with dates resolved against `now`."""
    return read_message(text, now).intent
