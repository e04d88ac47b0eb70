"""The names of the tools the agent is given, written once: the MCP server registers its tools
under these, the chat core runs `OPEN_TASK` in the browser, and the chat labels every call."""

from __future__ import annotations

ADD_TASK = "add_task"
LIST_TASKS = "list_tasks"
COMPLETE_TASK = "complete_task"
DELETE_TASK = "delete_task"
UPDATE_TASK = "update_task"
LIST_COMPLETIONS = "list_completions"
OPEN_TASK = "open_task"
ATTACH_FILES = "attach_files"

# The MCP task tools, in the order the server lists them.
TOOL_NAMES = (
    ADD_TASK,
    LIST_TASKS,
    COMPLETE_TASK,
    DELETE_TASK,
    UPDATE_TASK,
    LIST_COMPLETIONS,
    ATTACH_FILES,
)
# Tools whose work happens in the user's browser (chatapp/chat/client_tools.py).
CLIENT_TOOL_NAMES = frozenset({OPEN_TASK})
