"""The task tools for the app's own agent: the same MCPServer, called in-process for one user.

    agent = Agent(..., mcp_servers=[InProcessTaskMCP(user_id, timezone="Europe/Paris")])

No transport and no session: `list_tools` and `call_tool` go straight to the `TaskToolServer`
instance that `/mcp` serves, with `user_id` bound (a context variable) for each call.

The Agents SDK turns an agent's MCP tools into function tools for every run. `function_tools`
does that once per process instead: the converted tools hold no user, and each call goes to the
adapter of the agent that makes it (the SDK hands every tool call its agent), so it acts for
the user that adapter was built for, as an unshared conversion would.
"""

from __future__ import annotations

import asyncio
from typing import Any

from agents import AgentBase, RunContextWrapper, Tool
from agents.mcp import MCPServer as AgentsMCPServer
from agents.mcp import MCPUtil
from agents.mcp.util import ToolOutput
from agents.tool import ToolErrorFunction
from mcp_types import (
    CallToolResult,
    GetPromptResult,
    InputRequiredResult,
    ListPromptsResult,
)
from mcp_types import Tool as MCPTool

from chatapp.errors import Unauthorized
from chatapp.tools.contract import UNSUPPORTED, sdk_failure
from chatapp.tools.identity import NOT_SIGNED_IN, acting_as
from chatapp.tools.server import SERVER_NAME, TaskToolServer, task_server, tool_error

NEEDS_INPUT = "This tool asked for more input, which the in-process adapter cannot give."


_SHARED_TOOLS: dict[int, list[MCPTool]] = {}
# Function tools converted once: (adapter class, id of its server, name, SDK options) -> tools.
_CONVERTED: dict[tuple[Any, ...], list[Tool]] = {}


class _TaskTools(AgentsMCPServer):
    """The task server's tools as an Agents SDK MCP server acting for `user_id`; for None, for
    nobody (every call is refused as not signed in)."""

    def __init__(
        self,
        user_id: int | None,
        timezone: str | None,
        name: str,
        cache_tools_list: bool,
        server: TaskToolServer,
        options: dict[str, Any],
    ) -> None:
        # Converted tools can be shared only if nothing but the user sets this adapter apart.
        self._plain = not options
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
        for key in [key for key in _CONVERTED if key[1] == id(self._server)]:
            del _CONVERTED[key]

    async def call_tool(
        self,
        tool_name: str,
        arguments: dict[str, Any] | None,
        meta: dict[str, Any] | None = None,
    ) -> CallToolResult:
        """Call `tool_name` as this adapter's user; failures come back as `isError` results."""
        if self.user_id is None:
            return tool_error(Unauthorized.code, NOT_SIGNED_IN)
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


class InProcessTaskMCP(_TaskTools):
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
        super().__init__(user_id, timezone, name, cache_tools_list, server, options)

    async def __aenter__(self) -> InProcessTaskMCP:
        await self.connect()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.cleanup()

    async def function_tools(
        self,
        run_context: RunContextWrapper[Any],
        agent: AgentBase,
        *,
        convert_schemas_to_strict: bool,
        failure_error_function: ToolErrorFunction | None,
    ) -> list[Tool] | None:
        """This adapter's tools as the SDK's function tools, converted once per process for
        every adapter like this one (None for an adapter built with options of its own, that
        lists its tools afresh each time or in a way of its own: the SDK converts those per
        run)."""
        own_listing = type(self).list_tools is not _TaskTools.list_tools
        if not self._plain or not self.cache_tools_list or own_listing:
            return None
        key = (type(self), id(self._server), self._name, convert_schemas_to_strict)
        key += (failure_error_function,)
        tools = _CONVERTED.get(key)
        if tools is None:
            nobody = _TaskTools(None, None, self._name, True, self._server, {})
            tools = await _CallsTheRunsAdapter.get_function_tools(
                nobody,
                convert_schemas_to_strict,
                run_context,
                agent,
                failure_error_function=failure_error_function,
            )
            _CONVERTED[key] = tools
        return list(tools)


class _CallsTheRunsAdapter(MCPUtil):
    """The SDK's conversion, except that a call goes to the InProcessTaskMCP of the agent making
    it (the tool context carries that agent), not to the user-less server it was converted
    from; an agent without one calls that server, which refuses: nobody is signed in."""

    @classmethod
    async def invoke_mcp_tool(
        cls,
        server: AgentsMCPServer,
        tool: MCPTool,
        context: RunContextWrapper[Any],
        input_json: str,
        *,
        meta: dict[str, Any] | None = None,
        tool_display_name: str | None = None,
    ) -> ToolOutput:
        adapter = _runs_adapter(context, server)
        return await super().invoke_mcp_tool(
            adapter, tool, context, input_json, meta=meta, tool_display_name=tool_display_name
        )


def _runs_adapter(context: RunContextWrapper[Any], converted_from: AgentsMCPServer) -> Any:
    agent = getattr(context, "agent", None)
    for server in getattr(agent, "mcp_servers", None) or ():
        if (
            isinstance(server, InProcessTaskMCP)
            and isinstance(converted_from, _TaskTools)
            and server._server is converted_from._server
            and server.name == converted_from.name
        ):
            return server
    return converted_from
