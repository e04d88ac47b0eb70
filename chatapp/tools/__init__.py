"""The MCP task tools: one MCPServer, served at /mcp over HTTP and in-process to the agent.

- `task_server`: the `mcp` SDK MCPServer with add_task, list_tasks, complete_task, delete_task,
  update_task (thin wrappers over chatapp.tasks.service).
- `InProcessTaskMCP(user_id)`: an Agents SDK MCP server calling `task_server` in-process for one
  user, for `Agent(mcp_servers=[...])`.
- `TaskMCPEndpoint`: the bearer-authenticated streamable-HTTP ASGI app mounted at `/mcp`.
"""

from chatapp.tools.http import MCP_PATH, TaskMCPEndpoint
from chatapp.tools.identity import acting_as
from chatapp.tools.inprocess import InProcessTaskMCP
from chatapp.tools.names import TOOL_NAMES
from chatapp.tools.server import SERVER_NAME, TaskToolServer, task_server

__all__ = [
    "MCP_PATH",
    "SERVER_NAME",
    "TOOL_NAMES",
    "InProcessTaskMCP",
    "TaskMCPEndpoint",
    "TaskToolServer",
    "acting_as",
    "task_server",
]
