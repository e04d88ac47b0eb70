"""Which tasks a few words mean: exact title, then phrase, then word stems (title, then
description), then a near spelling, then a tag."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from chatapp.agent.offline.tool_results import TaskView

# rapidfuzz scores (0-100): a slip of one or two letters in a word, a title inside the words.
_TYPO_SCORE = 80
_SUBSET_SCORE = 90

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
    described = [
        task for task in tasks if _covers(_stems(f"{task.title} {task.description or ''}"), stems)
    ]
    if described:
        return described
    near = _near(wanted, tasks)
    if near:
        return near
    # "the work task": known by its tag when no title or description says it.
    return [task for task in tasks if wanted in {_normal(tag) for tag in task.tags}]


def _near(wanted: str, tasks: Sequence[TaskView]) -> list[TaskView]:
    """Titles that match with a typo ("grocieries") or with words to spare ("the dentist
    appointment" for "Dentist"): every meaningful word close to one of the title's, else the
    title wholly inside the words asked for."""
    words = [word for word in wanted.split() if len(word) >= 3]
    if not words:
        return []
    typo = [
        task
        for task in tasks
        if all(
            any(fuzz.ratio(word, have) >= _TYPO_SCORE for have in _normal(task.title).split())
            for word in words
        )
    ]
    if typo:
        return typo
    scored = [(fuzz.token_set_ratio(wanted, _normal(task.title)), task) for task in tasks]
    best = max((score for score, _ in scored), default=0)
    return [task for score, task in scored if score >= _SUBSET_SCORE and score == best]


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
