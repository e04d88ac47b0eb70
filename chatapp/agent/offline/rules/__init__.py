"""The command rules: an ordered table of named rows, each a pattern and a builder.

Classification is a loop over `RULES`: the first row whose pattern matches the message and
whose builder returns an intent wins, and the reading records that row's name. A builder returns
None to pass the message on to the rows below it. Each row lists example phrasings; the tests
check that every example is read by that row, so adding a phrasing is one row or one example.

The rows live by theme (`new_tasks`, `reminders`, `states`, `edits`, `statements`,
`questions`); their order,
which decides which row reads a message first, is set here in one table.
"""

from __future__ import annotations

from datetime import datetime

from chatapp.agent.offline.intents import Chat
from chatapp.agent.offline.rules import (
    edits,
    new_tasks,
    questions,
    reminders,
    statements,
    states,
)
from chatapp.agent.offline.rules.row import Reading, Rule

__all__ = ["RULES", "Reading", "Rule", "classify"]


def classify(body: str, now: datetime) -> Reading:
    """The first rule that reads `body` (a command with its politeness stripped)."""
    text = body.rstrip(" .!")
    for rule in RULES:
        match = rule.pattern.match(text)
        if match is None:
            continue
        intent = rule.build(match, text, now)
        if intent is not None:
            return Reading(intent, rule.name)
    return Reading(Chat("unknown"), "unknown")


RULES: tuple[Rule, ...] = (
    edits.ADD_TO,
    edits.NOTE,
    edits.TAGS_TO,
    edits.INSTEAD,
    edits.THEN_CHANGE,
    new_tasks.FORGOT_TO_ADD,
    new_tasks.ADD,
    new_tasks.OPEN,
    new_tasks.SHOW_ONE,
    states.BACK,
    reminders.REMIND_BEFORE,
    reminders.REMIND_FOR,
    new_tasks.ADD_WEAK,
    reminders.REMIND_ABOUT,
    reminders.STOP_REPEAT,
    reminders.MAKE_REPEAT,
    reminders.FROM_NOW_ON,
    reminders.REMIND,
    states.REOPEN,
    states.NOT_NEEDED,
    states.NOT_DONE,
    edits.PRIORITY_STEP,
    edits.MARK_PRIORITY,
    states.MARK_STATE,
    states.MARK_PARTICIPLE,
    states.OFF_AFTER,
    states.MARK_BARE,
    states.COMPLETE,
    states.I_DID,
    states.DONE_STATEMENT,
    edits.UNTAG_ROW,
    edits.CLEAR_TAGS_ROW,
    edits.CLEAR_FIELD_ROW,
    states.CLEAR_ALL,
    states.CLEAR_DONE,
    states.DELETE,
    edits.UPDATE,
    edits.CALL_AS,
    edits.BRING,
    edits.GIVE,
    edits.GIVE_ANY,
    questions.ABOUT_ONE,
    states.ID_STATE,
    states.THEN_VERB,
    edits.DUE_SENTENCE,
    statements.TWO_FACTS,
    *statements.STATEMENTS,
    edits.FIELD_SAID,
    questions.WHEN,
    questions.DONE_QUESTION,
    questions.IS_IT_DONE,
    questions.URGENT,
    questions.FINISHED,
    questions.LIST,
    new_tasks.obligation_rule(classify),
    new_tasks.leading_when_rule(classify),
    states.WORDS_DONE,
    new_tasks.NAMED_LIST,
    new_tasks.ACTION_STATEMENT,
    new_tasks.HAVE_A,
    reminders.REPEAT_STATEMENT,
    new_tasks.DATED,
    questions.LISTISH,
)
