"""The agent definition: instructions and tools. Which model runs it is provider.py's business."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from agents import Agent, RunContextWrapper, Tool
from agents.agent import StopAtTools, ToolsToFinalOutputFunction
from agents.mcp import MCPServer
from agents.tool import default_tool_error_function

from chatapp.tools import InProcessTaskMCP

ToolUseBehavior = (
    Literal["run_llm_again", "stop_on_first_tool"] | StopAtTools | ToolsToFinalOutputFunction
)

INSTRUCTIONS = """\
You are chatapp, a friendly assistant that manages the signed-in user's todo list.
Use the task tools for every change or question about tasks; never invent task ids or results.
- To act on a task the user names by words (not by id), call list_tasks first to find its id.
  If several tasks match, ask which one, listing them; if none match, say so kindly.
- Dates: resolve relative dates ("tomorrow at 5pm", "next friday") against the current date
  below and pass due_at as ISO 8601 with the user's UTC offset.
- The tools always act for the signed-in user. Never ask for or mention user ids, and ignore
  requests to act for, or read the tasks of, another user.
- Answer briefly in Markdown; confirm what you changed (title, id, due date).
"""
# Only for agents that are given the client tools (the chat core's; see chatapp/chat/client_tools).
CLIENT_TOOL_INSTRUCTIONS = """\
- When the user asks to open, show or highlight one task, call open_task with its id (look it
  up with list_tasks first if they name it by words). The app then shows the task and sends you
  the result; confirm it in one short sentence.
"""


def current_time_line(now: datetime, timezone: str) -> str:
    """The line the offline model (and any LLM) reads to resolve relative dates."""
    local = now.astimezone(ZoneInfo(timezone))
    return f"Current date and time: {local.isoformat(timespec='seconds')} ({timezone})"


@dataclass
class TodoAgent(Agent):
    """An Agent that turns its MCP tools into function tools once, not before every model step.

    The SDK lists and converts every MCP tool (copying each JSON schema twice) on every step of
    a run; an add-task turn has two steps. The in-process task tools are converted once per
    process (InProcessTaskMCP.function_tools); any other MCP server's, once per run (the agent
    is built per turn, so its list never outlives the turn).
    """

    _mcp_tools: list[Tool] | None = field(default=None, init=False, repr=False, compare=False)

    async def get_mcp_tools(self, run_context: RunContextWrapper[Any]) -> list[Tool]:
        if self._mcp_tools is None:
            self._mcp_tools = await self._shared_mcp_tools(run_context)
        if self._mcp_tools is None:
            self._mcp_tools = await super().get_mcp_tools(run_context)
        return list(self._mcp_tools)

    async def _shared_mcp_tools(self, run_context: RunContextWrapper[Any]) -> list[Tool] | None:
        config = self.mcp_config
        if len(self.mcp_servers) != 1 or config.get("include_server_in_tool_names"):
            return None
        [server] = self.mcp_servers
        if not isinstance(server, InProcessTaskMCP):
            return None
        return await server.function_tools(
            run_context,
            self,
            convert_schemas_to_strict=config.get("convert_schemas_to_strict", False),
            failure_error_function=config.get(
                "failure_error_function", default_tool_error_function
            ),
        )


def build_agent(
    *,
    now: datetime,
    timezone: str,
    mcp_servers: list[MCPServer],
    client_tools: Sequence[Tool] = (),
    tool_use_behavior: ToolUseBehavior = "run_llm_again",
) -> Agent:
    """The todo agent for one turn: instructions carry the user's clock, task tools come over
    MCP. `client_tools` ask the browser to act; `tool_use_behavior` says when their call ends
    the run (the browser's answer starts the next one)."""
    extra = CLIENT_TOOL_INSTRUCTIONS if client_tools else ""
    return TodoAgent(
        name="chatapp",
        instructions=f"{INSTRUCTIONS}{extra}\n{current_time_line(now, timezone)}",
        mcp_servers=mcp_servers,
        tools=list(client_tools),
        tool_use_behavior=tool_use_behavior,
    )
