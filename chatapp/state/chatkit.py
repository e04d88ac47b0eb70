"""ChatKitState: what the ChatKit element reports (ready, thread, responding, errors) and the
browser-side actions the agent may ask for (client tools and client effects)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from chatapp.chat.server import REFRESH_TASKS_EFFECT as REFRESH_TASKS
from chatapp.state.auth import EXPIRED_LOGIN_ROUTE, AuthState
from chatapp.state.tasks import TaskState
from chatapp.tools.contract import failure_of
from chatapp.tools.names import OPEN_TASK

CLIENT_TOOLS = (REFRESH_TASKS, OPEN_TASK)
MAX_KEPT_RESULTS = 20


def task_id_param(params: dict[str, Any]) -> int | None:
    """The task id a client tool call names, when it is an integer (or integer text)."""
    value = params.get("task_id", params.get("id"))
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return None


async def client_tool_result(
    state: rx.State, user_id: int, name: str, params: dict[str, Any]
) -> tuple[dict[str, Any], list]:
    """Run one client tool for the signed-in user from any state of the page (ChatKit's
    onClientTool, the native chat) → (result for the agent, events for the browser)."""
    if name == REFRESH_TASKS:
        return {"refreshed": True}, [TaskState.refresh]
    if name == OPEN_TASK:
        task_id = task_id_param(params)
        if task_id is None:
            return {"error": "open_task needs an integer task_id."}, []
        tasks = await state.get_state(TaskState)
        return await tasks.open_task(user_id, task_id)
    known = ", ".join(CLIENT_TOOLS)
    return {"error": f"Unknown client tool '{name}'. Known: {known}."}, []


class ChatKitState(AuthState):
    """One ChatKit element per page: its status, and the results of client tool calls."""

    ready: bool = False
    unavailable_reason: str = ""
    thread_id: str = ""
    responding: bool = False
    loading_thread: bool = False
    last_error: str = ""
    last_log: str = ""
    last_effect: str = ""
    last_client_tool: str = ""
    highlighted_task_id: int = 0
    client_tool_results: dict[str, dict[str, Any]] = {}

    @rx.var
    def available(self) -> bool:
        return not self.unavailable_reason

    @rx.event
    def mark_ready(self):
        self.ready = True
        self.unavailable_reason = ""

    @rx.event
    def mark_unavailable(self, reason: str):
        self.ready = False
        self.unavailable_reason = str(reason or "ChatKit is unavailable.")

    @rx.event
    def mark_failed(self, cause: str, message: str):
        """The element cannot work on this page (e.g. its domain key was rejected): say why."""
        self.ready = False
        self.last_error = str(message or "")
        detail = str(message or "").strip().rstrip(".")
        self.unavailable_reason = f"ChatKit could not start here ({cause}): {detail}."

    @rx.event
    def record_error(self, message: str):
        self.last_error = str(message or "Unknown ChatKit error.")
        self.responding = False

    @rx.event
    def response_started(self):
        self.responding = True
        self.last_error = ""

    @rx.event
    def response_ended(self):
        self.responding = False

    @rx.event
    def thread_changed(self, thread_id: str | None):
        self.thread_id = thread_id or ""

    @rx.event
    def thread_load_started(self, thread_id: str | None):
        self.loading_thread = True

    @rx.event
    def thread_load_ended(self, thread_id: str | None):
        self.loading_thread = False

    @rx.event
    def record_log(self, name: str, data: dict):
        self.last_log = str(name)

    @rx.event
    def session_expired(self):
        """A ChatKit request got 401: the session is over; sign in again."""
        self.token = ""
        return rx.redirect(EXPIRED_LOGIN_ROUTE)

    async def _act(self, name: str, params: dict[str, Any]) -> tuple[dict[str, Any], list]:
        """Run one browser-side action for the signed-in user → (result for the agent, events)."""
        user_id = await self.current_user_id()
        if user_id is None:
            return {"error": "Not signed in."}, [ChatKitState.session_expired]
        result, events = await client_tool_result(self, user_id, name, params)
        if result.get("opened"):
            self.highlighted_task_id = result["task_id"]
        return result, events

    @rx.event
    async def run_client_tool(self, call: dict):
        """onClientTool: act, then publish the result under the call's id for the element."""
        name = str(call.get("name", ""))
        params = raw if isinstance(raw := call.get("params"), dict) else {}
        result, events = await self._act(name, params)
        kept = list(self.client_tool_results.items())[-(MAX_KEPT_RESULTS - 1) :]
        self.client_tool_results = {**dict(kept), str(call.get("call_id", "")): result}
        failed = failure_of(result) is not None
        self.last_client_tool = f"{name}: {'error' if failed else 'ok'}"
        return events

    @rx.event
    async def apply_effect(self, name: str, data: dict):
        """chatkit.effect (fire-and-forget): the same actions, without a result."""
        self.last_effect = str(name)
        if name in CLIENT_TOOLS:
            _, events = await self._act(name, data if isinstance(data, dict) else {})
            return events
        return None
