"""Listing questions: which tasks a question asks about, as a filter the list_tasks tool takes."""

from __future__ import annotations

import re
from datetime import datetime

from chatapp.agent.offline import dates
from chatapp.agent.offline.intents import MAX_TITLE, ListTasks, Priority, Status, TaskFilter
from chatapp.agent.offline.lexicon import NOT_TOPICS
from chatapp.agent.offline.pattern import nocase, nocase_dotall
from chatapp.agent.offline.slots import HASHTAG, QUOTED, mask, priority_word

_I = re.IGNORECASE

_QUERY_MARKER = nocase_dotall(
    r"\b(?:about|regarding|concerning|related\s+to|relating\s+to|mentioning|containing|matching"
    r"|involving|that\s+(?:mention|contain|say)s?|with\s+the\s+words?|named|called|titled"
    r"|on\s+the\s+subject\s+of)\s+(?P<q>.+)$"
)


_QUERY_VERB = nocase_dotall(
    r"^(?:find|search(?:\s+for)?|look\s+(?:for|up)|lookup|do\s+i\s+have\s+(?:a\s+task|anything"
    r"|something)\s+(?:for|with|about)|is\s+there\s+(?:a\s+task|anything|something)"
    r"\s+(?:for|with|about))\s+(?P<q>.+)$"
)


_QUERY_NOISE = nocase(
    r"\b(?:the|my|a|an|any|some|all|every|tasks?|todos?|to-?dos?|items?|things?|anything"
    r"|something|stuff|in|on|from|of|list|please|pending|open|completed|done|finished|overdue"
    r"|that|which|are|is|i|have|me|show|find|search|for|with|about)\b"
)


_STATUS_COMPLETED = nocase(
    r"\b(?:completed|complete|done|finished|accomplished|closed|ticked\s+off|checked\s+off"
    r"|crossed\s+off)\b|\bwhat\s+(?:did|have)\s+i\s+(?:do|done|did|finish|complete|accomplish"
    r"|get\s+done|got\s+done)\b"
)


_STATUS_PENDING = nocase(
    r"\b(?:pending|open|incomplete|outstanding|remaining|left|unfinished|undone|active|still"
    r"|not\s+(?:yet\s+)?(?:done|finished|completed|complete)|(?:is|are)n't\s+(?:done|finished"
    r"|completed)|to\s+do\b(?!\s*list)|to\s+be\s+done|need\s+to\s+do|have\s+to\s+do)\b"
)


# Asks for done tasks too, where a due window alone would mean the pending ones.
_EVERY = nocase(r"\b(?:all|every|everything)\b")


_BOTH_STATES = nocase(
    r"\b(?:(?:including|incl|with|plus|and)\s+(?:the\s+)?(?:completed|done|finished)"
    r"|(?:completed|done|finished)\s+(?:or|and)\s+(?:not|pending|open|undone))\b"
)


_OVERDUE = nocase(r"\b(?:overdue|late|past\s+due|missed|behind(?:\s+on)?)\b")


_LIST_TAG = nocase(
    r"\b(?:tagged|with\s+(?:the\s+)?tag|tag|labell?ed|with\s+(?:the\s+)?label|label)\s+#?"
    r"(?P<tag>[^\W\d_][\w-]*)"
)


_TOPIC = nocase(
    r"\b(?:my|the|all(?:\s+(?:my|the))?|any|show|list|every|each|both|these|those|everything\s+on"
    r"\s+(?:my|the))\s+(?:(?:pending|open|completed|done|finished|overdue|upcoming|remaining"
    r"|unfinished)\s+)?(?P<topic>[^\W\d_][\w-]*)\s+"
    r"(?:tasks?|todos?|to-?dos?|items?|stuff|things?|reminders?|list)\b"
)


_LIST_PRIORITY = nocase(
    r"\b(?P<p>high|low|medium)[\s-]+prio(?:rity)?\b|\bprio(?:rity)?\s+(?P<p2>high|low|medium)\b"
    r"|\b(?P<u>urgent|important)\b"
)


def parse_list(text: str, now: datetime) -> ListTasks:
    spans: list[tuple[int, int]] = []
    overdue = bool(_OVERDUE.search(text))
    both = bool(_BOTH_STATES.search(text))
    status: Status = "all"
    if overdue or (_STATUS_PENDING.search(text) and not both):
        status = "pending"
    elif _STATUS_COMPLETED.search(text) and not both:
        status = "completed"
    due_after = due_before = None
    period_label = None
    if overdue:
        due_before = now
        period_label = "overdue"
    else:
        period = dates.find_period(text, now)
        if period is not None:
            due_after, due_before, period_label = period.start, period.end, period.label
            spans.extend(period.spans)
            if status == "all" and not (both or _EVERY.search(text)):
                status = "pending"  # what is "due" is what is still to do
    tag = None
    match = HASHTAG.search(text) or _LIST_TAG.search(text)
    if match:
        tag = match.group("tag").lower()
        spans.append(match.span())
    priority: Priority | None = None
    match = _LIST_PRIORITY.search(text)
    if match:
        priority = priority_word(match.group("p") or match.group("p2") or match.group("u"))
        spans.append(match.span())
    query = _list_query(mask(text, spans))
    topic = None
    match = _TOPIC.search(mask(text, spans))
    if match and not (tag or query) and match.group("topic").lower() not in NOT_TOPICS:
        topic = match.group("topic").lower()
    return ListTasks(
        TaskFilter(
            status=status,
            query=query,
            priority=priority,
            tag=tag,
            due_after=due_after,
            due_before=due_before,
            period=period_label,
            overdue=overdue,
            topic=topic,
        )
    )


def _list_query(text: str) -> str | None:
    text = " ".join(text.split()).rstrip(" ?.!")
    match = _QUERY_MARKER.search(text) or _QUERY_VERB.match(text)
    if match is None:
        return None
    phrase = match.group("q").strip().strip("\"'")
    quoted = QUOTED.search(match.group("q"))
    if quoted:
        return (quoted.group("d") or quoted.group("s")).strip()[:MAX_TITLE] or None
    phrase = re.sub(
        r"\s+(?:in|on|from)\s+(?:my|the)\s+(?:to-?do\s+)?(?:list|tasks)$", "", phrase, flags=_I
    )
    words = phrase.split()
    while words and _QUERY_NOISE.fullmatch(words[0]):
        words.pop(0)
    while words and _QUERY_NOISE.fullmatch(words[-1]):
        words.pop()
    query = " ".join(words).strip(" ,.;:")
    return query[:MAX_TITLE] or None
