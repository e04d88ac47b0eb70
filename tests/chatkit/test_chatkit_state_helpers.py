"""ChatKitState's pure helpers (its event handlers run in tests/browser/test_chatkit_component.py)."""

from __future__ import annotations

import pytest

from chatapp.state.chatkit import task_id_param
from chatapp.state.tasks import HIGHLIGHT_CLASS, highlight_script


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"task_id": 42}, 42),
        ({"task_id": " 42 "}, 42),
        ({"id": 7}, 7),
        ({"task_id": True}, None),
        ({"task_id": "4 2"}, None),
        ({"task_id": "²"}, None),
        ({"task_id": 4.2}, None),
        ({}, None),
    ],
)
def test_open_task_accepts_only_an_integer_task_id(params, expected):
    assert task_id_param(params) == expected


def test_highlight_script_targets_one_task_item():
    script = highlight_script(42)
    assert '.task-item[data-task-id="42"]' in script
    assert HIGHLIGHT_CLASS in script
