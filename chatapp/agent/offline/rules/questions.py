"""Question rows: when something is due, whether it is done, what is most urgent, what was
finished, and every way of asking for a list."""

from __future__ import annotations

import re
from datetime import datetime

from chatapp.agent.offline.intents import Intent, ListTasks, TaskFilter
from chatapp.agent.offline.lexicon import PAST_TO_BASE
from chatapp.agent.offline.pattern import nocase, nocase_dotall
from chatapp.agent.offline.queries import parse_list
from chatapp.agent.offline.rules.row import NOCASE, QUESTION_START, Rule
from chatapp.agent.offline.slots import content_words

_WHEN = nocase_dotall(
    r"^(?:when(?:'s|\s+is|\s+are|\s+was|\s+do\s+i\s+(?:have|need)\s+to(?:\s+do)?|\s+should\s+i)"
    r"|what\s+(?:time|day|date)\s+(?:is|'s|was|are))"
    r"\s+(?P<what>.+?)(?:\s+(?:due|happening|scheduled|again))?[\s?!.]*$"
)
_DONE_QUESTION = nocase_dotall(
    r"^(?:did|have|has)\s+(?:i|we)\s+(?:already\s+|ever\s+|actually\s+|really\s+)?"
    r"(?P<verb>[a-z]+)(?:\s+(?:up|off|out))?\s+(?P<what>.+?)(?:\s+(?:yet|already|today))?[\s?!.]*$"
)
_IS_IT_DONE = nocase_dotall(
    r"^(?:is|was|are|were|has|have)\s+(?P<what>(?!there\b|anything\b|everything\b).+?)"
    r"(?:\s+been)?\s+(?:done|finished|completed|complete|paid|sent|booked|sorted)"
    r"(?:\s+(?:yet|already))?[\s?!.]*$"
)
_URGENT_QUESTION = nocase_dotall(
    r"^(?:what(?:'s|\s+is|s)\s+(?:the\s+)?(?:most\s+(?:urgent|important|pressing)|(?:my\s+)?top"
    r"\s+priority|next\s+(?:up|on\s+my\s+list)|(?:my\s+)?next\s+task)|what\s+should\s+i"
    r"\s+(?:do|work\s+on|tackle|start\s+with|focus\s+on)(?:\s+(?:first|next|now|today))?"
    r"|where\s+(?:should|do)\s+i\s+start|what\s+needs\s+(?:my\s+)?attention"
    r"|what(?:'s|\s+is|s)\s+next|what\s+now|what\s+(?:do|should)\s+i\s+do\s+(?:now|next)"
    r"|what(?:'s|\s+is)\s+(?:the\s+)?(?:most\s+important|top)\s+(?:thing|task)"
    r"|what(?:'s|\s+is)\s+(?:the\s+)?most\s+urgent\s+(?:task|thing|one))\b.*$"
)
_FINISHED = nocase_dotall(
    r"^(?:what|which\s+(?:tasks?|things?))\s+(?:did|have)\s+(?:i|we)\s+(?:already\s+)?"
    r"(?:finish(?:ed)?|complete[d]?|do(?:ne)?|did|get\s+done|got\s+done|accomplish(?:ed)?"
    r"|tick(?:ed)?\s+off|check(?:ed)?\s+off)\b.*$"
)
_LIST_SIGNAL_WORDS = nocase(
    r"(?:(?:my|the|all|any)\s+)?(?:tasks?|todos?|list|everything|anything|it|that|this|them)"
)
# A question about one task: "is task 3 done?", "what's the status of task 3?".
_ABOUT_ONE = nocase(
    r"^(?:(?:what(?:'s|\s+is)\s+)?(?:the\s+)?(?:status|state|progress)\s+(?:of|on|for)"
    r"|how(?:'s|\s+is)|is|was|has|have\s+i\s+(?:done|finished|completed)|did\s+i\s+(?:do|finish"
    r"|complete)|(?:any\s+)?(?:details|info|news)\s+(?:of|for|on|about)|tell\s+me\s+about"
    r"|what\s+about)\s+(?:the\s+)?(?:task|todo|to-do|item|number|no\.?)\s*#?\s*(?P<id>[0-9]{1,9})\b"
    r"(?:'s\s+status)?(?:\s+[\w\s,'-]*)?[\s?!.]*$"
)
_LIST = nocase(
    r"^(?:show|list|display|view|print|summari[sz]e|summary|overview|agenda"
    r"|see\s+(?:my|all|what|everything|which|tasks|todos|pending|completed|overdue|the\s+(?:list|tasks))"
    r"|get\s+(?:me\s+)?(?:my|the|all|a\s+list)|give\s+me|fetch|tell\s+me|read\s+(?:me\s+)?(?:my|the|all)"
    r"|what|what's|whats|which|how\s+many|how\s+much|do\s+i\s+have|have\s+i|did\s+i|is\s+there"
    r"|are\s+there|any|anything|everything|find|search|look\s+(?:for|up|at\s+my|through)|lookup"
    r"|check\s+(?:my|the|what|all|if|whether|for|on)|where|open\s+(?:tasks|todos|items)"
    r"|my\s+(?:tasks|todos|to-?dos|list|agenda|to-?do\s+list|schedule)|all\s+(?:my\s+)?(?:tasks|todos|items)"
    r"|pending|overdue|completed|upcoming|outstanding|remaining|due\s+(?:today|tomorrow|this|next"
    r"|soon|before|by|on)|tasks?|todos?|to-?dos?|to-?do\s+list)\b"
)
# Words that make a question one about the task list (and not, say, about the weather).
LIST_SIGNAL = nocase(
    r"\b(?:tasks?|todos?|to-?dos?|list|pending|open|completed|complete|done|finished|overdue|due"
    r"|left|remaining|outstanding|plate|agenda|schedule|today|tonight|tomorrow|week|weekend|month"
    r"|tagged|tag|priority|urgent|important|need\s+to|have\s+to|to\s+do|upcoming|anything"
    r"|everything|accomplish(?:ed)?|late|behind|about|finish|did\s+i\s+do)\b|#\w"
)
_LISTISH_ANYWHERE = nocase_dotall(r".*?\b(?:tasks|todos|to-?dos|to-?do\s+list|my\s+list|agenda)\b")


def _when(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    words = content_words(match.group("what"))
    if not words or _LIST_SIGNAL_WORDS.fullmatch(words):
        return None
    return ListTasks(TaskFilter(about=words, question="when"))


def _done_question(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    words = content_words(match.group("what"))
    if not words or _LIST_SIGNAL_WORDS.fullmatch(words):
        return None
    verb = base_verb((match.groupdict().get("verb") or "").lower())
    if verb and verb not in ("do", "finish", "complete", "get", "tick", "check"):
        words = f"{verb} {words}"
    return ListTasks(TaskFilter(about=words, question="done"))


def base_verb(verb: str) -> str:
    """ "sent" -> "send", "renewed" -> "renew": the form a task's title uses."""
    if verb in PAST_TO_BASE:
        return PAST_TO_BASE[verb]
    for suffix, replacement in (("ied", "y"), ("ed", ""), ("d", "")):
        if verb.endswith(suffix) and len(verb) - len(suffix) >= 3:
            return verb[: -len(suffix)] + replacement
    return verb


def _urgent(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    return ListTasks(TaskFilter(status="pending", question="urgent"))


def _finished(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    listed = parse_list(text, now).filter
    return ListTasks(
        TaskFilter(
            status="completed",
            question="finished",
            done_after=listed.due_after,
            done_before=listed.due_before,
            period=(listed.period or "").removeprefix("due ").removeprefix("on ") or None,
        )
    )


def _about_one(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    return ListTasks(TaskFilter(task_id=int(match.group("id"))))


# "what's the weather tomorrow": a question about something other than the list.
_OTHER_SUBJECT = nocase(
    r"^what(?:'s|\s+is|s)\s+(?:the|a)\s+(?!(?:plan|plans|agenda|schedule|list|status|situation"
    r"|deal|lineup|rundown|count|total|next|most|latest|priorit\w*|due|first|last|oldest|newest"
    r"|tasks?|todos?|to-?dos?|overdue|pending|open|upcoming|remaining|rest)\b)[a-z]+"
)


def _list(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    if QUESTION_START.match(text) and not LIST_SIGNAL.search(text):
        return None
    if _OTHER_SUBJECT.match(text) and not re.search(
        r"\b(?:tasks?|todos?|due|list)\b", text, NOCASE
    ):
        return None
    return parse_list(text, now)


def _listish(match: re.Match[str], text: str, now: datetime) -> Intent | None:
    return parse_list(text, now)


ABOUT_ONE = Rule("about_one", _ABOUT_ONE, _about_one, ("is task 3 done?", "status of task 4"))
WHEN = Rule("when", _WHEN, _when, ("when's my haircut?", "when is the dentist due"))
DONE_QUESTION = Rule("done_question", _DONE_QUESTION, _done_question, ("did i pay the gas bill?",))
IS_IT_DONE = Rule("is_it_done", _IS_IT_DONE, _done_question, ("is the report done yet?",))
URGENT = Rule(
    "urgent", _URGENT_QUESTION, _urgent, ("what's most urgent?", "what should i do first")
)
FINISHED = Rule("finished", _FINISHED, _finished, ("what did i finish today?",))
LIST = Rule("list", _LIST, _list, ("show my tasks", "what's due this week?"))
LISTISH = Rule("listish", _LISTISH_ANYWHERE, _listish, ("so how do my tasks look",))
