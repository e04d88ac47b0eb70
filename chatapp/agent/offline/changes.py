"""Changes to one task: which task, which field, and the new value (or the field emptied)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from chatapp.agent.offline import dates
from chatapp.agent.offline.intents import (
    MAX_DESCRIPTION,
    Chat,
    Clearable,
    Intent,
    SetCompleted,
    TaskChanges,
    TaskRef,
    UpdateTask,
)
from chatapp.agent.offline.lexicon import COUNT_RE, DATE_VERBS
from chatapp.agent.offline.pattern import nocase, nocase_dotall
from chatapp.agent.offline.slots import (
    BULK,
    FIELD_WORDS,
    LEADING_ID,
    LEADING_IDS,
    LEADING_PRONOUN,
    ONE_TARGET,
    PRIORITY,
    QUOTED,
    REF_FILLER,
    STATE_WORDS,
    TAG_LIST,
    URGENT,
    id_of,
    ids_ref,
    parse_ref,
    priority_word,
    read_attributes,
    ref_intent,
    state_is_done,
    tags_from,
)
from chatapp.agent.offline.titles import clean_title

_I = re.IGNORECASE

ADD_TO_TASK = nocase_dotall(
    r"^add\s+(?:the\s+|a\s+|an\s+)?(?P<what>tags?|labels?|description|note|notes|details)\s*"
    r"(?P<value>.*?)\s+(?:to|on)\s+(?P<target>task\s*#?\s*[0-9]+|it|that|this"
    r"|the(?:\s+\S+){1,6}?\s+task)"
    r"\s*(?::\s*(?P<tail>.+))?$"
    r"|^add\s+(?P<hashtags>#[^\s#,]+(?:(?:\s*,\s*|\s+and\s+|\s+)#[^\s#,]+)*)\s+to\s+"
    r"(?P<target2>task\s*#?\s*[0-9]+|it|that|this|the(?:\s+\S+){1,6}?\s+task)\s*$"
    r"|^add\s+(?:the\s+|a\s+|an\s+)?(?P<named>" + TAG_LIST + r")\s+(?:tags?|labels?)\s+(?:to|on)\s+"
    r"(?P<target3>task\s*#?\s*[0-9]+|it|that|this|the(?:\s+\S+){1,6}?\s+task)\s*$"
)


# "remove the work tag from task 3", "remove tag work from it", "take #work off task 3".
UNTAG = nocase_dotall(
    r"^(?:remove|delete|drop|take|strip|clear|erase|get\s+rid\s+of|untag|unlabel)\s+(?:the\s+)?"
    r"(?:(?:tags?|labels?)\s+(?P<named>" + TAG_LIST + r")"
    r"|(?P<before>(?!(?:all|any|every|the|my)\b)" + TAG_LIST + r")\s+(?:tags?|labels?)"
    r"|(?P<hashtags>#[^\W\d_][\w-]*(?:(?:\s*,\s*|\s+and\s+|\s+)#[^\W\d_][\w-]*)*)"
    r"|(?<=untag\s)(?P<bare>" + TAG_LIST + r"))"
    r"\s+(?:from|on|off(?:\s+of)?|of)\s+(?P<target>.+)$"
)


# "remove all tags from task 3", "clear task 3's tags", "untag task 3": no tags at all.
CLEAR_TAGS = nocase_dotall(
    r"^(?:(?:remove|delete|drop|clear|erase|strip|take\s+off|get\s+rid\s+of)\s+(?:(?:the|all"
    r"|any|all\s+(?:of\s+)?the)\s+)?(?:tags?|labels?)\s+(?:from|of|on|off(?:\s+of)?)\s+"
    r"(?P<target>.+)|(?:clear|remove)\s+(?P<target2>" + ONE_TARGET + r")(?:'s)?\s+(?:tags?|labels?)"
    r"|(?:untag|unlabel)\s+(?P<target3>.+))$"
)


# "clear the due date of task 2", "remove the description from it", "clear task 2's deadline".
CLEAR_FIELD = nocase_dotall(
    r"^(?:remove|delete|clear|drop|erase|wipe|unset|reset|strip|take\s+off|get\s+rid\s+of)\s+"
    r"(?:(?:the|all|any|all\s+(?:of\s+)?the)\s+)?(?P<field>" + FIELD_WORDS + r")"
    r"(?:\s+(?:from|of|on|off(?:\s+of)?|for|in)\s+(?P<target>.+))?$"
    r"|^(?:remove|delete|clear|drop|erase|wipe|unset|reset)\s+(?P<target2>" + ONE_TARGET + r")"
    r"(?:'s)?\s+(?P<field2>" + FIELD_WORDS + r")$"
    r"|^un-?schedule\s+(?P<target3>.+)$"
)


# A field named before or after the task: "the due date of task 3", "task 3's due date".
_FIELD_NAME = (
    r"(?P<field>title|name|description|desc|details|notes?|priority|due\s+date|due\s+time|due"
    r"|deadline|date|time|tags?|labels?)"
)
_FIELD_BEFORE = nocase(rf"^(?:(?:the|an?|new)\s+)*{_FIELD_NAME}\s+(?:of|for|on)\s+")
_FIELD_AFTER = nocase(rf"^\s*(?:'s)?\s*{_FIELD_NAME}\b")


_VALUE_LEAD = nocase(r"^\s*(?:(?:to|as|into|until|till|for|on|with|=|:|is)\b|[:=])?\s*")


_WORDS_SEPARATOR = nocase(r"\s+(?:to|as|into|until|till|with)\s+|\s*[:=]\s*")


_NOTHING = nocase(
    r"(?:none|nothing|never|empty|blank|null|n/?a|no\s+(?:due\s+)?(?:date|deadline|description"
    r"|tags?))"
)


# A move by an amount, ending the message: "back an hour", "by two days", "a week later",
# "forward a day" (earlier). What comes before it names the task.
_SHIFT = nocase(
    r"(?:^|\s+)(?:(?P<dir>back|forward|ahead|out|up|later|earlier)\s+)?(?:by\s+)?(?P<n>"
    + COUNT_RE
    + r"|half\s+an)\s+(?P<unit>minutes?|mins?|hours?|hrs?|days?|weeks?)(?:\s+(?P<dir2>later|earlier"
    r"|back|forward|ahead|out|sooner))?$"
)
_EARLIER = frozenset(("forward", "ahead", "up", "earlier", "sooner"))
_PARTICLES = nocase(r"^(?:back|out|forward|up|over)\s+|\s+(?:back|out|forward|up|over)$")


# "make the gym task not urgent": the lowest priority there is.
_NOT_URGENT = nocase(
    r"(?:(?:it's|it\s+is|is)\s+)?(?:not\s+(?:so\s+|that\s+|very\s+|too\s+)?(?:urgent|important|a\s+priority)"
    r"|less\s+(?:urgent|important)|no\s+rush|no\s+longer\s+(?:urgent|important))"
)


def parse_update(verb: str, rest: str, now: datetime) -> Intent | None:
    rest = REF_FILLER.sub("", rest.strip()).strip()
    # "change when the haircut is due to friday", "the priority from medium to high".
    rest = re.sub(r"^when\s+(.+?)\s+is\s+due\b", r"the due date of \1", rest, flags=_I)
    rest = re.sub(r"\s+from\s+\S+(?:\s+priority)?\s+to\s+", " to ", rest, flags=_I)
    if verb.startswith(("prioriti", "depriorit")):
        ref = parse_ref(rest)
        if ref is None:
            return Chat("bulk")
        return UpdateTask(ref, TaskChanges(priority="low" if verb.startswith("de") else "high"))

    if verb in DATE_VERBS:
        shifted = _shift(verb, rest)
        if shifted is not None:
            return shifted
    field = None
    match = _FIELD_BEFORE.match(rest)
    if match:
        field = _field_name(match.group("field"))
        rest = rest[match.end() :]
    split = _split_target(rest, verb, now)
    if split is None:
        return None
    ref, after = split
    if ref is None:
        return Chat("bulk")
    match = _FIELD_AFTER.match(after)
    if match and (field is None):
        field = _field_name(match.group("field"))
        after = after[match.end() :]
    value = _VALUE_LEAD.sub("", after, count=1).strip()
    value = value.rstrip(" .!")
    if not value:
        return Chat("missing_change") if not ref.words else None
    outcome = _interpret_value(value, field, verb, now)
    if isinstance(outcome, bool):
        return SetCompleted(ref, outcome)
    if outcome is None or outcome.is_empty():
        return Chat("missing_change")
    return UpdateTask(ref, outcome)


def _shift(verb: str, rest: str) -> Intent | None:
    """ "push the team meeting back an hour": the task, and how far its due date moves."""
    match = _SHIFT.search(rest)
    if match is None:
        return None
    target = _PARTICLES.sub("", rest[: match.start()].strip()).strip()
    target = re.sub(r"(?:'s)?\s+(?:deadline|due\s+date|due)$", "", target, flags=_I)
    ref = parse_ref(target) if target else TaskRef(pronoun=True)
    if ref is None:
        return Chat("bulk")
    raw = match.group("n").lower()
    amount = 0.5 if raw.startswith("half") else dates.parse_number(raw)
    unit = match.group("unit").lower()
    delta = {"m": timedelta(minutes=amount), "h": timedelta(hours=amount)}.get(unit[0])
    if delta is None:
        delta = timedelta(weeks=amount) if unit.startswith("w") else timedelta(days=amount)
    direction = {(match.group("dir") or "").lower(), (match.group("dir2") or "").lower()}
    earlier = bool(direction & _EARLIER) or (verb in ("bring", "pull") and "back" not in direction)
    return UpdateTask(ref, TaskChanges(shift=-delta if earlier else delta))


def _field_name(raw: str) -> str:
    raw = " ".join(raw.lower().split())
    if raw in ("title", "name"):
        return "title"
    if raw in ("description", "desc", "details", "detail", "note", "notes"):
        return "description"
    if raw == "priority":
        return "priority"
    if raw in ("tag", "tags", "label", "labels"):
        return "tags"
    return "due"


def _split_target(rest: str, verb: str, now: datetime) -> tuple[TaskRef | None, str] | None:
    """The task reference at the start of `rest`, and what follows it."""
    match = LEADING_IDS.match(rest)
    if match:
        return ids_ref(match.group()), rest[match.end() :]
    match = LEADING_ID.match(rest)
    if match:
        return TaskRef(task_id=id_of(match)), rest[match.end() :]
    match = LEADING_PRONOUN.match(rest)
    if match:
        return TaskRef(pronoun=True), rest[match.end() :]
    if BULK.match(rest):
        return None, ""
    quoted = QUOTED.match(rest)
    if quoted and quoted.start() == 0:
        words = (quoted.group("d") or quoted.group("s")).strip()
        return TaskRef(words=words), rest[quoted.end() :]
    separator = _WORDS_SEPARATOR.search(rest)
    cut = separator.start() if separator else None
    if verb in ("make", "tag", "label") or cut is None:
        found_words = (PRIORITY.search(rest), URGENT.search(rest), _NOT_URGENT.search(rest))
        candidates = [m.start() for m in found_words if m]
        found = dates.find_datetime(rest, now)
        if found is not None:
            candidates.append(found.spans[0][0])
        if cut is not None:
            candidates.append(cut)
        cut = min(candidates) if candidates else None
    if cut is None or cut == 0:
        return None
    target, after = rest[:cut].rstrip(), rest[cut:]
    field_match = re.search(
        r"(?:'s)?\s+(?P<field>title|name|description|priority|due\s+date|due|deadline|date|time"
        r"|tags?)$",
        target,
        _I,
    )
    if field_match:
        after = f"{field_match.group('field')} {after}"
        target = target[: field_match.start()]
    ref = parse_ref(_PARTICLES.sub("", target.strip()))
    if ref is None or not (ref.words or ref.task_id):
        return TaskRef(pronoun=True), after
    return ref, after


def _interpret_value(
    value: str, field: str | None, verb: str, now: datetime
) -> TaskChanges | bool | None:
    quoted = re.fullmatch(r"\"(.+)\"|'(.+)'", value)
    if quoted:
        inner = (quoted.group(1) or quoted.group(2)).strip()
        if field == "description":
            return TaskChanges(description=inner[:MAX_DESCRIPTION])
        return TaskChanges(title=clean_title(inner) or None)
    if field is None and re.fullmatch(STATE_WORDS, value, _I):
        return state_is_done(value)
    if field in (None, "priority") and _NOT_URGENT.fullmatch(value):
        return TaskChanges(priority="low")
    if field in ("due", "description", "tags") and _NOTHING.fullmatch(value):
        if field == "tags":
            return TaskChanges(tags=())
        return TaskChanges(clear=frozenset({"description" if field == "description" else "due_at"}))
    if field == "title" or verb in ("rename", "retitle"):
        return TaskChanges(title=clean_title(value) or None)
    if field == "description":
        return TaskChanges(description=value.strip()[:MAX_DESCRIPTION] or None)
    if field == "priority":
        word = re.sub(r"\s*prio(?:rity)?$", "", value.strip(), flags=_I)
        return TaskChanges(priority=priority_word(word))
    if field == "tags":
        return TaskChanges(tags=tags_from(value) or None)
    if verb in ("tag", "label"):
        return TaskChanges(add_tags=tags_from(value))
    if field == "due":
        found = dates.find_datetime(value, now)
        return (
            TaskChanges(
                due_at=found.value, keep_day=not found.has_day, keep_time=not found.has_time
            )
            if found
            else None
        )

    attributes, leftover = read_attributes(value, now)
    leftover = re.sub(
        r"\b(?:and|be|it|its|is|due|priority|prio|with|set|make|the|a|an|to|as|on|for|by)\b|[,.;:&]",
        " ",
        leftover,
        flags=_I,
    ).strip()
    if attributes.recurrence and not leftover and not attributes.priority and not attributes.tags:
        return TaskChanges(recurrence=attributes.recurrence)  # "change the standup to every monday"
    has_attributes = bool(attributes.priority or attributes.due_at or attributes.tags)
    keep_day = attributes.due_at is not None and not attributes.due_has_day
    keep_time = attributes.due_at is not None and not attributes.due_has_time
    if has_attributes and not leftover:
        return TaskChanges(
            priority=attributes.priority,
            due_at=attributes.due_at,
            add_tags=attributes.tags,
            keep_day=keep_day,
            keep_time=keep_time,
        )
    if verb in DATE_VERBS:
        if attributes.due_at is None:
            return None
        return TaskChanges(due_at=attributes.due_at, keep_day=keep_day, keep_time=keep_time)
    return TaskChanges(title=clean_title(value) or None)


def add_to_task(match: re.Match[str]) -> Intent:
    target = match.group("target") or match.group("target2") or match.group("target3")
    ref = parse_ref(target)
    if ref is None:
        return Chat("bulk")
    if match.group("hashtags") or match.group("named"):
        tags = tags_from(match.group("hashtags") or match.group("named"))
        return UpdateTask(ref, TaskChanges(add_tags=tags))
    what = match.group("what").lower()
    value = (match.group("tail") or match.group("value") or "").strip()
    if what.startswith(("tag", "label")):
        tags = tags_from(value)
        return UpdateTask(ref, TaskChanges(add_tags=tags)) if tags else Chat("missing_change")
    description = value.strip(" :\"'")[:MAX_DESCRIPTION]
    if not description:
        return Chat("missing_change")
    return UpdateTask(ref, TaskChanges(description=description))


def untag(match: re.Match[str]) -> Intent:
    """ "remove the work tag from task 3": that tag only."""
    named = next(group for group in match.group("named", "before", "hashtags", "bare") if group)
    return ref_intent(
        match.group("target"),
        lambda ref: UpdateTask(ref, TaskChanges(remove_tags=tags_from(named))),
    )


def clear_tags(match: re.Match[str]) -> Intent:
    """ "remove all tags from task 3", "untag task 3": no tags at all."""
    target = next(group for group in match.group("target", "target2", "target3") if group)
    return ref_intent(target, lambda ref: UpdateTask(ref, TaskChanges(tags=())))


def clear_field(match: re.Match[str]) -> Intent:
    """ "clear the due date of task 2", "task 3 has no due date": a field emptied, not a task."""
    groups = match.groupdict()
    raw = next((groups[name] for name in ("field", "field2") if groups.get(name)), "due")
    target = next(
        (groups[name] for name in ("target", "target2", "target3") if groups.get(name)), ""
    )
    field = _field_name(re.sub(r"(?<=[a-z])s$", "", raw.lower()))
    if field in ("title", "priority"):
        return Chat("cant_clear")
    if field == "tags":
        return ref_intent(target, lambda ref: UpdateTask(ref, TaskChanges(tags=())))
    cleared: Clearable = "description" if field == "description" else "due_at"
    return ref_intent(target, lambda ref: UpdateTask(ref, TaskChanges(clear=frozenset({cleared}))))
