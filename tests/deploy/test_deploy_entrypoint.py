"""The image's entrypoint (docker/entrypoint.sh), run directly on this machine against the local
PostgreSQL and Redis: it migrates a fresh database, then `reflex run --env prod` serves the UI, the
API and /health on one port with JSON logs, and it stops on one SIGTERM (what `docker stop` sends)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.support import ROOT
from tests.support.database import create_pg_database, drop_pg_database
from tests.support.deploy import (
    access_lines,
    access_lines_for,
    json_lines,
    private_redis_db,
    server_env,
)
from tests.support.servers import exclusive_web_dir, free_port, stop_group, wait_for

pytestmark = pytest.mark.postgres

ENTRYPOINT = ROOT / "docker" / "entrypoint.sh"
HEALTHCHECK = ROOT / "docker" / "healthcheck.py"
START_TIMEOUT = 600
MARKER = "starting reflex run --env prod"


def _alembic_head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(Config(str(ROOT / "alembic.ini"))).get_current_head()


def _version_in(db_url: str) -> str | None:
    import psycopg

    plain = db_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain) as conn:
        exists = conn.execute("SELECT to_regclass('alembic_version')").fetchone()[0]
        if exists is None:
            return None
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]


@pytest.fixture(scope="module")
def fresh_postgres() -> Iterator[str]:
    name, url = create_pg_database()
    try:
        # Plain postgres:// as compose files and hosting platforms write it.
        yield url.replace("postgresql+psycopg://", "postgres://")
    finally:
        drop_pg_database(name)


@pytest.fixture(scope="module")
def deployed(tmp_path_factory, fresh_postgres) -> Iterator[dict]:
    """The entrypoint running on a free port; holds the .web lock (it compiles the frontend)."""
    assert _version_in(fresh_postgres) is None, "the database must start empty"
    tmp = tmp_path_factory.mktemp("entrypoint")
    log = tmp / "server.log"
    port = free_port()
    with exclusive_web_dir(), private_redis_db() as redis_url:
        env = server_env(
            DATABASE_URL=fresh_postgres,
            REFLEX_REDIS_URL=redis_url,
            PORT=str(port),
            HOST="127.0.0.1",
            GRANIAN_WORKERS="2",
        )
        env.pop("CHATAPP_ENV")  # the entrypoint defaults to prod, as in the image
        with log.open("w") as out:
            proc = subprocess.Popen(
                [str(ENTRYPOINT)],
                cwd="/",  # the script finds the app directory itself
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        base = f"http://127.0.0.1:{port}"
        started = time.monotonic()
        try:
            wait_for(f"{base}/health", proc, log, START_TIMEOUT)
            yield {
                "base": base,
                "port": port,
                "proc": proc,
                "log": log,
                "db_url": fresh_postgres,
                "start_seconds": time.monotonic() - started,
            }
        finally:
            stop_group(proc, grace=30)


def test_the_entrypoint_refuses_a_weak_jwt_secret_before_touching_the_database():
    # First in the module: it takes the .web lock, which `deployed` holds until the module ends.
    name, url = create_pg_database()
    try:
        env = server_env(DATABASE_URL=url, JWT_SECRET="short", PORT=str(free_port()))
        with exclusive_web_dir():  # were it to start anyway, it would compile into .web
            result = subprocess.run(
                [str(ENTRYPOINT)], env=env, capture_output=True, text=True, timeout=300
            )
        assert result.returncode != 0
        assert "JWT_SECRET is too short" in result.stdout + result.stderr
        assert _version_in(url) is None
    finally:
        drop_pg_database(name)


def test_the_entrypoint_migrates_a_fresh_database_before_serving(deployed):
    assert _version_in(deployed["db_url"]) == _alembic_head()
    text = deployed["log"].read_text()
    assert text.index("alembic upgrade head") < text.index(MARKER)


def test_one_port_serves_health_ui_and_api_in_production(deployed):
    with httpx.Client(base_url=deployed["base"], timeout=30, follow_redirects=True) as http:
        health = http.get("/health")
        assert health.status_code == 200
        assert health.json() == {
            "status": "ok",
            "database": "ok",
            "redis": "ok",
            "state_manager": "redis",
        }
        page = http.get("/")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert "<html" in page.text.lower()
        signup = http.post(
            "/api/auth/signup", json={"email": "deploy@example.com", "password": "deployed-pw-1"}
        )
        assert signup.status_code == 201, signup.text
        # Generated request ids are echoed back.
        assert len(signup.headers["X-Request-ID"]) == 32


def test_production_sends_no_cors_grant_to_other_origins(deployed):
    r = httpx.options(
        f"{deployed['base']}/api/auth/login",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in r.headers


def test_production_refuses_websockets_from_other_origins(deployed):
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    url = f"ws://127.0.0.1:{deployed['port']}/_event/?EIO=4&transport=websocket"
    with pytest.raises(InvalidStatus) as refused:
        connect(url, origin="https://evil.example", open_timeout=10).close()
    assert refused.value.response.status_code == 403

    with connect(url, origin=f"http://127.0.0.1:{deployed['port']}", open_timeout=10) as ws:
        assert ws.recv(timeout=10).startswith("0{")  # Engine.IO "open": Reflex's socket is up


def test_the_image_healthcheck_script_passes_against_the_server(deployed):
    env = {**os.environ, "PORT": str(deployed["port"])}
    result = subprocess.run(
        [sys.executable, str(HEALTHCHECK)], env=env, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr


def test_everything_the_server_prints_is_a_json_line_and_requests_carry_ids(deployed):
    httpx.get(f"{deployed['base']}/health", headers={"X-Request-ID": "entrypoint-check-1"})
    time.sleep(0.5)
    lines = deployed["log"].read_text().splitlines()
    after = lines[next(i for i, line in enumerate(lines) if MARKER in line) :]
    not_json = []
    for line in after:
        try:
            record = json.loads(line)
        except ValueError:
            not_json.append(line)
            continue
        if not {"level", "message"} <= record.keys():
            not_json.append(line)
    assert not_json == []
    mine = access_lines_for(deployed["log"], "entrypoint-check-1")
    assert [(r["method"], r["path"], r["status"]) for r in mine] == [("GET", "/health", 200)]
    assert all("request_id" in r for r in access_lines(deployed["log"]))
    assert json_lines(deployed["log"])


def test_one_sigterm_to_the_entrypoint_stops_the_whole_server(deployed):
    """Last in this module: `docker stop` signals PID 1 only; every worker must go with it."""
    proc = deployed["proc"]
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) is not None
    time.sleep(1)
    with pytest.raises(ProcessLookupError):
        os.killpg(proc.pid, 0)  # nothing left in the server's process group
    result = subprocess.run(
        [sys.executable, str(HEALTHCHECK)],
        env={**os.environ, "PORT": str(deployed["port"])},
        capture_output=True,
        timeout=30,
    )
    assert result.returncode == 1
