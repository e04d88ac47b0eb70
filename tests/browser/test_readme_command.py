"""The README's own first command, as a newcomer runs it: `bash scripts/run.sh` (dev mode, every
default: no DATABASE_URL, no data folder setting), then a three-message conversation in the
native chat. Every reply must
arrive, both tasks must reach the task panel, and the backend must not restart (in dev, Reflex
restarts it whenever a watched file changes: a database written into the project did exactly
that). The same conversation in `--env prod`. The run must leave `git status` as it found it.

It runs in a copy of the checkout as a fresh clone has it, so the first run is a real first run
(new virtualenv, new web folder, new database) and nothing is shared with other tests."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_chat_native import CHATKIT_CDN, replies, user_messages, wait_idle
from tests.browser.test_tasks_flow import sign_up, task_item
from tests.support import ROOT
from tests.support.servers import free_port, stop_group, wait_for

pytestmark = pytest.mark.browser

CONVERSATION = ("add buy oat milk tomorrow", "add call the plumber friday", "what's pending?")
# Reflex prints this once per compile: at start, and again each time dev mode reloads the backend.
COMPILE_LINE = "Compiling:"
RESTART_SIGNS = ("Killing worker", "Reloading", "reloading")
# What the test run must not hand down: the app must find its defaults by itself.
SCRUBBED = (
    "DATABASE_URL",
    "CHATAPP_DATA_DIR",
    "CHATAPP_AUTO_MIGRATE",
    "JWT_SECRET",
    "CHATAPP_ENV",
    "REFLEX_LOGLEVEL",
    "VIRTUAL_ENV",
)


def git(checkout: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=checkout,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    """A copy of this checkout as a fresh clone would have it (tracked and unignored files, no
    .venv, .web or .tools), committed, so `git status` can tell what a run changed."""
    copy = tmp_path_factory.mktemp("clone") / "chatapp"
    files = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, files.split("\0")):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    git(copy, "init", "-q")
    git(copy, "add", "-A")
    git(copy, "commit", "-qm", "snapshot")
    return copy


def clean_env() -> dict[str, str]:
    """This process's environment minus what would stop the app finding its own defaults."""
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    # Not this checkout's virtualenv or JS tools: the copy installs its own.
    env["PATH"] = os.pathsep.join(
        entry for entry in env["PATH"].split(os.pathsep) if not entry.startswith(str(ROOT))
    )
    env["PYTHONUNBUFFERED"] = "1"  # Reflex's lines reach the log as they happen
    return env


@contextmanager
def serving(checkout: Path, command: list[str], env: dict[str, str], log: Path, port: int):
    """Start `command` in `checkout`, wait until /health and /login answer on `port` (the
    backend, and the frontend when it differs), stop the whole process group afterwards."""
    with log.open("w") as out:
        proc = subprocess.Popen(
            command,
            cwd=checkout,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        wait_for(f"http://127.0.0.1:{port}/health", proc, log, 900)
        yield proc
    finally:
        stop_group(proc, grace=30)


@contextmanager
def readme_app(checkout: Path, log: Path, *, prod: bool) -> Iterator[str]:
    """`bash scripts/run.sh` as the README gives it, on free ports; yields the app's URL."""
    env = clean_env()
    frontend, backend = free_port(), free_port()
    if prod:
        # The README: CHATAPP_ENV=prod JWT_SECRET=<48 random chars> bash scripts/run.sh --env prod
        env.update(CHATAPP_ENV="prod", JWT_SECRET=secrets.token_urlsafe(36))
        backend = frontend
    command = ["bash", "scripts/run.sh", "--frontend-port", str(frontend)]
    command += ["--backend-port", str(backend)] + (["--env", "prod"] if prod else [])
    with serving(checkout, command, env, log, backend) as proc:
        wait_for(f"http://127.0.0.1:{frontend}/login", proc, log, 300)
        yield f"http://localhost:{frontend}"


def hold_the_conversation(page: Page, base: str) -> None:
    page.route(CHATKIT_CDN, lambda route: route.abort())
    sign_up(page, base, f"readme-{uuid.uuid4().hex[:8]}@example.com")
    expect(page.locator("#chat-composer")).to_be_visible(timeout=60_000)
    for turn, message in enumerate(CONVERSATION, start=1):
        page.fill("#chat-composer", message)
        page.press("#chat-composer", "Enter")
        expect(user_messages(page)).to_have_count(turn)
        expect(replies(page)).to_have_count(turn, timeout=30_000)
        wait_idle(page)
    expect(replies(page).nth(0)).to_contain_text("Buy oat milk")
    expect(replies(page).nth(1)).to_contain_text("Call the plumber")
    for title in ("Buy oat milk", "Call the plumber"):
        expect(replies(page).nth(2)).to_contain_text(title)
        expect(task_item(page, title)).to_have_count(1)
    page.reload()
    expect(user_messages(page)).to_have_text(list(CONVERSATION))
    expect(replies(page)).to_have_count(len(CONVERSATION))


@pytest.mark.parametrize("mode", ["dev", "prod"])
def test_readme_run_command_holds_a_conversation_without_restarting(
    mode: str, checkout: Path, page: Page, tmp_path: Path
):
    log = tmp_path / "run.log"
    with readme_app(checkout, log, prod=mode == "prod") as base:
        compiles_at_start = log.read_text().count(COMPILE_LINE)
        hold_the_conversation(page, base)
        page.screenshot(path=str(tmp_path / f"readme-{mode}.png"))
        output = log.read_text()

    assert compiles_at_start >= 1, output
    assert output.count(COMPILE_LINE) == compiles_at_start, f"the backend restarted:\n{output}"
    assert not [sign for sign in RESTART_SIGNS if sign in output], output
    assert "disconnected client" not in output, output
    # The defaults: the SQLite file and the dev secret in the hidden data folder, nothing new or
    # changed that git would see.
    assert (checkout / ".data" / "chatapp.db").is_file()
    assert (checkout / ".data" / "jwt_secret").is_file()
    assert git(checkout, "status", "--porcelain", "--untracked-files=all") == ""
    if mode == "dev":
        assert_only_lines_a_user_needs(output)


def assert_only_lines_a_user_needs(output: str) -> None:
    """A first run (new venv, new web folder): our steps, Reflex's banner, the address."""
    lines = [line for line in output.splitlines() if line.strip()]
    noise = [
        line
        for line in lines
        if re.search(r"(?i)warn|deprecat|uv run|out of date|traceback|error", line)
        and "JWT_SECRET is not set: generated a development secret" not in line
    ]
    assert not noise, output
    assert any(line.startswith("App running at:") for line in lines), output


def installed(checkout: Path) -> dict[str, str]:
    """`pip install -e .` and the JS tools in the copy (what scripts/bootstrap.sh does, a no-op
    when the README test already ran), and the environment a shell would then have."""
    env = clean_env()
    subprocess.run(
        ["bash", "-c", "source scripts/bootstrap.sh"],
        cwd=checkout,
        env=env,
        check=True,
        capture_output=True,
        stdin=subprocess.DEVNULL,
    )
    bins = [checkout / ".venv" / "bin", checkout / ".tools" / "node_modules" / ".bin"]
    env["PATH"] = os.pathsep.join([*map(str, bins), env["PATH"]])
    env.setdefault("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org/")
    env["REFLEX_TELEMETRY_ENABLED"] = "false"
    return env


@pytest.mark.parametrize("mode", ["dev", "prod"])
def test_plain_reflex_run_on_an_unmigrated_database_brings_it_up_to_date(
    mode: str, checkout: Path, tmp_path: Path
):
    """`pip install -e .` then `reflex run`, never `alembic upgrade`: sign-up must just work."""
    env = installed(checkout)
    env["CHATAPP_DATA_DIR"] = str(tmp_path / "empty")
    frontend = backend = free_port()
    command = [str(checkout / ".venv" / "bin" / "reflex"), "run"]
    if mode == "prod":
        env.update(CHATAPP_ENV="prod", JWT_SECRET=secrets.token_urlsafe(36))
        command += ["--env", "prod"]
    else:
        backend = free_port()
    command += ["--frontend-port", str(frontend), "--backend-port", str(backend)]
    log = tmp_path / "reflex.log"
    with serving(checkout, command, env, log, backend):
        api = f"http://127.0.0.1:{backend}"
        assert httpx.get(f"{api}/health").json()["database"] == "ok"
        signup = httpx.post(
            f"{api}/api/auth/signup",
            json={"email": "plain@example.com", "password": "plain reflex run"},
        )
        assert signup.status_code == 201, signup.text
    assert "not up to date" not in log.read_text(), log.read_text()


def test_reflex_run_without_auto_migration_names_the_command(checkout: Path, tmp_path: Path):
    """CHATAPP_AUTO_MIGRATE=0 on an empty database: no start, one line saying what to run."""
    env = installed(checkout)
    env.update(CHATAPP_DATA_DIR=str(tmp_path / "empty"), CHATAPP_AUTO_MIGRATE="0")
    port = free_port()
    done = subprocess.run(
        [str(checkout / ".venv" / "bin" / "reflex"), "run", "--backend-port", str(port)],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "run `alembic upgrade head`" in output, output
    database = tmp_path / "empty" / "chatapp.db"
    if database.exists():  # opened to read its revision, and left as empty as it was
        with sqlite3.connect(database) as conn:
            assert conn.execute("SELECT name FROM sqlite_master").fetchall() == []
