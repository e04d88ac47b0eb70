"""Task titles: several to-dos cut out of one message, and each title cleaned of connectors."""

from __future__ import annotations

import re

from chatapp.agent.offline.intents import MAX_DESCRIPTION, MAX_TITLE
from chatapp.agent.offline.lexicon import (
    ACTION_VERBS,
    ARTICLE_SHARED_VERBS,
    MONTH_RE,
    SHARED_VERBS,
    WEEKDAY_RE,
)
from chatapp.agent.offline.pattern import nocase

_I = re.IGNORECASE
_SHARED = nocase(
    r"(?P<one>(?P<verb>" + SHARED_VERBS + r")\s+(?!and\b|&)(?:\S+\s+){0,3}?\S+)\s+(?:and|&)\s+"
    r"(?P<two>(?!(?:" + ACTION_VERBS + r")\b)(?:\S+\s+){0,3}?\S+)"
)
# "call the plumber and the electrician": one verb, two errands each named with an article.
_ARTICLE_SHARED = nocase(
    r"(?P<one>(?P<verb>" + ARTICLE_SHARED_VERBS + r")\s+(?:the|my|our|a|an|his|her|their)\s+"
    r"(?:\S+\s+){0,3}?\S+)\s+(?:and|&)\s+(?P<two>(?:the|my|our|a|an|his|her|their)\s+"
    r"(?:\S+\s+){0,6}?\S+)"
)
# "call mom and dad tomorrow": any to-do verb, two short objects, the second not a verb and the
# first without a preposition ("send invoices to acme and globex" stays one).
_DETAIL_WORD = (
    r"(?:today|tonight|tomorrow|on|at|by|this|next|before|due|every|each|[0-9]\S*|am|pm|noon"
    r"|morning|afternoon|evening|night|week|weekend|month|high|low|medium|priority|urgent|asap"
    r"|#\S+|tagged|the|" + WEEKDAY_RE + r"|" + MONTH_RE + r")"
)
_VERB_TWO = nocase(
    r"(?P<one>(?P<verb>"
    + ACTION_VERBS
    + r")\s+(?:(?:the|my|our|a|an)\s+)?(?!(?:"
    + ACTION_VERBS
    + r")\b)(?:(?!(?:to|for|with|about|from|at|on|in|by|of|and)\b)\S+\s+){0,1}?"
    r"(?!(?:to|for|with|about|from|at|on|in|by|of|and)\b)\S+(?:\s+" + _DETAIL_WORD + r"\b\S*)*)"
    r"\s+(?:and|&)\s+(?P<two>(?:(?:the|my"
    r"|our|a|an)\s+)?(?!(?:"
    + ACTION_VERBS
    + r"|"
    + _DETAIL_WORD
    + r")\b)\S+(?:\s+(?!"
    + _DETAIL_WORD
    + r"\b)\S+)?(?:\s+"
    + _DETAIL_WORD
    + r"\b)*)"
)
_NOT_A_NOUN = r"(?!(?:the|my|our|a|an|and|or|of|to|" + ACTION_VERBS + r")\b)"
# "pay the gas and electricity bills": two things sharing the noun after them.
_SHARED_HEAD = nocase(
    r"(?P<pre>(?:.*?\s)?)"
    + _NOT_A_NOUN
    # The first of the two is not a plural ("batteries and light bulbs" are two things).
    + r"(?P<a>[^\W\d_]*(?:[^\Ws\d_]|[aiou]s|ss))\s+(?:and|&)\s+"
    + _NOT_A_NOUN
    + r"(?P<b>[^\W\d_]+)\s+(?P<head>[^\W\d_]{3,}[^s\W]s)\b(?P<post>.*)"
)
# "email tom and sara about the offsite": two people, one errand said once.
_SHARED_TAIL = nocase(
    r"(?P<verb>"
    + ACTION_VERBS
    + r")\s+"
    + _NOT_A_NOUN
    + r"(?P<a>[^\W\d_]+)\s+(?:and|&)\s+"
    + _NOT_A_NOUN
    + r"(?P<b>[^\W\d_]+)\s+(?P<tail>(?:about|for|regarding|re|on|to|with)\b.+)"
)
# A list item that is a bare thing (a word or two, then details): it takes the list's verb.
_BARE_THING = nocase(
    r"(?!(?:"
    + ACTION_VERBS
    + r")\b)\S+(?:\s+(?!"
    + _DETAIL_WORD
    + r"\b)\S+)?(?:\s+"
    + _DETAIL_WORD
    + r"\b\S*)*"
)
_ACTION_FIRST = nocase(r"^(?P<verb>" + ACTION_VERBS + r")\s+\S")
# "milk and eggs": two things, neither a verb nor a time ("gym every monday and wednesday").
_NOT_A_THING = (
    r"(?!(?:"
    + ACTION_VERBS
    + r"|"
    + WEEKDAY_RE
    + r"|"
    + MONTH_RE
    + r"|[0-9]|every|each|at|on|in|by|then)\b)"
)
_NOUNS = nocase(
    r"(?P<one>" + _NOT_A_THING + r"(?:(?!every\b|each\b)\S+\s+){0,2}?\S+)\s+(?:and|&)\s+"
    r"(?P<two>" + _NOT_A_THING + r"(?:\S+\s+){0,4}?\S+)"
)
_DETAIL_START = nocase(
    r"^(?:high|low|medium|urgent|important|asap|due|by|on|at|before|tagged|tags?|labell?ed|#|priority"
    r"|prio|every|each|all|both|tomorrow|today|tonight|next|this|in\s+[0-9]|"
    + WEEKDAY_RE
    + r"|"
    + MONTH_RE
    + r"|[0-9])\b"
)
_SHARED_START = nocase(r"^(?P<verb>" + SHARED_VERBS + r")\s+\S")
_PAIR = nocase(r"(?P<one>(?:\S+\s+){0,2}?\S+)\s+(?:and|&)\s+(?P<two>(?:\S+\s+){0,2}?\S+)")

_ACTION_START = nocase(r"^(?:" + ACTION_VERBS + r")\b")


_AND_ACTION = nocase(r"\s+(?:and(?:\s+then)?|then|&)\s+(?=(?:" + ACTION_VERBS + r")\b)")


_CLAUSE_START = nocase(
    r"^(?:it|it's|its|that|that's|which|because|since|so|but|as|she|she's|he|he's|they|they're"
    r"|we|we're|i|i'm|this|there|then|maybe|probably|don't|do\s+not|make\s+sure|please|remember"
    r"|if|when|otherwise)\b"
)


_TITLE_LEAD = nocase(
    r"^(?:(?:to|that|about|for|called|named|titled|saying|remember\s+to|please|really|definitely"
    r"|probably|actually|maybe|just|still|i\s+(?:need|have"
    r"|must|should|gotta|got|want)\s+to|i\s+must|i\s+should|we\s+(?:need|have)\s+to|to\s+do)\s+"
    r"|[:;,.\-\u2013\u2014]+\s*)"
)


_TITLE_TAIL_WORD = nocase(
    r"(?:^|(?<=[\s,;:\-\u2013\u2014]))(?:and|&|with|please|pls|also|then|plus|thanks"
    r"|thank\s+you|due|by|before|until|till|for|later|sometime|soon|eventually|someday|lol|haha+"
    r"|hehe|lmao|xd|thx|ty|asap)$"
)


_TITLE_TAIL_PUNCTUATION = " ,;:.!?-\u2013\u2014"


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


def split_items(text: str, *, listed: bool = False) -> list[tuple[str, str | None]]:
    """Several tasks in one message ("milk, eggs and bread"), each with an optional description.

    "and" alone joins two errands of one verb ("pick up the parcel and dry cleaning"), or two
    things put on a named list (`listed`: "pears and plums to my shopping list").
    """
    text = _as_commas(text)
    if "," not in text and "\n" not in text and ";" not in text:
        head = _SHARED_HEAD.fullmatch(text)
        if head:
            noun = _singular(head.group("head"))
            return [
                (f"{head.group('pre')}{head.group(part)} {noun}{head.group('post')}", None)
                for part in ("a", "b")
            ]
        tail = _SHARED_TAIL.fullmatch(text)
        if tail:
            return [
                (f"{tail.group('verb')} {tail.group(part)} {tail.group('tail')}", None)
                for part in ("a", "b")
            ]
        shared = (
            _SHARED.fullmatch(text) or _ARTICLE_SHARED.fullmatch(text) or _VERB_TWO.fullmatch(text)
        )
        if shared:
            verb = shared.group("verb")
            return [(shared.group("one"), None), (f"{verb} {shared.group('two')}", None)]
        pair = _PAIR.fullmatch(text) if listed else _NOUNS.fullmatch(text)
        if pair:
            return [(pair.group("one"), None), (pair.group("two"), None)]
    sentences = re.split(r"(?<=[^\W\d_])[.!]+\s+", text.rstrip(" .!"))
    if len(sentences) >= 2 and all(_ACTION_START.match(part) for part in sentences):
        text = "\n".join(sentences)  # "get milk. get eggs. get bread."
    numbered = re.split(r"(?:^|\s+)[0-9]{1,2}[.)]\s+", text)
    if len([part for part in numbered if part.strip()]) >= 2 and re.match(r"^\s*1[.)]", text):
        text = "\n".join(part.strip() for part in numbered if part.strip())
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
        parts = [re.sub(r"^(?:(?:and|&|plus|also|oh)\s+)+", "", part, flags=_I) for part in parts]
        parts = [piece for part in parts for piece in _split_actions(part)]
        parts = [piece for part in parts for piece in _two_things(part)]
        parts = _share_verb(parts)
    else:
        parts = _split_actions(text)
        if len(parts) == 1:
            return [(text, None)]
    parts = [p for p in parts if p and not re.fullmatch(r"(?:and|&|plus|also|oh|then)", p, _I)]
    for index, part in enumerate(parts[1:], start=1):
        if _CLAUSE_START.match(part):
            description = clean_title(", ".join(parts[index:]))[:MAX_DESCRIPTION]
            items: list[tuple[str, str | None]] = [(item, None) for item in parts[:index]]
            items[-1] = (items[-1][0], description or None)
            return items
    return [(part, None) for part in parts]


def _as_commas(text: str) -> str:
    """ "milk/bread/eggs", "milk + eggs + bread", "a and b and c", "call bob - email sue": one
    separator said twice or more, or a slash between words, is a list."""
    if re.search(r"[^\W\d_]/[^\W\d_]", text) and "://" not in text:
        text = re.sub(r"\s*(?<=[^\W\d_])/(?=[^\W\d_])\s*", ", ", text)
    for separator in (r"\s+\+\s+", r"\s+&\s+", r"\s+and\s+", r"\s+-\s+"):
        if len(re.findall(separator, text, _I)) >= 2 and "," not in text:
            text = re.sub(separator, ", ", text, flags=_I)
    return text


def _singular(noun: str) -> str:
    lower = noun.lower()
    if lower.endswith("ies"):
        return noun[:-3] + "y"
    if lower.endswith(("sses", "shes", "ches", "xes")):
        return noun[:-2]
    return noun[:-1]


def _two_things(part: str) -> list[str]:
    pair = _NOUNS.fullmatch(part)
    return [pair.group("one"), pair.group("two")] if pair else [part]


def _share_verb(parts: list[str]) -> list[str]:
    """ "buy bread, cheese and wine": the errand verb of the first item goes to the bare ones
    (not to details: "renew passport, high priority, due friday")."""
    verb = _SHARED_START.match(parts[0]) if parts else None
    if verb is None and parts and all(_BARE_THING.fullmatch(part) for part in parts[1:]):
        # "call mom, dad and grandma": every other item is only a name or a thing.
        verb = _ACTION_FIRST.match(parts[0])
    if verb is None:
        return parts
    keep = (_ACTION_START, _CLAUSE_START, _DETAIL_START)
    return [
        part
        if index == 0 or any(pattern.match(part) for pattern in keep)
        else f"{verb.group('verb')} {part}"
        for index, part in enumerate(parts)
    ]


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
