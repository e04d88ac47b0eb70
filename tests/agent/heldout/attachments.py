"""Held-out evaluation of messages sent with files: attachments.yaml through the real offline model.

Like evaluate.py (same runner, same expectation language, judged by effect), but each message
carries the files of its case as the chat core sends them (a manifest part the model reads ids
from), and the in-memory tools keep files: add_task takes attachment_ids, attach_files exists.
What is checked on top: which tasks gained which files (`attached`, and `attachments` of a
`created` spec), exactly.

Run it: `python -m tests.agent.heldout.attachments` (-v prints each failure with its reasons;
`--data tests/agent/dev/attachments.yaml` runs the development phrasings instead).
"""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from agents import Runner

from chatapp.attachments.model_input import MANIFEST_MARK
from chatapp.tools.contract import NOT_FOUND, failure_json
from tests.agent.heldout.evaluate import (
    CaseResult,
    HeldoutStore,
    Priority,
    effect_problems,
    print_failures,
    reply_problems,
    seed,
    table,
    title_matches,
)
from tests.support.agent import make_agent

DATA = Path(__file__).with_name("attachments.yaml")
ATTACHMENT_KEYS = ("attached",)


@dataclass
class FileStore(HeldoutStore):
    """The held-out store with the two attachment tools of the app's contract."""

    files: dict[str, str] = field(default_factory=dict)  # id -> name, of what was uploaded
    held: dict[int, list[str]] = field(default_factory=dict)  # task id -> file ids it keeps

    def tools(self) -> list[Any]:
        from agents import function_tool

        return [*super().tools(), function_tool(self.attach_files)]

    def add_task(
        self,
        title: str,
        description: str | None = None,
        priority: Priority | None = None,
        due_at: str | None = None,
        tags: list[str] | None = None,
        recurrence: str | None = None,
        remind_at: str | None = None,
        attachment_ids: list[str] | None = None,
    ) -> str:
        """Add a task (recurrence: an RRULE; remind_at: ISO 8601; attachment_ids: files the
        user attached to their messages, for the task to keep)."""
        reply = json.loads(
            super().add_task(title, description, priority, due_at, tags, recurrence, remind_at)
        )
        self.calls[-1][1]["attachment_ids"] = attachment_ids
        if attachment_ids:
            unknown = [i for i in attachment_ids if i not in self.files]
            if unknown:
                return failure_json(NOT_FOUND, f"Attachment {unknown[0]} not found")
            self.held[reply["task_id"]] = list(dict.fromkeys(attachment_ids))
            reply["attachments"] = self._named(reply["task_id"])
        return json.dumps(reply)

    def attach_files(self, task_id: int, attachment_ids: list[str]) -> str:
        """Keep files the user attached to their messages with a task."""
        self.calls.append(("attach_files", {"task_id": task_id, "attachment_ids": attachment_ids}))
        task = self.tasks.get(task_id)
        if task is None:
            return failure_json(NOT_FOUND, f"Task {task_id} not found")
        unknown = [i for i in attachment_ids if i not in self.files]
        if unknown:
            return failure_json(NOT_FOUND, f"Attachment {unknown[0]} not found")
        kept = self.held.setdefault(task_id, [])
        kept += [i for i in attachment_ids if i not in kept]
        reply = {"task_id": task_id, "status": "attached", "title": task["title"]}
        return json.dumps({**reply, "attachments": self._named(task_id)})

    def _named(self, task_id: int) -> list[dict[str, str]]:
        return [{"id": i, "name": self.files[i], "kind": "file"} for i in self.held[task_id]]

    def names_held(self) -> dict[int, list[str]]:
        return {task_id: [self.files[i] for i in ids] for task_id, ids in self.held.items()}


def load_cases(path: Path = DATA) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    task_sets = data.get("task_sets", {})
    default_files = data.get("default_files", [])
    cases = []
    for case in data["cases"]:
        tasks = case.get("tasks", [])
        tasks = task_sets[tasks] if isinstance(tasks, str) else tasks
        cases.append({"files": default_files, **case, "tasks": tasks})
    return cases


def user_message(text: str, files: list[dict[str, str]]) -> dict[str, Any]:
    """A user message as the chat core hands it to a model: the words, then the file manifest."""
    content: list[dict[str, Any]] = [{"type": "input_text", "text": text}]
    if files:
        content.append({"type": "input_text", "text": MANIFEST_MARK + json.dumps(files)})
    return {"role": "user", "content": content}


def attachment_problems(
    expect: dict[str, Any],
    before: dict[int, dict[str, Any]],
    after: dict[int, dict[str, Any]],
    held_before: dict[int, list[str]],
    held_after: dict[int, list[str]],
) -> list[str]:
    """Which tasks gained which files, against `attached` and the `created` specs."""
    problems = []
    wanted_on: dict[str, list[str]] = dict(expect.get("attached", {}))
    for task_id in sorted(after):
        gained = [n for n in held_after.get(task_id, []) if n not in held_before.get(task_id, [])]
        title = after[task_id]["title"]
        if task_id in before:
            named = [t for t in wanted_on if title_matches(before[task_id]["title"], t)]
            wanted = wanted_on.pop(named[0]) if named else []
        else:
            specs = [s for s in expect.get("created", []) if title_matches(title, s["title"])]
            wanted = specs[0].get("attachments", []) if specs else []
        if sorted(gained) != sorted(wanted):
            problems.append(f"{title!r} gained files {gained}, wanted {wanted}")
    problems += [f"{title!r} gained no files, wanted {names}" for title, names in wanted_on.items()]
    return problems


async def run_case(case: dict[str, Any]) -> CaseResult:
    store = FileStore()
    seed(store, case["tasks"])
    files = [{"id": f"att_{n}", **spec} for n, spec in enumerate(case["files"], start=1)]
    store.files = {f["id"]: f["name"] for f in files}
    agent = make_agent(store.tools())
    expect = case["expect"]
    before, held_before = store.state(), store.names_held()
    reasons: list[str] = []
    replies: list[str] = []
    try:
        result = await Runner.run(agent, [user_message(case["message"], files)])
    except Exception as exc:  # a crash is a failed case, not a failed evaluation
        reasons.append(f"crashed: {type(exc).__name__}: {exc}")
    else:
        reply = str(result.final_output or "")
        replies.append(reply)
        after = store.state()
        # `attached` alone means no other change: effect_problems then expects none.
        effects = {k: v for k, v in expect.items() if k not in ATTACHMENT_KEYS}
        reasons += effect_problems(effects, before, after) + reply_problems(expect, reply)
        reasons += attachment_problems(expect, before, after, held_before, store.names_held())
    calls = [[name, {k: v for k, v in args.items() if v is not None}] for name, args in store.calls]
    return CaseResult(
        id=case["id"],
        category=case["category"],
        message=case["message"] + ("" if case["files"] else "  (no file sent)"),
        passed=not reasons,
        reasons=reasons,
        replies=replies,
        calls=calls,
    )


async def evaluate(cases: list[dict[str, Any]] | None = None) -> list[CaseResult]:
    return [await run_case(case) for case in cases or load_cases()]


def main() -> int:
    args = sys.argv[1:]
    path = Path(args[args.index("--data") + 1]) if "--data" in args else DATA
    results = asyncio.run(evaluate(load_cases(path)))
    if "-v" in sys.argv[1:]:
        print_failures(results, calls=True)
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
