"""The task editor's repeat and reminder pickers: each choice maps to a rule or a reminder time,
and a saved task maps back to the choice the editor shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chatapp.errors import AppError
from chatapp.state.task_form import (
    REMIND_VALUES,
    REPEAT_RULES,
    choice_for_reminder,
    choice_for_rule,
    remind_at_for,
    rule_for,
)
from chatapp.tasks.recurrence import normalise_rule

DUE = datetime(2030, 6, 14, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("choice", sorted(REPEAT_RULES))
def test_every_repeat_choice_is_a_valid_rule_and_maps_back(choice):
    rule = rule_for(choice, "")
    assert normalise_rule(rule) == rule
    assert choice_for_rule(rule) == choice


def test_custom_and_no_repeat():
    assert rule_for("none", "FREQ=DAILY") is None and choice_for_rule(None) == "none"
    assert rule_for("custom", " FREQ=MONTHLY;BYDAY=-1FR ") == "FREQ=MONTHLY;BYDAY=-1FR"
    assert choice_for_rule("FREQ=MONTHLY;BYDAY=-1FR") == "custom"
    with pytest.raises(AppError, match="custom rule"):
        rule_for("custom", "  ")


@pytest.mark.parametrize("choice", [c for c in REMIND_VALUES if c not in ("none", "custom")])
def test_every_reminder_offset_lands_before_the_due_time_and_maps_back(choice):
    remind_at = remind_at_for(choice, DUE, None)
    assert remind_at <= DUE
    assert choice_for_reminder(remind_at, DUE) == choice


def test_reminder_choices_that_need_a_time():
    picked = DUE - timedelta(hours=5)
    assert remind_at_for("custom", None, picked) == picked
    assert choice_for_reminder(picked, DUE) == "custom"
    assert remind_at_for("none", DUE, None) is None and choice_for_reminder(None, DUE) == "none"
    with pytest.raises(AppError, match="needs a due date"):
        remind_at_for("30m", None, None)
    with pytest.raises(AppError, match="pick the date and time"):
        remind_at_for("custom", DUE, None)


def _task_tab():
    """A fresh tab's TaskState (no browser): the root state's substate."""
    from reflex.state import State

    from chatapp.state.tasks import TaskState

    root = State(_reflex_internal_init=True)
    return TaskState, root.get_substate(TaskState.get_full_name().split(".")[1:])


def test_each_schedule_picker_takes_only_its_own_choices():
    task_state, tab = _task_tab()
    task_state.set_schedule.fn(tab, "new_repeat", "weekly")
    task_state.set_schedule.fn(tab, "edit_remind", "custom")
    assert (tab.new_repeat, tab.edit_remind) == ("weekly", "custom")
    task_state.set_schedule.fn(tab, "new_remind", "weekly")  # a repeat choice, not a reminder
    task_state.set_schedule.fn(tab, "edit_repeat", "not a choice")
    assert (tab.new_remind, tab.edit_repeat) == ("none", "none")
    task_state.set_schedule.fn(tab, "form_error", "weekly")  # not a picker: nothing changes
    assert tab.form_error == ""
