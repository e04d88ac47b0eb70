"""A real production server (`reflex run --env prod`) on a fresh SQLite database, driven by
Debian's Chromium through Playwright."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import ROOT
from tests.support.database import migrate
from tests.support.servers import exclusive_web_dir, free_port, stop_group, wait_for

CHROMIUM = os.environ.get("CHATAPP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_TIMEOUT = 600
ARTIFACTS = ROOT / "test-results"


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[str]:
    with exclusive_web_dir():
        yield from _run_live_server(tmp_path_factory)


def _run_live_server(tmp_path_factory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("live")
    db_url = f"sqlite:///{tmp / 'browser.db'}"
    migrate(db_url)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "CHATAPP_ENV": "prod",
        "JWT_SECRET": os.environ["JWT_SECRET"],
        "PATH": f"{ROOT / '.tools/node_modules/.bin'}:{os.environ['PATH']}",
        "REFLEX_TELEMETRY_ENABLED": "false",
    }
    env.setdefault("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org/")
    log = tmp / "server.log"
    reflex = shutil.which("reflex", path=str(Path(os.sys.executable).parent)) or "reflex"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                reflex,
                "run",
                "--env",
                "prod",
                "--frontend-port",
                str(port),
                "--backend-port",
                str(port),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/health", proc, log, SERVER_START_TIMEOUT)
        wait_for(f"{base}/login", proc, log, 120)
        yield base
    finally:
        stop_group(proc)


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, request):
    context = chromium.new_context(viewport={"width": 1280, "height": 860})
    context.set_default_timeout(20_000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert not errors, f"uncaught page errors: {errors}"


@pytest.fixture
def artifacts(request) -> Path:
    path = ARTIFACTS / request.node.name.replace("/", "_")
    path.mkdir(parents=True, exist_ok=True)
    return path
