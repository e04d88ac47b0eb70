"""What a user message asks for: a rule-based parser from one message to one typed intent.

The parser knows nothing about tools or the conversation. It reads a message the way a person
skims it: strip politeness and greetings, look at the leading verb phrase (add / show / mark /
delete / change ...), then pull the pieces that verb needs out of the rest (a task reference, a
title, a due date, a priority, tags, a filter). Pronouns ("delete it") and answers to a question
("the second one") are left unresolved here; the planner resolves them against the conversation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal

from chatapp.agent import dates

Priority = Literal["low", "medium", "high"]
Clearable = Literal["due_at", "description"]
Status = Literal["all", "pending", "completed"]
ChatKind = Literal[
    "greeting",
    "thanks",
    "ack",
    "help",
    "date",
    "empty",
    "unknown",
    "missing_title",
    "missing_change",
    "bulk",
    "cant_clear",
]

MAX_TEXT = 4000
MAX_TITLE = 200
MAX_DESCRIPTION = 2000
MAX_NEW_TASKS = 20
MAX_TASKS_AT_ONCE = 20

_I = re.IGNORECASE
_IS = re.IGNORECASE | re.DOTALL


@dataclass(frozen=True)
class TaskRef:
    """Which task a message means: by id, by words from its title, or by "it".

    `more_ids` are further tasks named by id in the same breath ("delete tasks 2 and 5").
    `ordinal` is a position in the list the assistant showed last ("complete the third one").
    """

    task_id: int | None = None
    words: str | None = None
    pronoun: bool = False
    more_ids: tuple[int, ...] = ()
    ordinal: int | None = None  # "the second task": a place in the list last shown (-1: last)

    @property
    def ids(self) -> tuple[int, ...]:
        return () if self.task_id is None else (self.task_id, *self.more_ids)


@dataclass(frozen=True)
class TaskDraft:
    title: str
    description: str | None = None
    priority: Priority | None = None
    due_at: datetime | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class TaskChanges:
    """Fields to change; None means leave as is. `shift` moves the current due date.

    `tags` replaces every tag (() removes them all); `add_tags` and `remove_tags` edit the tags
    the task has, which is what "tag task 3 with work" and "remove the work tag" mean. `clear`
    names the fields to empty ("clear the due date of task 2"). `priority_step` moves the
    priority it has one level up (1) or down (-1): "lower the priority of task 3".
    """

    title: str | None = None
    description: str | None = None
    priority: Priority | None = None
    due_at: datetime | None = None
    tags: tuple[str, ...] | None = None
    shift: timedelta | None = None
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()
    clear: frozenset[Clearable] = frozenset()
    priority_step: int = 0

    def is_empty(self) -> bool:
        edits = self.add_tags or self.remove_tags or self.clear or self.priority_step
        return not edits and all(
            value is None
            for value in (
                self.title,
                self.description,
                self.priority,
                self.due_at,
                self.tags,
                self.shift,
            )
        )


@dataclass(frozen=True)
class TaskFilter:
    status: Status = "all"
    query: str | None = None
    priority: Priority | None = None
    tag: str | None = None
    due_after: datetime | None = None
    due_before: datetime | None = None
    period: str | None = None
    overdue: bool = False
    task_id: int | None = None  # one task asked about: "is task 3 done?"
    topic: str | None = None  # "my work tasks": tagged so, or with the word in the title


@dataclass(frozen=True)
class AddTasks:
    drafts: tuple[TaskDraft, ...]


@dataclass(frozen=True)
class ListTasks:
    filter: TaskFilter


@dataclass(frozen=True)
class SetCompleted:
    ref: TaskRef
    completed: bool


@dataclass(frozen=True)
class DeleteTask:
    ref: TaskRef


@dataclass(frozen=True)
class UpdateTask:
    ref: TaskRef
    changes: TaskChanges


@dataclass(frozen=True)
class OpenTask:
    """Show one task in the app's task panel ("open task 3", "show me the milk task")."""

    ref: TaskRef


@dataclass(frozen=True)
class Select:
    """A bare answer to "which one?": a task id, a position in the offered list, or words."""

    number: int | None = None
    ordinal: int | None = None
    words: str | None = None


@dataclass(frozen=True)
class Chat:
    kind: ChatKind


Intent = AddTasks | ListTasks | SetCompleted | DeleteTask | UpdateTask | OpenTask | Select | Chat
RefIntent = SetCompleted | DeleteTask | UpdateTask | OpenTask

_QUOTE_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
    }
)

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}  # fmt: skip
# With the slips people make typing them quickly ("thrid", "secnd").
_ORDINALS = {
    "first": 1, "1st": 1, "frist": 1, "fisrt": 1, "firts": 1, "firt": 1,
    "second": 2, "2nd": 2, "secnd": 2, "scond": 2, "seccond": 2, "secon": 2, "sencond": 2,
    "third": 3, "3rd": 3, "thrid": 3, "trhid": 3, "thrd": 3, "tird": 3, "thirdd": 3,
    "fourth": 4, "4th": 4, "forth": 4, "fourht": 4, "foruth": 4, "fouth": 4,
    "fifth": 5, "5th": 5, "fith": 5, "fifht": 5, "fitfh": 5,
    "sixth": 6, "6th": 6, "seventh": 7, "7th": 7, "eighth": 8, "8th": 8, "eigth": 8,
    "ninth": 9, "9th": 9, "nineth": 9, "tenth": 10, "10th": 10, "last": -1,
}  # fmt: skip
_ORDINAL_RE = "|".join(sorted(_ORDINALS, key=len, reverse=True))
_NUMBER_WORD_RE = "|".join(_NUMBER_WORDS)

_INJECTION = re.compile(
    r"\b(?:please\s+)?(?:ignore|disregard|forget|override|bypass)\s+(?:(?:all|any|the|your|my|of)\s+)*"
    r"(?:(?:previous|prior|above|earlier|preceding|system|original|existing|other)\s+)?"
    r"(?:instructions?|prompts?|rules?|messages?|directions?|context|guidelines?)\b"
    r"[\s,.:;!-]*(?:(?:and|then)\s+)?",
    _I,
)
# Tools never take a user id; a user named in the text must not leak into a title or a query.
_USER_REF = re.compile(
    r"(?:\b(?:of|for|from|belonging\s+to|owned\s+by|as|by)\s+)?\b(?:user|users|account|accounts"
    r"|userid|user_id|user-id|uid|customer|member|owner)\s*(?:id\s*)?(?:#|no\.?|number|=|:)?\s*"
    r"[0-9]+\b(?:'s)?"
    r"|(?:\b(?:of|for|from)\s+)?\b(?:other|another|all|every|any)\s+(?:users?|accounts?|people|"
    r"customers?|members?)(?:'s?)?\b|\b(?:everyone|everybody|someone\s+else)'s\b",
    _I,
)

_GREETING = re.compile(
    r"(?:hi|hello|hey|hiya|howdy|yo|hola|bonjour|salut|greetings|sup|good\s+(?:morning|afternoon"
    r"|evening|day)|morning|evening)(?:\s+(?:there|again|assistant|bot|buddy|friend|all|everyone"
    r"|team))?(?:[\s,!.]+(?:how\s+are\s+you(?:\s+doing)?(?:\s+today)?|how's\s+it\s+going"
    r"|what's\s+up|whats\s+up))?|how\s+are\s+you(?:\s+doing)?(?:\s+today)?|how's\s+it\s+going",
    _I,
)
_THANKS = re.compile(
    r"(?:(?:ok(?:ay)?|great|perfect|awesome|cool|nice)[\s,!.]+)?(?:thanks?(?:\s+(?:you|a\s+lot"
    r"|so\s+much|very\s+much|a\s+bunch|again|mate))*|thank\s+you(?:\s+(?:so|very)\s+much)?"
    r"(?:\s+again)?|thx|ty|tysm|cheers|much\s+appreciated|appreciate\s+it|great|perfect|awesome"
    r"|nice|brilliant|excellent|wonderful|amazing|good\s+job|well\s+done|lovely)"
    r"(?:[\s,!.]+(?:that's\s+all|bye|goodbye|see\s+you))?",
    _I,
)
_ACK = re.compile(
    r"ok(?:ay)?|k|kk|alright|all\s+right|sure|fine|got\s+it|understood|never\s*mind|nvm"
    r"|forget\s+it|no(?:pe)?|no\s+thanks?|nothing(?:\s+else)?|that's\s+all|that\s+is\s+all|bye"
    r"|goodbye|see\s+you|see\s+ya|later|good\s*night|cancel|stop|yes|yeah|yep|yup|cool",
    _I,
)
_HELP = re.compile(
    r"help(?:\s+me)?|\?+|what\s+can\s+you\s+do(?:\s+for\s+me)?|what\s+do\s+you\s+do|what\s+are\s+you"
    r"|who\s+are\s+you|how\s+does\s+(?:this|it)\s+work|how\s+do\s+i\s+use\s+(?:this|you|it)"
    r"|how\s+(?:can|do)\s+i\s+(?:start|begin)|what\s+can\s+i\s+(?:say|do|ask)|commands|menu|options"
    r"|usage|instructions|what\s+are\s+(?:your|the)\s+(?:commands|options|features)|features"
    r"|capabilities|what\s+is\s+this",
    _I,
)
_DATE_QUESTION = re.compile(
    r"what(?:'s|\s+is)\s+(?:the\s+|today's\s+)?(?:date|time|day)(?:\s+(?:today|now|is\s+it))?"
    r"|what\s+(?:day|time|date)\s+is\s+(?:it|today)(?:\s+(?:today|now))?|today's\s+date",
    _I,
)
_SMALL_TALK: tuple[tuple[ChatKind, re.Pattern[str]], ...] = (
    ("greeting", _GREETING),
    ("thanks", _THANKS),
    ("ack", _ACK),
    ("help", _HELP),
    ("date", _DATE_QUESTION),
)
_SELECT = re.compile(
    r"(?:(?:the\s+)?(?P<ordinal>"
    + _ORDINAL_RE
    + r")(?:\s+(?:one|task))?|(?:task\s*|number\s*|no\.?\s*|#)?(?P<number>[0-9]{1,9})"
    r"|(?:the\s+)?(?:one|task)\s+(?:called|named|about|titled)\s+(?P<words>.+))(?:\s+please)?",
    _I,
)

_LEAD = re.compile(
    r"^(?:(?:hi|hello|hey|hiya|yo)(?:\s+there)?|ok(?:ay)?|so|well|oh|alright|right|yes|yeah|yep"
    r"|actually|wait|oops|sorry|hmm+|um+|uh+|no|nope|instead|btw|by\s+the\s+way|in\s+fact"
    r"|never\s*mind|nvm"
    r"|sure|great|cool|thanks|thank\s+you|please|pls|plz|kindly|also|and|then|now|just|quickly"
    r"|(?:can|could|would|will)\s+(?:you|u)(?:\s+(?:please|mind))?|do\s+you\s+mind|i\s+want\s+you\s+to"
    r"|i'?d\s+like\s+you\s+to|i\s+would\s+like\s+you\s+to|i\s+need\s+you\s+to|go\s+ahead\s+and"
    r"|help\s+me(?:\s+to)?|let'?s|lets)\b[\s,!.:;-]*",
    _I,
)
# Slips in a message's first word, where the command is: "delte task 2", "wat's pending".
_SLIPS = {
    "delte": "delete", "delet": "delete", "dlete": "delete", "deleet": "delete",
    "detele": "delete", "remvoe": "remove", "reomve": "remove", "rmove": "remove",
    "compelte": "complete", "complet": "complete", "comlete": "complete",
    "copmlete": "complete", "mrak": "mark", "makr": "mark", "amrk": "mark",
    "chnage": "change", "chagne": "change", "cahnge": "change", "renmae": "rename",
    "reanme": "rename", "shwo": "show", "sohw": "show", "lsit": "list", "udpate": "update",
    "upadte": "update", "updte": "update", "reopne": "reopen", "craete": "create",
    "wat": "what", "whta": "what", "wht": "what", "wat's": "what's", "wats": "what's",
}  # fmt: skip
_TASK_SLIP = re.compile(r"\b(?:tsk|taks|tsak|tasl|tassk)(?=\s*#?\s*[0-9])", _I)
_GERUNDS = {
    "marking": "mark", "deleting": "delete", "removing": "remove", "adding": "add",
    "completing": "complete", "moving": "move", "changing": "change", "renaming": "rename",
    "showing": "show", "listing": "list", "setting": "set", "putting": "put",
    "creating": "create", "updating": "update", "making": "make", "reopening": "reopen",
    "checking": "check", "finishing": "finish", "ticking": "tick", "tagging": "tag",
    "clearing": "clear", "rescheduling": "reschedule", "postponing": "postpone",
    "pushing": "push",
}  # fmt: skip
_MIND_GERUND = re.compile(
    r"^(?:\w+[\s,]+)?(?:would|do|could)\s+you\s+mind\s+(?P<gerund>" + "|".join(_GERUNDS) + r")\b",
    _I,
)
_TRAILING_POLITE = re.compile(
    r"\b(?:please|pls|plz|thanks|thank\s+you|thx|for\s+me|if\s+you\s+can|asap\s+please)"
    r"[\s.!?]*$",
    _I,
)

_TAG_LIST = r"#?[^\W\d_][\w-]*(?:(?:\s*[,&]\s*|\s+and\s+)#?[^\W\d_][\w-]*)*"
_ADD_TO_TASK = re.compile(
    r"^add\s+(?:the\s+|a\s+|an\s+)?(?P<what>tags?|labels?|description|note|notes|details)\s*"
    r"(?P<value>.*?)\s+(?:to|on)\s+(?P<target>task\s*#?\s*[0-9]+|it|that|this"
    r"|the(?:\s+\S+){1,6}?\s+task)"
    r"\s*(?::\s*(?P<tail>.+))?$"
    r"|^add\s+(?P<hashtags>#[^\s#,]+(?:(?:\s*,\s*|\s+and\s+|\s+)#[^\s#,]+)*)\s+to\s+"
    r"(?P<target2>task\s*#?\s*[0-9]+|it|that|this|the(?:\s+\S+){1,6}?\s+task)\s*$"
    r"|^add\s+(?:the\s+|a\s+|an\s+)?(?P<named>"
    + _TAG_LIST
    + r")\s+(?:tags?|labels?)\s+(?:to|on)\s+"
    r"(?P<target3>task\s*#?\s*[0-9]+|it|that|this|the(?:\s+\S+){1,6}?\s+task)\s*$",
    _IS,
)
_ADD_STRONG = re.compile(
    r"^(?:add|create|insert|jot(?:\s+down)?|note\s+down|write\s+down|schedule)\b[\s:,-]*(?P<rest>.*)$",
    _IS,
)
# Verbs that only ever mean "show me this one task" when a single task follows them.
_OPEN = re.compile(
    r"^(?:open(?:\s+up)?|highlight|go\s+to|jump\s+to|take\s+me\s+to|bring\s+up|pull\s+up"
    r"|focus\s+on|scroll\s+to|navigate\s+to|point\s+me\s+to)\b\s*(?P<target>.+)$",
    _IS,
)
# Listing verbs: one task only when it is named as one ("task 3", "the milk task").
_SHOW_ONE = re.compile(r"^(?:show|display|view|see)(?:\s+me)?\s+(?P<target>.+)$", _IS)
_ONE_TASK_NAMED = re.compile(
    r"^(?:the|my|that)\s+(?:(?:task|todo|to-do|reminder)\s+(?:called|named|titled)\s+.+"
    r"|.+\s+(?:task|todo|to-do|reminder))$",
    _IS,
)
_MANY = re.compile(
    r"\b(?:tasks|todos|to-?dos|items|reminders|list|lists|everything|all|every|both)\b", _I
)
_NEW_THING = re.compile(r"^(?:a|an|another|new|one\s+more)\b", _I)
_POSITION_WORDS = frozenset(("next", "latest", "newest", "new", "previous", "same", "other"))
_ADD_WEAK = re.compile(
    r"^(?:make|set(?:\s+up)?|put|save|record|log|track|enter|register|new|open|start)\b\s*(?P<rest>.*)$",
    _IS,
)
_TASK_NOUN = re.compile(
    r"^(?:(?:a|an|another|one\s+more|the|some|my|these|this|following|the\s+following)\s+)*"
    r"(?:new\s+)?(?:task|todo|to-do|to\s+do|reminder|item|entry|note|thing)s?\b"
    r"(?:\s+(?:item|entry)s?)?\s*(?:(?:called|named|titled|saying|that\s+says|which\s+says|for"
    r"|to|about|of)\b|[:\-\u2013\u2014])?\s*",
    _I,
)
_LIST_INTRO = re.compile(
    r"^(?:to|on|onto|in|into)\s+(?:my|the|our)\s+(?:(?P<tag>[^\W\d_][\w-]*)\s+)?"
    r"(?:list|todos?|to-?do\s+list|tasks)\s*[:,\-]?\s*",
    _I,
)
_REMIND = re.compile(
    r"^(?:remind\s+me\s*(?:to|about|that|of)?|remember\s+(?:to|that)|don'?t\s+(?:let\s+me\s+)?"
    r"forget\s*(?:to|about|that)?|do\s+not\s+(?:let\s+me\s+)?forget\s*(?:to|about|that)?"
    r"|make\s+sure\s+(?:i|to)|note\s+to\s+self\s*:?|(?:new\s+)?(?:todo|to-do|task|reminder)\s*:)"
    r"\s*(?P<rest>.*)$",
    _IS,
)
_REOPEN = re.compile(
    r"^(?:re-?open|un-?complete|un-?mark|un-?check|un-?tick|un-?finish|undo|restore|revive"
    r"|resurrect|reactivate)\b\s*(?P<target>.*)$",
    _IS,
)
_STATE_WORDS = (
    r"(?P<state>(?:not\s+(?:yet\s+)?|un)(?:done|complete|completed|finished)|incomplete|pending"
    r"|open|to\s*-?\s*do|undone|unfinished|active|done|complete|completed|finished|closed"
    r"|resolved|checked|ticked)"
)
_MARK = re.compile(
    r"^(?:mark|flag|set|put|move|switch|change)\s+(?P<target>.+?)\s+(?:as\s+|to\s+|back\s+to\s+)?"
    + _STATE_WORDS
    + r"$",
    _IS,
)
_PRIORITY_STEP = re.compile(
    r"^(?P<verb>lower|decrease|reduce|downgrade|raise|increase|boost|upgrade|bump\s+up"
    r"|bump\s+down)\s+(?:(?:the\s+)?(?:priority|prio)\s+(?:of|for|on)\s+(?P<target>.+)"
    r"|(?P<target2>.+?)(?:'s)?\s+(?:priority|prio))$",
    _IS,
)
_PRIORITY_DOWN = frozenset(("lower", "decrease", "reduce", "downgrade", "bump down"))
_MARK_PRIORITY = re.compile(
    r"^(?:mark|flag)\s+(?P<target>.+?)\s+(?:as\s+)?(?:(?:a\s+)?(?P<priority>high|low|medium|top"
    r"|normal)[\s-]+prio(?:rity)?|(?P<urgent>urgent|important))$",
    _IS,
)
_MARK_BARE = re.compile(
    r"^(?:mark|check\s+off|tick\s+off|cross\s+(?:off|out)|strike\s+(?:off|through))\b\s*"
    r"(?:(?:as\s+)?(?:done|complete|completed|finished)\b\s*:?\s*)?(?P<target>.*)$",
    _IS,
)
# "completed tasks" is a listing, not an order to complete something.
_COMPLETE = re.compile(
    r"^(?:complete|finish|close|resolve|(?:done(?:\s+with)?|completed|finished)"
    r"(?!\s+(?:tasks|todos|to-?dos|items|ones)\b))\b\s*(?P<target>.*)$",
    _IS,
)
_I_DID = re.compile(
    r"^(?:i|we)(?:'ve|\s+have|'m|\s+am|\s+just|\s+already|\s+finally|\s+all)*\s+"
    r"(?:(?:done|finished)\s+with|finished|completed|done|did|closed|resolved|ticked\s+off"
    r"|checked\s+off|crossed\s+off|took\s+care\s+of|taken\s+care\s+of|handled|wrapped\s+up"
    r"|sorted(?:\s+out)?|paid|bought|called|sent|emailed|submitted|booked|cleaned|fixed)\b"
    r"(?!\s*(?:not|n't)\b)\s*(?P<target>.*)$",
    _IS,
)
# "I didn't finish task 5", "we haven't done the taxes": it is not done after all.
_NOT_DONE = re.compile(
    r"^(?:i|we)\s+(?:didn't|did\s+not|haven't|have\s+not|never|still\s+haven't)\s+(?:actually\s+|really\s+)?"
    r"(?:finish(?:ed)?|complete[d]?|do(?:ne)?)\s+(?P<target>.+)$",
    _IS,
)
_DELETE = re.compile(
    r"^(?:delete|remove|erase|drop|cancel|trash|discard|scrap|purge|nuke|ditch|bin|get\s+rid\s+of"
    r"|forget\s+about|throw\s+(?:away|out)|take\s+off)\b\s*(?P<target>.*)$",
    _IS,
)
# "remove the work tag from task 3", "remove tag work from it", "take #work off task 3".
_UNTAG = re.compile(
    r"^(?:remove|delete|drop|take|strip|clear|erase|get\s+rid\s+of|untag|unlabel)\s+(?:the\s+)?"
    r"(?:(?:tags?|labels?)\s+(?P<named>" + _TAG_LIST + r")"
    r"|(?P<before>(?!(?:all|any|every|the|my)\b)" + _TAG_LIST + r")\s+(?:tags?|labels?)"
    r"|(?P<hashtags>#[^\W\d_][\w-]*(?:(?:\s*,\s*|\s+and\s+|\s+)#[^\W\d_][\w-]*)*)"
    r"|(?<=untag\s)(?P<bare>" + _TAG_LIST + r"))"
    r"\s+(?:from|on|off(?:\s+of)?|of)\s+(?P<target>.+)$",
    _IS,
)
# Several ids: "tasks 1 and 2", "3, 4 and 5", "#2 & #5", "task 2 and task 5", "tasks 1-3".
_ID_NOUN = r"\b(?:tasks?|todos?|to-?dos?|items?|numbers?|nos?\.?)"
_ID_ITEM = r"(?:" + _ID_NOUN + r"\s*)?(?:#\s*)?[0-9]{1,9}\b"
# Each space belongs to one place only, so a long list that fails to match fails fast.
_ID_JOIN = r"\s*(?:,(?:\s*(?:and\b|&))?|&|\band\b|\bplus\b|-|\u2013|\bthrough\b|\bthru\b{to})\s*"
_FIELD_WORDS = (
    r"due\s+dates?|due\s+times?|deadlines?|dates?|times?|descriptions?|desc|details|notes?"
    r"|priority|priorities|title|name"
)
# Tasks said so: "task 3", "tasks 2 and 3", "it", "the rent task", "'Buy milk'" (not "tasks
# that ...", which starts a question).
_ONE_TARGET = (
    r"(?:(?:the\s+)?" + _ID_ITEM + r"(?:" + _ID_JOIN.format(to="") + _ID_ITEM + r")*"
    r"|it|that|this|(?:that|this)\s+one|the\s+.+?\s+(?:task|todo|to-do|reminder)"
    r"|\"[^\"]+\"|'[^']+')"
)
# "remove all tags from task 3", "clear task 3's tags", "untag task 3": no tags at all.
_CLEAR_TAGS = re.compile(
    r"^(?:(?:remove|delete|drop|clear|erase|strip|take\s+off|get\s+rid\s+of)\s+(?:(?:the|all"
    r"|any|all\s+(?:of\s+)?the)\s+)?(?:tags?|labels?)\s+(?:from|of|on|off(?:\s+of)?)\s+"
    r"(?P<target>.+)|(?:clear|remove)\s+(?P<target2>"
    + _ONE_TARGET
    + r")(?:'s)?\s+(?:tags?|labels?)"
    r"|(?:untag|unlabel)\s+(?P<target3>.+))$",
    _IS,
)
# "clear the due date of task 2", "remove the description from it", "clear task 2's deadline".
_CLEAR_FIELD = re.compile(
    r"^(?:remove|delete|clear|drop|erase|wipe|unset|reset|strip|take\s+off|get\s+rid\s+of)\s+"
    r"(?:(?:the|all|any|all\s+(?:of\s+)?the)\s+)?(?P<field>" + _FIELD_WORDS + r")"
    r"(?:\s+(?:from|of|on|off(?:\s+of)?|for|in)\s+(?P<target>.+))?$"
    r"|^(?:remove|delete|clear|drop|erase|wipe|unset|reset)\s+(?P<target2>" + _ONE_TARGET + r")"
    r"(?:'s)?\s+(?P<field2>" + _FIELD_WORDS + r")$",
    _IS,
)
# "task 3 has no due date", "it doesn't need a deadline any more", "unschedule task 3".
_NO_FIELD = re.compile(
    r"^(?P<target>" + _ONE_TARGET + r")\s+(?:has|have|should\s+have|gets|needs)\s+no\s+"
    r"(?P<field>" + _FIELD_WORDS + r")(?:\s+any\s*more)?$"
    r"|^(?P<target2>" + _ONE_TARGET + r")\s+(?:doesn't|does\s+not|shouldn't|should\s+not"
    r"|won't|will\s+not)\s+(?:have|need)\s+(?:a|an|any)\s+(?P<field2>" + _FIELD_WORDS + r")"
    r"(?:\s+any\s*more)?$"
    r"|^un-?schedule\s+(?P<target3>.+)$",
    _IS,
)
_UPDATE = re.compile(
    r"^(?P<verb>change|rename|retitle|update|edit|modify|alter|set|make|move|push|reschedule"
    r"|postpone|delay|bump|shift|defer|prioriti[sz]e|deprioriti[sz]e|tag|label)\b\s*(?P<rest>.*)$",
    _IS,
)
_DATE_VERBS = ("move", "push", "reschedule", "postpone", "delay", "bump", "shift", "defer")
_LIST = re.compile(
    r"^(?:show|list|display|view|print|summari[sz]e|summary|overview|agenda"
    r"|see\s+(?:my|all|what|everything|which|tasks|todos|pending|completed|overdue|the\s+(?:list|tasks))"
    r"|get\s+(?:me\s+)?(?:my|the|all|a\s+list)|give\s+me|fetch|tell\s+me|read\s+(?:me\s+)?(?:my|the|all)"
    r"|what|what's|whats|which|how\s+many|how\s+much|do\s+i\s+have|have\s+i|did\s+i|is\s+there"
    r"|are\s+there|any|anything|everything|find|search|look\s+(?:for|up|at\s+my|through)|lookup"
    r"|check\s+(?:my|the|what|all|if|whether|for|on)|where|open\s+(?:tasks|todos|items)"
    r"|my\s+(?:tasks|todos|to-?dos|list|agenda|to-?do\s+list|schedule)|all\s+(?:my\s+)?(?:tasks|todos|items)"
    r"|pending|overdue|completed|upcoming|outstanding|remaining|due\s+(?:today|tomorrow|this|next"
    r"|soon|before|by|on)|tasks?|todos?|to-?dos?|to-?do\s+list)\b",
    _I,
)
_OBLIGATION = re.compile(
    r"^(?:i\s+|we\s+|i(?='d)|we(?='d))?(?:really\s+|still\s+|also\s+|definitely\s+)?(?:(?:need|have|got|ought|want"
    r"|'d\s+like|would\s+like|will\s+need|'ll\s+need|'ve\s+got|should|must)\s+to|gotta|wanna|must"
    r"|should|need)\s+(?:remember\s+to\s+|not\s+forget\s+to\s+|make\s+sure\s+(?:to|i)\s+)?"
    r"(?P<rest>.+)$",
    _IS,
)
_STATE_SENTENCE = re.compile(
    r"^(?P<target>.+?)(?:\s+(?:is|are|was|were|has\s+been|have\s+been)|'s)(?P<neg>\s+not|n't)?\s+"
    r"(?:(?:now|all|already|finally|totally|yet|still)\s+)?(?P<state>done|complete|completed|finished"
    r"|closed|sorted|taken\s+care\s+of|open|pending|incomplete|undone|unfinished)\b[\s.!]*$",
    _IS,
)
# Tasks named by id and a state, without a verb: "task 2 done", "3 and 4: finished".
_ID_STATE = re.compile(
    r"^(?P<target>(?:the\s+)?" + _ID_ITEM + r"(?:" + _ID_JOIN.format(to="") + _ID_ITEM + r")*)"
    r"\s*[:\-\u2013]?\s*(?:(?:is|are)\s+)?(?:now\s+)?(?P<state>done|complete|completed|finished"
    r"|not\s+done|undone)$",
    _IS,
)
# "task 2 is due friday", "the rent task is due on the 30th", "it's due tomorrow at 5pm".
_DUE_SENTENCE = re.compile(
    r"^(?P<target>" + _ONE_TARGET + r")(?:'s|\s+(?:is|are|should\s+be|will\s+be|must\s+be"
    r"|needs\s+to\s+be\s+done))?\s+(?:now\s+)?(?:due(?:\s+date\s+is)?|deadline\s+is)\s+"
    r"(?P<when>.+)$",
    _IS,
)
# A question about one task: "is task 3 done?", "what's the status of task 3?".
_ABOUT_ONE = re.compile(
    r"^(?:(?:what(?:'s|\s+is)\s+)?(?:the\s+)?(?:status|state|progress)\s+(?:of|on|for)"
    r"|how(?:'s|\s+is)|is|was|has|have\s+i\s+(?:done|finished|completed)|did\s+i\s+(?:do|finish"
    r"|complete)|(?:any\s+)?(?:details|info|news)\s+(?:of|for|on|about)|tell\s+me\s+about"
    r"|what\s+about)\s+(?:the\s+)?(?:task|todo|to-do|item|number|no\.?)\s*#?\s*(?P<id>[0-9]{1,9})\b"
    r"(?:'s\s+status)?(?:\s+[\w\s,'-]*)?[\s?!.]*$",
    _I,
)
# "task 2 should be called Buy oat milk", "the milk task should be renamed to oat milk".
_NAME_SENTENCE = re.compile(
    r"^(?P<target>" + _ONE_TARGET + r")\s+(?:should\s+be|is\s+now|will\s+be|must\s+be)\s+"
    r"(?:called|named|titled|renamed\s+(?:to|as))\s+(?P<title>.+)$",
    _IS,
)
# "give task 3 a due date of friday", "give the milk task high priority".
_GIVE = re.compile(r"^give\s+(?P<target>" + _ONE_TARGET + r")\s+(?P<rest>.+)$", _IS)
# "clear completed", "clear out the done ones": a bulk delete, which is refused.
_CLEAR_DONE = re.compile(
    r"^(?:clear|clean)(?:\s+(?:out|up))?\s+(?:all\s+)?(?:(?:the|my)\s+)?(?:completed|finished|done)"
    r"(?:\s+(?:ones|tasks|todos|items))?$",
    _I,
)
_QUESTION_START = re.compile(
    r"^(?:what|what's|whats|which|how\s+many|how\s+much|where|is\s+there|are\s+there|any"
    r"|anything|did\s+i|have\s+i|give\s+me|tell\s+me)\b",
    _I,
)
_LIST_SIGNAL = re.compile(
    r"\b(?:tasks?|todos?|to-?dos?|list|pending|open|completed|complete|done|finished|overdue|due"
    r"|left|remaining|outstanding|plate|agenda|schedule|today|tonight|tomorrow|week|weekend|month"
    r"|tagged|tag|priority|urgent|important|need\s+to|have\s+to|to\s+do|upcoming|anything"
    r"|everything|accomplish(?:ed)?|late|behind|about|finish|did\s+i\s+do)\b|#\w",
    _I,
)
_LISTISH = re.compile(r"\b(?:tasks|todos|to-?dos|to-?do\s+list|my\s+list|agenda)\b", _I)

_LEADING_ID = re.compile(
    r"^\s*(?:the\s+)?(?:(?:task|todo|to-do|item|entry|number|no\.?)\s*(?:number\s+|no\.?\s*|#\s*)?"
    r"(?:(?P<id>[0-9]{1,9})|(?P<word>"
    + _NUMBER_WORD_RE
    + r"))|#?\s*(?P<bare>[0-9]{1,9}))\b(?:'s)?",
    _I,
)
_LEADING_IDS = re.compile(
    r"^\s*(?:the\s+)?" + _ID_ITEM + r"(?:" + _ID_JOIN.format(to="") + _ID_ITEM + r")+", _I
)
# Where no date can follow, "tasks 1 to 3" is a range too.
_ID_LIST = re.compile(
    r"^\s*(?:the\s+)?" + _ID_ITEM + r"(?:" + _ID_JOIN.format(to=r"|\bto\b") + _ID_ITEM + r")+$", _I
)
_ID_PIECE = re.compile(r"(?P<n>[0-9]{1,9})|(?P<range>-|\u2013|\bto\b|\bthrough\b|\bthru\b)", _I)
_LEADING_PRONOUN = re.compile(
    r"^\s*(?:it|that|this|them)(?:\s+(?:one|task|todo|item))?\b(?:'s)?",
    _I,
)
_REF_FILLER = re.compile(
    r"(?:\s*(?:please|pls|for\s+me|from\s+(?:my|the)\s+(?:to-?do\s+)?(?:list|tasks|todos)"
    r"|off\s+(?:my|the)\s+(?:to-?do\s+)?(?:list|tasks)|on\s+(?:my|the)\s+list|too|as\s+well|now"
    r"|again|permanently|completely|entirely|already|right\s+away|asap|as\s+(?:done|complete"
    r"|completed|finished)|[.!?,;:]))+\s*$",
    _I,
)
_PRONOUN_ONLY = re.compile(
    r"(?:it|that|this|them|that\s+one|this\s+one|the\s+(?:last|latest|previous|same|new|newest)"
    r"\s+(?:one|task|todo|item)|that\s+task|this\s+task|the\s+(?:one|task)\s+(?:i|you)\s+just"
    r"\s+(?:added|created|made|mentioned|listed)|the\s+task|the\s+one|one|task|the\s+todo)?",
    _I,
)
_ORDINAL_REF = re.compile(
    r"(?:the\s+)?(?P<ordinal>" + _ORDINAL_RE + r")(?:\s+(?:one|task|todo|to-do|item|entry))?"
    r"(?:\s+(?:on|in|from)\s+(?:the|my|that|this)\s+list)?",
    _I,
)
_BULK = re.compile(
    r"^(?:all|every|everything|each|both|the\s+rest|(?:(?:the|my)\s+)?(?:completed|finished"
    r"|done|old|pending|open|overdue)\s+(?:ones|tasks|todos|items)\b)",
    _I,
)
_WORDS_NAMED = re.compile(
    r"^(?:(?:the|my|a|an|that|this|our)\s+)?(?:task|todo|to-do|item|one|reminder|entry)s?\s+"
    r"(?:called|named|titled|about|for|to|with|that\s+says|saying|regarding|mentioning|on)\s+(?P<w>.+)$",
    _IS,
)
_WORDS_SUFFIXED = re.compile(
    r"^(?:(?:the|my|a|an|that|this|our)\s+)?(?P<w>.+?)\s+(?:task|todo|to-do|item|one|reminder|entry)s?$",
    _IS,
)
_ARTICLE = re.compile(r"^(?:(?:the|my|a|an|that|this|our|your)\s+)+", _I)

_QUOTED = re.compile(r"\"(?P<d>[^\"]+)\"|(?<!\w)'(?P<s>[^']+)'(?!\w)")
_HASHTAG = re.compile(r"(?<![\w&#])#(?P<tag>[^\W\d_][\w-]{0,40}|[0-9]+[^\W\d_][\w-]{0,40})", _I)
_TAGGED = re.compile(
    r"\b(?:tagged|tags?|labell?ed|labels?)\s*(?:with\s+|as\s+|:\s*)?"
    r"(?P<tags>#?[^\W\d_][\w-]*(?:(?:\s*[,&]\s*|\s+and\s+)#?[^\W\d_][\w-]*)*)\s*$",
    _I,
)
_PRIORITY = re.compile(
    r"(?:\b(?:with|at|as|in)\s+)?(?:\b(?:a|an)\s+)?\b(?P<p>high|low|medium|normal|top|highest"
    r"|lowest)[\s-]+prio(?:rity)?\b|\bprio(?:rity)?\s*(?:[:=]|is|of)?\s*(?P<p2>high|low|medium"
    r"|normal)\b|(?<!\w)!(?P<p3>high|low|medium|urgent)\b|\b[Pp](?P<n>[123])\b",
    _I,
)
_URGENT = re.compile(
    r"(?:^|(?<=[\s,(\-]))(?:(?:it's|it\s+is|is|very|super|really)\s+)?(?P<w>urgent(?:ly)?|asap"
    r"|important)(?:\s*[):!.]+|\s*$)",
    _I,
)
_DESCRIPTION = re.compile(
    r"\bwith\s+(?:the\s+|a\s+)?(?:description|desc|details?|notes?|note|comment)"
    r"\s*(?:[:=]|of|saying|that\s+says)?\s*(?P<d>.+)$"
    r"|\b(?:description|desc|details?|notes?|comment)\s*[:=]\s*(?P<d2>.+)$",
    _IS,
)
_LIST_PHRASE = re.compile(
    r"\b(?:to|on|onto|in|into)\s+(?:my|the|our)\s+(?:(?P<tag>[^\W\d_][\w-]*)\s+)?"
    r"(?:to-?do\s+|todo\s+|task\s+)?(?:list|todos?|tasks|to-?dos)\b",
    _I,
)
_ACTION_VERBS = (
    r"buy|get|pick\s+up|grab|order|call|phone|ring|text|email|e-mail|message|reply\s+to|write"
    r"|send|post|mail|pay|book|schedule|cancel|renew|return|clean|wash|tidy|vacuum|mow|water"
    r"|feed|walk|fix|repair|check|review|read|finish|submit|file|print|sign|prepare|cook"
    r"|bake|make|do|take|bring|drop\s+off|collect|visit|meet|see|go\s+to|pack|plan|study"
    r"|practi[cs]e|update|install|charge"
)
_ACTION_START = re.compile(r"^(?:" + _ACTION_VERBS + r")\b", _I)
_AND_ACTION = re.compile(r"\s+(?:and(?:\s+then)?|then|&)\s+(?=(?:" + _ACTION_VERBS + r")\b)", _I)
_CLAUSE_START = re.compile(
    r"^(?:it|it's|its|that|that's|which|because|since|so|but|as|she|she's|he|he's|they|they're"
    r"|we|we're|i|i'm|this|there|then|maybe|probably|don't|do\s+not|make\s+sure|please|remember"
    r"|if|when|otherwise)\b",
    _I,
)
_TITLE_LEAD = re.compile(
    r"^(?:(?:to|that|about|for|called|named|titled|saying|remember\s+to|please|i\s+(?:need|have"
    r"|must|should|gotta|got|want)\s+to|i\s+must|i\s+should|we\s+(?:need|have)\s+to|to\s+do)\s+"
    r"|[:;,.\-\u2013\u2014]+\s*)",
    _I,
)
_TITLE_TAIL_WORD = re.compile(
    r"(?:^|(?<=[\s,;:\-\u2013\u2014]))(?:and|&|with|please|pls|also|then|plus|thanks"
    r"|thank\s+you|due|by|before|until|till|for)$",
    _I,
)
_TITLE_TAIL_PUNCTUATION = " ,;:.!?-\u2013\u2014"
_FIELD_BEFORE = re.compile(
    r"^(?:(?:the|an?|new)\s+)*(?P<field>title|name|description|desc|details|notes?|priority|due\s+date"
    r"|due\s+time|due|deadline|date|time|tags?|labels?)\s+(?:of|for|on)\s+",
    _I,
)
_FIELD_AFTER = re.compile(
    r"^\s*(?:'s)?\s*(?P<field>title|name|description|desc|details|notes?|priority|due\s+date"
    r"|due\s+time|due|deadline|date|time|tags?|labels?)\b",
    _I,
)
_VALUE_LEAD = re.compile(r"^\s*(?:(?:to|as|into|until|till|for|on|with|=|:|is)\b|[:=])?\s*", _I)
_WORDS_SEPARATOR = re.compile(r"\s+(?:to|as|into|until|till|with)\s+|\s*[:=]\s*", _I)
_NOTHING = re.compile(
    r"(?:none|nothing|never|empty|blank|null|n/?a|no\s+(?:due\s+)?(?:date|deadline|description"
    r"|tags?))",
    _I,
)
_SHIFT = re.compile(
    r"^(?:back\s+)?(?:by\s+)?(?P<n>[0-9]{1,3}|a|an|one|two|three|four|five|six|seven|a\s+couple\s+of"
    r"|a\s+few)\s+(?P<unit>days?|weeks?|hours?)(?:\s+(?:later|back))?$|^back(?:\s+by)?\s+"
    r"(?P<n2>[0-9]{1,3}|a|an|one|two|three)\s+(?P<unit2>days?|weeks?|hours?)$",
    _I,
)
_QUERY_MARKER = re.compile(
    r"\b(?:about|regarding|concerning|related\s+to|relating\s+to|mentioning|containing|matching"
    r"|involving|that\s+(?:mention|contain|say)s?|with\s+the\s+words?|named|called|titled"
    r"|on\s+the\s+subject\s+of)\s+(?P<q>.+)$",
    _IS,
)
_QUERY_VERB = re.compile(
    r"^(?:find|search(?:\s+for)?|look\s+(?:for|up)|lookup|do\s+i\s+have\s+(?:a\s+task|anything"
    r"|something)\s+(?:for|with|about)|is\s+there\s+(?:a\s+task|anything|something)"
    r"\s+(?:for|with|about))\s+(?P<q>.+)$",
    _IS,
)
_QUERY_NOISE = re.compile(
    r"\b(?:the|my|a|an|any|some|all|every|tasks?|todos?|to-?dos?|items?|things?|anything"
    r"|something|stuff|in|on|from|of|list|please|pending|open|completed|done|finished|overdue"
    r"|that|which|are|is|i|have|me|show|find|search|for|with|about)\b",
    _I,
)
_STOP_WORDS = frozenset(
    (
        *("the", "a", "an", "my", "our", "your", "this", "that", "these", "those", "one"),
        *("task", "tasks", "todo", "todos", "to-do", "item", "items", "reminder", "entry"),
        *("called", "named", "titled", "about", "for", "to", "with", "of", "on", "in", "and"),
    )
)


def normalise(text: str) -> str:
    """Printable, single-spaced text with straight quotes, capped at MAX_TEXT characters."""
    text = text[: MAX_TEXT * 2].translate(_QUOTE_MAP)
    cleaned: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if char == "\n" or char == "\r":
            cleaned.append("\n")
        elif category in ("Cc", "Cs", "Co", "Cn", "Zl", "Zp"):
            cleaned.append(" ")
        elif category != "Cf":
            cleaned.append(char)
    joined = re.sub(r"[^\S\n]+", " ", "".join(cleaned))
    joined = re.sub(r"\s*\n\s*", "\n", joined)
    return joined.strip()[:MAX_TEXT]


def scrub(text: str) -> str:
    """Drop instruction-override phrases and references to other users' data."""
    text = _INJECTION.sub(" ", text)
    text = _USER_REF.sub(" ", text)
    return re.sub(r"[^\S\n]+", " ", text).strip()


def parse_intent(text: str, now: datetime) -> Intent:
    """What `text` asks for, with dates resolved against `now`."""
    cleaned = normalise(text)
    if not cleaned:
        return Chat("empty")
    if re.fullmatch(r"\?+", cleaned):
        return Chat("help")
    cleaned = scrub(cleaned)
    bare = _bare(cleaned)
    if not bare:
        return Chat("unknown")
    for kind, pattern in _SMALL_TALK:
        if pattern.fullmatch(bare):
            return Chat(kind)
    selection = _SELECT.fullmatch(bare)
    if selection:
        return _selection(selection)
    body = _fix_slips(_strip_lead(_polite_gerund(cleaned)))
    if not body:
        return Chat("greeting")
    return _classify(body, now)


def _polite_gerund(text: str) -> str:
    """ "would you mind marking task 1 done" -> "would you mind mark task 1 done"."""
    match = _MIND_GERUND.match(text)
    if match is None:
        return text
    base = _GERUNDS[match.group("gerund").lower()]
    return text[: match.start("gerund")] + base + text[match.end("gerund") :]


def _fix_slips(text: str) -> str:
    """Common slips in the words that carry the command: the verb first, "tsk 2", "wat's"."""
    first, _, rest = text.partition(" ")
    fixed = _SLIPS.get(first.lower())
    text = f"{fixed} {rest}".strip() if fixed else text
    return _TASK_SLIP.sub("task", text)


def clean_title(text: str) -> str:
    """A task title: no leading connectors or trailing punctuation, first letter capitalised."""
    title = " ".join(text.replace("\n", " ").split())
    previous = None
    while previous != title:
        previous = title
        title = _TITLE_LEAD.sub("", title).strip()
        title = _TITLE_TAIL_WORD.sub("", title.rstrip(_TITLE_TAIL_PUNCTUATION)).strip()
        title = re.sub(r"^(?:a|an)\s+(?=\S)", "", title, flags=_I)
        quoted = re.fullmatch(r"\"(.+)\"|'(.+)'", title)
        if quoted:
            title = (quoted.group(1) or quoted.group(2)).strip()
    if len(title) > MAX_TITLE:
        title = title[:MAX_TITLE].rsplit(" ", 1)[0].rstrip(" ,;:-") or title[:MAX_TITLE]
    return title[:1].upper() + title[1:]


def _bare(text: str) -> str:
    text = " ".join(text.split())
    start, end = 0, len(text)
    while start < end and _is_edge_noise(text[start]):
        start += 1
    while end > start and _is_edge_noise(text[end - 1]):
        end -= 1
    return text[start:end]


def _is_edge_noise(char: str) -> bool:
    if char in "#'\"":
        return False
    category = unicodedata.category(char)
    return category[0] in "PSZ" or char.isspace()


def _strip_lead(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        text = _LEAD.sub("", text, count=1).strip()
        text = _TRAILING_POLITE.sub("", text).rstrip(" ,")
    return text.strip(" ,")


def _selection(match: re.Match[str]) -> Select:
    if match.group("ordinal"):
        return Select(ordinal=_ORDINALS[match.group("ordinal").lower()])
    if match.group("number"):
        number = int(match.group("number"))
        return Select(number=number, ordinal=number if number <= 20 else None)
    return Select(words=_content_words(match.group("words")) or None)


def _classify(body: str, now: datetime) -> Intent:
    text = body.rstrip(" .!")
    match = _ADD_TO_TASK.match(text)
    if match:
        return _add_to_task(match)
    match = _ADD_STRONG.match(text)
    if match:
        return _parse_add(match.group("rest"), now)
    opened = _parse_open(text)
    if opened is not None:
        return opened
    match = _ADD_WEAK.match(text)
    if match and not (
        _LEADING_ID.match(match.group("rest")) or _LEADING_IDS.match(match.group("rest"))
    ):
        rest = match.group("rest")
        if _TASK_NOUN.match(rest) and not re.fullmatch(r"(?:tasks?|todos?)\s*", rest, _I):
            return _parse_add(rest, now)
        if _LIST_PHRASE.search(rest):
            return _parse_add(rest, now)
    match = _REMIND.match(text)
    if match:
        return _parse_add(match.group("rest"), now)
    match = _REOPEN.match(text) or _NOT_DONE.match(text)
    if match:
        return _ref_intent(match.group("target"), lambda ref: SetCompleted(ref, False))
    match = _PRIORITY_STEP.match(text)
    if match:
        verb = " ".join(match.group("verb").lower().split())
        changes = TaskChanges(priority_step=-1 if verb in _PRIORITY_DOWN else 1)
        target = match.group("target") or match.group("target2")
        return _ref_intent(target, lambda ref: UpdateTask(ref, changes))
    match = _MARK_PRIORITY.match(text)
    if match:
        priority = _priority_word(match.group("priority") or match.group("urgent"))
        return _ref_intent(
            match.group("target"), lambda ref: UpdateTask(ref, TaskChanges(priority=priority))
        )
    match = _MARK.match(text)
    if match:
        done = _state_is_done(match.group("state"))
        return _ref_intent(match.group("target"), lambda ref: SetCompleted(ref, done))
    for pattern in (_MARK_BARE, _COMPLETE, _I_DID):
        match = pattern.match(text)
        if match:
            return _ref_intent(match.group("target"), lambda ref: SetCompleted(ref, True))
    removal = _parse_tag_removal(text)
    if removal is not None:
        return removal
    cleared = _parse_clear(text)
    if cleared is not None:
        return cleared
    if _CLEAR_DONE.match(text):
        return Chat("bulk")
    match = _DELETE.match(text)
    if match:
        return _ref_intent(match.group("target"), DeleteTask)
    match = _UPDATE.match(text)
    if match:
        update = _parse_update(match.group("verb").lower(), match.group("rest"), now)
        if update is not None:
            return update
    match = _GIVE.match(text)
    if match:
        rest = re.sub(r"^(?:an?|the)\s+", "", match.group("rest"), flags=_I)
        update = _parse_update("set", f"{match.group('target')} {rest}", now)
        if isinstance(update, UpdateTask) and update.changes.tags:
            # Giving a task a tag adds it to the ones it has.
            added = replace(update.changes, tags=None, add_tags=update.changes.tags)
            return replace(update, changes=added)
        if update is not None:
            return update
    match = _NAME_SENTENCE.match(text)
    if match:
        changes = TaskChanges(title=clean_title(match.group("title")) or None)
        if changes.title:
            return _ref_intent(match.group("target"), lambda ref: UpdateTask(ref, changes))
    match = _ABOUT_ONE.match(text)
    if match:
        return ListTasks(TaskFilter(task_id=int(match.group("id"))))
    match = _ID_STATE.match(text)
    if match:
        done = _state_is_done(match.group("state"))
        return _ref_intent(match.group("target"), lambda ref: SetCompleted(ref, done))
    match = _DUE_SENTENCE.match(text)
    found = dates.find_datetime(match.group("when"), now) if match else None
    if match and found is not None:
        changes = TaskChanges(due_at=found.value)
        return _ref_intent(match.group("target"), lambda ref: UpdateTask(ref, changes))
    match = _STATE_SENTENCE.match(text)
    if match and not _QUESTION_START.match(text):
        state = match.group("state")
        done = _state_is_done(state) != bool(match.group("neg"))
        return _ref_intent(match.group("target"), lambda ref: SetCompleted(ref, done))
    if _LIST.match(text) and (not _QUESTION_START.match(text) or _LIST_SIGNAL.search(text)):
        return _parse_list(text, now)
    match = _OBLIGATION.match(text)
    if match:
        rest = match.group("rest")
        inner = _classify(rest, now)
        if isinstance(inner, ListTasks | DeleteTask | UpdateTask | AddTasks):
            return inner
        if isinstance(inner, OpenTask) and inner.ref.task_id is not None:
            return inner  # "I want to see task 3"; "I need to open the garage" is a new task
        if isinstance(inner, SetCompleted) and not inner.completed:
            return inner
        return _parse_add(rest, now)
    if _LISTISH.search(text):
        return _parse_list(text, now)
    return Chat("unknown")


def _parse_open(text: str) -> OpenTask | None:
    """ "open task 3", "highlight the milk task", "show me task 2"; None when it is not one task."""
    match = _OPEN.match(text)
    if match:
        target = _REF_FILLER.sub("", match.group("target")).strip()
        if not target or _MANY.search(target) or _NEW_THING.match(target):
            return None
        ref = parse_ref(target)
        return OpenTask(ref) if ref is not None and not ref.more_ids else None
    match = _SHOW_ONE.match(text)
    if match is None:
        return None
    target = _REF_FILLER.sub("", match.group("target")).strip()
    leading = _LEADING_ID.match(target)
    if leading and not leading.group("bare") and not target[leading.end() :].strip():
        return OpenTask(TaskRef(task_id=_id_of(leading)))
    if not _ONE_TASK_NAMED.match(target) or _MANY.search(target):
        return None
    words = _content_words(target)
    listed = {word.lower() for word in words.split()}
    if not words or _LIST_SIGNAL.search(words) or listed & (_POSITION_WORDS | set(_ORDINALS)):
        return None
    return OpenTask(TaskRef(words=words))


def _state_is_done(state: str) -> bool:
    state = " ".join(state.lower().split())
    return not re.match(
        r"^(?:not|un|incomplete|pending|open|to|undone|unfinished|active)", state
    ) and state not in ("todo", "to-do")


def _ref_intent(target: str, build: Callable[[TaskRef], Intent]) -> Intent:
    ref = parse_ref(target)
    return Chat("bulk") if ref is None else build(ref)


def parse_ref(target: str) -> TaskRef | None:
    """The task a phrase like "task 3", "it" or "the meeting task" means; None for "all of them"."""
    target = _REF_FILLER.sub("", target.strip()).strip()
    if _BULK.match(target):
        return None
    if not target or _PRONOUN_ONLY.fullmatch(target):
        # "the last one" is the last of a list just shown, else the task last talked about.
        last = re.match(r"(?:the\s+)?last\b", target, _I)
        return TaskRef(pronoun=True, ordinal=-1 if last else None)
    if _ID_LIST.match(target):
        return _ids_ref(target)
    match = _LEADING_ID.match(target)
    if match and not _REF_FILLER.sub("", target[match.end() :]).strip():
        return TaskRef(task_id=_id_of(match))
    quoted = _QUOTED.fullmatch(target)
    if quoted:
        return TaskRef(words=(quoted.group("d") or quoted.group("s")).strip())
    match = _ORDINAL_REF.fullmatch(target)
    if match:
        return TaskRef(ordinal=_ORDINALS[match.group("ordinal").lower()])
    words = _content_words(target)
    return TaskRef(words=words) if words else TaskRef(pronoun=True)


def _ids_ref(text: str) -> TaskRef | None:
    """The tasks an id list names ("3, 4 and 5", "tasks 1-3"); None when that is too many."""
    ids: list[int] = []
    ranged = False
    for piece in _ID_PIECE.finditer(re.sub(_ID_NOUN, " ", text, flags=_I)):
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


def _id_of(match: re.Match[str]) -> int:
    digits = match.group("id") or match.group("bare")
    if digits:
        return int(digits)
    return _NUMBER_WORDS[match.group("word").lower()]


def _content_words(phrase: str) -> str:
    phrase = phrase.strip().strip("\"'").strip()
    for pattern in (_WORDS_NAMED, _WORDS_SUFFIXED):
        match = pattern.match(phrase)
        if match:
            phrase = match.group("w")
            break
    phrase = _ARTICLE.sub("", phrase)
    phrase = re.sub(r"'s$", "", phrase.strip().strip("\"'"))
    words = [word for word in phrase.split() if word.lower() not in _STOP_WORDS]
    return " ".join(words)[:MAX_TITLE]


def _add_to_task(match: re.Match[str]) -> Intent:
    target = match.group("target") or match.group("target2") or match.group("target3")
    ref = parse_ref(target)
    if ref is None:
        return Chat("bulk")
    if match.group("hashtags") or match.group("named"):
        tags = _tags_from(match.group("hashtags") or match.group("named"))
        return UpdateTask(ref, TaskChanges(add_tags=tags))
    what = match.group("what").lower()
    value = (match.group("tail") or match.group("value") or "").strip()
    if what.startswith(("tag", "label")):
        tags = _tags_from(value)
        return UpdateTask(ref, TaskChanges(add_tags=tags)) if tags else Chat("missing_change")
    description = value.strip(" :\"'")[:MAX_DESCRIPTION]
    if not description:
        return Chat("missing_change")
    return UpdateTask(ref, TaskChanges(description=description))


def _parse_tag_removal(text: str) -> Intent | None:
    """ "remove the work tag from task 3" (that tag only), "remove all tags from task 3"."""
    match = _UNTAG.match(text)
    if match:
        named = next(group for group in match.group("named", "before", "hashtags", "bare") if group)
        return _ref_intent(
            match.group("target"),
            lambda ref: UpdateTask(ref, TaskChanges(remove_tags=_tags_from(named))),
        )
    match = _CLEAR_TAGS.match(text)
    if match:
        target = next(group for group in match.group("target", "target2", "target3") if group)
        return _ref_intent(target, lambda ref: UpdateTask(ref, TaskChanges(tags=())))
    return None


def _parse_clear(text: str) -> Intent | None:
    """ "clear the due date of task 2", "task 3 has no due date": a field emptied, not a task."""
    match = _CLEAR_FIELD.match(text) or _NO_FIELD.match(text)
    if match is None:
        return None
    groups = match.groupdict()
    raw = next((groups[name] for name in ("field", "field2") if groups.get(name)), "due")
    target = next(
        (groups[name] for name in ("target", "target2", "target3") if groups.get(name)), ""
    )
    field = _field_name(re.sub(r"(?<=[a-z])s$", "", raw.lower()))
    if field in ("title", "priority"):
        return Chat("cant_clear")
    if field == "tags":
        return _ref_intent(target, lambda ref: UpdateTask(ref, TaskChanges(tags=())))
    cleared: Clearable = "description" if field == "description" else "due_at"
    return _ref_intent(target, lambda ref: UpdateTask(ref, TaskChanges(clear=frozenset({cleared}))))


def _tags_from(text: str) -> tuple[str, ...]:
    words = re.split(r"\s*(?:,|\band\b|&|\s)\s*", text.strip(), flags=_I)
    tags: list[str] = []
    for word in words:
        tag = word.strip().lstrip("#").strip(".,;:!?").lower()
        if tag and re.fullmatch(r"[\w-]{1,40}", tag) and not tag.isdigit() and tag not in tags:
            tags.append(tag)
    return tuple(tags)


def _priority_word(word: str | None) -> Priority | None:
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
class _Attributes:
    description: str | None = None
    priority: Priority | None = None
    due_at: datetime | None = None
    tags: tuple[str, ...] = ()


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for index in range(start, min(end, len(chars))):
            chars[index] = " "
    return "".join(chars)


def _attributes(text: str, now: datetime) -> tuple[_Attributes, str]:
    """Description, tags, priority and due date found in `text`, and the text left over."""
    spans: list[tuple[int, int]] = []
    description = None
    match = _DESCRIPTION.search(text)
    if match:
        description = (match.group("d") or match.group("d2") or "").strip().strip("\"'").strip()
        description = description[:MAX_DESCRIPTION] or None
        spans.append((match.start(), len(text)))
    tags: list[str] = []
    for match in _LIST_PHRASE.finditer(_mask(text, spans)):
        tag = (match.group("tag") or "").lower()
        if tag and tag not in ("to", "todo", "to-do", "task", "do", "the", "my"):
            tags.append(tag)
        spans.append(match.span())
    for match in _HASHTAG.finditer(_mask(text, spans)):
        tags.append(match.group("tag").lower())
        spans.append(match.span())
    match = _TAGGED.search(_mask(text, spans))
    if match:
        tags.extend(_tags_from(match.group("tags")))
        spans.append(match.span())
    priority: Priority | None = None
    for match in _PRIORITY.finditer(_mask(text, spans)):
        if match.group("n"):
            found = _priority_word(match.group("n"))
        else:
            found = _priority_word(match.group("p") or match.group("p2") or match.group("p3"))
        priority = priority or found
        spans.append(match.span())
    if priority is None:
        match = _URGENT.search(_mask(text, spans))
        if match:
            priority = "high"
            spans.append(match.span("w"))
    found_date = dates.find_datetime(_mask(text, spans), now)
    due_at = None
    if found_date is not None:
        due_at = found_date.value
        spans.extend(found_date.spans)
    unique_tags = tuple(dict.fromkeys(tag for tag in tags if tag))
    rest = dates.remove_spans(text, spans)
    return _Attributes(description, priority, due_at, unique_tags), rest


def _split_items(text: str) -> list[tuple[str, str | None]]:
    """Several tasks in one message ("milk, eggs and bread"), each with an optional description."""
    if "\n" in text or ";" in text:
        parts = [
            re.sub(r"^(?:[-*\u2022]|[0-9]+[.)])\s*", "", part).strip()
            for part in re.split(r"\s*[\n;]\s*", text)
        ]
    elif "," in text:
        parts = [part.strip() for part in re.split(r",(?!\s*[0-9]{4}\b)", text)]
        tail = re.split(r"\s+(?:and|&|plus)\s+", parts[-1], maxsplit=1, flags=_I)
        if len(parts) >= 2 and len(tail) == 2 and all(tail):
            parts = parts[:-1] + tail
    else:
        parts = _split_actions(text)
        if len(parts) == 1:
            return [(text, None)]
    parts = [part for part in parts if part and not re.fullmatch(r"(?:and|&|plus)", part, _I)]
    for index, part in enumerate(parts[1:], start=1):
        if _CLAUSE_START.match(part):
            description = clean_title(", ".join(parts[index:]))[:MAX_DESCRIPTION]
            items: list[tuple[str, str | None]] = [(item, None) for item in parts[:index]]
            items[-1] = (items[-1][0], description or None)
            return items
    return [(part, None) for part in parts]


def _split_actions(text: str) -> list[str]:
    """ "call mom at 5pm and buy milk": two to-dos, where "buy milk and eggs" stays one.

    Only cut at "and" ("then") when both sides start with a to-do verb and the first side is
    more than that verb ("wash and iron shirts", "pick up and drop off the kids" are one task).
    """
    parts = [text]
    while True:
        match = _AND_ACTION.search(parts[-1])
        head = parts[-1][: match.start()] if match else ""
        verb = _ACTION_START.match(head)
        if match is None or verb is None or not head[verb.end() :].strip():
            return parts
        parts[-1:] = [head.strip(), parts[-1][match.end() :].strip()]


def _parse_add(rest: str, now: datetime) -> Intent:
    text = rest.strip()
    noun = _TASK_NOUN.match(text)
    if noun and noun.end() > 0:
        text = text[noun.end() :]
    list_tag = None
    intro = _LIST_INTRO.match(text)
    if intro:
        list_tag = (intro.group("tag") or "").lower() or None
        text = text[intro.end() :]
    text = text.strip()
    if not text:
        return Chat("missing_title")

    drafts: list[TaskDraft] = []
    quoted = list(_QUOTED.finditer(text))
    if quoted:
        outside = _mask(text, [match.span() for match in quoted])
        attributes, _ = _attributes(outside, now)
        for match in quoted:
            title = clean_title(match.group("d") or match.group("s") or "")
            drafts.append(_draft(title, attributes, list_tag))
    else:
        parsed = []
        for item, description in _split_items(text):
            attributes, remainder = _attributes(item, now)
            if description and not attributes.description:
                attributes = _Attributes(
                    description, attributes.priority, attributes.due_at, attributes.tags
                )
            parsed.append((clean_title(remainder), attributes))
        if len(parsed) > 1:
            parsed = _share_trailing_attributes(parsed)
        drafts = [_draft(title, attributes, list_tag) for title, attributes in parsed]
    drafts = [draft for draft in drafts if draft.title][:MAX_NEW_TASKS]
    if not drafts:
        return Chat("missing_title")
    return AddTasks(tuple(drafts))


def _draft(title: str, attributes: _Attributes, list_tag: str | None) -> TaskDraft:
    tags = attributes.tags
    if list_tag and list_tag not in tags and list_tag not in ("to", "todo", "task"):
        tags = (*tags, list_tag)
    return TaskDraft(title, attributes.description, attributes.priority, attributes.due_at, tags)


def _share_trailing_attributes(
    parsed: list[tuple[str, _Attributes]],
) -> list[tuple[str, _Attributes]]:
    # "milk, eggs and bread for tomorrow #shopping": what ends the list applies to every item.
    last = parsed[-1][1]
    shared = []
    for title, attributes in parsed:
        shared.append(
            (
                title,
                _Attributes(
                    attributes.description,
                    attributes.priority or last.priority,
                    attributes.due_at or last.due_at,
                    attributes.tags or last.tags,
                ),
            )
        )
    return shared


def _parse_update(verb: str, rest: str, now: datetime) -> Intent | None:
    rest = _REF_FILLER.sub("", rest.strip()).strip()
    if verb.startswith(("prioriti", "depriorit")):
        ref = parse_ref(rest)
        if ref is None:
            return Chat("bulk")
        return UpdateTask(ref, TaskChanges(priority="low" if verb.startswith("de") else "high"))

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
    match = _LEADING_IDS.match(rest)
    if match:
        return _ids_ref(match.group()), rest[match.end() :]
    match = _LEADING_ID.match(rest)
    if match:
        return TaskRef(task_id=_id_of(match)), rest[match.end() :]
    match = _LEADING_PRONOUN.match(rest)
    if match:
        return TaskRef(pronoun=True), rest[match.end() :]
    if _BULK.match(rest):
        return None, ""
    quoted = _QUOTED.match(rest)
    if quoted and quoted.start() == 0:
        words = (quoted.group("d") or quoted.group("s")).strip()
        return TaskRef(words=words), rest[quoted.end() :]
    separator = _WORDS_SEPARATOR.search(rest)
    cut = separator.start() if separator else None
    if verb in ("make", "tag", "label") or cut is None:
        candidates = [m.start() for m in (_PRIORITY.search(rest), _URGENT.search(rest)) if m]
        found = dates.find_datetime(rest, now)
        if found is not None:
            candidates.append(found.spans[0][0])
        if cut is not None:
            candidates.append(cut)
        cut = min(candidates) if candidates else None
    if cut is None or cut == 0:
        return None
    target, after = rest[:cut], rest[cut:]
    field_match = re.search(
        r"(?:'s)?\s+(?P<field>title|name|description|priority|due\s+date|due|deadline|date|time"
        r"|tags?)$",
        target,
        _I,
    )
    if field_match:
        after = f"{field_match.group('field')} {after}"
        target = target[: field_match.start()]
    words = _content_words(target)
    if not words:
        return TaskRef(pronoun=True), after
    return TaskRef(words=words), after


def _interpret_value(
    value: str, field: str | None, verb: str, now: datetime
) -> TaskChanges | bool | None:
    quoted = re.fullmatch(r"\"(.+)\"|'(.+)'", value)
    if quoted:
        inner = (quoted.group(1) or quoted.group(2)).strip()
        if field == "description":
            return TaskChanges(description=inner[:MAX_DESCRIPTION])
        return TaskChanges(title=clean_title(inner) or None)
    if field is None and re.fullmatch(_STATE_WORDS, value, _I):
        return _state_is_done(value)
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
        return TaskChanges(priority=_priority_word(word))
    if field == "tags":
        return TaskChanges(tags=_tags_from(value) or None)
    if verb in ("tag", "label"):
        return TaskChanges(add_tags=_tags_from(value))
    shift = _SHIFT.match(value)
    if shift and verb in _DATE_VERBS:
        amount = dates.parse_number(shift.group("n") or shift.group("n2"))
        unit = (shift.group("unit") or shift.group("unit2")).lower()
        if unit.startswith("w"):
            return TaskChanges(shift=timedelta(weeks=amount))
        if unit.startswith("h"):
            return TaskChanges(shift=timedelta(hours=amount))
        return TaskChanges(shift=timedelta(days=amount))
    if field == "due":
        found = dates.find_datetime(value, now)
        return TaskChanges(due_at=found.value) if found else None

    attributes, leftover = _attributes(value, now)
    leftover = re.sub(
        r"\b(?:and|be|it|its|is|due|priority|prio|with|set|make|the|a|an|to|as|on|for|by)\b|[,.;:&]",
        " ",
        leftover,
        flags=_I,
    ).strip()
    has_attributes = bool(attributes.priority or attributes.due_at or attributes.tags)
    if has_attributes and not leftover:
        return TaskChanges(
            priority=attributes.priority, due_at=attributes.due_at, add_tags=attributes.tags
        )
    if verb in _DATE_VERBS:
        return TaskChanges(due_at=attributes.due_at) if attributes.due_at else None
    return TaskChanges(title=clean_title(value) or None)


_STATUS_COMPLETED = re.compile(
    r"\b(?:completed|complete|done|finished|accomplished|closed|ticked\s+off|checked\s+off"
    r"|crossed\s+off)\b|\bwhat\s+(?:did|have)\s+i\s+(?:do|done|did|finish|complete|accomplish"
    r"|get\s+done|got\s+done)\b",
    _I,
)
_STATUS_PENDING = re.compile(
    r"\b(?:pending|open|incomplete|outstanding|remaining|left|unfinished|undone|active|still"
    r"|not\s+(?:yet\s+)?(?:done|finished|completed|complete)|(?:is|are)n't\s+(?:done|finished"
    r"|completed)|to\s+do\b(?!\s*list)|to\s+be\s+done|need\s+to\s+do|have\s+to\s+do)\b",
    _I,
)
# Asks for done tasks too, where a due window alone would mean the pending ones.
_EVERY = re.compile(r"\b(?:all|every|everything)\b", _I)
_BOTH_STATES = re.compile(
    r"\b(?:(?:including|incl|with|plus|and)\s+(?:the\s+)?(?:completed|done|finished)"
    r"|(?:completed|done|finished)\s+(?:or|and)\s+(?:not|pending|open|undone))\b",
    _I,
)
_OVERDUE = re.compile(r"\b(?:overdue|late|past\s+due|missed|behind(?:\s+on)?)\b", _I)
_LIST_TAG = re.compile(
    r"\b(?:tagged|with\s+(?:the\s+)?tag|tag|labell?ed|with\s+(?:the\s+)?label|label)\s+#?"
    r"(?P<tag>[^\W\d_][\w-]*)",
    _I,
)
_TOPIC = re.compile(
    r"\b(?:my|the|all(?:\s+(?:my|the))?|any|show|list)\s+(?:(?:pending|open|completed|done"
    r"|finished|overdue|upcoming|remaining|unfinished)\s+)?(?P<topic>[^\W\d_][\w-]*)\s+"
    r"(?:tasks|todos|to-?dos|items|stuff|things|reminders)\b",
    _I,
)
_NOT_TOPICS = frozenset(
    (
        *("pending", "open", "completed", "complete", "done", "finished", "overdue", "late"),
        *("upcoming", "remaining", "outstanding", "unfinished", "incomplete", "active"),
        *("high", "low", "medium", "urgent", "important", "priority", "new", "old", "other"),
        *("current", "recent", "due", "next", "last", "first", "all", "my", "the", "of", "your"),
        *("these", "those", "today's", "tomorrow's", "daily", "weekly", "many", "more", "few"),
    )
)
_LIST_PRIORITY = re.compile(
    r"\b(?P<p>high|low|medium)[\s-]+prio(?:rity)?\b|\bprio(?:rity)?\s+(?P<p2>high|low|medium)\b"
    r"|\b(?P<u>urgent|important)\b",
    _I,
)


def _parse_list(text: str, now: datetime) -> ListTasks:
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
    match = _HASHTAG.search(text) or _LIST_TAG.search(text)
    if match:
        tag = match.group("tag").lower()
        spans.append(match.span())
    priority: Priority | None = None
    match = _LIST_PRIORITY.search(text)
    if match:
        priority = _priority_word(match.group("p") or match.group("p2") or match.group("u"))
        spans.append(match.span())
    query = _list_query(_mask(text, spans))
    topic = None
    match = _TOPIC.search(_mask(text, spans))
    if match and not (tag or query) and match.group("topic").lower() not in _NOT_TOPICS:
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
    quoted = _QUOTED.search(match.group("q"))
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
