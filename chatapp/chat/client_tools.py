"""Client tools: agent tools whose work happens in the user's browser (ChatKit client tool calls).

`open_task` checks that the task is the signed-in user's, then asks the app to show it by setting
`AgentContext.client_tool_call`; `stop_at_client_tool` ends the run right there. ChatKit's
`stream_agent_response` then stores a pending `ClientToolCallItem` as the thread's last item. The
browser (the ChatKit element's onClientTool, or the native chat) does the work and answers with
`threads.add_client_tool_output`, which completes the item and calls `respond()` again; the
completed item reaches the model as a `function_call` + `function_call_output` pair.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from agents import FunctionToolResult, RunContextWrapper, function_tool
from agents.agent import ToolsToFinalOutputResult
from chatkit.agents import AgentContext, ClientToolCall

from chatapp.chat.store import RequestContext
from chatapp.errors import Conflict, NotFound
from chatapp.tasks import service
from chatapp.tools.contract import failure_json, sdk_failure
from chatapp.tools.names import CLIENT_TOOL_NAMES, OPEN_TASK


@function_tool(name_override=OPEN_TASK, failure_error_function=sdk_failure)
async def open_task(ctx: RunContextWrapper[AgentContext[RequestContext]], task_id: int) -> str:
    """Open one of the user's tasks in the app: its task panel scrolls to the task and
    highlights it. The app answers with the result.

    Args:
        task_id: The id of the task to open.
    """
    agent_ctx = ctx.context
    try:
        task = await asyncio.to_thread(service.get_task, agent_ctx.request_context.user_id, task_id)
    except NotFound as exc:
        return failure_json(exc.code, exc.message)  # no call reaches the browser
    if agent_ctx.client_tool_call is not None:
        # ChatKit carries one client call per run.
        busy = f"Task {task.id} was not opened: the app is already opening another task."
        return failure_json(Conflict.code, busy)
    agent_ctx.client_tool_call = ClientToolCall(name=OPEN_TASK, arguments={"task_id": task.id})
    return json.dumps({"task_id": task.id, "title": task.title, "status": "sent_to_app"})


CLIENT_TOOLS = (open_task,)


def stop_at_client_tool(
    ctx: RunContextWrapper[AgentContext[RequestContext]], results: list[FunctionToolResult]
) -> ToolsToFinalOutputResult:
    """End the run once a tool has asked the browser to act (the browser's answer starts the
    next run); a refused client tool ("Task 9 not found") goes back to the model as usual."""
    if ctx.context.client_tool_call is None:
        return ToolsToFinalOutputResult(is_final_output=False)
    output = next((r.output for r in results if r.tool.name in CLIENT_TOOL_NAMES), None)
    return ToolsToFinalOutputResult(is_final_output=True, final_output=output)


def pending_call_text(name: str, arguments: dict[str, Any]) -> str:
    """What a turn that ended waiting for the browser says (the JSON API cannot run it)."""
    if name == OPEN_TASK:
        return f"I asked the app to open task {arguments.get('task_id', '?')}."
    return f"I asked the app to run {name}."
