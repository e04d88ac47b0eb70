"""Every named rule reads the phrasings it lists: one test per row of each rule table."""

from __future__ import annotations

import pytest

from chatapp.agent.offline.intents import Chat
from chatapp.agent.offline.rules import RULES
from chatapp.agent.offline.smalltalk import CHAT_RULES
from chatapp.agent.offline.understand import read_message
from tests.support.agent import NOW

COMMAND_ROWS = [(rule.name, example) for rule in RULES for example in rule.examples]
CHAT_ROWS = [(rule.name, example) for rule in CHAT_RULES for example in rule.examples]


def test_rule_names_are_unique_and_every_rule_has_an_example() -> None:
    names = [rule.name for rule in (*RULES, *CHAT_RULES)]
    assert len(names) == len(set(names))
    assert all(rule.examples for rule in (*RULES, *CHAT_RULES))


@pytest.mark.parametrize(("name", "text"), COMMAND_ROWS)
def test_command_rule_reads_its_example(name: str, text: str) -> None:
    reading = read_message(text, NOW)
    assert reading.rule == name, reading
    assert not (isinstance(reading.intent, Chat) and reading.intent.kind == "unknown")


@pytest.mark.parametrize(("name", "text"), CHAT_ROWS)
def test_chat_rule_reads_its_example(name: str, text: str) -> None:
    reading = read_message(text, NOW)
    assert reading.rule == name
    assert reading.intent == Chat(name)
