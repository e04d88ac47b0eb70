"""Which tasks a few words mean: exact title, then phrase, then word stems (title, then description)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from chatapp.agent.offline.tool_results import TaskView

_SUFFIXES = ("ings", "ing", "ies", "ed", "es", "s")


def match_tasks(words: str, tasks: Sequence[TaskView]) -> list[TaskView]:
    """Tasks whose title (or failing that, description) contains every word of `words`."""
    wanted = _normal(words)
    if not wanted:
        return []
    exact = [task for task in tasks if _normal(task.title) == wanted]
    if exact:
        return exact
    phrase = [task for task in tasks if wanted in _normal(task.title)]
    if phrase:
        return phrase
    stems = _stems(wanted)
    in_title = [task for task in tasks if _covers(_stems(task.title), stems)]
    if in_title:
        return in_title
    return [
        task for task in tasks if _covers(_stems(f"{task.title} {task.description or ''}"), stems)
    ]


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _stems(text: str) -> set[str]:
    return {_stem(word) for word in _normal(text).split()}


def _covers(have: set[str], wanted: set[str]) -> bool:
    return bool(wanted) and all(
        any(word.startswith(stem) or stem.startswith(word) for word in have if len(word) >= 3)
        or stem in have
        for stem in wanted
    )
