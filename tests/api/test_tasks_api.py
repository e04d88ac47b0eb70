"""The task REST contract: create, read, replace, patch, complete, delete, list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

TASK_KEYS = {
    "id",
    "title",
    "description",
    "completed",
    "priority",
    "due_at",
    "tags",
    "created_at",
    "updated_at",
    "completed_at",
    "recurrence",
    "recurrence_text",
    "time_zone",
    "remind_at",
    "reminded_at",
}


def _at(value: str | None) -> datetime | None:
    """Parse an ISO 8601 timestamp from the API; it must carry its offset."""
    if value is None:
        return None
    parsed = datetime.fromisoformat(value)
    assert parsed.tzinfo is not None, f"{value!r} has no UTC offset"
    return parsed


def create(client, user, **fields) -> dict:
    fields.setdefault("title", "a task")
    r = client.post(user.tasks_url, headers=user.headers, json=fields)
    assert r.status_code == 201, r.text
    return r.json()


def get(client, user, task_id: int) -> dict:
    r = client.get(f"{user.tasks_url}/{task_id}", headers=user.headers)
    assert r.status_code == 200, r.text
    return r.json()


def listing(client, user, **params) -> tuple[list[dict], int]:
    r = client.get(user.tasks_url, headers=user.headers, params=params)
    assert r.status_code == 200, r.text
    assert isinstance(r.json(), list)
    return r.json(), int(r.headers["X-Total-Count"])


def titles(client, user, **params) -> list[str]:
    return [t["title"] for t in listing(client, user, **params)[0]]


# --- create and read -----------------------------------------------------------------------


def test_create_returns_201_and_exactly_the_task_fields_with_defaults(client, owner):
    before = datetime.now(UTC)

    task = create(client, owner, title="Buy milk")

    assert set(task) == TASK_KEYS
    assert isinstance(task["id"], int)
    assert task["title"] == "Buy milk"
    assert task["description"] is None
    assert task["completed"] is False
    assert task["priority"] is None
    assert task["due_at"] is None
    assert task["tags"] == []
    assert task["completed_at"] is None
    assert (task["recurrence"], task["recurrence_text"], task["time_zone"]) == (None, None, "UTC")
    assert (task["remind_at"], task["reminded_at"]) == (None, None)
    created = _at(task["created_at"])
    assert before - timedelta(seconds=1) <= created <= datetime.now(UTC) + timedelta(seconds=1)
    assert _at(task["updated_at"]) == created


def test_create_stores_every_field_normalised(client, owner):
    task = create(
        client,
        owner,
        title="  Plan trip  ",
        description="Book flights",
        priority="high",
        due_at="2031-05-01T10:30:00+02:00",
        tags=["#Work", "work", " Home ", "#TRAVEL"],
    )

    assert task["title"] == "Plan trip"
    assert task["description"] == "Book flights"
    assert task["priority"] == "high"
    assert _at(task["due_at"]) == datetime(2031, 5, 1, 8, 30, tzinfo=UTC)
    assert task["tags"] == ["work", "home", "travel"]
    assert get(client, owner, task["id"]) == task


def test_a_due_date_without_offset_is_taken_as_utc(client, owner):
    task = create(client, owner, due_at="2031-05-01T10:30:00")

    assert _at(task["due_at"]) == datetime(2031, 5, 1, 10, 30, tzinfo=UTC)


def test_creating_a_completed_task_sets_completed_at(client, owner):
    task = create(client, owner, completed=True)

    assert task["completed"] is True
    assert _at(task["completed_at"]) is not None


def test_a_missing_task_is_404_with_its_id_in_the_message(client, owner):
    r = client.get(f"{owner.tasks_url}/987654", headers=owner.headers)

    assert r.status_code == 404
    assert r.json() == {"detail": "Task 987654 not found"}


def test_a_non_integer_task_id_is_422(client, owner):
    r = client.get(f"{owner.tasks_url}/abc", headers=owner.headers)

    assert r.status_code == 422


# --- validation (create, replace and patch share the rules) --------------------------------

INVALID_CONTENT = {
    "blank title": ({"title": "   "}, "title"),
    "title over 200": ({"title": "x" * 201}, "title"),
    "title not a string": ({"title": 5}, "title"),
    "description over 2000": ({"description": "d" * 2001}, "description"),
    "eleven tags": ({"tags": [f"t{i}" for i in range(11)]}, "tags"),
    "tag over 32": ({"tags": ["t" * 33]}, "tags"),
    "tag not a string": ({"tags": [7]}, "tags"),
    "unknown priority": ({"priority": "urgent"}, "priority"),
    "unparseable due_at": ({"due_at": "next tuesday"}, "due_at"),
    "unknown field": ({"owner_id": 1}, "owner_id"),
    "user_id smuggled in": ({"user_id": 1}, "user_id"),
}


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
def test_invalid_content_is_422_naming_the_field_and_changes_nothing(client, owner, method):
    task = create(client, owner, title="original", tags=["keep"])
    url = owner.tasks_url if method == "POST" else f"{owner.tasks_url}/{task['id']}"
    wrong = {}

    for case, (fields, field) in INVALID_CONTENT.items():
        body = {"title": "valid title", **fields} if method != "PATCH" else fields
        r = client.request(method, url, headers=owner.headers, json=body)
        if r.status_code != 422 or field not in r.json()["detail"]:
            wrong[case] = f"{r.status_code} {r.text}"

    assert wrong == {}
    assert listing(client, owner) == ([task], 1)


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_a_missing_title_is_422(client, owner, method):
    task = create(client, owner)
    url = owner.tasks_url if method == "POST" else f"{owner.tasks_url}/{task['id']}"

    r = client.request(method, url, headers=owner.headers, json={"description": "no title"})

    assert r.status_code == 422
    assert r.json()["detail"].startswith("title:")


def test_the_largest_valid_content_is_accepted(client, owner):
    tags = [f"{i}" + "t" * 31 for i in range(10)]

    task = create(client, owner, title="x" * 200, description="d" * 2000, tags=tags)

    assert len(task["title"]) == 200
    assert len(task["description"]) == 2000
    assert task["tags"] == tags


def test_limits_apply_after_stripping(client, owner):
    task = create(client, owner, title=" " + "x" * 200 + " ", tags=["#" + "t" * 32])

    assert task["title"] == "x" * 200
    assert task["tags"] == ["t" * 32]


@pytest.mark.parametrize("priority", ["low", "medium", "high", None])
def test_every_priority_level_and_none_is_accepted(client, owner, priority):
    assert create(client, owner, priority=priority)["priority"] == priority


def test_a_malformed_json_body_is_422(client, owner):
    r = client.post(
        owner.tasks_url,
        headers={**owner.headers, "Content-Type": "application/json"},
        content=b'{"title": ',
    )

    assert r.status_code == 422


# --- replace (PUT) -------------------------------------------------------------------------


def test_put_replaces_content_and_resets_omitted_fields(client, owner):
    task = create(
        client,
        owner,
        title="old",
        description="old description",
        priority="high",
        due_at="2031-01-01T00:00:00Z",
        tags=["a", "b"],
    )

    r = client.put(f"{owner.tasks_url}/{task['id']}", headers=owner.headers, json={"title": "new"})

    assert r.status_code == 200, r.text
    replaced = r.json()
    assert replaced["id"] == task["id"]
    assert replaced["title"] == "new"
    assert replaced["description"] is None
    assert replaced["priority"] is None
    assert replaced["due_at"] is None
    assert replaced["tags"] == []
    assert replaced["created_at"] == task["created_at"]
    assert _at(replaced["updated_at"]) > _at(task["updated_at"])
    assert get(client, owner, task["id"]) == replaced


def test_put_without_completed_keeps_the_completion_state(client, owner):
    task = create(client, owner, completed=True)

    replaced = client.put(
        f"{owner.tasks_url}/{task['id']}", headers=owner.headers, json={"title": "again"}
    ).json()

    assert replaced["completed"] is True
    assert replaced["completed_at"] == task["completed_at"]


def test_put_with_every_field_sets_them_all(client, owner):
    task = create(client, owner)
    body = {
        "title": "full",
        "description": "all of it",
        "priority": "low",
        "due_at": "2032-02-02T12:00:00Z",
        "tags": ["#X"],
        "completed": True,
    }

    replaced = client.put(f"{owner.tasks_url}/{task['id']}", headers=owner.headers, json=body)

    out = replaced.json()
    assert (out["title"], out["description"], out["priority"], out["tags"]) == (
        "full",
        "all of it",
        "low",
        ["x"],
    )
    assert _at(out["due_at"]) == datetime(2032, 2, 2, 12, tzinfo=UTC)
    assert out["completed"] is True and out["completed_at"] is not None


# --- patch ---------------------------------------------------------------------------------


def test_patch_changes_only_the_given_fields(client, owner):
    task = create(
        client,
        owner,
        title="old",
        description="keep",
        priority="low",
        due_at="2031-01-01T00:00:00Z",
        tags=["keep"],
    )

    r = client.patch(
        f"{owner.tasks_url}/{task['id']}", headers=owner.headers, json={"priority": "high"}
    )

    assert r.status_code == 200, r.text
    patched = r.json()
    assert patched["priority"] == "high"
    unchanged = {k: v for k, v in task.items() if k not in ("priority", "updated_at")}
    assert {k: patched[k] for k in unchanged} == unchanged
    assert _at(patched["updated_at"]) > _at(task["updated_at"])
    assert get(client, owner, task["id"]) == patched


def test_patch_with_null_clears_optional_fields(client, owner):
    task = create(
        client, owner, description="d", priority="low", due_at="2031-01-01T00:00:00Z", tags=["t"]
    )

    patched = client.patch(
        f"{owner.tasks_url}/{task['id']}",
        headers=owner.headers,
        json={"description": None, "priority": None, "due_at": None, "tags": None},
    ).json()

    assert (patched["description"], patched["priority"], patched["due_at"], patched["tags"]) == (
        None,
        None,
        None,
        [],
    )
    assert patched["title"] == task["title"]


def test_patch_title_null_is_422(client, owner):
    task = create(client, owner)

    r = client.patch(f"{owner.tasks_url}/{task['id']}", headers=owner.headers, json={"title": None})

    assert r.status_code == 422
    assert "title" in r.json()["detail"]
    assert get(client, owner, task["id"])["title"] == task["title"]


def test_patch_completed_sets_and_clears_completed_at(client, owner):
    task = create(client, owner)
    url = f"{owner.tasks_url}/{task['id']}"

    done = client.patch(url, headers=owner.headers, json={"completed": True}).json()
    undone = client.patch(url, headers=owner.headers, json={"completed": False}).json()

    assert done["completed"] is True and _at(done["completed_at"]) is not None
    assert undone["completed"] is False and undone["completed_at"] is None


# --- complete ------------------------------------------------------------------------------


def test_complete_without_a_body_marks_the_task_done(client, owner):
    task = create(client, owner)
    before = datetime.now(UTC) - timedelta(seconds=1)

    r = client.patch(f"{owner.tasks_url}/{task['id']}/complete", headers=owner.headers)

    assert r.status_code == 200, r.text
    done = r.json()
    assert done["completed"] is True
    assert _at(done["completed_at"]) >= before
    assert _at(done["updated_at"]) > _at(task["updated_at"])
    assert get(client, owner, task["id"]) == done


def test_complete_with_an_empty_body_marks_the_task_done(client, owner):
    task = create(client, owner)

    r = client.patch(f"{owner.tasks_url}/{task['id']}/complete", headers=owner.headers, json={})

    assert r.json()["completed"] is True


def test_complete_false_reopens_the_task_and_clears_completed_at(client, owner):
    task = create(client, owner, completed=True)

    r = client.patch(
        f"{owner.tasks_url}/{task['id']}/complete",
        headers=owner.headers,
        json={"completed": False},
    )

    assert r.status_code == 200
    assert r.json()["completed"] is False
    assert r.json()["completed_at"] is None


def test_complete_with_an_unknown_field_is_422(client, owner):
    task = create(client, owner)

    r = client.patch(
        f"{owner.tasks_url}/{task['id']}/complete", headers=owner.headers, json={"done": True}
    )

    assert r.status_code == 422
    assert "done" in r.json()["detail"]
    assert get(client, owner, task["id"])["completed"] is False


# --- delete --------------------------------------------------------------------------------


def test_delete_is_204_with_an_empty_body_and_the_task_is_gone(client, owner):
    task = create(client, owner)
    url = f"{owner.tasks_url}/{task['id']}"

    r = client.delete(url, headers=owner.headers)

    assert r.status_code == 204
    assert r.content == b""
    assert client.get(url, headers=owner.headers).status_code == 404
    again = client.delete(url, headers=owner.headers)
    assert again.status_code == 404
    assert again.json() == {"detail": f"Task {task['id']} not found"}


MISSING_TASK_ROUTES = [
    ("GET", "", None),
    ("PUT", "", {"title": "x"}),
    ("PATCH", "", {"title": "x"}),
    ("DELETE", "", None),
    ("PATCH", "/complete", None),
]


@pytest.mark.parametrize(("method", "suffix", "body"), MISSING_TASK_ROUTES)
def test_every_task_route_answers_404_for_a_missing_task(client, owner, method, suffix, body):
    r = client.request(
        method, f"{owner.tasks_url}/424242{suffix}", headers=owner.headers, json=body
    )

    assert r.status_code == 404
    assert r.json() == {"detail": "Task 424242 not found"}


@pytest.mark.parametrize("task_id", [2**31, 2**63, 10**20])
def test_task_ids_beyond_the_database_integer_range_are_404(client, owner, task_id):
    wrong = {}

    for method, suffix, body in MISSING_TASK_ROUTES:
        url = f"{owner.tasks_url}/{task_id}{suffix}"
        r = client.request(method, url, headers=owner.headers, json=body)
        if r.status_code != 404 or r.json() != {"detail": f"Task {task_id} not found"}:
            wrong[f"{method} {suffix}"] = f"{r.status_code} {r.text}"

    assert wrong == {}


@pytest.mark.parametrize("field", ["title", "description"])
def test_nul_characters_in_task_text_are_422(client, owner, field):
    body = {"title": "ok", field: "a\x00b"}

    r = client.post(owner.tasks_url, headers=owner.headers, json=body)

    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith(f"{field}:")


# --- list ----------------------------------------------------------------------------------


def test_list_is_a_json_list_with_x_total_count(client, owner):
    first = create(client, owner, title="one")
    second = create(client, owner, title="two")

    tasks, total = listing(client, owner)

    assert tasks == [first, second]
    assert total == 2


def test_an_empty_list_has_total_zero(client, owner):
    assert listing(client, owner) == ([], 0)


def test_status_filter_selects_pending_or_completed(client, owner):
    create(client, owner, title="open")
    create(client, owner, title="done", completed=True)

    assert titles(client, owner, status="pending") == ["open"]
    assert titles(client, owner, status="completed") == ["done"]
    assert titles(client, owner, status="all") == ["open", "done"]
    assert titles(client, owner) == ["open", "done"]


def test_search_matches_title_or_description_case_insensitively(client, owner):
    create(client, owner, title="Buy MILK")
    create(client, owner, title="Errand", description="get milk and bread")
    create(client, owner, title="Unrelated", description="nothing here")

    tasks, total = listing(client, owner, q="Milk")

    assert [t["title"] for t in tasks] == ["Buy MILK", "Errand"]
    assert total == 2


def test_search_ignores_the_case_of_non_ascii_letters(client, owner):
    create(client, owner, title="CAFÉ order")
    create(client, owner, title="Notes", description="Ärzte anrufen")
    create(client, owner, title="cafe without accent")

    assert titles(client, owner, q="café") == ["CAFÉ order"]
    assert titles(client, owner, q="ärzte") == ["Notes"]
    assert titles(client, owner, q="ÄRZTE") == ["Notes"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("50%", ["50% off"]), ("a_b", ["a_b"]), ("%", ["50% off"]), ("_", ["a_b"]), ("\\", ["c:\\x"])],
)
def test_search_treats_percent_underscore_and_backslash_literally(client, owner, query, expected):
    for title in ["50% off", "500 items", "a_b", "axb", "c:\\x"]:
        create(client, owner, title=title)

    assert titles(client, owner, q=query) == expected


def test_priority_filter(client, owner):
    create(client, owner, title="h", priority="high")
    create(client, owner, title="l", priority="low")
    create(client, owner, title="none")

    assert titles(client, owner, priority="high") == ["h"]
    assert titles(client, owner, priority="low") == ["l"]


def test_tag_filter_matches_whole_tags_only(client, owner):
    create(client, owner, title="work", tags=["work", "urgent"])
    create(client, owner, title="homework", tags=["homework"])
    create(client, owner, title="untagged")

    assert titles(client, owner, tag="work") == ["work"]
    assert titles(client, owner, tag="#Work") == ["work"]
    assert titles(client, owner, tag="urgent") == ["work"]
    assert titles(client, owner, tag="nope") == []


def test_tag_filter_matches_non_ascii_tags(client, owner):
    create(client, owner, title="coffee", tags=["café"])
    create(client, owner, title="other", tags=["cafe"])

    assert titles(client, owner, tag="café") == ["coffee"]


def test_due_filters_bound_the_due_date_and_skip_undated_tasks(client, owner):
    create(client, owner, title="jan", due_at="2031-01-15T00:00:00Z")
    create(client, owner, title="feb", due_at="2031-02-15T00:00:00Z")
    create(client, owner, title="mar", due_at="2031-03-15T00:00:00Z")
    create(client, owner, title="undated")

    assert titles(client, owner, due_before="2031-02-01T00:00:00Z") == ["jan"]
    assert titles(client, owner, due_after="2031-02-01T00:00:00Z") == ["feb", "mar"]
    assert titles(
        client, owner, due_after="2031-02-01T00:00:00Z", due_before="2031-03-01T00:00:00Z"
    ) == ["feb"]


def test_due_filters_compare_instants_across_offsets(client, owner):
    create(client, owner, title="late utc", due_at="2031-01-01T23:30:00Z")

    # 2031-01-02T01:00+02:00 is 23:00Z on the 1st, before the task.
    assert titles(client, owner, due_after="2031-01-02T01:00:00+02:00") == ["late utc"]
    assert titles(client, owner, due_before="2031-01-02T01:00:00+02:00") == []


def test_filters_combine(client, owner):
    create(client, owner, title="report draft", priority="high", tags=["work"])
    create(client, owner, title="report final", priority="high", tags=["work"], completed=True)
    create(client, owner, title="report home", priority="low", tags=["home"])

    tasks, total = listing(client, owner, q="report", priority="high", tag="work", status="pending")

    assert [t["title"] for t in tasks] == ["report draft"]
    assert total == 1


def test_sort_by_created_in_both_orders(client, owner):
    for title in ["first", "second", "third"]:
        create(client, owner, title=title)

    assert titles(client, owner, sort="created") == ["first", "second", "third"]
    assert titles(client, owner, sort="created", order="desc") == ["third", "second", "first"]


def test_sort_by_due_puts_undated_tasks_last_in_both_orders(client, owner):
    create(client, owner, title="undated")
    create(client, owner, title="later", due_at="2031-06-01T00:00:00Z")
    create(client, owner, title="sooner", due_at="2031-01-01T00:00:00Z")

    assert titles(client, owner, sort="due") == ["sooner", "later", "undated"]
    assert titles(client, owner, sort="due", order="desc") == ["later", "sooner", "undated"]


def test_sort_by_priority_ranks_high_medium_low_then_none(client, owner):
    for priority in [None, "low", "high", "medium"]:
        create(client, owner, title=str(priority), priority=priority)

    assert titles(client, owner, sort="priority", order="desc") == ["high", "medium", "low", "None"]


def test_sort_by_title_ignores_case(client, owner):
    for title in ["banana", "Cherry", "apple"]:
        create(client, owner, title=title)

    assert titles(client, owner, sort="title") == ["apple", "banana", "Cherry"]
    assert titles(client, owner, sort="title", order="desc") == ["Cherry", "banana", "apple"]


def _seed(owner, count: int) -> None:
    from chatapp.tasks import service
    from chatapp.tasks.schemas import TaskCreate

    for i in range(count):
        service.create_task(owner.id, TaskCreate(title=f"task {i:03d}"))


def test_list_returns_50_by_default_with_the_full_total(client, owner):
    _seed(owner, 55)

    tasks, total = listing(client, owner)

    assert len(tasks) == 50
    assert total == 55


def test_limit_and_offset_page_through_the_matches(client, owner):
    _seed(owner, 7)

    pages = [listing(client, owner, limit=3, offset=o) for o in (0, 3, 6)]

    assert [len(p[0]) for p in pages] == [3, 3, 1]
    assert {p[1] for p in pages} == {7}
    assert [t["title"] for p in pages for t in p[0]] == [f"task {i:03d}" for i in range(7)]
    assert listing(client, owner, offset=10) == ([], 7)
    assert listing(client, owner, offset=2**63 - 1) == ([], 7)


def test_limit_200_is_allowed(client, owner):
    _seed(owner, 3)

    assert listing(client, owner, limit=200)[1] == 3


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("limit", 201),
        ("limit", 0),
        ("limit", -1),
        ("offset", -1),
        ("limit", "many"),
        ("status", "done"),
        ("sort", "random"),
        ("order", "sideways"),
        ("priority", "urgent"),
        ("due_before", "soon"),
        ("offset", 2**63),
        ("q", "a\x00b"),
    ],
)
def test_invalid_list_parameters_are_422_naming_the_parameter(client, owner, param, value):
    r = client.get(owner.tasks_url, headers=owner.headers, params={param: value})

    assert r.status_code == 422
    assert param in r.json()["detail"]


def test_a_date_before_the_first_utc_instant_is_a_422_not_a_500(alice, client):
    for field in ("due_at", "remind_at"):
        r = client.post(
            alice.tasks_url,
            json={"title": "edge", field: "0001-01-01T00:00:00+00:01"},
            headers=alice.headers,
        )
        assert r.status_code == 422, r.text
        assert "out of range" in r.json()["detail"]
    r = client.get(
        alice.tasks_url, params={"due_before": "0001-01-01T00:00:00+00:01"}, headers=alice.headers
    )
    assert r.status_code == 422, r.text
