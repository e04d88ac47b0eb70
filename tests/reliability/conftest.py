"""Fixtures for the reliability and security suite: a victim and an attacker with real rows on
both databases, and the API served over real HTTP (uvicorn) for the official MCP client."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from reliability_support import World, build_world


@pytest.fixture
def world(client) -> World:
    """Victim A's tasks, thread, items and attachment; attacker B's own thread."""
    return build_world(client)


@pytest.fixture(scope="session")
def api_server() -> Iterator[str]:
    """build_api() served by uvicorn on a free 127.0.0.1 port; yields its base URL.

    Settings and the engine are read per request, so it follows the `db` fixture from one
    backend to the other."""
    import uvicorn

    from chatapp.api import build_api

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(build_api(), log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
