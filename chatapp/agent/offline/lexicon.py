"""Every word table the offline model reads with: numbers, ordinals, verbs, slips, calendar words.

Shared by the rules, the slot readers and the dates, so a word is added in one place.
"""

from __future__ import annotations


def corrections(table: str) -> dict[str, str]:
    """{slip: word} from lines of "word: slip slip; word: slip", each word written once."""
    fixes: dict[str, str] = {}
    for entry in table.replace("\n", ";").split(";"):
        if entry.strip():
            word, slips = entry.split(":", 1)
            fixes.update(dict.fromkeys(slips.split(), word.strip()))
    return fixes


NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}  # fmt: skip


# With the slips people make typing them quickly ("thrid", "secnd").
ORDINALS = {
    "first": 1, "1st": 1, "frist": 1, "fisrt": 1, "firts": 1, "firt": 1,
    "second": 2, "2nd": 2, "secnd": 2, "scond": 2, "seccond": 2, "secon": 2, "sencond": 2,
    "third": 3, "3rd": 3, "thrid": 3, "trhid": 3, "thrd": 3, "tird": 3, "thirdd": 3,
    "fourth": 4, "4th": 4, "forth": 4, "fourht": 4, "foruth": 4, "fouth": 4,
    "fifth": 5, "5th": 5, "fith": 5, "fifht": 5, "fitfh": 5,
    "sixth": 6, "6th": 6, "seventh": 7, "7th": 7, "eighth": 8, "8th": 8, "eigth": 8,
    "ninth": 9, "9th": 9, "nineth": 9, "tenth": 10, "10th": 10, "last": -1,
}  # fmt: skip


ORDINAL_RE = "|".join(sorted(ORDINALS, key=len, reverse=True))


NUMBER_WORD_RE = "|".join(NUMBER_WORDS)


# Slips in a message's first word, where the command is: "delte task 2", "wat's pending".
SLIPS = corrections(
    """
    delete: delte delet dlete deleet detele del
    remove: remvoe reomve rmove rm
    complete: compelte complet comlete copmlete comp
    mark: mrak makr amrk
    change: chnage chagne cahnge
    rename: renmae reanme
    show: shwo sohw
    list: lsit
    update: udpate upadte updte
    reopen: reopne
    create: craete
    what: wat whta wht
    what's: wat's wats
    """
)


# Shorthand and slips anywhere in a message, word for word: "add gym tmrw w/ sam".
SHORTHAND = corrections(
    """
    tomorrow: tmrw tmr tmrow tmw 2moro 2morrow tomoz tomorow tommorow tommorrow tomorrw
    today: 2day tdy; tonight: tonite 2nite; you: u; your: ur; with: w/; before: b4
    appointment: appt; meeting: mtg; birthday: bday b-day; right now: rn; asap: asap
    through: thru; night: nite; please: pls plz pleas; thanks: thx ty; mum's: mum's; week: wk
    minutes: mins; hours: hrs; hour: hr; the: teh; and: adn nad; of: fo; to: ot
    tasks: taks tsks; task: tsak tasl; list: lsit; don't: dont; doesn't: doesnt; didn't: didnt
    isn't: isnt; haven't: havent; can't: cant; won't: wont; i'm: im; i've: ive; what's: whats
    that's: thats; friday: fri; tuesday: tues; wednesday: weds wed; thursday: thurs thur thu
    """
)


GERUNDS = {
    "marking": "mark", "deleting": "delete", "removing": "remove", "adding": "add",
    "completing": "complete", "moving": "move", "changing": "change", "renaming": "rename",
    "showing": "show", "listing": "list", "setting": "set", "putting": "put",
    "creating": "create", "updating": "update", "making": "make", "reopening": "reopen",
    "checking": "check", "finishing": "finish", "ticking": "tick", "tagging": "tag",
    "clearing": "clear", "rescheduling": "reschedule", "postponing": "postpone",
    "pushing": "push",
}  # fmt: skip


ACTION_VERBS = (
    r"buy|get|pick\s+up|grab|order|call|phone|ring|text|email|e-mail|message|reply\s+to|write"
    r"|send|post|mail|pay|book|schedule|cancel|renew|return|clean|wash|tidy|vacuum|mow|water"
    r"|feed|walk|fix|repair|check|review|read|finish|submit|file|print|sign|prepare|cook"
    r"|bake|make|do|take|bring|drop\s+off|collect|visit|meet|see|go\s+to|pack|plan|study"
    r"|practi[cs]e|update|install|charge|wrap|mop|dust|empty|sort|iron|hang|plant|paint|tidy"
    r"|organi[sz]e|clear|cut|trim|sweep|scrub|pay\s+off|ask|remind|invite|thank|contact"
    r"|apply|register|sign\s+up|cancel|confirm|arrange|move|replace|change|defrost|fill|refill"
    r"|download|upload|back\s+up|research|write\s+up|draft|finish|start|prep|pick|drop|put\s+out"
    r"|take\s+out|throw\s+out|recycle|hoover|polish|fold|look\s+into|follow\s+up|chase|file"
    r"|rent|hire|sell|ship|vote|grill|decorate|scan|watch|listen\s+to|learn|teach|run|jog|swim"
    r"|ride|drive|fly|test|try|build|assemble|unpack|load|unload|bathe|groom|rake|prune|weed"
    r"|chop|boil|fry|roast|heat|freeze|thaw|serve|donate|toss|exchange|refund|claim|ping"
    r"|proofread|outline|revise|rehearse|publish|upgrade|uninstall|restore|reset|shop|dump"
    r"|discuss|email|attend|finish|gather|measure|mend|sew|knit|wrap|label|repot|renew|research"
)


STOP_WORDS = frozenset(
    (
        *("the", "a", "an", "my", "our", "your", "this", "that", "these", "those", "one"),
        *("task", "tasks", "todo", "todos", "to-do", "item", "items", "reminder", "entry"),
        *("called", "named", "titled", "about", "for", "to", "with", "of", "on", "in", "and"),
        *("thing", "things", "stuff", "business"),
    )
)


NOT_TOPICS = frozenset(
    (
        *("pending", "open", "completed", "complete", "done", "finished", "overdue", "late"),
        *("upcoming", "remaining", "outstanding", "unfinished", "incomplete", "active"),
        *("high", "low", "medium", "urgent", "important", "priority", "new", "old", "other"),
        *("current", "recent", "due", "next", "last", "first", "all", "my", "the", "of", "your"),
        *("these", "those", "today's", "tomorrow's", "daily", "weekly", "many", "more", "few"),
        *("to-do", "todo", "task", "whole", "entire", "full", "main", "current", "own"),
    )
)
# Past forms a question asks with ("have I sent the invoice?") -> the verb a title uses.
PAST_TO_BASE = {
    "sent": "send", "paid": "pay", "payed": "pay", "bought": "buy", "went": "go", "took": "take",
    "taken": "take", "made": "make", "wrote": "write", "written": "write", "got": "get",
    "gotten": "get", "brought": "bring", "did": "do", "done": "do", "read": "read", "ran": "run",
    "fed": "feed", "left": "leave", "met": "meet", "put": "put", "rang": "ring", "sold": "sell",
    "spoke": "speak", "told": "tell", "threw": "throw", "thrown": "throw", "gave": "give",
    "given": "give", "found": "find", "held": "hold", "kept": "keep", "picked": "pick",
}  # fmt: skip


POSITION_WORDS = frozenset(("next", "latest", "newest", "new", "previous", "same", "other"))


PRIORITY_DOWN = frozenset(("lower", "decrease", "reduce", "downgrade", "bump down"))


DATE_VERBS = (
    *("move", "push", "reschedule", "postpone", "delay", "bump", "shift", "defer", "bring"),
    *("pull", "extend", "snooze"),
)

WEEKDAYS = {
    "monday": 0, "mon": 0,
    "tuesday": 1, "tue": 1, "tues": 1,
    "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3,
    "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}  # fmt: skip
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
COUNT_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2,
    "a couple": 2, "couple of": 2, "a few": 3, "few": 3,
}  # fmt: skip

WEEKDAY_RE = (
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun"
)
MONTH_RE = (
    r"january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)
COUNT_RE = (
    r"[0-9]{1,3}|a couple of|a couple|couple of|a few|few|an|a|one|two|three|four|five|six"
    r"|seven|eight|nine|ten|eleven|twelve"
)

# Verbs that start a request to the assistant (not a to-do's own verb): where one follows
# "and", "then" or a comma, a new request may begin ("finish task 4 and push task 6 to monday").
COMMAND_VERBS = (
    r"add|create|show|list|display|mark|complete|finish|close|tick\s+off|check\s+off|delete"
    r"|remove|cancel|move|push|postpone|reschedule|delay|bump|set|make|change|rename|update"
    r"|tag|untag|reopen|remind\s+me|give|put|prioriti[sz]e|clear|what|what's|whats|how"
)

# Command verbs a misspelt first word is matched against ("remnd" -> "remind"); five letters
# or more, since shorter words have too many real neighbours ("mark", "make", "more").
COMMAND_WORDS = (
    "delete", "remove", "complete", "finish", "remind", "rename", "change", "update", "reopen",
    "create", "schedule", "reschedule", "postpone", "display", "cancel",
)  # fmt: skip
# Command verbs short enough that only a swap or a missing letter is a slip ("mvoe", "shw").
SHORT_COMMAND_WORDS = (
    "move", "show", "list", "mark", "open", "edit", "push", "tick", "undo", "find", "check",
    "clear", "add", "done",
)  # fmt: skip
# Past forms a slip after "I" is matched against ("I finised the laundry").
PAST_WORDS = (
    "finished", "completed", "submitted", "cancelled", "renewed", "ordered", "cleaned",
    "scheduled", "returned", "delivered", "handled", "called", "emailed", "booked", "bought",
    "paid", "sent", "done", "fixed", "picked", "dropped", "walked", "watered", "washed",
)  # fmt: skip
# A done thing said as a fact: "paid the water bill", "picked up the parcel".
DONE_VERBS = (
    r"paid|payed|renewed|went\s+to|attended|took|had|made|finished\s+up|finished\s+off"
    r"|ticked\s+off|checked\s+off|crossed\s+off|knocked\s+(?:out|off)|nailed|smashed|aced"
    r"|got\s+through|got\s+around\s+to|dealt\s+with|spoke\s+to|talked\s+to|met\s+with"
    r"|heard\s+from|contacted|reached|messaged|visited|turned\s+in|bought|got|grabbed|called|rang|phoned|texted|sent|emailed|mailed|posted|ordered"
    r"|booked|cleaned|fixed|repaired|picked\s+up|dropped\s+off|returned|submitted|renewed"
    r"|watered|fed|walked|washed|collected|cancell?ed|signed|printed|wrote|finished|completed"
    r"|handed\s+in|replied\s+to|cooked|packed|filed|cleared|sorted(?:\s+out)?|did|done"
)
# Lists people keep, named without the word "list": "add milk to shopping".
COMMON_LISTS = (
    r"shopping|groceries|grocery|errands|chores|work|home|personal|school|family|garden|office"
    r"|admin|health|travel|bills|packing|wishlist"
)
# Verbs that share their object list: "pick up the parcel and dry cleaning" is two errands.
SHARED_VERBS = r"buy|get|grab|order|pick\s+up|collect|return|drop\s+off|book|renew|print"
# Verbs whose objects are separate errands when each is named with its own article: "call the
# plumber and the electrician" is two calls, "call mom and dad" one.
ARTICLE_SHARED_VERBS = (
    r"call|phone|ring|text|email|e-mail|message|pay|visit|clean|wash|fix|repair|check|review"
    r"|send|post|mail|cancel|update|contact|thank|invite|feed|walk|water"
)
# What is true of a task once it is done, said of it: "the passport is renewed", "paid".
DONE_PARTICIPLES = (
    r"done|finished|completed|complete|sorted(?:\s+out)?|handled|dealt\s+with|taken\s+care\s+of"
    r"|paid|payed|settled|renewed|bought|purchased|sent|posted|mailed|emailed|submitted|handed\s+in"
    r"|booked|reserved|fixed|repaired|cleaned|washed|tidied|returned|collected|picked\s+up"
    r"|dropped\s+off|delivered|signed|printed|filed|called|ordered|cooked|packed|written|read"
    r"|cleared|wrapped(?:\s+up)?|closed|resolved|over|ticked\s+off|checked\s+off|crossed\s+off"
    r"|taken|watered|fed|walked|scheduled\s+and\s+done|out\s+of\s+the\s+way|in\s+the\s+bag"
    r"|out|turned\s+in|contacted|visited"
)
# A task no longer needed, said of it: "the team meeting is cancelled", "... isn't needed".
CANCELLED_WORDS = (
    r"cancell?ed|called\s+off|off|scrapped|dropped|axed|not\s+happening|no\s+longer\s+(?:needed"
    r"|happening|necessary|relevant|a\s+thing)|not\s+needed|unnecessary|irrelevant|obsolete"
    r"|not\s+a\s+thing\s+any\s*more|moot"
)
