"""Held-out evaluation: how well the offline model understands people, measured by effect.

Every case in phrasings.yaml runs through the real `OfflineModel` and the Agents SDK Runner
against an in-memory task store; what is checked is the resulting task state and the reply text,
never the tool sequence that produced them. Nobody tunes the model against these cases.

Run it: `python -m tests.agent.heldout.evaluate` (prints a table by category, writes
test-results/heldout.json).

The expectation language (`expect:` of a case, and of its optional `then:` follow-up):
  created: [{title, due, priority, tags_include, description_includes, recurrence}]
      exactly these new tasks; a title may be a list of acceptable titles.
  completed / reopened / deleted: [title, ...]   exactly these starting tasks.
  updated: {title: {title, due, priority, tags_include, tags_exclude, description_includes,
      recurrence, remind_at}}   exactly these tasks changed; fields not named stay as they were.
  unchanged: true   nothing changed (also implied when no effect is named).
  answer_mentions / answer_excludes: [text or [alternatives]]   words in the reply, any case.
  answer_offers_help: true   the reply names at least two things the assistant can do.
Due specs: "today", "tomorrow", a weekday (the next one after today), "+3d", "2026-12-01",
each optionally followed by "HH:MM"; "none" means no due date; a list means any of them.
"""

from __future__ import annotations

import asyncio
import copy
import json
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import permutations
from pathlib import Path
from typing import Any

import yaml
from agents import Runner

from tests.support import ROOT
from tests.support.agent import NOW, Priority, TodoStore, make_agent

DATA = Path(__file__).with_name("phrasings.yaml")
RESULTS = ROOT / "test-results" / "heldout.json"
TZ = NOW.tzinfo
TODAY = NOW.date()
CATEGORIES = (
    "adds",
    "lists",
    "questions",
    "updates",
    "completes",
    "deletes",
    "compound",
    "casual",
    "bulk",
    "recurrence",
    "dead_end",
)
EFFECTS = ("created", "completed", "reopened", "deleted", "updated")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Fields of a task an update may change; any not named in the expectation must stay as it was.
CONTENT_FIELDS = ("title", "description", "priority", "due_at", "tags", "recurrence", "remind_at")
# What a reply that "offers what it can do" names: at least two of these abilities.
ABILITIES = {
    "add": r"\b(add|create|remind)\b",
    "list": r"\b(list|show|find)\b",
    "complete": r"\b(complete|finish|mark|tick|check off)\b",
    "delete": r"\b(delete|remove)\b",
    "change": r"\b(rename|change|move|update|reschedule)\b",
}
TITLE_FILLERS = {"the", "a", "an", "my"}


@dataclass
class HeldoutStore(TodoStore):
    """The tool contract of tests.support.agent.TodoStore, plus two optional arguments ahead of the app.

    `recurrence` (an RFC 5545 RRULE such as "FREQ=MONTHLY;BYMONTHDAY=1") and `remind_at` (ISO
    8601) are the targets of the recurrence/reminder cases; the real tools do not take them yet.
    They are kept beside the rows so that list_tasks returns exactly what the real tool returns.
    """

    extras: dict[int, dict[str, Any]] = field(default_factory=dict)

    def add_task(
        self,
        title: str,
        description: str | None = None,
        priority: Priority | None = None,
        due_at: str | None = None,
        tags: list[str] | None = None,
        recurrence: str | None = None,
        remind_at: str | None = None,
    ) -> str:
        """Add a task to the user's list (recurrence: an RRULE; remind_at: ISO 8601)."""
        reply = super().add_task(title, description, priority, due_at, tags)
        self._keep_extras(self.next_id - 1, recurrence, remind_at)
        return reply

    def update_task(
        self,
        task_id: int,
        title: str | None = None,
        description: str | None = None,
        priority: Priority | None = None,
        due_at: str | None = None,
        tags: list[str] | None = None,
        recurrence: str | None = None,
        remind_at: str | None = None,
    ) -> str:
        """Change some fields of a task (recurrence: an RRULE; remind_at: ISO 8601)."""
        reply = super().update_task(task_id, title, description, priority, due_at, tags)
        if task_id in self.tasks:
            self._keep_extras(task_id, recurrence, remind_at)
        return reply

    def _keep_extras(self, task_id: int, recurrence: str | None, remind_at: str | None) -> None:
        given = {"recurrence": recurrence, "remind_at": remind_at}
        kept = self.extras.setdefault(task_id, {})
        kept.update({key: value for key, value in given.items() if value is not None})

    def state(self) -> dict[int, dict[str, Any]]:
        """Every task with its extras, as a snapshot to compare before and after a turn."""
        return {
            task_id: {"recurrence": None, "remind_at": None, **row, **self.extras.get(task_id, {})}
            for task_id, row in copy.deepcopy(self.tasks).items()
        }


# ---- reading the data file


def load_cases(path: Path = DATA) -> list[dict[str, Any]]:
    """The cases, each with its starting tasks resolved from a named task set if need be."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    task_sets = data.get("task_sets", {})
    cases = []
    for case in data["cases"]:
        tasks = case.get("tasks", [])
        case = {**case, "tasks": task_sets[tasks] if isinstance(tasks, str) else tasks}
        cases.append(case)
    return cases


def parse_when(spec: str) -> tuple[date | None, time | None]:
    """'+1d 17:00' → (tomorrow, 17:00); 'friday' → (next friday, None); 'none' → (None, None)."""
    words = str(spec).strip().lower().split()
    if words == ["none"]:
        return None, None
    day_word, clock = words[0], (words[1] if len(words) > 1 else None)
    if day_word == "today":
        day = TODAY
    elif day_word == "tomorrow":
        day = TODAY + timedelta(days=1)
    elif day_word in WEEKDAYS:
        ahead = (WEEKDAYS.index(day_word) - TODAY.weekday()) % 7 or 7
        day = TODAY + timedelta(days=ahead)
    elif match := re.fullmatch(r"([+-]\d+)d", day_word):
        day = TODAY + timedelta(days=int(match.group(1)))
    else:
        day = date.fromisoformat(day_word)
    return day, (time.fromisoformat(clock) if clock else None)


def seed_due(spec: str | None) -> str | None:
    """A starting task's due date as the ISO text the tools hold."""
    if spec is None:
        return None
    day, clock = parse_when(spec)
    assert day is not None and clock is not None, f"a seed due date needs a day and a time: {spec}"
    return datetime.combine(day, clock, TZ).isoformat()


def seed(store: HeldoutStore, tasks: list[dict[str, Any]]) -> None:
    for task in tasks:
        fields = {key: value for key, value in task.items() if key != "title"}
        fields["due_at"] = seed_due(fields.get("due_at"))
        store.seed(task["title"], **fields)


# ---- tolerant comparison


def norm_title(text: str) -> str:
    """Case, quotes, emoji, articles and a trailing period do not make a title different."""
    text = "".join(ch for ch in str(text) if not unicodedata.category(ch).startswith("S"))
    text = text.casefold().replace("\u2019", "'").strip().strip("'\"").strip()
    text = text.rstrip(".!?").strip().strip("'\"")
    return " ".join(word for word in text.split() if word not in TITLE_FILLERS)


def title_matches(actual: str, wanted: str | list[str]) -> bool:
    options = wanted if isinstance(wanted, list) else [wanted]
    return norm_title(actual) in {norm_title(option) for option in options}


def local(value: str | None) -> datetime | None:
    """An ISO date-time as local wall time; no offset means UTC, as in the app."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(TZ)


def when_matches(actual: str | None, wanted: str | list[str]) -> bool:
    """Compared as local calendar date, and time of day when the spec names one."""
    for spec in wanted if isinstance(wanted, list) else [wanted]:
        day, clock = parse_when(spec)
        moment = local(actual)
        if day is None:
            if actual is None:
                return True
            continue
        if moment is None or moment.date() != day:
            continue
        if clock is None or (moment.hour, moment.minute) == (clock.hour, clock.minute):
            return True
    return False


def rrule(text: str | None) -> dict[str, str]:
    if not text:
        return {}
    text = text.strip().upper().removeprefix("RRULE:")
    return dict(part.split("=", 1) for part in text.split(";") if "=" in part)


def _numbers(value: str | None) -> set[int]:
    return {int(part) for part in (value or "").split(",") if part.strip().lstrip("-").isdigit()}


def recurrence_problem(task: dict[str, Any], wanted: dict[str, Any]) -> str | None:
    """None if the task repeats as wanted, else what differs."""
    rule = rrule(task.get("recurrence"))
    if not rule:
        return "no recurrence"
    freq = str(wanted["freq"]).upper()
    days = {re.sub(r"[^A-Z]", "", day) for day in rule.get("BYDAY", "").split(",") if day}
    wanted_days = {str(day).upper() for day in wanted.get("byday", [])}
    # "every weekday" may be weekly on MO..FR or daily on MO..FR.
    same_freq = rule.get("FREQ") == freq or (
        wanted_days and rule.get("FREQ") in ("DAILY", "WEEKLY")
    )
    if not same_freq:
        return f"FREQ={rule.get('FREQ')}, wanted {freq}"
    if int(rule.get("INTERVAL", "1")) != int(wanted.get("interval", 1)):
        return f"INTERVAL={rule.get('INTERVAL', '1')}, wanted {wanted.get('interval', 1)}"
    if wanted_days and days != wanted_days:
        return f"BYDAY={','.join(sorted(days))}, wanted {','.join(sorted(wanted_days))}"
    for key in ("bymonthday", "bymonth"):
        if key in wanted and _numbers(rule.get(key.upper())) != set(wanted[key]):
            return f"{key.upper()}={rule.get(key.upper())}, wanted {wanted[key]}"
    if "at" in wanted:
        clock = time.fromisoformat(wanted["at"])
        in_rule = _numbers(rule.get("BYHOUR")) == {clock.hour} and (
            _numbers(rule.get("BYMINUTE")) or {0}
        ) == {clock.minute}
        due = local(task.get("due_at"))
        at_due = due is not None and (due.hour, due.minute) == (clock.hour, clock.minute)
        if not (in_rule or at_due):
            return f"not at {wanted['at']}"
    return None


def field_problems(task: dict[str, Any], wanted: dict[str, Any]) -> list[str]:
    """What about one task differs from the fields an expectation names."""
    problems = []
    if "title" in wanted and not title_matches(task["title"], wanted["title"]):
        problems.append(f"title {task['title']!r}, wanted {wanted['title']!r}")
    if "due" in wanted and not when_matches(task["due_at"], wanted["due"]):
        problems.append(f"due {task['due_at']}, wanted {wanted['due']}")
    if "remind_at" in wanted and not when_matches(task["remind_at"], wanted["remind_at"]):
        problems.append(f"remind_at {task['remind_at']}, wanted {wanted['remind_at']}")
    if "priority" in wanted and task["priority"] != wanted["priority"]:
        problems.append(f"priority {task['priority']}, wanted {wanted['priority']}")
    tags = {tag.lower() for tag in task["tags"]}
    for tag in wanted.get("tags_include", []):
        options = {option.lower() for option in (tag if isinstance(tag, list) else [tag])}
        if not tags & options:
            problems.append(f"tags {sorted(tags)} lack {tag}")
    for tag in wanted.get("tags_exclude", []):
        if tag.lower() in tags:
            problems.append(f"tags {sorted(tags)} still have {tag}")
    if "description_includes" in wanted:
        text = (task["description"] or "").casefold().replace("\u2019", "'")
        if wanted["description_includes"].casefold() not in text:
            problems.append(
                f"description {task['description']!r} lacks {wanted['description_includes']!r}"
            )
    if "recurrence" in wanted and (problem := recurrence_problem(task, wanted["recurrence"])):
        problems.append(f"recurrence {task['recurrence']!r}: {problem}")
    return problems


def mentions(reply: str, phrase: str | list[str]) -> bool:
    """The reply contains the phrase (or one of the alternatives) as whole words, any case."""
    text = " ".join(reply.replace("\u2019", "'").split())
    for option in phrase if isinstance(phrase, list) else [phrase]:
        pattern = r"(?<!\w)" + re.escape(" ".join(str(option).split())) + r"(?!\w)"
        if re.search(pattern, text, re.IGNORECASE):
            return True
    return False


# ---- effects


@dataclass
class Effect:
    """What one turn did to the task list."""

    created: list[dict[str, Any]]
    deleted: set[int]
    completed: set[int]
    reopened: set[int]
    updated: dict[int, set[str]]

    def is_empty(self) -> bool:
        return not (self.created or self.deleted or self.completed or self.reopened or self.updated)


def effect_of(before: dict[int, dict[str, Any]], after: dict[int, dict[str, Any]]) -> Effect:
    common = before.keys() & after.keys()
    updated = {}
    for task_id in common:
        changed = {name for name in CONTENT_FIELDS if before[task_id][name] != after[task_id][name]}
        if changed:
            updated[task_id] = changed
    return Effect(
        created=[after[task_id] for task_id in sorted(after.keys() - before.keys())],
        deleted=before.keys() - after.keys(),
        completed={i for i in common if not before[i]["completed"] and after[i]["completed"]},
        reopened={i for i in common if before[i]["completed"] and not after[i]["completed"]},
        updated=updated,
    )


def _ids_named(before: dict[int, dict[str, Any]], titles: list[str]) -> set[int]:
    return {i for i, task in before.items() if any(title_matches(task["title"], t) for t in titles)}


def _titles(state: dict[int, dict[str, Any]], ids: set[int]) -> list[str]:
    return sorted(state[i]["title"] for i in ids)


def _created_problems(created: list[dict[str, Any]], wanted: list[dict[str, Any]]) -> list[str]:
    titles = [task["title"] for task in created]
    if len(created) != len(wanted):
        want = [spec["title"] for spec in wanted]
        return [f"created {len(created)} task(s) {titles}, wanted {len(wanted)} {want}"]
    best: list[str] | None = None
    for order in permutations(created):
        problems = [
            f"{task['title']!r}: {problem}"
            for task, spec in zip(order, wanted, strict=True)
            for problem in field_problems(task, spec)
        ]
        if best is None or len(problems) < len(best):
            best = problems
        if not problems:
            break
    return best or []


def effect_problems(
    expect: dict[str, Any],
    before: dict[int, dict[str, Any]],
    after: dict[int, dict[str, Any]],
) -> list[str]:
    """Why the change from `before` to `after` is not the expected one (empty if it is)."""
    effect = effect_of(before, after)
    if expect.get("unchanged") or not any(name in expect for name in EFFECTS):
        if effect.is_empty():
            return []
        return [f"expected no change, but {describe(effect, before, after)}"]
    problems = _created_problems(effect.created, expect.get("created", []))
    for name, state in (("completed", after), ("reopened", after), ("deleted", before)):
        wanted = _ids_named(before, expect.get(name, []))
        actual = getattr(effect, name)
        if actual != wanted:
            problems.append(f"{name} {_titles(state, actual)}, wanted {_titles(before, wanted)}")
    wanted_updates = {
        task_id: spec
        for title, spec in expect.get("updated", {}).items()
        for task_id in _ids_named(before, [title])
    }
    for task_id in sorted(effect.updated.keys() - wanted_updates.keys()):
        fields = ", ".join(sorted(effect.updated[task_id]))
        problems.append(f"{before[task_id]['title']!r} changed ({fields}) but should not have")
    for task_id, spec in wanted_updates.items():
        title = before[task_id]["title"]
        if task_id not in after:
            problems.append(f"{title!r} is gone instead of updated")
            continue
        problems += [f"{title!r}: {problem}" for problem in field_problems(after[task_id], spec)]
        named = {"title", "priority", "description"} & spec.keys()
        named |= {"due_at"} if "due" in spec else set()
        named |= {"tags"} if {"tags_include", "tags_exclude"} & spec.keys() else set()
        named |= {"description"} if "description_includes" in spec else set()
        named |= {"recurrence", "remind_at"} & spec.keys()
        stray = effect.updated.get(task_id, set()) - named
        if stray:
            problems.append(f"{title!r} also changed {', '.join(sorted(stray))}")
    return problems


def describe(
    effect: Effect, before: dict[int, dict[str, Any]], after: dict[int, dict[str, Any]]
) -> str:
    parts = []
    if effect.created:
        parts.append(f"created {[task['title'] for task in effect.created]}")
    for name, state in (("completed", after), ("reopened", after), ("deleted", before)):
        if ids := getattr(effect, name):
            parts.append(f"{name} {_titles(state, ids)}")
    if effect.updated:
        parts.append(f"updated {_titles(after, set(effect.updated))}")
    return "; ".join(parts)


def reply_problems(expect: dict[str, Any], reply: str) -> list[str]:
    problems = []
    for phrase in expect.get("answer_mentions", []):
        if not mentions(reply, phrase):
            problems.append(f"reply does not mention {phrase!r}")
    for phrase in expect.get("answer_excludes", []):
        if mentions(reply, phrase):
            problems.append(f"reply mentions {phrase!r}")
    if expect.get("answer_offers_help"):
        offered = [name for name, words in ABILITIES.items() if re.search(words, reply, re.I)]
        if len(offered) < 2:
            problems.append("reply does not offer what the assistant can do")
    return problems


# ---- running


@dataclass
class CaseResult:
    id: str
    category: str
    message: str
    passed: bool
    reasons: list[str]
    replies: list[str]
    calls: list[list[Any]]


async def run_case(case: dict[str, Any]) -> CaseResult:
    """One case through the real offline model: its message, then its follow-up if it has one."""
    store = HeldoutStore()
    seed(store, case["tasks"])
    agent = make_agent(store.tools())
    steps = [(case["message"], case["expect"])]
    if "then" in case:
        steps.append((case["then"]["message"], case["then"]["expect"]))
    reasons: list[str] = []
    replies: list[str] = []
    history: list[Any] = []
    for number, (message, expect) in enumerate(steps, start=1):
        before = store.state()
        try:
            result = await Runner.run(agent, history + [{"role": "user", "content": message}])
        except Exception as exc:  # a crash is a failed case, not a failed evaluation
            reasons.append(f"turn {number} crashed: {type(exc).__name__}: {exc}")
            break
        reply = str(result.final_output or "")
        replies.append(reply)
        history = result.to_input_list()
        found = effect_problems(expect, before, store.state()) + reply_problems(expect, reply)
        label = "" if len(steps) == 1 else f"turn {number}: "
        reasons += [label + problem for problem in found]
    calls = [[name, {k: v for k, v in args.items() if v is not None}] for name, args in store.calls]
    return CaseResult(
        id=case["id"],
        category=case["category"],
        message=case["message"] + (f" ⟶ {case['then']['message']}" if "then" in case else ""),
        passed=not reasons,
        reasons=reasons,
        replies=replies,
        calls=calls,
    )


async def evaluate(cases: list[dict[str, Any]] | None = None) -> list[CaseResult]:
    return [await run_case(case) for case in cases or load_cases()]


def by_category(results: list[CaseResult]) -> dict[str, tuple[int, int]]:
    """category → (passed, total), in the data file's category order."""
    total = Counter(result.category for result in results)
    passed = Counter(result.category for result in results if result.passed)
    order = [name for name in CATEGORIES if name in total] + sorted(total.keys() - set(CATEGORIES))
    return {name: (passed[name], total[name]) for name in order}


def pass_rate(results: list[CaseResult]) -> float:
    return sum(result.passed for result in results) / len(results)


def table(results: list[CaseResult]) -> str:
    counts = by_category(results)
    wide = max([12, *(len(name) for name in counts)])
    rows = [f"{'category':<{wide}} {'passed':>6} {'total':>5} {'rate':>6}"]
    for name, (passed, total) in counts.items():
        rows.append(f"{name:<{wide}} {passed:>6} {total:>5} {passed / total:>6.0%}")
    passed = sum(result.passed for result in results)
    rows.append(f"{'overall':<{wide}} {passed:>6} {len(results):>5} {pass_rate(results):>6.1%}")
    return "\n".join(rows)


def write_results(results: list[CaseResult], path: Path = RESULTS) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "pass_rate": pass_rate(results),
        "by_category": {
            name: {"passed": passed, "total": total}
            for name, (passed, total) in by_category(results).items()
        },
        "cases": [result.__dict__ for result in results],
    }
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def print_failures(results: list[CaseResult], *, calls: bool = False) -> None:
    """Each failed case with its reasons and replies (and its tool calls), for `-v`."""
    for result in results:
        if result.passed:
            continue
        print(f"FAIL {result.id}: {result.message}")
        for reason in result.reasons:
            print(f"     - {reason}")
        for reply in result.replies:
            print(f"     > {' '.join(reply.split())[:300]}")
        if calls:
            print(f"     calls: {result.calls}")


def main() -> int:
    results = asyncio.run(evaluate())
    write_results(results)
    if "-v" in sys.argv[1:]:
        print_failures(results)
    print(table(results))
    print(f"per-case results: {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
