"""Schemathesis against build_api()'s own /openapi.json: every documented operation, positive and
negative examples, a real session token from an auth provider; every operation on SQLite, the
ones that write or filter values on PostgreSQL too.

No 5xx, every body matches the documented schema and content type, and every status is either
documented for the operation or a 4xx. Path user ids are mostly the signed-in user's and task ids
mostly real ones, so the examples reach the handlers instead of stopping at 403/404."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from tests.support.auth import QuickUser, insert_user

MAX_EXAMPLES = 25
# PostgreSQL-specific failures (NUL in text, integer ranges) come from values that are written.
POSTGRES_OPERATIONS = {
    "POST /api/{user_id}/tasks",
    "PUT /api/{user_id}/tasks/{task_id}",
    "PATCH /api/{user_id}/tasks/{task_id}",
    "GET /api/{user_id}/tasks",
    "POST /api/{user_id}/chat",
}


class Acting:
    """The user the current test acts as (the auth provider reads it per example)."""

    user: QuickUser | None = None
    task_ids: list[int] = []


@schemathesis.check
def documented_or_4xx(ctx, response, case) -> bool | None:
    """A status the operation documents, or a client error (401/403/404/413/429 are generic)."""
    documented = set(case.operation.definition.raw.get("responses", {}))
    status = response.status_code
    if str(status) in documented or "default" in documented or 400 <= status < 500:
        return None
    raise AssertionError(f"undocumented status {status}: {response.text[:300]}")


class SessionToken:
    """The auth hook: every generated case carries the acting user's real session token."""

    def get(self, case, ctx):
        return Acting.user.token

    def set(self, case, data, ctx):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def fast_passwords(monkeypatch):
    """Cheap argon2 parameters: sign-up and login examples hash passwords (1.4 s each here)."""
    from argon2 import PasswordHasher

    import chatapp.auth.security as security

    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(security, "_hasher", hasher)
    monkeypatch.setattr(security, "_DUMMY_HASH", hasher.hash("not-a-real-password"))


@pytest.fixture(scope="module")
def openapi():
    """One app and one loaded schema for the module: the app reads settings and the engine per
    request, so it follows the `db` fixture; schemathesis compiles its strategies once."""
    from chatapp.api import build_api

    schema = schemathesis.openapi.from_asgi("/openapi.json", build_api())
    schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True)
    schema.auth(refresh_interval=None)(SessionToken)
    return schema


@pytest.fixture
def acting(db, fast_passwords) -> None:
    from chatapp.tasks import service
    from chatapp.tasks.schemas import TaskCreate

    Acting.user = insert_user()
    Acting.task_ids = [
        service.create_task(Acting.user.id, TaskCreate(title=f"fuzz target {i}")).id
        for i in range(3)
    ]


def _openapi_spec() -> dict:
    from chatapp.api import build_api

    return build_api().openapi()


def _breakable(operation: dict) -> bool:
    """Negative examples need an input with a rule to break: a body, a query parameter, or a
    typed path parameter. A free string in the path (`user_id`, the feed token) has none."""
    if operation.get("requestBody"):
        return True
    return any(
        param.get("in") != "path" or param.get("schema", {}).get("type") != "string"
        for param in operation.get("parameters", [])
    )


def _cases() -> list:
    """(database, operation, mode): every operation on SQLite, negative examples only where
    there is an input to break; on PostgreSQL the operations that write or filter values."""
    cases = []
    for path, operations in _openapi_spec()["paths"].items():
        for method, operation in operations.items():
            label = f"{method.upper()} {path}"
            modes = [GenerationMode.POSITIVE]
            if _breakable(operation):
                modes.append(GenerationMode.NEGATIVE)
            for mode in modes:
                cases.append(pytest.param("sqlite", label, mode, id=f"sqlite-{label}-{mode}"))
                if label in POSTGRES_OPERATIONS:
                    cases.append(
                        pytest.param("postgres", label, mode, id=f"postgres-{label}-{mode}")
                    )
    return cases


def _aim_at_real_rows(case) -> None:
    """Most examples name the signed-in user and one of their tasks (else all are 403/404)."""
    params = case.path_parameters
    if not params:
        return
    seed = hash(repr(sorted(params.items(), key=str)))
    if "user_id" in params and seed % 5:
        params["user_id"] = str(Acting.user.id)
    if "task_id" in params and seed % 3:
        params["task_id"] = Acting.task_ids[seed % len(Acting.task_ids)]


@schemathesis.check
def body_matches_schema(ctx, response, case) -> bool | None:
    """The documented schema for every status but 422, whose documented shape is wrong
    (test_the_documented_422_body_is_the_one_the_api_sends); a 422 must carry a detail."""
    if response.status_code == 422:
        detail = response.json().get("detail")
        if not isinstance(detail, str) or not detail:
            raise AssertionError(f"422 without a readable detail: {response.text[:300]}")
        return None
    return response_schema_conformance(ctx, response, case)


CHECKS = [
    not_a_server_error,
    body_matches_schema,
    content_type_conformance,
    documented_or_4xx,
]


# schemathesis' own pytest plugin (schema.parametrize) does not run on pytest 9 yet (it sets
# Function._nodeid); the operations are driven through its strategies instead.
@pytest.mark.parametrize(("database_url", "label", "mode"), _cases(), indirect=["database_url"])
def test_every_operation_answers_within_its_contract(openapi, acting, label, mode) -> None:
    (operation,) = [
        result.ok() for result in openapi.get_all_operations() if result.ok().label == label
    ]

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(mode, auth_storage=openapi.auth))
    def examples(case) -> None:
        _aim_at_real_rows(case)
        case.call_and_validate(checks=CHECKS)

    examples()


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        *_, name = schema["$ref"].split("/")
        schema = spec["components"]["schemas"][name]
    return schema


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_documented_422_body_is_the_one_the_api_sends(client) -> None:
    import jsonschema_rs

    from tests.support.auth import insert_user as quick_user

    spec = client.get("/openapi.json").json()
    user = quick_user()
    r = client.post(user.tasks_url, json={"title": ""}, headers=user.headers)
    assert r.status_code == 422
    documented = spec["paths"]["/api/{user_id}/tasks"]["post"]["responses"]["422"]
    schema = _resolve(spec, documented["content"]["application/json"]["schema"])
    validator = jsonschema_rs.validator_for({**schema, "components": spec["components"]})

    assert validator.is_valid(r.json()), list(validator.iter_errors(r.json()))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_health_documents_its_503(client) -> None:
    responses = client.get("/openapi.json").json()["paths"]["/health"]["get"]["responses"]
    assert "503" in responses
