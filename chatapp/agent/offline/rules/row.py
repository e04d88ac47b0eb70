"""One row of a rule table, and the reading a row makes of a message."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from chatapp.agent.offline.intents import Intent
from chatapp.agent.offline.pattern import nocase, nocase_dotall

NOCASE = re.IGNORECASE
# The pattern of a row whose builder alone decides, from the whole message.
ANY_MESSAGE = nocase_dotall(r"^.+$")

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


# A question, not a statement: "what's done?" lists, "the rent is done" completes.
QUESTION_START = nocase(
    r"^(?:what|what's|whats|which|how\s+many|how\s+much|where|is\s+there|are\s+there|any"
    r"|anything|did\s+i|have\s+i|give\s+me|tell\s+me)\b"
)


def on_match(build: Callable[[re.Match[str]], Intent | None]) -> Builder:
    """A builder that needs only the match."""
    return lambda match, text, now: build(match)
