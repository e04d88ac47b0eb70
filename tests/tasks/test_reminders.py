"""Claiming due reminders: each reminder is handed out exactly once per occurrence, to its own
user only, also when several claimers (tabs, backend workers, servers) race for it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from chatapp.tasks import service
from chatapp.tasks.schemas import TaskCreate
from tests.support import ROOT


def _new(user_id: int, title: str = "task", **fields):
    return service.create_task(user_id, TaskCreate(title=title, **fields))


def _ids(reminders) -> list[int]:
    return [reminder.task_id for reminder in reminders]


def test_a_due_reminder_is_claimed_once_with_its_task(ann):
    now = datetime.now(UTC)
    due = now + timedelta(minutes=30)
    task = _new(ann, "Call mom", due_at=due, remind_at=now - timedelta(seconds=5))

    (reminder,) = service.claim_due_reminders(ann)

    assert (reminder.task_id, reminder.title) == (task.id, "Call mom")
    assert reminder.remind_at == task.remind_at and reminder.due_at == due
    assert reminder.missed is False
    assert service.claim_due_reminders(ann) == []
    assert service.get_task(ann, task.id).reminded_at is not None


def test_future_completed_and_reminderless_tasks_are_not_claimed(ann):
    now = datetime.now(UTC)
    _new(ann, "Later", remind_at=now + timedelta(hours=1))
    done = _new(ann, "Done", remind_at=now - timedelta(minutes=1))
    service.set_completed(ann, done.id)
    _new(ann, "No reminder", due_at=now - timedelta(hours=1))

    assert service.claim_due_reminders(ann) == []
    later = service.claim_due_reminders(ann, now=now + timedelta(hours=1))
    assert [r.title for r in later] == ["Later"]


def test_a_reminder_older_than_the_grace_period_is_missed(ann):
    now = datetime.now(UTC)
    _new(ann, "Just now", remind_at=now - service.REMINDER_GRACE + timedelta(seconds=30))
    _new(ann, "While away", remind_at=now - timedelta(hours=3))

    claimed = {r.title: r.missed for r in service.claim_due_reminders(ann, now=now)}

    assert claimed == {"Just now": False, "While away": True}


def test_reminders_come_oldest_first(ann):
    now = datetime.now(UTC)
    for minutes in (1, 30, 5):
        _new(ann, f"{minutes} min ago", remind_at=now - timedelta(minutes=minutes))

    assert [r.title for r in service.claim_due_reminders(ann)] == [
        "30 min ago",
        "5 min ago",
        "1 min ago",
    ]


def test_a_user_claims_only_their_own_reminders(ann, ben):
    now = datetime.now(UTC)
    mine = _new(ann, "Ann's", remind_at=now - timedelta(minutes=1))
    theirs = _new(ben, "Ben's", remind_at=now - timedelta(minutes=1))

    assert _ids(service.claim_due_reminders(ann)) == [mine.id]
    assert service.get_task(ben, theirs.id).reminded_at is None
    assert _ids(service.claim_due_reminders(ben)) == [theirs.id]


def test_each_occurrence_of_a_recurring_task_rings_once(ann):
    now = datetime.now(UTC).replace(microsecond=0)
    due = now + timedelta(minutes=10)
    task = _new(
        ann, "Stand-up", due_at=due, recurrence="FREQ=DAILY", remind_at=due - timedelta(hours=1)
    )
    assert _ids(service.claim_due_reminders(ann)) == [task.id]

    after = service.set_completed(ann, task.id)

    assert after.remind_at == due + timedelta(days=1) - timedelta(hours=1)
    assert service.claim_due_reminders(ann) == []
    next_day = service.claim_due_reminders(ann, now=after.remind_at)
    assert _ids(next_day) == [task.id] and next_day[0].due_at == after.due_at


def test_two_concurrent_claimers_get_each_reminder_exactly_once(ann, ben):
    """Two threads, two connections, claiming at the same moment, many times over."""
    now = datetime.now(UTC)
    for i in range(40):
        _new(ann, f"r{i}", remind_at=now - timedelta(seconds=i))
    _new(ben, "Ben's", remind_at=now - timedelta(seconds=1))
    claimed: list[list[int]] = [[], []]
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def claimer(slot: int) -> None:
        try:
            start.wait(timeout=10)
            for _ in range(5):
                claimed[slot].extend(_ids(service.claim_due_reminders(ann)))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=claimer, args=(slot,)) for slot in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    everything = claimed[0] + claimed[1]
    assert len(everything) == 40 and len(set(everything)) == 40
    assert service.claim_due_reminders(ann) == []
    assert [r.title for r in service.claim_due_reminders(ben)] == ["Ben's"]


CLAIMER = """
import json, sys, time
from chatapp.tasks import service
user = int(sys.argv[1])
service.claim_due_reminders(user + 10**6)  # engine, pool and imports warm before the start
print("ready", flush=True)
stop = float(sys.stdin.readline())  # both workers start together, however slow their imports
ids = []
while time.time() < stop:
    ids += [r.task_id for r in service.claim_due_reminders(user)]
print(json.dumps(ids))
"""


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_two_backend_processes_claim_each_reminder_exactly_once(db, ann):
    """Two separate processes (each its own engine, as two backend workers or servers) poll
    as fast as they can while reminders keep coming due: every reminder goes to exactly one.
    PostgreSQL only: several backend processes share a PostgreSQL server, not a SQLite file."""
    env = {**os.environ, "DATABASE_URL": db}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", CLAIMER, str(ann)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for worker in workers:
        assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
    stop = time.time() + 3
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write(f"{stop}\n")
        worker.stdin.flush()
    ids = []
    while time.time() < stop - 0.5:
        now = datetime.now(UTC)
        ids.append(_new(ann, f"r{len(ids)}", remind_at=now - timedelta(seconds=1)).id)
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    results.append(_ids(service.claim_due_reminders(ann)))  # any the workers left

    everything = [task_id for claimed in results for task_id in claimed]
    assert sorted(everything) == sorted(ids), "each reminder exactly once"
    assert len(ids) >= 20 and results[0] and results[1], "both workers really claimed"
