"""compose.yaml, the Dockerfile and .dockerignore, checked as files (no Docker engine runs here):
the services, their wiring, secrets from the environment, healthchecks, volumes, the image stages."""

from __future__ import annotations

import os
import re
import stat

import pytest
import yaml

from tests.support import ROOT

COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
DOCKERIGNORE = (ROOT / ".dockerignore").read_text().split()
REQUIRED = re.compile(r"^\$\{(?P<name>[A-Z_]+):\?[^}]+\}$")


def _stages() -> list[tuple[str, list[str]]]:
    """(FROM line, instructions) per stage, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    stages: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            stages.append((line, []))
        elif stages:
            stages[-1][1].append(line)
    return stages


def _stage(name: str) -> list[str]:
    return next(body for line, body in _stages() if line.lower().endswith(f" as {name}"))


def _arg_defaults() -> dict[str, str]:
    return dict(re.findall(r"^ARG (\w+)=(\S+)$", DOCKERFILE, flags=re.M))


def test_compose_runs_the_app_with_postgres_and_redis():
    assert set(SERVICES) == {"app", "db", "redis"}
    assert SERVICES["app"]["build"] == "."
    assert SERVICES["db"]["image"].startswith("postgres:")
    assert SERVICES["redis"]["image"].startswith("redis:")
    for service in ("db", "redis"):
        assert SERVICES["app"]["depends_on"][service] == {"condition": "service_healthy"}


def test_compose_points_the_app_at_its_database_and_redis_in_production():
    env = SERVICES["app"]["environment"]
    assert env["CHATAPP_ENV"] == "prod"
    db = SERVICES["db"]["environment"]
    assert re.fullmatch(
        rf"postgresql\+psycopg://{db['POSTGRES_USER']}:\$\{{POSTGRES_PASSWORD:\?[^}}]+\}}"
        rf"@db:5432/{db['POSTGRES_DB']}",
        env["DATABASE_URL"],
    )
    assert env["REFLEX_REDIS_URL"].startswith("redis://redis:6379/")
    assert env["LOG_FORMAT"] == "json"


def test_compose_takes_every_secret_from_the_environment_and_refuses_to_start_without():
    app_env = SERVICES["app"]["environment"]
    assert REQUIRED.match(app_env["JWT_SECRET"]).group("name") == "JWT_SECRET"
    assert REQUIRED.match(SERVICES["db"]["environment"]["POSTGRES_PASSWORD"])
    # Optional credentials are passed through when set, never given a value here.
    assert app_env["OPENAI_API_KEY"] is None
    secretish = re.compile(r"(?i)secret|password|api_key|token")
    for name, service in SERVICES.items():
        for key, value in (service.get("environment") or {}).items():
            if secretish.search(key) and value is not None:
                assert value.startswith("${") and ":?" in value, f"{name}.{key} has a literal value"


def test_every_service_has_a_healthcheck():
    app = SERVICES["app"]["healthcheck"]
    assert app["test"] == ["CMD", "python", "/app/docker/healthcheck.py"]
    assert app["start_period"]  # the first start bundles the frontend
    assert "pg_isready" in " ".join(SERVICES["db"]["healthcheck"]["test"])
    assert SERVICES["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]


def test_data_lives_in_named_volumes():
    volumes = set(COMPOSE["volumes"])
    assert SERVICES["db"]["volumes"] == ["pgdata:/var/lib/postgresql/data"]
    assert SERVICES["redis"]["volumes"] == ["redisdata:/data"]
    assert {"pgdata", "redisdata"} <= volumes


def test_only_the_app_port_is_published():
    # One value inside and out: the compiled frontend dials the port it was built for.
    assert SERVICES["app"]["ports"] == ["${CHATAPP_PORT:-8000}:${CHATAPP_PORT:-8000}"]
    assert SERVICES["app"]["environment"]["PORT"] == "${CHATAPP_PORT:-8000}"
    assert "ports" not in SERVICES["db"] and "ports" not in SERVICES["redis"]
    assert SERVICES["app"]["init"] is True  # a real PID 1 forwards `docker stop`'s SIGTERM


def test_the_image_is_multi_stage_with_pinned_bases():
    stages = _stages()
    names = [re.search(r"\bAS (\w+)", line, flags=re.I).group(1) for line, _ in stages]
    assert names == ["node", "build", "runtime"]
    args = _arg_defaults()
    for line, _ in stages:
        image = line.split()[1]
        image = args.get(image.strip("${}"), image)
        name, _, tag = image.partition(":")
        assert tag and tag != "latest", f"{line} is not pinned to a tag"
        assert name in {"python", "node"}
    assert args["PYTHON_IMAGE"].startswith("python:3.11-slim")
    assert args["NODE_IMAGE"].startswith("node:22")


def test_the_build_stage_installs_bun_from_npm_and_builds_the_frontend_without_init():
    build = " ".join(_stage("build"))
    assert re.search(r"npm install .*\"bun@\$\{BUN_VERSION\}\"", build)
    assert "reflex export --frontend-only" in build
    instructions = " ".join(line for _, body in _stages() for line in body)
    assert "reflex init" not in instructions
    assert "bun.sh" not in instructions and "curl" not in instructions
    bootstrap = (ROOT / "scripts" / "bootstrap.sh").read_text()
    assert f'BUN_VERSION="{_arg_defaults()["BUN_VERSION"]}"' in bootstrap


def test_the_runtime_stage_runs_as_a_non_root_user_with_a_healthcheck_and_the_entrypoint():
    runtime = _stage("runtime")
    users = [line.split()[1] for line in runtime if line.startswith("USER ")]
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    assert any(line.startswith("HEALTHCHECK ") and "healthcheck.py" in line for line in runtime)
    assert 'ENTRYPOINT ["/app/docker/entrypoint.sh"]' in runtime
    assert "ENV" in " ".join(runtime) and "CHATAPP_ENV=prod" in " ".join(runtime)
    assert not any(line.startswith(("RUN pip", "RUN npm")) for line in runtime)


def test_the_entrypoint_migrates_then_execs_reflex_in_production():
    script = (ROOT / "docker" / "entrypoint.sh").read_text()
    assert os.stat(ROOT / "docker" / "entrypoint.sh").st_mode & stat.S_IXUSR
    assert script.startswith("#!/bin/sh\n")
    assert "set -eu" in script
    migrate = script.index("alembic upgrade head\n")
    run = script.index('exec reflex run --env prod --backend-port "$PORT"')
    assert migrate < run


@pytest.mark.parametrize(
    "ignored", [".git", ".venv", ".web", ".data", ".secrets", ".env", "*.db", "tests", ".tools"]
)
def test_the_build_context_leaves_out_local_state_and_secrets(ignored):
    assert ignored in DOCKERIGNORE


def test_the_build_context_keeps_what_the_image_needs():
    for needed in ("chatapp", "alembic", "alembic.ini", "assets", "reflex.lock", "docker"):
        assert needed not in DOCKERIGNORE
        assert (ROOT / needed).exists()
