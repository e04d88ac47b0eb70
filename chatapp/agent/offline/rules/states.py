"""Done, not done and gone: the rows that complete, reopen and delete tasks, one or many.

A reference to many tasks ("all my shopping tasks", "everything that's done") becomes a
`BulkChange`, which is proposed and carried out only when the user confirms.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from chatapp.agent.offline.intents import (
    BulkAction,
    BulkChange,
    Chat,
    DeleteTask,
    Intent,
    SetCompleted,
    TaskFilter,
    TaskRef,
)
from chatapp.agent.offline.lexicon import DONE_PARTICIPLES, DONE_VERBS
from chatapp.agent.offline.pattern import nocase, nocase_dotall
from chatapp.agent.offline.queries import parse_list
from chatapp.agent.offline.rules.row import NOCASE, QUESTION_START, Rule
from chatapp.agent.offline.slots import (
    ID_ITEM,
    ID_JOIN,
    REF_FILLER,
    STATE_WORDS,
    content_words,
    parse_ref,
    state_is_done,
)

_REOPEN = nocase_dotall(
    r"^(?:re-?open|un-?complete|un-?mark|un-?check|un-?tick|un-?finish|undo|restore|revive"
    r"|resurrect|reactivate)\b\s*(?P<target>.*)$"
)
# "I didn't finish task 5", "we haven't done the taxes": it is not done after all.
_NOT_DONE = nocase_dotall(
    r"^(?:i|we)\s+(?:didn't|did\s+not|haven't|have\s+not|hadn't|never|still\s+haven't"
    r"|haven't\s+actually|forgot\s+to)\s+(?:actually\s+|really\s+|yet\s+)?"
    r"(?!(?:need|want|like|have|know|think|mean|say|ask|add|mention|tell|put|write|include"
    r"|remember)\b)(?P<verb>[a-z]+(?:\s+(?:up|off|out|in))?)"
    r"\s+(?P<target>.+?)(?:\s+(?:yet|after\s+all|at\s+all|actually))?$"
)
# "put the garage back on my list", "bring back the passport task": done no longer.
_BACK = nocase_dotall(
    r"^(?:put|add|bring|move|get)\s+(?P<target>.+?)\s+back(?:\s+(?:on|to|onto|in|into)\s+"
    r"(?:my|the)\s+(?:to-?do\s+)?list)?$|^bring\s+back\s+(?P<target2>.+)$"
)
# "I don't need to renew my passport anymore", "no longer need the gym task": gone.
_NOT_NEEDED = nocase_dotall(
    r"^(?:no\s+need\s+(?:for|to)\s+(?P<target2>.+?)(?:\s+any\s*more)?$)"
    r"|^(?:i\s+|we\s+)?(?:don'?t|do\s+not|no\s+longer|won'?t|will\s+not|shouldn'?t"
    r"|needn'?t)\s+(?:really\s+|even\s+|actually\s+|have\s+to\s+)?(?:need|have|want|got)\s+"
    r"(?:to\s+(?!forget\b|miss\b))?(?P<target>.+?)(?:\s+(?:any\s*more|after\s+all|now))*$"
)
_MARK = nocase_dotall(
    r"^(?:mark|flag|set|put|move|switch|change|revert|turn|return)\s+(?P<target>.+?)\s+"
    r"(?:as\s+|to\s+|back\s+to\s+|back\s+)?" + STATE_WORDS + r"$"
)
# "mark the present as bought", "mark the bill paid": done, in the task's own word.
_MARK_PARTICIPLE = nocase_dotall(
    r"^(?:mark|flag|set|consider)\s+(?P<target>.+?)\s+(?:as\s+)?(?:" + DONE_PARTICIPLES + r")$"
)
# The particle after the task: "check the dentist off", "cross it off my list".
_OFF_AFTER = nocase_dotall(
    r"^(?P<verb>check|tick|cross|mark|knock|strike|take|scratch)\s+(?P<target>.+?)\s+off"
    r"(?:\s+(?:of\s+)?(?:my|the)\s+(?:to-?do\s+)?list)?$"
)
_MARK_BARE = nocase_dotall(
    r"^(?:mark(?:\s+off)?|check\s+off|tick\s+off|cross\s+(?:off|out)|strike\s+(?:off|through))\b\s*"
    r"(?:(?:as\s+)?(?:done|complete|completed|finished)\b\s*:?\s*)?(?P<target>.*)$"
)
# "completed tasks" is a listing, not an order to complete something.
_COMPLETE = nocase_dotall(
    r"^(?:complete|finish|close|resolve|tick|(?:(?:all\s+)?done(?:\s+with)?|completed|finished)"
    r"(?!\s+(?:tasks|todos|to-?dos|items|ones)\b))\b\s*(?P<target>.*)$"
)
_I_DID = nocase_dotall(
    r"^(?:i|we)(?:'ve|\s+have|'m|\s+am|\s+just|\s+already|\s+finally|\s+all)*\s+"
    r"(?:(?:done|finished)\s+with|finished|completed|done|did|closed|resolved|ticked\s+off"
    r"|checked\s+off|crossed\s+off|took\s+care\s+of|taken\s+care\s+of|handled|wrapped\s+up"
    r"|sorted(?:\s+out)?|" + DONE_VERBS + r")\b"
    r"(?!\s*(?:not|n't)\b)\s*(?P<target>.*)$"
)
_DONE_STATEMENT = nocase_dotall(
    r"^(?:just\s+|finally\s+|already\s+)?(?:" + DONE_VERBS + r")\s+(?P<target>.+)$"
)
_WORDS_DONE = nocase_dotall(
    r"^(?P<target>(?!(?:what|which|how|is|are|anything|everything|all|i|we|you)\b).+?)\s*"
    r"[:\-]?\s+(?:" + DONE_PARTICIPLES + r")(?:\s+(?P<to>(?:to|for|with|at|from|by)\s+\S+"
    r"(?:\s+\S+)?))?(?:\s+(?:now|already|today|finally|at\s+last))?$"
)
# "clear completed", "clear out the done ones": a bulk delete, proposed first.
# "clear my list", "wipe everything": every task, proposed first like any bulk change.
_CLEAR_ALL = nocase(
    r"^(?:clear|wipe|empty|reset|nuke|purge)(?:\s+(?:out|off))?\s+(?:(?:the|my|our)\s+)?(?:whole\s+"
    r"|entire\s+|full\s+)?(?:to-?do\s+)?(?:list|tasks|todos|everything|all(?:\s+(?:my\s+)?tasks)?)$"
)
_CLEAR_DONE = nocase(
    r"^(?:clear|clean|wipe|purge|archive|tidy)(?:\s+(?:out|up|away))?\s+(?:all\s+)?(?:(?:the|my)\s+)?(?:completed|finished|done)"
    r"(?:\s+(?:ones|tasks|todos|items|stuff))?$"
    r"|^(?:clean|tidy)\s+up\s+(?:(?:the|my)\s+)?(?:to-?do\s+)?(?:list|tasks)$"
)
_DELETE = nocase_dotall(
    r"^(?:delete|remove|erase|drop|cancel|trash|discard|scrap|scratch|purge|nuke|ditch|bin|kill"
    r"|axe|nix|skip|archive|wipe(?:\s+out)?|clear\s+(?:out|away)|get\s+rid\s+of|forget(?:\s+about)?|throw\s+(?:away|out)"
    r"|take\s+off|strike)\b\s*(?P<target>.*)$"
)
# Tasks named by id and a state, without a verb: "task 2 done", "3 and 4: finished".
_ID_STATE = nocase_dotall(
    r"^(?P<target>(?:the\s+)?" + ID_ITEM + r"(?:" + ID_JOIN.format(to="") + ID_ITEM + r")*)"
    r"\s*[:\-\u2013]?\s*(?:(?:is|are)\s+)?(?:now\s+)?(?P<state>done|complete|completed|finished"
    r"|not\s+done|undone)$"
)


_COPULA = nocase(r"(?:is|are|was|were|'s|has|have|got|gets)\b")
_EVERY_WORDS = frozenset(
    ("all", "every", "everything", "each", "both", "rest", "ones", "stuff", "completed", "finished",
     "done", "pending", "open", "overdue", "old", "items", "item", "things", "thing", "them", "my",
     "list", "whole", "entire", "i", "i've", "already", "that's", "that", "is", "are", "have")
)  # fmt: skip


def on_ref(
    target: str, build: Callable[[TaskRef], Intent], action: BulkAction, now: datetime
) -> Intent:
    """The intent for the task `target` names, or a bulk change when it names many."""
    target = re.sub(r"^\s*(?:off|up|out|away)\s+", "", target, flags=NOCASE)  # "finish off ..."
    ref = parse_ref(target)
    if ref is not None:
        return build(ref)
    if re.search(r"[0-9]", target):
        return Chat("bulk")  # too many ids at once ("tasks 1-500"): name fewer
    return BulkChange(action, _bulk_filter(target, action, now))


def _bulk_filter(target: str, action: BulkAction, now: datetime) -> TaskFilter:
    found = parse_list(target, now).filter
    if found == TaskFilter():
        # Words no filter read ("every errand") narrow it by topic, never to everything.
        plain = re.sub(r"[^\w\s'-]", " ", content_words(target).lower())
        words = [w for w in plain.split() if w not in _EVERY_WORDS]
        if words:
            found = replace(found, topic=words[0])
    if action == "complete" and found.status == "all":
        return replace(found, status="pending")
    if action == "reopen" and found.status == "all":
        return replace(found, status="completed")
    return found


def _reopen(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    return on_ref(match.group("target"), lambda ref: SetCompleted(ref, False), "reopen", now)


def _complete(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    return on_ref(match.group("target"), lambda ref: SetCompleted(ref, True), "complete", now)


def _mark_state(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    done = state_is_done(match.group("state"))
    action: BulkAction = "complete" if done else "reopen"
    return on_ref(match.group("target"), lambda ref: SetCompleted(ref, done), action, now)


def _done_statement(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    target = REF_FILLER.sub("", match.group("target")).strip()
    if match.groupdict().get("to"):
        target = f"{target} {match.group('to')}"  # "slides sent to sarah": sarah names it too
    target = re.sub(r"\s+(?:done|finished|completed)$", "", target, flags=NOCASE)
    words = content_words(target)
    if not words or QUESTION_START.match(text):
        return None
    return SetCompleted(parse_ref(target) or TaskRef(words=words), True)


def _off_after(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    if match.group("verb").lower() in ("take", "scratch"):
        return on_ref(match.group("target"), DeleteTask, "delete", now)
    return _complete(match, text, now)


def _back(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    target = match.group("target") or match.group("target2")
    return on_ref(target, lambda ref: SetCompleted(ref, False), "reopen", now)


def _not_needed(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    return on_ref(match.group("target") or match.group("target2"), DeleteTask, "delete", now)


# "groceries: delete", "the report - done": the task first, then what to do with it.
_THEN_VERB = nocase_dotall(
    r"^(?P<target>.+?)\s*(?::|-|\u2013|\u2014|->)\s*(?P<verb>delete|remove|drop|cancel(?:led)?"
    r"|gone|done|complete|completed|finished|reopen|not\s+(?:yet\s+)?(?:done|finished|complete)"
    r"|undone|open)[\s.!]*$"
)


def _then_verb(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    verb = match.group("verb").lower()
    if verb.startswith(("delete", "remove", "drop", "cancel", "gone")):
        return on_ref(match.group("target"), DeleteTask, "delete", now)
    done = verb not in ("reopen", "undone", "open") and not verb.startswith("not")
    action: BulkAction = "complete" if done else "reopen"
    return on_ref(match.group("target"), lambda ref: SetCompleted(ref, done), action, now)


def _clear_done(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    return BulkChange("delete", TaskFilter(status="completed"))


def _clear_all(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    return BulkChange("delete", TaskFilter())


def _delete(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    if _COPULA.match(match.group("target")):
        return None  # "trash is out": the word is the task's, not a verb
    return on_ref(match.group("target"), DeleteTask, "delete", now)


THEN_VERB = Rule("then_verb", _THEN_VERB, _then_verb, ("groceries: delete", "the report - done"))
BACK = Rule("back_on_list", _BACK, _back, ("put the garage back on my list",))
NOT_NEEDED = Rule(
    "not_needed", _NOT_NEEDED, _not_needed, ("I don't need to renew my passport anymore",)
)
MARK_PARTICIPLE = Rule("mark_participle", _MARK_PARTICIPLE, _complete, ("mark the rent as paid",))
OFF_AFTER = Rule(
    "off_after", _OFF_AFTER, _off_after, ("check the dentist off", "take the gym off my list")
)
REOPEN = Rule("reopen", _REOPEN, _reopen, ("reopen task 4", "undo task 2"))
NOT_DONE = Rule(
    "not_done", _NOT_DONE, _reopen, ("i didn't finish task 5", "I haven't cleaned the garage yet")
)
MARK_STATE = Rule("mark_state", _MARK, _mark_state, ("mark task 3 done", "set task 2 to pending"))
MARK_BARE = Rule(
    "mark_bare", _MARK_BARE, _complete, ("check off task 3", "cross off the milk task")
)
COMPLETE = Rule("complete", _COMPLETE, _complete, ("complete task 2", "finish the report task"))
I_DID = Rule("i_did", _I_DID, _complete, ("i finished task 2", "i paid the rent task"))
DONE_STATEMENT = Rule("done_statement", _DONE_STATEMENT, _done_statement, ("paid the water bill",))
CLEAR_ALL = Rule("clear_all", _CLEAR_ALL, _clear_all, ("clear my list", "wipe everything"))
CLEAR_DONE = Rule("clear_done", _CLEAR_DONE, _clear_done, ("clear completed",))
DELETE = Rule("delete", _DELETE, _delete, ("delete task 5", "remove the meeting task"))
ID_STATE = Rule("id_state", _ID_STATE, _mark_state, ("task 2 done", "3 and 4: finished"))
WORDS_DONE = Rule(
    "words_done", _WORDS_DONE, _done_statement, ("groceries done", "the ferns: sorted")
)
