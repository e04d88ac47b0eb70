"""The development table as a test: big enough to cover every capability, and nearly all passing.

Unlike the held-out set, these phrasings are ours to tune against; the floor keeps a change
that helps one phrasing from quietly breaking others.
"""

from __future__ import annotations

from collections import Counter

from tests.agent.dev.evaluate import ATTACHMENT_DATA, DATA
from tests.agent.heldout import attachments
from tests.agent.heldout.evaluate import CATEGORIES, evaluate, load_cases, pass_rate, table

DEV_CASES_MIN = 250
DEV_PASS_RATE_FLOOR = 0.95


def test_the_development_table_covers_every_capability() -> None:
    cases = load_cases(DATA)
    assert len(cases) >= DEV_CASES_MIN
    ids = Counter(case["id"] for case in cases)
    assert [case_id for case_id, count in ids.items() if count > 1] == []
    assert set(Counter(case["category"] for case in cases)) == set(CATEGORIES)


async def test_the_development_table_passes_its_floor() -> None:
    results = await evaluate(load_cases(DATA))
    failing = [f"{result.id}: {result.message}" for result in results if not result.passed]
    assert pass_rate(results) >= DEV_PASS_RATE_FLOOR, f"{table(results)}\n" + "\n".join(failing)


async def test_the_development_attachment_table_passes() -> None:
    results = await attachments.evaluate(attachments.load_cases(ATTACHMENT_DATA))
    failing = [f"{result.id}: {result.message}" for result in results if not result.passed]
    assert not failing, f"{table(results)}\n" + "\n".join(failing)
