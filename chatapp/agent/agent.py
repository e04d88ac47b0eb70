"""The agent definition: instructions and tools. Which model runs it is provider.py's business."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from agents import Agent
from agents.mcp import MCPServer

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


def current_time_line(now: datetime, timezone: str) -> str:
    """The line the offline model (and any LLM) reads to resolve relative dates."""
    local = now.astimezone(ZoneInfo(timezone))
    return f"Current date and time: {local.isoformat(timespec='seconds')} ({timezone})"


def build_agent(*, now: datetime, timezone: str, mcp_servers: list[MCPServer]) -> Agent:
    """The todo agent for one turn: instructions carry the user's clock, tools come over MCP."""
    return Agent(
        name="chatapp",
        instructions=f"{INSTRUCTIONS}\n{current_time_line(now, timezone)}",
        mcp_servers=mcp_servers,
    )
