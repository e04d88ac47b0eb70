"""How /mcp's session manager is started: by FastAPI's lifespan standalone, by a Reflex lifespan
task when Reflex mounts the API, exactly once either way."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from fastapi.testclient import TestClient

from chatapp.api import build_api
from chatapp.tools import TOOL_NAMES, TaskMCPEndpoint
from tests.support import ROOT

JSON_RPC = {"Accept": "application/json, text/event-stream", "MCP-Protocol-Version": "2025-06-18"}
LIST_TOOLS = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}


async def test_serving_nested_or_repeated_starts_one_manager_at_a_time():
    endpoint = TaskMCPEndpoint()
    assert not endpoint.running

    async with endpoint.serving():
        assert endpoint.running
        async with endpoint.serving():  # a second host lifespan: no second start
            assert endpoint.running
        assert endpoint.running
    assert not endpoint.running

    async with endpoint.serving():  # a later lifespan gets a fresh session manager
        assert endpoint.running


def test_standalone_api_runs_mcp_in_its_own_lifespan(ann):
    headers = {**JSON_RPC, **ann.headers}

    with TestClient(build_api()) as client:
        response = client.post("/mcp", json=LIST_TOOLS, headers=headers)

    assert response.status_code == 200
    names = [tool["name"] for tool in response.json()["result"]["tools"]]
    assert names == list(TOOL_NAMES)


def test_without_a_host_lifespan_mcp_answers_503_not_a_crash(ann):
    client = TestClient(build_api())  # no `with`: the lifespan never runs

    response = client.post("/mcp", json=LIST_TOOLS, headers={**JSON_RPC, **ann.headers})

    assert response.status_code == 503
    assert "not running" in response.json()["detail"]


def test_reflex_app_starts_the_mcp_endpoint_as_a_lifespan_task():
    # A subprocess: importing the Reflex app registers pages and state process-wide.
    script = textwrap.dedent(
        """
        import asyncio
        from chatapp.chatapp import api, app

        endpoint = api.state.mcp_endpoint
        tasks = [task for task in app.get_lifespan_tasks() if task == endpoint.serving]
        assert len(tasks) == 1, app.get_lifespan_tasks()

        async def main():
            async with tasks[0]():
                assert endpoint.running
            assert not endpoint.running

        asyncio.run(main())
        print("ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )

    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("ok")
