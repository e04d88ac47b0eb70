"""When the model cannot act: what it read, and the two commands nearest to it, in the user's words."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from chatapp.agent.offline.replies import chat_reply, help_reply, md
from chatapp.agent.offline.toolbox import ToolKind

_COMMAND_OFFERS: tuple[tuple[ToolKind, str, str], ...] = (
    ("add_task", "add", "add it as a task: \u201cadd {words}\u201d"),
    ("list_tasks", "show", "find tasks about it: \u201cshow tasks about {words}\u201d"),
    ("complete_task", "complete", "mark a task done: \u201cmark {words} done\u201d"),
    ("update_task", "change", "change a task: \u201cmove {words} to friday\u201d"),
    ("delete_task", "delete", "delete a task: \u201cdelete {words}\u201d"),
)


# Words that make one command nearer than the others to what was said.
_NEAR_COMMAND: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "complete",
        re.compile(r"\b(?:done|finish\w*|did|complet\w*|check\w*\s+off|tick\w*|over)\b", re.I),
    ),
    (
        "delete",
        re.compile(
            r"\b(?:delet\w*|remov\w*|cancel\w*|gone|drop\w*|forget|scrap\w*|need\b)\b", re.I
        ),
    ),
    (
        "change",
        re.compile(
            r"\b(?:move|chang\w*|renam\w*|push\w*|later|earlier|tomorrow|today|tonight|monday"
            r"|tuesday|wednesday|thursday|friday|saturday|sunday|week|priorit\w*|urgent|tag\w*)\b",
            re.I,
        ),
    ),
    ("show", re.compile(r"\?|\b(?:what|which|when|where|how|show|list|see|find|any|my)\b", re.I)),
)


def closest_commands(text: str) -> list[str]:
    """The commands nearest to `text`, nearest first (adding it is always near)."""
    near = [name for name, words in _NEAR_COMMAND if words.search(text)]
    return near[:1] + ["add"] + near[1:]


def dead_end_reply(text: str, available: Sequence[ToolKind], closest: Sequence[str] = ()) -> str:
    """Not understood: say what was heard, and offer the two nearest commands in its words."""
    words = " ".join(text.split()).strip(" .!?")[:80]
    if not words:
        return chat_reply("unknown", datetime.now(), available)
    closest = list(closest) or closest_commands(words)
    offers = [row for row in _COMMAND_OFFERS if row[0] in available]
    ranked = sorted(
        offers,
        key=lambda row: (
            closest.index(row[1]) if row[1] in closest else len(closest),
            offers.index(row),
        ),
    )[:2]
    if not ranked:
        return help_reply(available)
    said = md(words)
    options = " or ".join(template.format(words=said) for _, _, template in ranked)
    return (
        f"I read \u201c{said}\u201d but I'm not sure what to do with it. I can {options}. "
        "Say \u201chelp\u201d for everything I can do."
    )
