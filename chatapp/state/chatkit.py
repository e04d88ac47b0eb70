"""ChatKitState: what the ChatKit element reports (ready, thread, responding, errors) and the
browser-side actions the agent may ask for (client tools and client effects)."""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from chatapp.errors import AppError
from chatapp.state.auth import AuthState
from chatapp.state.tasks import TaskState
from chatapp.tasks import service

REFRESH_TASKS = "refresh_tasks"
OPEN_TASK = "open_task"
CLIENT_TOOLS = (REFRESH_TASKS, OPEN_TASK)
MAX_KEPT_RESULTS = 20
HIGHLIGHT_CLASS = "chatkit-highlight"


def _highlight_script(task_id: int) -> str:
    # task_id is an int: nothing user-typed reaches the script text.
    return (
        f"(() => {{ const el = document.querySelector('.task-item[data-task-id=\"{task_id}\"]');"
        f" if (!el) return; el.scrollIntoView({{block: 'center', behavior: 'smooth'}});"
        f" el.classList.add('{HIGHLIGHT_CLASS}');"
        f" setTimeout(() => el.classList.remove('{HIGHLIGHT_CLASS}'), 2500); }})()"
    )


def _task_id(params: dict[str, Any]) -> int | None:
    value = params.get("task_id", params.get("id"))
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return None


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
        return rx.redirect("/login?reason=expired")

    async def _act(self, name: str, params: dict[str, Any]) -> tuple[dict[str, Any], list]:
        """Run one browser-side action for the signed-in user → (result for the agent, events)."""
        user_id = self.current_user_id()
        if user_id is None:
            return {"error": "Not signed in."}, [ChatKitState.session_expired]
        if name == REFRESH_TASKS:
            return {"refreshed": True}, [TaskState.refresh]
        if name == OPEN_TASK:
            task_id = _task_id(params)
            if task_id is None:
                return {"error": "open_task needs an integer task_id."}, []
            try:
                task = await asyncio.to_thread(service.get_task, user_id, task_id)
            except AppError as exc:
                return {"error": exc.message}, []
            self.highlighted_task_id = task.id
            return {"opened": True, "task_id": task.id, "title": task.title}, [
                rx.call_script(_highlight_script(task.id))
            ]
        known = ", ".join(CLIENT_TOOLS)
        return {"error": f"Unknown client tool '{name}'. Known: {known}."}, []

    @rx.event
    async def run_client_tool(self, call: dict):
        """onClientTool: act, then publish the result under the call's id for the element."""
        name = str(call.get("name", ""))
        params = call.get("params") if isinstance(call.get("params"), dict) else {}
        result, events = await self._act(name, params)
        kept = list(self.client_tool_results.items())[-(MAX_KEPT_RESULTS - 1) :]
        self.client_tool_results = {**dict(kept), str(call.get("call_id", "")): result}
        self.last_client_tool = f"{name}: {'error' if 'error' in result else 'ok'}"
        return events

    @rx.event
    async def apply_effect(self, name: str, data: dict):
        """chatkit.effect (fire-and-forget): the same actions, without a result."""
        self.last_effect = str(name)
        if name in CLIENT_TOOLS:
            _, events = await self._act(name, data if isinstance(data, dict) else {})
            return events
        return None
