"""The held-out evaluation as a ratchet: the offline model's pass rate may only go up.

Raise PASS_RATE_FLOOR when the model gets better; never edit phrasings.yaml to make it pass.
"""

from __future__ import annotations

from collections import Counter

from tests.agent.heldout import attachments
from tests.agent.heldout.evaluate import (
    CATEGORIES,
    EFFECTS,
    evaluate,
    load_cases,
    parse_when,
    pass_rate,
    table,
    title_matches,
    write_results,
)

# Measured 2026-11 after issue 12's understanding work (132 of 147 cases, 89.8%), rounded down.
PASS_RATE_FLOOR = 0.89
# The messages sent with a file (attachments.yaml): 14 of 17 when first run, after the
# attachment-clause change (6 of 17 before it), rounded down.
ATTACHMENT_PASS_RATE_FLOOR = 0.82
CASES_MIN = 130
CASES_PER_CATEGORY_MIN = 10
EXPECT_KEYS = {*EFFECTS, "unchanged", "answer_mentions", "answer_excludes", "answer_offers_help"}
FIELD_KEYS = {
    "attachments",
    "title",
    "due",
    "priority",
    "tags_include",
    "tags_exclude",
    "description_includes",
    "recurrence",
    "remind_at",
}


async def test_heldout_pass_rate_does_not_drop_below_the_floor() -> None:
    results = await evaluate()
    write_results(results)
    failing = [result.id for result in results if not result.passed]
    assert pass_rate(results) >= PASS_RATE_FLOOR, (
        f"held-out pass rate {pass_rate(results):.1%} < floor {PASS_RATE_FLOOR:.0%}\n"
        f"{table(results)}\nfailing: {', '.join(failing)}"
    )


def _expectation_problems(case_id: str, expect: dict, titles: list[str]) -> list[str]:
    """An expectation is non-empty, uses known keys, and names only tasks the case starts with."""
    problems = []
    if not expect or not set(expect) & EXPECT_KEYS:
        problems.append(f"{case_id}: no expectation")
    if unknown := set(expect) - EXPECT_KEYS:
        problems.append(f"{case_id}: unknown expectation keys {sorted(unknown)}")
    named = [*expect.get("completed", []), *expect.get("reopened", [])]
    named += [*expect.get("deleted", []), *expect.get("updated", {})]
    for title in named:
        if not any(title_matches(start, title) for start in titles):
            problems.append(f"{case_id}: {title!r} is not one of its starting tasks")
    specs = [*expect.get("created", []), *expect.get("updated", {}).values()]
    for spec in specs:
        if unknown := set(spec) - FIELD_KEYS:
            problems.append(f"{case_id}: unknown field checks {sorted(unknown)}")
        for key in ("due", "remind_at"):
            for when in spec.get(key, []) if isinstance(spec.get(key), list) else [spec.get(key)]:
                if when is not None:
                    parse_when(when)
    return problems


def test_heldout_data_is_well_formed() -> None:
    cases = load_cases()
    ids = Counter(case["id"] for case in cases)
    assert not [case_id for case_id, count in ids.items() if count > 1], "ids must be unique"
    assert len(cases) >= CASES_MIN
    per_category = Counter(case["category"] for case in cases)
    assert set(per_category) == set(CATEGORIES)
    thin = {name: count for name, count in per_category.items() if count < CASES_PER_CATEGORY_MIN}
    assert not thin, f"categories with fewer than {CASES_PER_CATEGORY_MIN} cases: {thin}"
    problems = []
    for case in cases:
        assert case["message"] and isinstance(case["message"], str), case["id"]
        titles = [task["title"] for task in case["tasks"]]
        problems += _expectation_problems(case["id"], case.get("expect") or {}, titles)
        if "then" in case:
            then = case["then"]
            assert isinstance(then.get("message"), str), case["id"]
            problems += _expectation_problems(f"{case['id']} (then)", then.get("expect"), titles)
    assert not problems, "\n".join(problems)


async def test_heldout_attachment_pass_rate_does_not_drop_below_the_floor() -> None:
    results = await attachments.evaluate()
    failing = [result.id for result in results if not result.passed]
    assert pass_rate(results) >= ATTACHMENT_PASS_RATE_FLOOR, (
        f"held-out attachment pass rate {pass_rate(results):.1%} < floor "
        f"{ATTACHMENT_PASS_RATE_FLOOR:.0%}\n{table(results)}\nfailing: {', '.join(failing)}"
    )


def test_heldout_attachment_data_is_well_formed() -> None:
    cases = attachments.load_cases()
    assert len({case["id"] for case in cases}) == len(cases), "ids must be unique"
    problems = []
    for case in cases:
        titles = [task["title"] for task in case["tasks"]]
        expect = {k: v for k, v in case["expect"].items() if k != "attached"}
        if "attached" in case["expect"] and not expect:
            expect = {"unchanged": True}
        problems += _expectation_problems(case["id"], expect, titles)
        for title in case["expect"].get("attached", {}):
            if not any(title_matches(start, title) for start in titles):
                problems.append(f"{case['id']}: {title!r} is not one of its starting tasks")
    assert not problems, "\n".join(problems)
