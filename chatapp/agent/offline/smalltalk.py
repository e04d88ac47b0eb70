"""Small talk and bare answers: the rows tried on a whole message before any command rule.

Each row of `CHAT_RULES` must match the whole message (its edges' punctuation aside): a
greeting, thanks, an acknowledgement, a request for help, a question about the date. `SELECT`
reads a bare answer to "which one?" ("the second one", "4", "the one called rent").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chatapp.agent.offline.intents import ChatKind, Select
from chatapp.agent.offline.lexicon import ORDINAL_RE, ORDINALS
from chatapp.agent.offline.pattern import nocase
from chatapp.agent.offline.slots import content_words


@dataclass(frozen=True)
class ChatRule:
    """One small-talk row: its name is the kind of chat it is."""

    name: ChatKind
    pattern: re.Pattern[str]
    examples: tuple[str, ...]


_GREETING = nocase(
    r"(?:hi|hello|hey|hiya|howdy|yo|hola|bonjour|salut|greetings|sup|good\s+(?:morning|afternoon"
    r"|evening|day)|morning|evening)(?:\s+(?:there|again|assistant|bot|buddy|friend|all|everyone"
    r"|team))?(?:[\s,!.]+(?:how\s+are\s+you(?:\s+doing)?(?:\s+today)?|how's\s+it\s+going"
    r"|what's\s+up|whats\s+up))?|how\s+are\s+you(?:\s+doing)?(?:\s+today)?|how's\s+it\s+going"
)


_THANKS = nocase(
    r"(?:(?:ok(?:ay)?|great|perfect|awesome|cool|nice)[\s,!.]+)?(?:thanks?(?:\s+(?:you|a\s+lot"
    r"|so\s+much|very\s+much|a\s+bunch|again|mate))*|thank\s+you(?:\s+(?:so|very)\s+much)?"
    r"(?:\s+again)?|thx|ty|tysm|cheers|much\s+appreciated|appreciate\s+it|great|perfect|awesome"
    r"|nice|brilliant|excellent|wonderful|amazing|good\s+job|well\s+done|lovely)"
    r"(?:[\s,!.]+(?:that's\s+all|bye|goodbye|see\s+you))?"
)


_ACK = nocase(
    r"ok(?:ay)?|k|kk|alright|all\s+right|sure|fine|got\s+it|understood|never\s*mind|nvm"
    r"|forget\s+it|no(?:pe)?|no\s+thanks?|nothing(?:\s+else)?|that's\s+all|that\s+is\s+all|bye"
    r"|goodbye|see\s+you|see\s+ya|later|good\s*night|cancel|stop|yes|yeah|yep|yup|cool"
)


_YES = (
    r"(?:yes|yeah|yep|yup|yea|ya|y|ok(?:ay)?|k|sure|alright|all\s+right|absolutely|definitely"
    r"|certainly|indeed|affirmative|correct|right|fine|yes\s+sir)"
)
# "delete them", "mark them all done": the proposal's own verb, on "them" (never "it").
_DO_THEM = (
    r"(?:delete|remove|clear|erase|complete|finish|close|mark|tick|reopen|do|wipe)\s+(?:them|those"
    r"|these|all\s+of\s+them|them\s+all|both(?:\s+of\s+them)?|the\s+lot|all)(?:\s+all)?(?:\s+off)?"
    r"(?:\s+(?:as\s+)?(?:done|complete|completed|finished))?"
)
# Said alone or after a "yes": "go for it", "yep, go for it", "sure, sounds good".
_GO_ON = (
    r"(?:go\s+ahead|go\s+for\s+it|do\s+it|do\s+that|please\s+do|confirm(?:ed)?|of\s+course"
    r"|sounds\s+good|proceed|go\s+on|that's\s+right|that's\s+correct|that's\s+fine"
    r"|let'?s\s+do\s+it|let'?s\s+go|make\s+it\s+so|why\s+not|i'?m\s+sure|i\s+do|" + _DO_THEM + r")"
)
_CONFIRM = nocase(
    r"(?:" + _YES + r"|" + _GO_ON + r")(?:[\s,!.]+(?:" + _GO_ON + r"|please|sure|thanks?"
    r"|all\s+of\s+them|absolutely|thing))*"
)
_DECLINE = nocase(
    r"(?:no(?:pe)?|nah|nay|n|cancel|don'?t|do\s+not|stop|never\s*mind|nvm|actually\s+no|no\s+thanks?"
    r"|keep\s+them|leave\s+(?:them|it)|forget\s+it|wait|hold\s+on|hold\s+off|not\s+(?:now|yet)"
    r"|maybe\s+later|later|not\s+really|i\s+changed\s+my\s+mind|changed\s+my\s+mind|abort"
    r"|hmm+|um+|no\s+way)(?:[\s,!.]+(?:no(?:pe)?|thanks?|don'?t(?:\s+(?:delete|remove|do|change)"
    r"(?:\s+(?:them|it|that|anything))?)?|keep\s+them|leave\s+them|not\s+now|maybe\s+later"
    r"|later|wait|actually|cancel|stop))*"
)
_HELP = nocase(
    r"help(?:\s+me)?|\?+|what\s+can\s+you\s+do(?:\s+for\s+me)?|what\s+do\s+you\s+do|what\s+are\s+you"
    r"|who\s+are\s+you|how\s+does\s+(?:this|it)\s+work|how\s+do\s+i\s+use\s+(?:this|you|it)"
    r"|how\s+(?:can|do)\s+i\s+(?:start|begin)|what\s+can\s+i\s+(?:say|do|ask)|commands|menu|options"
    r"|usage|instructions|what\s+are\s+(?:your|the)\s+(?:commands|options|features)|features"
    r"|capabilities|what\s+is\s+this"
)


_DATE_QUESTION = nocase(
    r"what(?:'s|\s+is)\s+(?:the\s+|today's\s+)?(?:date|time|day)(?:\s+(?:today|now|is\s+it))?"
    r"|what\s+(?:day|time|date)\s+is\s+(?:it|today)(?:\s+(?:today|now))?|today's\s+date"
)


SELECT = nocase(
    r"(?:(?:the\s+)?(?P<ordinal>"
    + ORDINAL_RE
    + r")(?:\s+(?:one|task))?|(?:task\s*|number\s*|no\.?\s*|#)?(?P<number>[0-9]{1,9})"
    r"|(?:the\s+)?(?:one|task)\s+(?:called|named|about|titled)\s+(?P<words>.+))(?:\s+please)?"
)


CHAT_RULES: tuple[ChatRule, ...] = (
    # Said after a proposal, these answer it; said at any other time they are an "ok".
    ChatRule("confirm", _CONFIRM, ("yes", "go ahead", "yes please, do it", "ok")),
    ChatRule("decline", _DECLINE, ("no", "nope, keep them", "cancel")),
    ChatRule("greeting", _GREETING, ("hi", "good morning!", "hey there, how are you")),
    ChatRule("thanks", _THANKS, ("thanks!", "thank you so much", "great, cheers")),
    ChatRule("ack", _ACK, ("got it", "cool", "understood")),
    ChatRule("help", _HELP, ("help", "what can you do?")),
    ChatRule("date", _DATE_QUESTION, ("what's the date today?", "what time is it")),
)


def chat_kind(bare: str) -> ChatKind | None:
    """The kind of small talk `bare` is, if it is nothing but that."""
    for rule in CHAT_RULES:
        if rule.pattern.fullmatch(bare):
            return rule.name
    return None


def selection(bare: str) -> Select | None:
    """A bare answer to "which one?"."""
    match = SELECT.fullmatch(bare)
    if match is None:
        return None
    if match.group("ordinal"):
        return Select(ordinal=ORDINALS[match.group("ordinal").lower()])
    if match.group("number"):
        number = int(match.group("number"))
        return Select(number=number, ordinal=number if number <= 20 else None)
    return Select(words=content_words(match.group("words")) or None)
