"""Recurring tasks in the task service, on both databases: a completed occurrence is recorded
and the same task moves on to its next one (keeping its reminder's offset and its clock time
across daylight-saving changes) until the rule is used up; rules are checked against the task.

Dates lie years ahead, so "the later of the due time and now" is always the due time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from chatapp.errors import InvalidInput
from chatapp.tasks import service
from chatapp.tasks.schemas import CompletionQuery, TaskCreate, TaskQuery, TaskReplace, TaskUpdate


def _new(user_id: int, title: str = "task", **fields):
    return service.create_task(user_id, TaskCreate(title=title, **fields))


def _at(zone: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _completions(user_id: int) -> list[tuple[int, datetime | None]]:
    """(task id, occurrence due time) of every completion, oldest first."""
    done = service.list_completions(user_id, CompletionQuery(limit=500))
    return [(c.task_id, c.due_at) for c in reversed(done)]


def _complete_times(user_id: int, task_id: int, times: int) -> list[datetime | None]:
    """Complete the task `times` times; the due time after each."""
    return [service.set_completed(user_id, task_id).due_at for _ in range(times)]


def test_completing_a_weekly_task_keeps_it_open_and_moves_it_a_week(ann):
    monday = _at("UTC", 2031, 6, 2, 9, 0)
    task = _new(ann, "Team sync", due_at=monday, recurrence="FREQ=WEEKLY;BYDAY=MO")

    after = service.set_completed(ann, task.id)

    assert after.id == task.id and after.completed is False and after.completed_at is None
    assert after.due_at == monday + timedelta(weeks=1)
    assert after.recurrence == "FREQ=WEEKLY;BYDAY=MO"
    assert after.recurrence_text == "every Monday at 09:00"
    assert _completions(ann) == [(task.id, monday)]


def test_monthly_on_the_first_moves_to_the_first_of_each_next_month(ann):
    first = _at("Europe/Paris", 2031, 1, 1, 9, 0)
    task = _new(
        ann,
        "Pay rent",
        due_at=first,
        recurrence="FREQ=MONTHLY;BYMONTHDAY=1",
        time_zone="Europe/Paris",
    )

    dues = _complete_times(ann, task.id, 3)

    assert dues == [_at("Europe/Paris", 2031, month, 1, 9, 0) for month in (2, 3, 4)]
    assert task.recurrence_text == "every month on the 1st at 09:00"


def test_every_weekday_skips_the_weekend(ann):
    friday = _at("UTC", 2031, 6, 6, 8, 0)
    task = _new(ann, "Stand-up", due_at=friday, recurrence="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")

    monday, tuesday = _complete_times(ann, task.id, 2)

    assert monday == friday + timedelta(days=3) and monday.weekday() == 0
    assert tuesday == friday + timedelta(days=4)


def test_count_is_used_up_and_the_last_completion_completes_the_task(ann):
    start = _at("UTC", 2031, 3, 1, 7, 0)
    task = _new(ann, "Pills", due_at=start, recurrence="FREQ=DAILY;INTERVAL=2;COUNT=3")

    second = service.set_completed(ann, task.id)
    third = service.set_completed(ann, task.id)
    last = service.set_completed(ann, task.id)

    assert (second.due_at, third.due_at) == (start + timedelta(days=2), start + timedelta(days=4))
    assert not second.completed and not third.completed
    assert last.completed is True and last.completed_at is not None
    assert last.due_at == start + timedelta(days=4)  # the last occurrence stays its due time
    assert _completions(ann) == [(task.id, start + timedelta(days=2 * i)) for i in range(3)]


def test_count_keeps_counting_from_the_first_occurrence_across_a_title_edit(ann):
    start = _at("UTC", 2031, 3, 1, 7, 0)
    task = _new(ann, "Pills", due_at=start, recurrence="FREQ=DAILY;COUNT=2")
    service.set_completed(ann, task.id)

    service.update_task(ann, task.id, TaskUpdate(title="Vitamins"))
    done = service.set_completed(ann, task.id)

    assert done.completed is True and done.title == "Vitamins"


def test_until_is_used_up_and_then_the_task_completes(ann):
    start = _at("America/New_York", 2031, 5, 1, 18, 0)
    task = _new(
        ann,
        "Water the garden",
        due_at=start,
        recurrence="FREQ=DAILY;UNTIL=20310502T235959Z",
        time_zone="America/New_York",
    )

    second = service.set_completed(ann, task.id)
    last = service.set_completed(ann, task.id)

    assert second.due_at == start + timedelta(days=1) and not second.completed
    assert last.completed is True
    assert [due for _, due in _completions(ann)] == [start, start + timedelta(days=1)]


def test_the_reminder_moves_with_the_due_time_keeping_its_offset(ann):
    due = _at("UTC", 2031, 6, 2, 9, 0)
    task = _new(
        ann,
        "Team sync",
        due_at=due,
        recurrence="FREQ=WEEKLY",
        remind_at=due - timedelta(minutes=45),
    )
    service.claim_due_reminders(ann, now=due)  # this occurrence's reminder was shown

    after = service.set_completed(ann, task.id)

    assert after.due_at == due + timedelta(weeks=1)
    assert after.remind_at == after.due_at - timedelta(minutes=45)
    assert after.reminded_at is None


@pytest.mark.parametrize(
    ("zone", "year", "days_before_change"),
    [("America/New_York", 2031, 2), ("Europe/Paris", 2031, 2)],
)
def test_daily_at_nine_stays_nine_local_when_completed_across_a_dst_change(
    ann, zone, year, days_before_change
):
    tz = ZoneInfo(zone)
    # The spring change of that year in that zone, found rather than assumed.
    day = datetime(year, 3, 1, 12, tzinfo=tz)
    while day.utcoffset() == (day + timedelta(days=1)).utcoffset():
        day += timedelta(days=1)
    first = (day - timedelta(days=days_before_change - 1)).replace(hour=9)
    task = _new(
        ann,
        "Morning run",
        due_at=first.astimezone(UTC),
        recurrence="FREQ=DAILY",
        time_zone=zone,
    )

    dues = [task.due_at, *_complete_times(ann, task.id, 4)]

    local = [due.astimezone(tz) for due in dues]
    assert [moment.hour for moment in local] == [9] * 5
    assert [moment.minute for moment in local] == [0] * 5
    assert len({moment.utcoffset() for moment in local}) == 2, "the change falls in between"
    assert dues[-1] - dues[0] == timedelta(days=4, hours=-1)  # one hour less of real time


def test_a_late_completion_moves_past_now_not_just_one_step(ann):
    now = datetime.now(UTC)
    start = (now - timedelta(days=10)).replace(microsecond=0)
    task = _new(ann, "Journal", due_at=start, recurrence="FREQ=DAILY")

    after = service.set_completed(ann, task.id)

    assert now < after.due_at <= now + timedelta(days=1)
    assert (after.due_at - start) % timedelta(days=1) == timedelta(0)
    assert _completions(ann) == [(task.id, start)]


def test_a_plain_task_is_recorded_and_reopening_takes_the_record_back(ann):
    task = _new(ann, "Buy milk")

    done = service.set_completed(ann, task.id)
    assert done.completed and _completions(ann) == [(task.id, None)]

    reopened = service.set_completed(ann, task.id, False)
    assert not reopened.completed and _completions(ann) == []
    assert service.set_completed(ann, task.id, False).completed is False  # no-op stays one


def test_creating_a_completed_task_records_it(ann):
    task = _new(ann, "Already done", completed=True)

    assert task.completed and _completions(ann) == [(task.id, None)]


def test_patch_completed_true_on_a_recurring_task_advances_it_like_complete(ann):
    due = _at("UTC", 2031, 6, 2, 9, 0)
    task = _new(ann, "Weekly", due_at=due, recurrence="FREQ=WEEKLY")

    after = service.update_task(ann, task.id, TaskUpdate(completed=True))

    assert not after.completed and after.due_at == due + timedelta(weeks=1)


def test_completed_since_finds_recurring_tasks_completed_in_the_window(ann):
    due = _at("UTC", 2031, 6, 2, 9, 0)
    weekly = _new(ann, "Weekly", due_at=due, recurrence="FREQ=WEEKLY")
    plain = _new(ann, "Plain")
    _new(ann, "Untouched")
    before = datetime.now(UTC) - timedelta(seconds=1)
    service.set_completed(ann, weekly.id)
    service.set_completed(ann, plain.id)

    tasks, total = service.list_tasks(ann, TaskQuery(completed_since=before))

    assert [t.title for t in tasks] == ["Weekly", "Plain"] and total == 2
    later = datetime.now(UTC) + timedelta(seconds=1)
    assert service.list_tasks(ann, TaskQuery(completed_since=later)) == ([], 0)


def test_completions_are_the_users_own_newest_first_and_since_filters(ann, ben):
    a = _new(ann, "Ann's")
    b = _new(ben, "Ben's")
    service.set_completed(ann, a.id)
    service.set_completed(ben, b.id)
    weekly = _new(ann, "Weekly", due_at=_at("UTC", 2031, 6, 2, 9, 0), recurrence="FREQ=WEEKLY")
    service.set_completed(ann, weekly.id)

    mine = service.list_completions(ann)

    assert [(c.task_id, c.title) for c in mine] == [(weekly.id, "Weekly"), (a.id, "Ann's")]
    cut = mine[0].completed_at
    assert [c.task_id for c in service.list_completions(ann, CompletionQuery(since=cut))] == [
        weekly.id
    ]
    assert [c.task_id for c in service.list_completions(ann, CompletionQuery(limit=1))] == [
        weekly.id
    ]


def test_deleting_a_task_deletes_its_completions(ann):
    task = _new(ann, "Weekly", due_at=_at("UTC", 2031, 6, 2, 9, 0), recurrence="FREQ=WEEKLY")
    service.set_completed(ann, task.id)

    service.delete_task(ann, task.id)

    assert _completions(ann) == []


def test_undo_of_a_delete_keeps_the_rule_its_anchor_and_its_zone(ann):
    start = _at("Europe/Paris", 2031, 3, 1, 7, 0)
    task = _new(
        ann,
        "Pills",
        due_at=start,
        recurrence="FREQ=DAILY;COUNT=2",
        time_zone="Europe/Paris",
        remind_at=start - timedelta(minutes=5),
    )
    advanced = service.set_completed(ann, task.id)

    restored = service.restore_task(ann, service.delete_task(ann, task.id))

    keep = {"updated_at"}  # an undo is an update
    assert restored.model_dump(exclude=keep) == advanced.model_dump(exclude=keep)
    # Still counted from the first occurrence: one completion left, not two.
    assert service.set_completed(ann, restored.id).completed is True


# --- rules checked against the task ---------------------------------------------------------


def test_a_rule_without_a_due_date_is_refused(ann):
    with pytest.raises(InvalidInput, match="needs a due date") as refused:
        _new(ann, "Floating", recurrence="FREQ=DAILY")
    assert refused.value.field == "recurrence"
    assert service.list_tasks(ann) == ([], 0)


def test_removing_the_due_date_of_a_recurring_task_is_refused_and_changes_nothing(ann):
    task = _new(ann, "Weekly", due_at=_at("UTC", 2031, 6, 2, 9, 0), recurrence="FREQ=WEEKLY")

    with pytest.raises(InvalidInput, match="needs a due date"):
        service.update_task(ann, task.id, TaskUpdate(due_at=None, title="renamed"))

    assert service.get_task(ann, task.id) == task
    stopped = service.update_task(ann, task.id, TaskUpdate(due_at=None, recurrence=None))
    assert (stopped.due_at, stopped.recurrence, stopped.recurrence_text) == (None, None, None)


def test_a_rule_whose_occurrences_are_all_past_is_refused(ann):
    with pytest.raises(InvalidInput, match="no occurrence still to come"):
        _new(
            ann,
            "Old",
            due_at=datetime(2020, 1, 1, 9, tzinfo=UTC),
            recurrence="FREQ=DAILY;UNTIL=20200105",
        )
    with pytest.raises(InvalidInput, match="no occurrence from the due date on"):
        _new(
            ann,
            "Ends first",
            due_at=_at("UTC", 2031, 6, 2, 9, 0),
            recurrence="FREQ=DAILY;UNTIL=20310101",
        )


def test_an_overdue_recurring_task_with_occurrences_ahead_is_accepted(ann):
    task = _new(
        ann, "Overdue", due_at=datetime(2020, 1, 1, 9, tzinfo=UTC), recurrence="FREQ=YEARLY"
    )

    assert task.recurrence == "FREQ=YEARLY"


def test_patching_the_due_date_or_rule_re_anchors_count(ann):
    start = _at("UTC", 2031, 3, 1, 7, 0)
    task = _new(ann, "Pills", due_at=start, recurrence="FREQ=DAILY;COUNT=2")
    service.set_completed(ann, task.id)  # one of two left

    moved = service.update_task(ann, task.id, TaskUpdate(due_at=start + timedelta(days=30)))

    # Counting starts again at the new due time: two occurrences from there.
    assert not service.set_completed(ann, moved.id).completed
    assert service.set_completed(ann, moved.id).completed


def test_patch_recurrence_null_stops_repeating(ann):
    due = _at("UTC", 2031, 6, 2, 9, 0)
    task = _new(ann, "Weekly", due_at=due, recurrence="FREQ=WEEKLY")

    plain = service.update_task(ann, task.id, TaskUpdate.model_validate({"recurrence": None}))

    assert plain.recurrence is None and plain.due_at == due
    assert service.set_completed(ann, task.id).completed is True


def test_put_without_the_new_fields_resets_them(ann):
    due = _at("UTC", 2031, 6, 2, 9, 0)
    task = _new(
        ann,
        "Weekly",
        due_at=due,
        recurrence="FREQ=WEEKLY",
        time_zone="Asia/Tokyo",
        remind_at=due - timedelta(hours=1),
    )

    replaced = service.replace_task(ann, task.id, TaskReplace(title="Plain", due_at=due))

    assert (replaced.recurrence, replaced.time_zone, replaced.remind_at) == (None, "UTC", None)


def test_a_new_reminder_time_rings_again(ann):
    due = _at("UTC", 2031, 6, 2, 9, 0)
    task = _new(ann, "Call", due_at=due, remind_at=due - timedelta(hours=1))
    assert len(service.claim_due_reminders(ann, now=due)) == 1

    same = service.update_task(ann, task.id, TaskUpdate(remind_at=due - timedelta(hours=1)))
    assert same.reminded_at is not None
    moved = service.update_task(ann, task.id, TaskUpdate(remind_at=due - timedelta(hours=2)))
    assert moved.reminded_at is None
