"""One user can never see or change another user's tasks, through any route or method."""

from __future__ import annotations

import pytest

# (method, path suffix under /api/{uid}/tasks, JSON body); "{tid}" is the victim's task id.
TASK_ROUTES = [
    ("GET", "", None),
    ("POST", "", {"title": "planted"}),
    ("GET", "/{tid}", None),
    ("PUT", "/{tid}", {"title": "hijacked", "completed": True}),
    ("PATCH", "/{tid}", {"title": "hijacked", "tags": ["pwned"]}),
    ("DELETE", "/{tid}", None),
    ("PATCH", "/{tid}/complete", None),
    ("PATCH", "/{tid}/complete", {"completed": False}),
]
ROUTE_IDS = [f"{m} tasks{s} {'with body' if b else ''}".strip() for m, s, b in TASK_ROUTES]
BY_ID_ROUTES = [r for r in TASK_ROUTES if "{tid}" in r[1]]
BY_ID_IDS = [i for i, r in zip(ROUTE_IDS, TASK_ROUTES, strict=True) if "{tid}" in r[1]]


@pytest.fixture
def victim_tasks(client, owner):
    """Two tasks of the owner, one completed, as the API returned them."""
    tasks = []
    for body in (
        {"title": "secret plan", "description": "owner only", "tags": ["private"]},
        {"title": "done thing", "completed": True, "priority": "high"},
    ):
        r = client.post(owner.tasks_url, headers=owner.headers, json=body)
        assert r.status_code == 201, r.text
        tasks.append(r.json())
    return tasks


def _owner_state(owner):
    from chatapp.tasks import service

    return service.list_tasks(owner.id)


@pytest.mark.parametrize(("method", "suffix", "body"), TASK_ROUTES, ids=ROUTE_IDS)
def test_another_users_token_on_my_path_is_403(
    client, owner, intruder, victim_tasks, method, suffix, body
):
    before = _owner_state(owner)
    url = owner.tasks_url + suffix.format(tid=victim_tasks[0]["id"])

    r = client.request(method, url, headers=intruder.headers, json=body)

    assert r.status_code == 403, r.text
    assert r.json()["detail"] == "You can only access your own tasks."
    assert _owner_state(owner) == before


@pytest.mark.parametrize(("method", "suffix", "body"), BY_ID_ROUTES, ids=BY_ID_IDS)
def test_my_task_ids_on_another_users_path_are_404_like_missing_ones(
    client, owner, intruder, victim_tasks, method, suffix, body
):
    before = _owner_state(owner)
    missing_id = max(t["id"] for t in victim_tasks) + 1000

    for task in victim_tasks:
        url = intruder.tasks_url + suffix.format(tid=task["id"])
        r = client.request(method, url, headers=intruder.headers, json=body)
        assert r.status_code == 404, r.text
        assert r.json() == {"detail": f"Task {task['id']} not found"}
    missing = client.request(
        method,
        intruder.tasks_url + suffix.format(tid=missing_id),
        headers=intruder.headers,
        json=body,
    )
    assert missing.status_code == 404
    assert missing.json() == {"detail": f"Task {missing_id} not found"}
    assert _owner_state(owner) == before


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "secret"}, {"tag": "private"}, {"status": "completed"}, {"priority": "high"}],
    ids=["everything", "search", "tag", "status", "priority"],
)
def test_listing_on_my_own_path_never_shows_another_users_tasks(
    client, owner, intruder, victim_tasks, params
):
    mine = client.post(intruder.tasks_url, headers=intruder.headers, json={"title": "mine"}).json()

    r = client.get(intruder.tasks_url, headers=intruder.headers, params=params)

    assert r.status_code == 200
    expected = [mine] if not params else []
    assert r.json() == expected
    assert r.headers["X-Total-Count"] == str(len(expected))


def test_tasks_created_on_my_path_belong_to_me_only(client, owner, intruder, victim_tasks):
    created = client.post(intruder.tasks_url, headers=intruder.headers, json={"title": "x"}).json()

    r = client.get(f"{owner.tasks_url}/{created['id']}", headers=owner.headers)

    assert r.status_code == 404
    assert [t.id for t in _owner_state(owner)[0]] == [t["id"] for t in victim_tasks]


@pytest.mark.parametrize("path_user", ["999999", "0", "abc", "-1"])
def test_a_path_user_that_is_not_the_token_subject_is_403(client, owner, path_user):
    r = client.get(f"/api/{path_user}/tasks", headers=owner.headers)

    assert r.status_code == 403
