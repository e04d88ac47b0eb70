"""New tasks from the words after an add verb: titles, and the details each one shares."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from chatapp.agent.offline.intents import MAX_NEW_TASKS, AddTasks, Chat, Intent, TaskDraft
from chatapp.agent.offline.pattern import nocase
from chatapp.agent.offline.slots import LIST_PHRASE, QUOTED, Attributes, mask, read_attributes
from chatapp.agent.offline.titles import clean_title, split_items

TASK_NOUN = nocase(
    r"^(?:(?:the\s+)?following(?:\s+(?:tasks?|items?|things?|todos?))?\s*:\s*"
    r"|(?:(?:a|an|another|one\s+more|the|some|my|these|this|following|the\s+following|[0-9]{1,2}"
    r"|two|three|four|five|six|a\s+few|a\s+couple\s+of|couple\s+of|few)\s+)*"
    r"(?P<adjectives>(?:(?:high|low|medium|normal|top|urgent|important|quick|small|little|big"
    r"|simple)(?:[\s-]+prio(?:rity)?)?\s+)*)"
    r"(?:new\s+)?(?P<noun>task|todo|to-do|to\s+do|reminder|item|entry|note|thing)s?\b"
    r"(?:\s+(?:item|entry)s?)?\s*(?:(?:called|named|titled|saying|that\s+says|which\s+says|for"
    r"|to|about|of)\b|[:\-\u2013\u2014])?\s*)"
)
# Adjectives before the noun that say something: "a high priority task to ...".
_SAYS_PRIORITY = nocase(r"\b(?:high|low|medium|normal|top|urgent|important)\b")
_WHEN_FIRST = nocase(
    r"^(?P<when>(?:today|tonight|tomorrow|(?:on\s+|this\s+|next\s+)?(?:mon|tues|wednes|thurs|fri"
    r"|satur|sun)day|this\s+(?:morning|afternoon|evening|weekend)|next\s+week)(?:\s+(?:morning"
    r"|afternoon|evening|night))?)\s+to\s+(?P<rest>.+)$"
)
_PRIORITY_CLAUSE = nocase(
    r"(?:(?:it's|it\s+is|that's|this\s+is|its)\s+)?(?:very\s+|super\s+|really\s+|kind\s+of\s+)?"
    r"(?:urgent|important|asap|(?:a\s+)?(?:high|low|top)\s+priority|not\s+urgent|a\s+priority)[.!]*"
)
# What is left of a list item that only carried details for all: "..., all tagged party".
_ALL_OF_THEM = nocase(r"(?:all|both|each|every\s+one|all\s+of\s+them|both\s+of\s+them|them\s+all)?")


_LIST_INTRO = nocase(
    r"^(?:(?:these|this|them|those|the\s+following|following)\s+)?(?:to|on|onto|in|into)\s+"
    r"(?:(?:my|the|our)\s+(?:(?P<tag>[^\W\d_][\w-]*)\s+)?(?:list|todos?|to-?do\s+list|tasks)"
    r"|(?:my\s+|the\s+)?(?P<tag2>[^\W\d_][\w-]*)(?=\s*:))\s*[:,\-]?\s*"
    r"|^(?:(?:for|about)\s+)?(?:the|my|our)\s+(?P<tag3>[^\W\d_][\w-]*)\s*:\s*"
    r"|^(?:these|the\s+following|following)(?:\s+(?:things|items|tasks|todos))?\s*:\s*"
)


def parse_add(rest: str, now: datetime) -> Intent:
    text = rest.strip()
    noun = TASK_NOUN.match(text)
    reminder = bool(noun and (noun.group("noun") or "").lower() == "reminder")
    if noun and noun.end() > 0:
        adjectives = noun.group("adjectives") or ""
        text = text[noun.end() :]
        if _SAYS_PRIORITY.search(adjectives):
            text = f"{text} {adjectives.strip()}"
    list_tag = None
    intro = _LIST_INTRO.match(text)
    if intro:
        named = intro.group("tag") or intro.group("tag2") or intro.group("tag3") or ""
        list_tag = named.lower() or None
        text = text[intro.end() :]
    text = text.strip()
    if not text:
        return Chat("missing_title")
    first = _WHEN_FIRST.match(text)
    if first:
        # "tomorrow to call bob and email sue": the date said first belongs to every item.
        text = f"{first.group('rest')} {first.group('when')}"

    drafts: list[TaskDraft] = []
    quoted = list(QUOTED.finditer(text))
    if quoted:
        outside = mask(text, [match.span() for match in quoted])
        attributes, _ = read_attributes(outside, now)
        for match in quoted:
            title = clean_title(match.group("d") or match.group("s") or "")
            drafts.append(_draft(title, attributes, list_tag))
    else:
        parsed = []
        for item, description in _items(text, list_tag, now):
            attributes, remainder = read_attributes(item, now)
            if description and _PRIORITY_CLAUSE.fullmatch(description):
                # "..., it's urgent": a priority said as a clause, not a description.
                said = read_attributes(description, now)[0].priority or "high"
                attributes = replace(attributes, priority=attributes.priority or said)
            elif description and not attributes.description:
                attributes = replace(attributes, description=description)
            parsed.append((clean_title(remainder), attributes))
        if len(parsed) > 1:
            parsed = _share_details(parsed)
        drafts = [_draft(title, attributes, list_tag) for title, attributes in parsed]
    drafts = [draft for draft in drafts if draft.title][:MAX_NEW_TASKS]
    if not drafts:
        return Chat("missing_title")
    if reminder:
        # "add a reminder to water the plants at 6pm": reminded then, as "remind me" is.
        drafts = [
            replace(draft, remind_at=draft.due_at)
            if draft.due_at and not draft.recurrence
            else draft
            for draft in drafts
        ]
    return AddTasks(tuple(drafts))


def _items(text: str, list_tag: str | None, now: datetime) -> list[tuple[str, str | None]]:
    """The to-dos in `text`; "pears and plums to my shopping list" is two, each on that list."""
    tail = LIST_PHRASE.search(text)
    after = text[tail.end() :] if tail is not None else ""
    left = read_attributes(after, now)[1].strip(" ,.!;")
    if tail is None or (left and not _ALL_OF_THEM.fullmatch(left)):
        return split_items(text, listed=list_tag is not None)
    core = text[: tail.start()].strip()
    # ", all urgent" after the list: details for every item, without the "all".
    phrase = text[tail.start() : tail.end()] + re.sub(r"\b(?:all|both|each)\b", " ", after)
    items = split_items(core, listed=True)
    return [(f"{item} {phrase}", description) for item, description in items]


def _draft(title: str, attributes: Attributes, list_tag: str | None) -> TaskDraft:
    tags = attributes.tags
    if list_tag and list_tag not in tags and list_tag not in ("to", "todo", "task"):
        tags = (*tags, list_tag)
    return TaskDraft(
        title,
        attributes.description,
        attributes.priority,
        attributes.due_at,
        tags,
        attributes.recurrence,
    )


def _share_details(parsed: list[tuple[str, Attributes]]) -> list[tuple[str, Attributes]]:
    """Items that are only details ("high priority", "all tagged party") give them to the rest;
    what ends the list applies to every item too."""
    titled = [
        (title, attributes) for title, attributes in parsed if not _ALL_OF_THEM.fullmatch(title)
    ]
    if not titled:
        return parsed
    for title, details in parsed:
        if _ALL_OF_THEM.fullmatch(title):
            titled = [(name, _filled(attributes, details)) for name, attributes in titled]
    return _share_trailing_attributes(titled) if len(titled) > 1 else titled


def _filled(attributes: Attributes, details: Attributes) -> Attributes:
    return Attributes(
        attributes.description or details.description,
        attributes.priority or details.priority,
        attributes.due_at or details.due_at,
        attributes.tags or details.tags,
        attributes.recurrence or details.recurrence,
    )


def _share_trailing_attributes(
    parsed: list[tuple[str, Attributes]],
) -> list[tuple[str, Attributes]]:
    # "milk, eggs and bread for tomorrow #shopping": what ends the list applies to every item.
    last = parsed[-1][1]
    shared = []
    for title, attributes in parsed:
        shared.append(
            (
                title,
                Attributes(
                    attributes.description,
                    attributes.priority or last.priority,
                    attributes.due_at or last.due_at,
                    attributes.tags or last.tags,
                    attributes.recurrence or last.recurrence,
                ),
            )
        )
    return shared
