"""Rows that change one task's fields: rename, reschedule, priority, tags, notes, emptied fields."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from chatapp.agent.offline import dates
from chatapp.agent.offline.changes import (
    ADD_TO_TASK,
    CLEAR_FIELD,
    CLEAR_TAGS,
    UNTAG,
    add_to_task,
    clear_field,
    clear_tags,
    parse_update,
    untag,
)
from chatapp.agent.offline.intents import MAX_DESCRIPTION, Intent, TaskChanges, UpdateTask
from chatapp.agent.offline.lexicon import PRIORITY_DOWN
from chatapp.agent.offline.pattern import nocase_dotall
from chatapp.agent.offline.rules.row import Rule, on_match
from chatapp.agent.offline.slots import (
    ID_ITEM,
    ONE_TARGET,
    TAG_LIST,
    priority_word,
    ref_intent,
    tags_from,
)
from chatapp.agent.offline.titles import clean_title

_PRIORITY_STEP = nocase_dotall(
    r"^(?P<verb>lower|decrease|reduce|downgrade|raise|increase|boost|upgrade|bump\s+up"
    r"|bump\s+down)\s+(?:(?:the\s+)?(?:priority|prio)\s+(?:of|for|on)\s+(?P<target>.+)"
    r"|(?P<target2>.+?)(?:'s)?\s+(?:priority|prio))$"
)
_MARK_PRIORITY = nocase_dotall(
    r"^(?:mark|flag)\s+(?P<target>.+?)\s+(?:as\s+)?(?:(?:a\s+)?(?P<priority>high|low|medium|top"
    r"|normal)[\s-]+prio(?:rity)?|(?P<urgent>urgent|important))$"
)
_UPDATE = nocase_dotall(
    r"^(?P<verb>change|rename|retitle|update|edit|modify|alter|set|make|move|push|reschedule"
    r"|postpone|delay|bump|shift|defer|prioriti[sz]e|deprioriti[sz]e|tag|label|switch|turn"
    r"|adjust|put\s+off|push\s+back|move\s+back|extend|snooze)\b\s*(?P<rest>.*)$"
)
# "bring the dentist forward a day", "pull the meeting up to 9am": earlier, never a new task.
_BRING = nocase_dotall(
    r"^(?P<verb>bring|pull)\s+(?P<rest>.+\s(?:forward|up|earlier|sooner|ahead|back)\b.*)$"
)
# "give task 3 a due date of friday", "give the milk task high priority".
_GIVE = nocase_dotall(r"^give\s+(?P<target>" + ONE_TARGET + r")\s+(?P<rest>.+)$")


# "task 2 due friday 3pm", "it's due tomorrow": a task named outright, the verb optional.
_DUE_SENTENCE = nocase_dotall(
    r"^(?P<target>" + ONE_TARGET + r")(?:'s|\s+(?:is|are|should\s+be|will\s+be|must\s+be"
    r"|needs\s+to\s+be\s+done))?\s+(?:now\s+)?(?:due(?:\s+date\s+is)?|deadline\s+is)\s+"
    r"(?P<when>.+)$"
)


_NOT_SELF = r"(?!(?:self|myself|me|yourself)\b)"
# "add a note to the report: include Q4", "note on the dentist: bring the card",
# "for the passport, note that I need photos", "describe the meeting as budget review".
_NOTE = nocase_dotall(
    r"^add\s+(?:a\s+|the\s+|this\s+|another\s+)?(?:note|notes|comment|description|details?)\s+"
    r"(?:to|on|for)\s+" + _NOT_SELF + r"(?P<target>[^:]+?)\s*:\s*(?P<text>.+)$"
    r"|^(?:a\s+)?(?:note|notes|comment)\s+(?:on|for|about|to|re)\s+"
    + _NOT_SELF
    + r"(?P<target2>[^:]+?)\s*:\s*(?P<text2>.+)$"
    r"|^add\s+(?:a\s+|the\s+)?(?:note|notes|comment)\s+(?:to|on|for)\s+(?P<target5>.+?)\s+"
    r"(?:saying|that\s+says|reading)\s*:?\s*(?P<text5>.+)$"
    r"|^(?:for|on|about|re:?|regarding)\s+(?P<target3>[^,:]+?)\s*(?:[,:]\s*|\s+(?=add\b))"
    r"(?:please\s+)?(?:add\s+(?:a\s+)?)?note(?:\s+down)?\s*(?:that\b|:)?\s*(?P<text3>.+)$"
    r"|^add\s+(?:a|the)\s+(?:note|comment|description)\s+(?P<text7>[\"'].+?[\"']|(?!to\b).+?)\s+"
    r"(?:to|on)\s+(?P<target7>.+)$"
    r"|^describe\s+(?P<target4>.+?)\s+as\s*:?\s*(?P<text4>.+)$"
    r"|^add\s+(?P<text6>[\"'].+?[\"']|.+?)\s+to\s+(?P<target6>.+?)(?:'s)?\s+(?:notes?|description"
    r"|details)$"
)
# "add tags errands and gifts to the present", "put the dentist under health".
_TAGS_TO = nocase_dotall(
    r"^add\s+(?:the\s+|a\s+)?(?:tags?|labels?)\s+(?P<tags>" + TAG_LIST + r")\s+(?:to|on)\s+"
    r"(?P<target>.+)$"
    r"|^(?:put|file|place|stick|move)\s+(?P<target2>.+?)\s+under\s+(?:the\s+)?(?P<tags2>"
    + TAG_LIST
    + r")(?:\s+(?:list|tags?|category|folder|pile))?$"
    r"|^(?:add|put|stick)\s+(?:the\s+|a\s+)?(?P<tags3>" + TAG_LIST + r")\s+(?:tags?|labels?)\s+"
    r"(?:to|on|onto)\s+(?P<target3>.+)$"
    r"|^(?:add|put|stick)\s+(?P<tags4>#[^\W\d_][\w-]*(?:(?:\s*,\s*|\s+and\s+|\s+)#[^\W\d_][\w-]*)*)"
    r"\s+(?:to|on|onto)\s+(?P<target4>.+)$"
)
# "call the passport task Renew passport and ID", "name task 3 Yearly report": a new title.
_CALL_AS = nocase_dotall(
    r"^(?:call|name|title|retitle)\s+(?P<target>(?:the\s+)?" + ID_ITEM + r"|the\s+.+?\s+(?:task"
    r"|todo|to-do|item|one|reminder))\s+(?:to\s+|as\s+)?(?P<title>.+?)(?:\s+instead)?$"
)


def _note(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    groups = [(f"target{n}", f"text{n}") for n in ("", "2", "3", "4", "5", "6", "7")]
    target, note = next((match.group(t), match.group(n)) for t, n in groups if match.group(t))
    note = note.strip(" \"'")[:MAX_DESCRIPTION]
    if not note:
        return None
    return ref_intent(target, lambda ref: UpdateTask(ref, TaskChanges(description=note)))


def _tags_to(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    tags = tags_from(
        next(match.group(f"tags{n}") for n in ("", "2", "3", "4") if match.group(f"tags{n}"))
    )
    target = next(
        match.group(f"target{n}") for n in ("", "2", "3", "4") if match.group(f"target{n}")
    )
    if not tags:
        return None
    return ref_intent(target, lambda ref: UpdateTask(ref, TaskChanges(add_tags=tags)))


def _call_as(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    title = clean_title(match.group("title"))
    if not title:
        return None
    return ref_intent(match.group("target"), lambda ref: UpdateTask(ref, TaskChanges(title=title)))


_FIELD = (
    r"(?P<field>priority|prio|due\s+date|due|deadline|notes?|description|details|title|name|tags?)"
)
# A field and its value said after the task, without a verb: "report priority low",
# "the report note: bring laptop", "report -> thursday", "due date for the report: friday".
_FIELD_SAID = nocase_dotall(
    r"^(?P<target>(?!(?:what|what's|whats|which|when|how|is|are|do|does|did|show|list|anything"
    r"|everything|something|nothing|any|all|i|we|you|there|put|set|give|add|make|change|assign"
    r"|apply)\b)"
    r".+?)(?:'s)?\s*[:,-]?\s+" + _FIELD + r"\s*(?:is|=|:|->|to|should\s+be|now)?\s*(?P<value>.+)$"
    r"|^(?:the\s+)?"
    + _FIELD.replace("<field>", "<field2>")
    + r"\s+(?:for|of|on)\s+(?P<target2>.+?)"
    r"\s*(?::|=|->|is|should\s+be)\s*(?P<value2>.+)$"
    r"|^(?P<target3>.+?)\s*(?:->|=>|\u2192)\s*(?P<value3>.+)$"
    r"|^(?:set|give|put|add)\s+(?:a|the)\s+"
    + _FIELD.replace("<field>", "<field4>")
    + r"\s+(?:of\s+|to\s+)?(?P<value4>.+?)\s+(?:for|on|to)\s+(?P<target4>.+)$"
    r"|^(?:put|set|give|assign|apply|add)\s+(?:a\s+)?(?P<value5>high|low|medium|top|normal)\s+"
    r"priority\s+(?:on|to|for)\s+"
    r"(?P<target5>.+)$"
)
# "can we do the report on thursday instead", "let's push the report to monday instead".
_INSTEAD = nocase_dotall(
    r"^(?:(?:(?:can|could|shall)\s+(?:we|i)|let'?s|i'?ll|we'?ll|i\s+will|we\s+will|i'?d\s+rather"
    r"|i\s+would\s+rather|i\s+want\s+to|i'?m\s+going\s+to)\s+)?(?:do|move|push|have|make)\s+"
    r"(?P<rest>.+?)\s+(?:instead|rather)$"
)


def _field_said(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    groups = match.groupdict()
    for n in ("", "2", "4", "5"):
        target, value = groups.get(f"target{n}"), groups.get(f"value{n}")
        if target and value:
            field = groups.get(f"field{n}") or "priority"
            return _as_update(parse_update("set", f"{target} {field} to {value}", now))
    update = parse_update("change", f"{groups['target3']} to {groups['value3']}", now)
    return _as_update(update)


def _as_update(intent: Intent | None) -> Intent | None:
    return intent if isinstance(intent, UpdateTask) else None


# "groceries: rename to buy groceries for the week", "report - move to friday".
_THEN_CHANGE = nocase_dotall(
    r"^(?P<target>[^:]+?)\s*(?::|\s-|\s\u2013)\s*(?P<verb>rename|retitle|change|move|push|postpone"
    r"|reschedule|set|make|tag|label|delay)\s+(?:it\s+)?(?P<rest>.+)$"
)


def _then_change(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    rest = f"{match.group('target')} {match.group('rest')}"
    return _as_update(parse_update(match.group("verb").lower(), rest, now))


def _instead(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    return _as_update(parse_update("move", match.group("rest"), now))


def _priority_step(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    verb = " ".join(match.group("verb").lower().split())
    changes = TaskChanges(priority_step=-1 if verb in PRIORITY_DOWN else 1)
    target = match.group("target") or match.group("target2")
    return ref_intent(target, lambda ref: UpdateTask(ref, changes))


def _mark_priority(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    changes = TaskChanges(priority=priority_word(match.group("priority") or match.group("urgent")))
    return ref_intent(match.group("target"), lambda ref: UpdateTask(ref, changes))


def _update(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    return parse_update(match.group("verb").lower(), match.group("rest"), now)


def _bring(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    return parse_update(match.group("verb").lower(), match.group("rest"), now)


def _give_any(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    # "give the birthday present a high priority": cut where the value starts.
    rest = re.sub(
        r"\s+(?:a|an|the)\s+(deadline|due\s+date|priority|title|name|description|note|tag)"
        r"(?:\s+of)?\s+",
        r" \1 ",
        match.group("rest"),
        flags=re.IGNORECASE,
    )
    update = parse_update("make", rest, now)
    return update if isinstance(update, UpdateTask) else None


def _give(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    rest = re.sub(r"^(?:an?|the)\s+", "", match.group("rest"), flags=re.IGNORECASE)
    update = parse_update("set", f"{match.group('target')} {rest}", now)
    if isinstance(update, UpdateTask) and update.changes.tags:
        # Giving a task a tag adds it to the ones it has.
        added = replace(update.changes, tags=None, add_tags=update.changes.tags)
        return replace(update, changes=added)
    return update


def _due_sentence(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    found = dates.find_datetime(match.group("when"), now)
    if found is None:
        return None
    changes = TaskChanges(due_at=found.value)
    return ref_intent(match.group("target"), lambda ref: UpdateTask(ref, changes))


ADD_TO = Rule(
    "add_to_task",
    ADD_TO_TASK,
    on_match(add_to_task),
    ("add the tag work to task 3", "add #home to it", "add a note to task 2: ring first"),
)
NOTE = Rule(
    "note",
    _NOTE,
    _note,
    ("add a note to the report: include Q4", "describe the meeting as budget review"),
)
TAGS_TO = Rule(
    "tags_to",
    _TAGS_TO,
    _tags_to,
    ("add tags errands and gifts to the present", "put X under health"),
)
CALL_AS = Rule("call_as", _CALL_AS, _call_as, ("call the passport task Passport and ID",))
FIELD_SAID = Rule(
    "field_said",
    _FIELD_SAID,
    _field_said,
    ("report priority low", "due date for the report: friday"),
)
THEN_CHANGE = Rule(
    "then_change", _THEN_CHANGE, _then_change, ("groceries: rename to buy groceries for the week",)
)
INSTEAD = Rule("instead", _INSTEAD, _instead, ("can we do the report on thursday instead",))
PRIORITY_STEP = Rule(
    "priority_step", _PRIORITY_STEP, _priority_step, ("lower the priority of task 3",)
)
MARK_PRIORITY = Rule("mark_priority", _MARK_PRIORITY, _mark_priority, ("mark task 3 as urgent",))
UNTAG_ROW = Rule("untag", UNTAG, on_match(untag), ("remove the work tag from task 3",))
CLEAR_TAGS_ROW = Rule(
    "clear_tags", CLEAR_TAGS, on_match(clear_tags), ("remove all tags from task 3",)
)
CLEAR_FIELD_ROW = Rule(
    "clear_field", CLEAR_FIELD, on_match(clear_field), ("clear the due date of task 2",)
)
UPDATE = Rule(
    "update", _UPDATE, _update, ("rename task 2 to Call the bank", "move task 2 to friday")
)
GIVE = Rule("give", _GIVE, _give, ("give task 3 a due date of friday",))
GIVE_ANY = Rule(
    "give_any",
    nocase_dotall(r"^give\s+(?P<rest>.+)$"),
    _give_any,
    ("give the birthday present a high priority",),
)
BRING = Rule("bring", _BRING, _bring, ("bring the dentist appointment forward a day",))
DUE_SENTENCE = Rule("due_sentence", _DUE_SENTENCE, _due_sentence, ("task 2 due friday 3pm",))
