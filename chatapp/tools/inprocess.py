"""The task tools for the app's own agent: the same MCPServer, called in-process for one user.

    agent = Agent(..., mcp_servers=[InProcessTaskMCP(user_id, timezone="Europe/Paris")])

No transport and no session: `list_tools` and `call_tool` go straight to the `TaskToolServer`
instance that `/mcp` serves, with `user_id` bound (a context variable) for each call.
"""

from __future__ import annotations

import asyncio
from typing import Any

from agents.mcp import MCPServer as AgentsMCPServer
from mcp_types import (
    CallToolResult,
    GetPromptResult,
    InputRequiredResult,
    ListPromptsResult,
)
from mcp_types import Tool as MCPTool

from chatapp.tools.contract import UNSUPPORTED, sdk_failure
from chatapp.tools.identity import acting_as
from chatapp.tools.server import SERVER_NAME, TaskToolServer, task_server, tool_error

NEEDS_INPUT = "This tool asked for more input, which the in-process adapter cannot give."


_SHARED_TOOLS: dict[int, list[MCPTool]] = {}


class InProcessTaskMCP(AgentsMCPServer):
    """An Agents SDK MCP server bound to one signed-in user (and their IANA zone, if known).

    Build one per agent run (or per user); the user comes from the caller's own authenticated
    context (the chat core's run context), never from the model. `timezone` is the zone a new
    task's repeat rule is expanded in when the model names none. Extra keyword options
    (`require_approval`, `failure_error_function`, ...) go to the Agents SDK base class.
    """

    def __init__(
        self,
        user_id: int,
        *,
        timezone: str | None = None,
        name: str = SERVER_NAME,
        cache_tools_list: bool = True,
        server: TaskToolServer = task_server,
        **options: Any,
    ) -> None:
        if isinstance(user_id, bool) or not isinstance(user_id, int) or user_id < 1:
            raise ValueError(f"user_id must be a positive int, not {user_id!r}")
        # A call the SDK itself cannot make fails as data too, never as the SDK's prose.
        options.setdefault("failure_error_function", sdk_failure)
        super().__init__(**options)
        self.user_id = user_id
        self.timezone = timezone
        self.cache_tools_list = cache_tools_list
        self._name = name
        self._server = server
        self._tools: list[MCPTool] | None = None
        self._in_order = asyncio.Lock()

    @property
    def name(self) -> str:
        return self._name

    async def connect(self) -> None:
        """Nothing to connect: the server lives in this process."""

    async def cleanup(self) -> None:
        """Nothing to close."""

    async def __aenter__(self) -> InProcessTaskMCP:
        await self.connect()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.cleanup()

    async def list_tools(self, run_context: Any = None, agent: Any = None) -> list[MCPTool]:
        """The server's tools (fetched once when `cache_tools_list`). Each is a copy, so a caller
        renaming one cannot rename the cached one; the schemas inside are shared (the Agents SDK
        copies a schema before changing it, and a deep copy per step is not free)."""
        tools = self._tools
        if tools is None or not self.cache_tools_list:
            # The tool list is the same for every user: one adapter per turn reuses the server's.
            tools = _SHARED_TOOLS.get(id(self._server)) if self.cache_tools_list else None
            if tools is None:
                tools = await self._server.list_tools()
            if self.cache_tools_list:
                self._tools = _SHARED_TOOLS[id(self._server)] = tools
        return [tool.model_copy() for tool in tools]

    @property
    def cached_tools(self) -> list[MCPTool] | None:
        if self._tools is None:
            return None
        return [tool.model_copy(deep=True) for tool in self._tools]

    def invalidate_tools_cache(self) -> None:
        self._tools = None
        _SHARED_TOOLS.pop(id(self._server), None)

    async def call_tool(
        self,
        tool_name: str,
        arguments: dict[str, Any] | None,
        meta: dict[str, Any] | None = None,
    ) -> CallToolResult:
        """Call `tool_name` as this adapter's user; failures come back as `isError` results."""
        # The SDK runs a response's tool calls concurrently; the FIFO lock keeps their effects
        # in the order the model asked ("add milk, eggs and bread" → ids in that order).
        async with self._in_order:
            with acting_as(self.user_id, self.timezone):
                result = await self._server.call_tool(tool_name, dict(arguments or {}))
        if isinstance(result, InputRequiredResult):
            return tool_error(UNSUPPORTED, NEEDS_INPUT)
        return result

    async def list_prompts(self) -> ListPromptsResult:
        return ListPromptsResult(prompts=await self._server.list_prompts())

    async def get_prompt(
        self, name: str, arguments: dict[str, Any] | None = None
    ) -> GetPromptResult:
        result = await self._server.get_prompt(name, arguments)
        if isinstance(result, InputRequiredResult):
            raise ValueError(NEEDS_INPUT)
        return result
