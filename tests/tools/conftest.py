"""Fixtures for the MCP task tool tests: two real users on a real database (both backends), and
the API served over real HTTP by uvicorn for the official MCP client."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from tool_support import ToolUser, insert_user


@pytest.fixture
def ann(db) -> ToolUser:
    return insert_user("ann@example.com")


@pytest.fixture
def ben(db) -> ToolUser:
    return insert_user("ben@example.com")


@pytest.fixture(scope="session")
def live_api() -> Iterator[str]:
    """build_api() served by uvicorn on a free 127.0.0.1 port; yields the /mcp URL.

    The server reads settings and the engine per request, so it follows the `db` fixture
    from one backend to the other.
    """
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
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
