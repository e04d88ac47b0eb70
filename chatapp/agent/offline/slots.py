"""The pieces a command needs, read out of its words: task references, tags, priorities, descriptions, dates."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from chatapp.agent.offline import dates
from chatapp.agent.offline.dates.recurrence import find_repeat, first_occurrence
from chatapp.agent.offline.intents import (
    MAX_DESCRIPTION,
    MAX_TASKS_AT_ONCE,
    MAX_TITLE,
    Chat,
    Intent,
    Priority,
    TaskRef,
)
from chatapp.agent.offline.lexicon import (
    COMMON_LISTS,
    NUMBER_WORD_RE,
    NUMBER_WORDS,
    ORDINAL_RE,
    ORDINALS,
    STOP_WORDS,
)
from chatapp.agent.offline.pattern import nocase, nocase_dotall

_I = re.IGNORECASE

TAG_LIST = r"#?[^\W\d_][\w-]*(?:(?:\s*[,&]\s*|\s+and\s+)#?[^\W\d_][\w-]*)*"


STATE_WORDS = (
    r"(?P<state>(?:not\s+(?:yet\s+)?|un)(?:done|complete|completed|finished)|incomplete|pending"
    r"|open|to\s*-?\s*do|undone|unfinished|active|done|complete|completed|finished|closed"
    r"|resolved|checked|ticked)"
)


# Several ids: "tasks 1 and 2", "3, 4 and 5", "#2 & #5", "task 2 and task 5", "tasks 1-3".
ID_NOUN = r"\b(?:tasks?|todos?|to-?dos?|items?|numbers?|nos?\.?)"


ID_ITEM = r"(?:" + ID_NOUN + r"\s*)?(?:#\s*)?[0-9]{1,9}\b"


# Each space belongs to one place only, so a long list that fails to match fails fast.
ID_JOIN = (
    r"\s*(?:,(?:\s*(?:and\b|&))?|&|\band\b|\bplus\b|\bas\s+well\s+as\b|-|\u2013|\bthrough\b"
    r"|\bthru\b{to})\s*"
)


FIELD_WORDS = (
    r"due\s+dates?|due\s+times?|deadlines?|dates?|times?|descriptions?|desc|details|notes?"
    r"|priority|priorities|title|name"
)


# Tasks said so: "task 3", "tasks 2 and 3", "it", "the rent task", "'Buy milk'" (not "tasks
# that ...", which starts a question).
ONE_TARGET = (
    r"(?:(?:the\s+)?" + ID_ITEM + r"(?:" + ID_JOIN.format(to="") + ID_ITEM + r")*"
    r"|it|that|this|(?:that|this)\s+one|the\s+.+?\s+(?:task|todo|to-do|reminder)"
    r"|\"[^\"]+\"|'[^']+')"
)


LEADING_ID = nocase(
    r"^\s*(?:the\s+)?(?:(?:task|todo|to-do|item|entry|number|no\.?)\s*(?:number\s+|no\.?\s*|#\s*)?"
    r"(?:(?P<id>[0-9]{1,9})|(?P<word>" + NUMBER_WORD_RE + r"))|#?\s*(?P<bare>[0-9]{1,9}))\b(?:'s)?"
)


LEADING_IDS = nocase(
    r"^\s*(?:the\s+)?" + ID_ITEM + r"(?:" + ID_JOIN.format(to="") + ID_ITEM + r")+"
)


# Where no date can follow, "tasks 1 to 3" is a range too.
ID_LIST = nocase(
    r"^\s*(?:the\s+)?" + ID_ITEM + r"(?:" + ID_JOIN.format(to=r"|\bto\b") + ID_ITEM + r")+$"
)


_ID_PIECE = nocase(r"(?P<n>[0-9]{1,9})|(?P<range>-|\u2013|\bto\b|\bthrough\b|\bthru\b)")


LEADING_PRONOUN = nocase(r"^\s*(?:it|that|this|them)(?:\s+(?:one|task|todo|item))?\b(?:'s)?")


REF_FILLER = nocase(
    r"(?:\s*(?:please|pls|for\s+me|from\s+(?:my|the)\s+(?:to-?do\s+)?(?:list|tasks|todos)"
    r"|off\s+(?:my|the)\s+(?:to-?do\s+)?(?:list|tasks)|on\s+(?:my|the)\s+list|too|as\s+well|now"
    r"|again|permanently|completely|entirely|already|right\s+away|asap|as\s+(?:done|complete"
    r"|completed|finished)|yay|woo+|woohoo|phew|finally|at\s+last|lol|haha+|thank\s+god"
    r"|[.!?,;:]))+\s*$"
)


_PRONOUN_ONLY = nocase(
    r"(?:it|that|this|them|that\s+one|this\s+one|the\s+(?:last|latest|previous|same|new|newest)"
    r"\s+(?:one|task|todo|item)|that\s+task|this\s+task|the\s+(?:one|task)\s+(?:i|you)\s+just"
    r"\s+(?:added|created|made|mentioned|listed)|the\s+task|the\s+one|one|task|the\s+todo)?"
)


_ORDINAL_REF = nocase(
    r"(?:the\s+)?(?P<ordinal>" + ORDINAL_RE + r")(?:\s+(?:one|task|todo|to-do|item|entry))?"
    r"(?:\s+(?:on|in|from)\s+(?:the|my|that|this)\s+list)?"
)


BULK = nocase(
    r"^(?:all|every|everything|each|both|the\s+rest|(?:(?:the|my)\s+)?(?:completed|finished"
    r"|done|old|pending|open|overdue)\s+(?:ones|tasks|todos|items|stuff)\b"
    r"|(?:the\s+)?(?:completed|finished|done|checked|ticked)$"
    # "the completed shopping tasks", "my work ones": tasks in the plural are many tasks.
    r"|(?:(?:the|my|our|these|those)\s+)?(?:[^\W\d_][\w-]*\s+){0,3}(?:tasks|todos|to-?dos|ones)$)"
)


_WORDS_NAMED = nocase_dotall(
    r"^(?:(?:the|my|a|an|that|this|our)\s+)?(?:task|todo|to-do|item|one|reminder|entry)s?\s+"
    r"(?:called|named|titled|about|for|to|with|that\s+says|saying|regarding|mentioning|on)\s+(?P<w>.+)$"
)


_WORDS_SUFFIXED = nocase_dotall(
    r"^(?:(?:the|my|a|an|that|this|our)\s+)?(?P<w>.+?)\s+(?:task|todo|to-do|item|one|reminder|entry)s?$"
)


_ARTICLE = nocase(r"^(?:(?:the|my|a|an|that|this|our|your)\s+)+")


QUOTED = re.compile(r"\"(?P<d>[^\"]+)\"|(?<!\w)'(?P<s>[^']+)'(?!\w)")


HASHTAG = nocase(r"(?<![\w&#])#(?P<tag>[^\W\d_][\w-]{0,40}|[0-9]+[^\W\d_][\w-]{0,40})")


_TAGGED = nocase(
    r"\b(?:tagged|tags?|labell?ed|labels?)\s*(?:with\s+|as\s+|:\s*)?"
    r"(?P<tags>#?[^\W\d_][\w-]*(?:(?:\s*[,&]\s*|\s+and\s+)#?[^\W\d_][\w-]*)*)\s*$"
)


PRIORITY = nocase(
    r"(?:\b(?:with|at|as|in)\s+)?(?:\b(?:a|an)\s+)?\b(?P<p>high|low|medium|normal|top|highest"
    r"|lowest)[\s-]+prio(?:rity)?\b|\bprio(?:rity)?\s*(?:[:=]|is|of)?\s*(?P<p2>high|low|medium"
    r"|normal)\b|(?<!\w)!(?P<p3>high|low|medium|urgent)\b|\b[Pp](?P<n>[123])\b"
)


URGENT = nocase(
    r"(?:^|(?<=[\s,(\-]))(?:(?:it's|it\s+is|is|very|super|really)\s+)?(?P<w>urgent(?:ly)?|asap"
    r"|important|a\s+(?:top\s+|big\s+|real\s+)?priority|top\s+priority|priority\s+(?:one|#?1))"
    r"(?:\s*[):!.]+|\s*$)"
)


_DESCRIPTION = nocase_dotall(
    r"\bwith\s+(?:the\s+|a\s+)?(?:description|desc|details?|notes?|note|comment)"
    r"\s*(?:[:=]|of|saying|that\s+says)?\s*(?P<d>.+)$"
    r"|\b(?:description|desc|details?|notes?|comment)\s*[:=]\s*(?P<d2>.+)$"
)


LIST_PHRASE = nocase(
    r"\b(?:to|on|onto|in|into)\s+(?:my|the|our)\s+(?:(?P<tag>[^\W\d_][\w-]*)\s+)?"
    r"(?:to-?do\s+|todo\s+|task\s+)?(?:list|todos?|tasks|to-?dos)\b"
    # "add milk to shopping": a list everyone keeps, named without the word "list".
    r"|\b(?:to|onto)\s+(?:my\s+|the\s+)?(?P<tag2>" + COMMON_LISTS + r")\b(?=\s*(?:$|[,.;!]|and\b))"
)


_REASON = nocase(r"\s*,\s*(?:it's|it\s+is|that's|since|because|as|cause|cuz|we|i)\b.*$")
_AND = nocase(r"\s*,\s*(?:and\s+)?|\s+(?:and|&|plus|as\s+well\s+as)\s+")


def state_is_done(state: str) -> bool:
    state = " ".join(state.lower().split())
    return not re.match(
        r"^(?:not|un|incomplete|pending|open|to|undone|unfinished|active)", state
    ) and state not in ("todo", "to-do")


def ref_intent(target: str, build: Callable[[TaskRef], Intent]) -> Intent:
    ref = parse_ref(target)
    return Chat("bulk") if ref is None else build(ref)


def parse_ref(target: str) -> TaskRef | None:
    """The task a phrase like "task 3", "it" or "the meeting task" means; None for "all of them"."""
    target = REF_FILLER.sub("", target.strip()).strip().lstrip(":;,-\u2013 ")
    # "the standup, it's cancelled": the reason after the task is not its name.
    target = _REASON.sub("", target).strip()
    if BULK.match(target):
        return None
    if not target or _PRONOUN_ONLY.fullmatch(target):
        # "the last one" is the last of a list just shown, else the task last talked about.
        last = re.match(r"(?:the\s+)?last\b", target, _I)
        return TaskRef(pronoun=True, ordinal=-1 if last else None)
    if ID_LIST.match(target):
        return ids_ref(target)
    match = LEADING_ID.match(target)
    if match and not REF_FILLER.sub("", target[match.end() :]).strip():
        return TaskRef(task_id=id_of(match))
    quoted = QUOTED.fullmatch(target)
    if quoted:
        return TaskRef(words=(quoted.group("d") or quoted.group("s")).strip())
    match = _ORDINAL_REF.fullmatch(target)
    if match:
        return TaskRef(ordinal=ORDINALS[match.group("ordinal").lower()])
    words = content_words(target)
    if not words:
        return TaskRef(pronoun=True)
    pieces = [content_words(piece) for piece in _AND.split(target)]
    parts = tuple(piece for piece in pieces if piece) if len(pieces) > 1 else ()
    return TaskRef(words=words, parts=parts if len(parts) > 1 else ())


def ids_ref(text: str) -> TaskRef | None:
    """The tasks an id list names ("3, 4 and 5", "tasks 1-3"); None when that is too many."""
    ids: list[int] = []
    ranged = False
    for piece in _ID_PIECE.finditer(re.sub(ID_NOUN, " ", text, flags=_I)):
        if piece.group("range"):
            ranged = bool(ids)
            continue
        number = int(piece.group("n"))
        if ranged and abs(number - ids[-1]) > MAX_TASKS_AT_ONCE:
            return None
        step = 1 if not ranged or number >= ids[-1] else -1
        ids.extend(range(ids[-1] + step, number + step, step) if ranged else (number,))
        ranged = False
    unique = tuple(dict.fromkeys(ids))
    if not unique or len(unique) > MAX_TASKS_AT_ONCE:
        return None
    return TaskRef(task_id=unique[0], more_ids=unique[1:])


def id_of(match: re.Match[str]) -> int:
    digits = match.group("id") or match.group("bare")
    if digits:
        return int(digits)
    return NUMBER_WORDS[match.group("word").lower()]


def content_words(phrase: str) -> str:
    phrase = phrase.strip().strip("\"'").strip()
    for pattern in (_WORDS_NAMED, _WORDS_SUFFIXED):
        match = pattern.match(phrase)
        if match:
            phrase = match.group("w")
            break
    phrase = _ARTICLE.sub("", phrase)
    phrase = re.sub(r"'s$", "", phrase.strip().strip("\"'"))
    words = [word for word in phrase.split() if word.lower() not in STOP_WORDS]
    return " ".join(words)[:MAX_TITLE]


def tags_from(text: str) -> tuple[str, ...]:
    words = re.split(r"\s*(?:,|\band\b|&|\s)\s*", text.strip(), flags=_I)
    tags: list[str] = []
    for word in words:
        tag = word.strip().lstrip("#").strip(".,;:!?").lower()
        if tag and re.fullmatch(r"[\w-]{1,40}", tag) and not tag.isdigit() and tag not in tags:
            tags.append(tag)
    return tuple(tags)


def priority_word(word: str | None) -> Priority | None:
    if not word:
        return None
    word = word.lower()
    if word in ("high", "top", "highest", "urgent", "urgently", "important", "asap", "1"):
        return "high"
    if word in ("low", "lowest", "3"):
        return "low"
    if word in ("medium", "normal", "2"):
        return "medium"
    return None


@dataclass(frozen=True)
class Attributes:
    description: str | None = None
    priority: Priority | None = None
    due_at: datetime | None = None
    tags: tuple[str, ...] = ()
    recurrence: str | None = None
    due_has_day: bool = True
    due_has_time: bool = True


def mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for index in range(start, min(end, len(chars))):
            chars[index] = " "
    return "".join(chars)


def read_attributes(text: str, now: datetime) -> tuple[Attributes, str]:
    """Description, tags, priority and due date found in `text`, and the text left over."""
    spans: list[tuple[int, int]] = []
    description = None
    match = _DESCRIPTION.search(text)
    if match:
        description = (match.group("d") or match.group("d2") or "").strip().strip("\"'").strip()
        description = description[:MAX_DESCRIPTION] or None
        spans.append((match.start(), len(text)))
    tags: list[str] = []
    for match in LIST_PHRASE.finditer(mask(text, spans)):
        tag = (match.group("tag") or match.group("tag2") or "").lower()
        if tag and tag not in ("to", "todo", "to-do", "task", "do", "the", "my"):
            tags.append(tag)
        spans.append(match.span())
    for match in HASHTAG.finditer(mask(text, spans)):
        tags.append(match.group("tag").lower())
        spans.append(match.span())
    match = _TAGGED.search(mask(text, spans))
    if match:
        tags.extend(tags_from(match.group("tags")))
        spans.append(match.span())
    priority: Priority | None = None
    for match in PRIORITY.finditer(mask(text, spans)):
        if match.group("n"):
            found = priority_word(match.group("n"))
        else:
            found = priority_word(match.group("p") or match.group("p2") or match.group("p3"))
        priority = priority or found
        spans.append(match.span())
    if priority is None:
        match = URGENT.search(mask(text, spans))
        if match:
            priority = "high"
            spans.append(match.span("w"))
    repeat = find_repeat(mask(text, spans), now)
    if repeat is not None:
        spans.extend(repeat.spans)
    found_date = dates.find_datetime(mask(text, spans), now)
    due_at = None
    due_has_day = due_has_time = True
    if found_date is not None:
        due_at = found_date.value
        due_has_day, due_has_time = found_date.has_day, found_date.has_time
        spans.extend(found_date.spans)
    if repeat is not None and (found_date is None or found_date.has_time):
        # The first time it repeats is the first due date, at the time said (or implied).
        at = found_date.value.time() if found_date is not None else None
        due_at = first_occurrence(repeat.rule, at or repeat.at or dates.DEFAULT_TIME, now)
    unique_tags = tuple(dict.fromkeys(tag for tag in tags if tag))
    rest = dates.remove_spans(text, spans)
    recurrence = repeat.rule if repeat is not None else None
    attributes = Attributes(
        description, priority, due_at, unique_tags, recurrence, due_has_day, due_has_time
    )
    return attributes, rest
