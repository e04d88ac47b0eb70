"""Text as the rules expect it: printable, single-spaced, straight quotes, no politeness around the command."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from chatapp.agent.offline.intents import MAX_TEXT
from chatapp.agent.offline.lexicon import (
    ACTION_VERBS,
    COMMAND_VERBS,
    COMMAND_WORDS,
    DONE_PARTICIPLES,
    DONE_VERBS,
    GERUNDS,
    PAST_WORDS,
    SHORT_COMMAND_WORDS,
    SHORTHAND,
    SLIPS,
)
from chatapp.agent.offline.pattern import nocase

# A check mark after a task ("got the card ✅") is the user saying it is done.
DONE_MARKS = frozenset("\u2705\u2714\u2611\u2713")
_DONE_MARK = re.compile(r"\s*\u2705\s*")
_SAYS_DONE = nocase(r"\b(?:done|finished|complete|completed)\b")
_SLIP_SCORE = 80
_DATE_SLIP_SCORE = 80
_DATE_WORDS = (
    "tomorrow", "today", "tonight", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "weekend", "morning", "afternoon", "evening",
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_]{5,}")
# Words that are verbs already, however close to another ("handed" is not "handled").
_KNOWN_VERBS = (
    frozenset(re.findall(r"[a-z]+", f"{ACTION_VERBS}|{DONE_VERBS}|{DONE_PARTICIPLES}"))
    | frozenset(PAST_WORDS)
    | frozenset(COMMAND_WORDS)
)
_SUBJECTS = frozenset(("i", "we", "just", "finally", "already", "i've", "we've"))
# "remind me 2 call mom", "need too buy milk": "to".
_TO_SLIP = nocase(
    r"(?P<before>\b(?:me|need|needs|have|has|got|want|going|forget|forgot|remember))\s+(?:2|too)\s+"
    r"(?=[a-z])"
)
_THUMBS_UP = frozenset("\U0001f44d\U0001f44c")

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


_INJECTION = nocase(
    r"\b(?:please\s+)?(?:ignore|disregard|forget|override|bypass)\s+(?:(?:all|any|the|your|my|of)\s+)*"
    r"(?:(?:previous|prior|above|earlier|preceding|system|original|existing|other)\s+)?"
    r"(?:instructions?|prompts?|rules?|messages?|directions?|context|guidelines?)\b"
    r"[\s,.:;!-]*(?:(?:and|then)\s+)?"
)


# Tools never take a user id; a user named in the text must not leak into a title or a query.
_USER_REF = nocase(
    r"(?:\b(?:of|for|from|belonging\s+to|owned\s+by|as|by)\s+)?\b(?:user|users|account|accounts"
    r"|userid|user_id|user-id|uid|customer|member|owner)\s*(?:id\s*)?(?:#|no\.?|number|=|:)?\s*"
    r"[0-9]+\b(?:'s)?"
    r"|(?:\b(?:of|for|from)\s+)?\b(?:other|another|all|every|any)\s+(?:users?|accounts?|people|"
    r"customers?|members?)(?:'s?)?\b|\b(?:everyone|everybody|someone\s+else)'s\b"
)


_LEAD = nocase(
    r"^(?:(?:hi|hello|hey|hiya|yo)(?:\s+there)?|ok(?:ay)?|so|well|oh|alright|right|yes|yeah|yep"
    r"|actually|wait|oops|sorry|hmm+|um+|uh+|no(?!\s+(?:longer|more|need)\b)|nope|instead|btw|by\s+the\s+way|in\s+fact"
    r"|never\s*mind|nvm|omg|oh\s+my\s+god|lol|lmao|haha+|heh|ugh+|argh+|yay|woo+|phew|dang|damn"
    r"|shoot|crap|oh\s+no|ok\s+so|so\s+yeah|anyway|anyways|hey\s+there|quick\s+one|real\s+quick"
    r"|k|kk|maybe|perhaps|possibly|i\s+think|i\s+guess|i\s+believe|looks\s+like|seems\s+like"
    r"|after\s+that|afterwards|and\s+then|finally|lastly|next|to\s+start|first(?:ly)?(?=[\s,]+"
    r"(?:" + COMMAND_VERBS + r")\b)"
    r"|(?:i'?m\s+)?pretty\s+sure|honestly|basically|literally"
    r"|sure|great|cool|thanks|thank\s+you|please|pls|plz|kindly|also|and|then|now|just|quickly"
    r"|(?:can|could|would|will)\s+(?:you|u)(?:\s+(?:please|mind))?|do\s+you\s+mind|i\s+want\s+you\s+to"
    r"|i'?d\s+like\s+you\s+to|i\s+would\s+like\s+you\s+to|i\s+need\s+you\s+to|go\s+ahead\s+and"
    r"|(?:you|we)\s+(?:can|could|may)(?:\s+(?:just|now|go\s+ahead\s+and))?|feel\s+free\s+to"
    r"|help\s+me(?:\s+to)?|let'?s|lets)\b[\s,!.:;-]*"
)


_TASK_SLIP = nocase(r"\b(?:tsk|taks|tsak|tasl|tassk)(?=\s*#?\s*[0-9])")


_MIND_GERUND = nocase(
    r"^(?:\w+[\s,]+)?(?:would|do|could)\s+you\s+mind\s+(?P<gerund>" + "|".join(GERUNDS) + r")\b"
)


_TRAILING_POLITE = nocase(
    r"(?:\band\s+)?\b(?:please|pls|plz|thanks|thank\s+you|thx|ty|for\s+me|if\s+you\s+can"
    r"|asap\s+please|if\s+possible|when\s+you\s+can|lol|haha+)[\s.!?]*$"
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
        elif char in DONE_MARKS:
            cleaned.append(" \u2705 ")
        elif char in _THUMBS_UP:
            cleaned.append(" ok ")
        elif category == "So" or char in "\ufe0f\u200d":
            cleaned.append(" ")  # emoji say nothing a rule reads; a check mark says "done"
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


def polite_gerund(text: str) -> str:
    """ "would you mind marking task 1 done" -> "would you mind mark task 1 done"."""
    match = _MIND_GERUND.match(text)
    if match is None:
        return text
    base = GERUNDS[match.group("gerund").lower()]
    return text[: match.start("gerund")] + base + text[match.end("gerund") :]


_SHORTHAND = nocase(
    r"(?<![\w'])(?:" + "|".join(re.escape(word) for word in SHORTHAND) + r")(?![\w'/])"
)


def expand_shorthand(text: str) -> str:
    """Shorthand anywhere ("tmrw", "w/", "u"), "remind me 2 call", and a message in capitals."""
    letters = [char for char in text if char.isalpha()]
    if len(letters) >= 4 and all(char.isupper() for char in letters):
        text = text.lower()
    text = _TASK_SLIP.sub("task", text)
    text = _SHORTHAND.sub(lambda match: SHORTHAND[match.group().lower()], text)
    text = _WORD.sub(lambda match: _near_date_word(match.group()), text)
    return _TO_SLIP.sub(r"\g<before> to ", text)


def _near_date_word(word: str) -> str:
    """ "tomorow", "wensday", "firday": a day named with a slip. Words that start like a day
    name ("wednesdays", "sundae") are left alone; so is anything not close."""
    lower = word.lower()
    if len(lower) < 5 or lower in _DATE_WORDS or any(lower.startswith(day) for day in _DATE_WORDS):
        return word
    found = process.extractOne(lower, _DATE_WORDS, scorer=fuzz.ratio, score_cutoff=_DATE_SLIP_SCORE)
    if found is None or found[0][0] != lower[0]:
        return word
    return found[0]


def fix_slips(text: str) -> str:
    """Common slips in the words that carry the command: the verb first (or after "I"), "tsk 2",
    "wat's"."""
    text = expand_shorthand(text)
    first, _, rest = text.partition(" ")
    fixed = (
        SLIPS.get(first.lower())
        or GERUNDS.get(first.lower())  # "adding milk to my list"
        or _near_command(first.lower(), COMMAND_WORDS + PAST_WORDS)
    )
    if fixed is None and first.lower() in _SUBJECTS and rest:
        # "I finised the laundry": the verb after the subject.
        second, _, tail = rest.partition(" ")
        near = _near_command(second.lower(), PAST_WORDS)
        rest = f"{near} {tail}".strip() if near else rest
        fixed = first
    text = f"{fixed} {rest}".strip() if fixed else text
    text = _DONE_MARK.sub(lambda match: " " if _SAYS_DONE.search(text) else " done ", text)
    text = re.sub(r"[^\S\n]+", " ", text)
    return _TASK_SLIP.sub("task", text).strip()


def _near_command(word: str, words: tuple[str, ...] = COMMAND_WORDS) -> str | None:
    """A command verb misspelt ("remnd", "complet", "udpate", "mvoe", "shw"): close, and not the
    verb itself. Short words only when two letters swapped or one is missing."""
    if not word.isalpha() or len(word) < 3:
        return None
    if len(word) < 5:
        near = [
            verb
            for verb in SHORT_COMMAND_WORDS
            if verb != word
            and verb[0] == word[0]
            and (
                (sorted(verb) == sorted(word) and OSA.distance(verb, word) == 1)
                or (len(verb) == len(word) + 1 and _is_subsequence(word, verb))
            )
        ]
        return near[0] if len(near) == 1 else None
    if word in _KNOWN_VERBS:
        return None
    found = process.extractOne(word, words, scorer=fuzz.ratio, score_cutoff=_SLIP_SCORE)
    if found is None or found[0] in word or word.startswith(found[0][:-1]):
        return None
    if found[0].startswith(word):
        return None  # "email" is not a slip of "emailed"
    return found[0]


def _is_subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(char in letters for char in short)


def bare(text: str) -> str:
    text = re.sub(r"[^\S\n]+", " ", text)
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


def strip_lead(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        text = _LEAD.sub("", text, count=1).strip()
        text = _TRAILING_POLITE.sub("", text).rstrip(" ,")
    return text.strip(" ,")
