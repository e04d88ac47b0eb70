"""TaskState: the task page's list, filters, add/edit forms and undo — all via the task service."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import reflex as rx
from pydantic import ValidationError

from chatapp.errors import AppError
from chatapp.state.attachments import AttachmentView
from chatapp.state.auth import EXPIRED_LOGIN_ROUTE, LOGIN_ROUTE, AuthState
from chatapp.state.task_form import (
    REMIND_VALUES,
    REPEAT_VALUES,
    choice_for_reminder,
    choice_for_rule,
    remind_at_for,
    rule_for,
)
from chatapp.tasks import service
from chatapp.tasks.schemas import (
    PRIORITIES,
    SEARCH_MAX,
    SORT_KEYS,
    STATUSES,
    Order,
    SortKey,
    Status,
    TaskCreate,
    TaskOut,
    TaskQuery,
    TaskUpdate,
)
from chatapp.timezones import zone_or_default

PAGE_SIZE = 100
NEW_TASK_FIELDS = ("title", "description", "due", "tags")
# Added for a moment to the opened task's row (the panel's CSS flashes it); see task_list.py.
HIGHLIGHT_CLASS = "task-item-flash"
HIGHLIGHT_MS = 2500


def highlight_script(task_id: int) -> str:
    """JS: scroll the task's row into view and flash it, waiting up to 2 s for the row to render
    (the list may just have been re-read). task_id is an int: nothing user-typed gets in."""
    selector = f'.task-item[data-task-id="{task_id}"]'
    return (
        f"(() => {{ let tries = 20; const go = () => {{"
        f" const el = document.querySelector('{selector}');"
        f" if (!el) {{ if (--tries > 0) setTimeout(go, 100); return; }}"
        f" el.scrollIntoView({{block: 'center', behavior: 'smooth'}});"
        f" el.classList.add('{HIGHLIGHT_CLASS}');"
        f" setTimeout(() => el.classList.remove('{HIGHLIGHT_CLASS}'), {HIGHLIGHT_MS}); }};"
        f" go(); }})()"
    )


@dataclasses.dataclass
class TaskRow:
    """What the page shows for one task (dates already in the viewer's time zone)."""

    id: int = 0
    title: str = ""
    description: str = ""
    completed: bool = False
    priority: str = ""
    due_label: str = ""
    due_input: str = ""
    overdue: bool = False
    tags: list[str] = dataclasses.field(default_factory=list)
    tags_text: str = ""
    recurrence: str = ""
    repeat_text: str = ""  # the rule in words, e.g. "every Monday at 09:00"
    remind_label: str = ""
    remind_input: str = ""
    reminded: bool = False
    attachments: list[AttachmentView] = dataclasses.field(default_factory=list)


def moment_label(moment: datetime, tz: ZoneInfo, now: datetime) -> str:
    """'Tue 02 Dec, 17:00' in the viewer's zone (with the year when it is not this year)."""
    local = moment.astimezone(tz)
    fmt = "%a %d %b" if local.year == now.astimezone(tz).year else "%a %d %b %Y"
    return local.strftime(fmt) + local.strftime(", %H:%M")


def to_row(
    task: TaskOut, tz: ZoneInfo, now: datetime, files: Sequence[Mapping[str, str]] = ()
) -> TaskRow:
    """The row for `task`; `files` are the attachments it holds ({id, name, kind})."""
    due_label = due_input = remind_label = remind_input = ""
    overdue = False
    if task.due_at is not None:
        due_label = moment_label(task.due_at, tz, now)
        due_input = task.due_at.astimezone(tz).strftime("%Y-%m-%dT%H:%M")
        overdue = not task.completed and task.due_at < now
    if task.remind_at is not None:
        remind_label = moment_label(task.remind_at, tz, now)
        remind_input = task.remind_at.astimezone(tz).strftime("%Y-%m-%dT%H:%M")
    return TaskRow(
        id=task.id,
        title=task.title,
        description=task.description or "",
        completed=task.completed,
        priority=task.priority or "",
        due_label=due_label,
        due_input=due_input,
        overdue=overdue,
        tags=list(task.tags),
        tags_text=" ".join(f"#{t}" for t in task.tags),
        recurrence=task.recurrence or "",
        repeat_text=task.recurrence_text or "",
        remind_label=remind_label,
        remind_input=remind_input,
        reminded=task.reminded_at is not None,
        attachments=[
            AttachmentView(id=f["id"], name=f["name"], image=f.get("kind") == "image")
            for f in files
        ],
    )


def _fetch(user_id: int, query: TaskQuery) -> tuple[list[TaskOut], int, dict[int, list]]:
    """A page of the user's tasks, their total, and the files each one holds."""
    rows, total = service.list_tasks(user_id, query)
    return rows, total, service.attachment_names(user_id, [row.id for row in rows])


def parse_local_datetime(value: str, tz: ZoneInfo) -> datetime | None:
    """'2026-11-24T17:00' (or a bare date) typed in the browser's zone → aware UTC datetime."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise AppError(f"Due date '{value}' is not a valid date.") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed.astimezone(UTC)


def first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err.get("loc", ())) or "input"
    message = str(err.get("msg", "is invalid")).removeprefix("Value error, ")
    return f"{field.capitalize()}: {message}"


def problem_text(exc: ValidationError | AppError) -> str:
    """What a task form says about a rejected input: the first field's error, or the reason."""
    return exc.message if isinstance(exc, AppError) else first_error(exc)


def form_fields(form_data: dict) -> dict[str, Any]:
    """The add and edit forms' plain fields, as `TaskCreate` and `TaskUpdate` take them."""
    return {
        "title": form_data.get("title", ""),
        "description": form_data.get("description") or None,
        "priority": form_data.get("priority") or None,
        "tags": form_data.get("tags") or [],
    }


# The repeat and reminder pickers of the add form and of the edit row, and what each accepts.
_SCHEDULE_PICKERS = {
    "new_repeat": REPEAT_VALUES,
    "new_remind": REMIND_VALUES,
    "edit_repeat": REPEAT_VALUES,
    "edit_remind": REMIND_VALUES,
}


class TaskState(AuthState):
    tasks: rx.Field[list[TaskRow]] = rx.field(default_factory=list)
    total: int = 0
    loading: bool = False
    status_filter: Status = "all"
    search: str = ""
    sort: SortKey = "created"
    order: Order = "asc"
    timezone: str = "UTC"
    editing_id: int = 0
    form_error: str = ""
    undo_title: str = ""
    new_priority: str = ""
    # The repeat and reminder pickers of the add form and of the task being edited.
    new_repeat: str = "none"
    new_remind: str = "none"
    edit_repeat: str = "none"
    edit_remind: str = "none"
    highlighted_task_id: int = 0
    _deleted: TaskOut | None = None
    _list_version: int = 0  # bumped whenever the list is shown: a slower, older read is dropped

    @rx.var
    def pending_count(self) -> int:
        return sum(1 for t in self.tasks if not t.completed)

    async def _user(self) -> int | None:
        return await self.current_user_id()

    def _session_expired(self):
        self.token = ""
        return rx.redirect(EXPIRED_LOGIN_ROUTE)

    def _query(self) -> TaskQuery:
        return TaskQuery(
            status=self.status_filter,
            q=self.search or None,
            sort=self.sort,
            order=self.order,
            limit=PAGE_SIZE,
        )

    def _show(self, rows: list[TaskOut], total: int, files: Mapping[int, list] | None = None):
        tz, now = zone_or_default(self.timezone), datetime.now(UTC)
        files = files or {}
        self.tasks = [to_row(t, tz, now, files.get(t.id, ())) for t in rows]
        self.total = total
        self._list_version += 1

    async def _reload(self) -> None:
        user_id = await self._user()
        if user_id is None:
            return
        self._show(*await asyncio.to_thread(_fetch, user_id, self._query()))

    @rx.event
    async def load(self):
        """on_load of /tasks: verify the session, then fetch."""
        if await self._user() is None:
            return self._session_expired() if self.token else rx.redirect(LOGIN_ROUTE)
        self.loading = True
        try:
            await self._reload()
        finally:
            self.loading = False
        return rx.call_script(
            "Intl.DateTimeFormat().resolvedOptions().timeZone", callback=TaskState.set_timezone
        )

    @rx.event(background=True)
    async def load_beside_chat(self):
        """on_load of /chat: `load`, but the list is read without holding the state, so the chat
        beside it (its renderer, its composer) is not kept waiting for the task list."""
        async with self:
            user_id = await self._user()
            if user_id is None:
                return self._session_expired() if self.token else rx.redirect(LOGIN_ROUTE)
            query, seen = self._query(), self._list_version
        page = await asyncio.to_thread(_fetch, user_id, query)
        async with self:
            if self._list_version == seen:  # else an add/filter already showed a newer list
                self._show(*page)
        return rx.call_script(
            "Intl.DateTimeFormat().resolvedOptions().timeZone", callback=TaskState.set_timezone
        )

    @rx.event
    async def refresh(self):
        """Re-read the list without a spinner (the chat sends this after the agent changed tasks)."""
        if await self._user() is not None:
            await self._reload()

    async def open_task(self, user_id: int, task_id: int) -> tuple[dict[str, Any], list]:
        """The open_task client tool for every chat renderer: show one of the user's tasks
        (clearing a filter that hides it), mark it opened, scroll to it.
        → (result for the agent, events for the browser)."""
        try:
            task = await asyncio.to_thread(service.get_task, user_id, task_id)
        except AppError as exc:
            return {"error": exc.message}, []
        if not any(row.id == task.id for row in self.tasks):
            self.status_filter, self.search = "all", ""
            await self._reload()
        self.highlighted_task_id = task.id
        result = {"opened": True, "task_id": task.id, "title": task.title}
        return result, [rx.call_script(highlight_script(task.id))]

    @rx.event
    async def set_timezone(self, tz: str):
        if isinstance(tz, str) and tz and tz != self.timezone:
            self.timezone = str(zone_or_default(tz).key)
            await self._reload()

    async def _guarded(self, action, success: str | None = None):
        """Run a service call for the signed-in user; errors become toasts, never tracebacks."""
        user_id = await self._user()
        if user_id is None:
            return self._session_expired()
        try:
            await asyncio.to_thread(action, user_id)
        except ValidationError as exc:
            return rx.toast.error(first_error(exc))
        except AppError as exc:
            await self._reload()
            return rx.toast.error(exc.message)
        await self._reload()
        return rx.toast.success(success) if success else None

    @rx.event
    def set_new_priority(self, value: str):
        self.new_priority = value if value in PRIORITIES else ""

    @rx.event
    async def set_status_filter(self, value: str | list[str]):
        value = value[0] if isinstance(value, list) and value else value
        self.status_filter = value if value in STATUSES else "all"
        await self._reload()

    @rx.event
    async def set_search(self, value: str):
        self.search = value[:SEARCH_MAX]
        await self._reload()

    @rx.event
    async def set_sort(self, value: str):
        self.sort = value if value in SORT_KEYS else "created"
        await self._reload()

    @rx.event
    async def toggle_order(self):
        self.order = "desc" if self.order == "asc" else "asc"
        await self._reload()

    def _schedule(
        self, form_data: dict, repeat: str, remind: str
    ) -> tuple[datetime | None, str | None, datetime | None]:
        """The form's due time, repeat rule and reminder time (UTC); AppError says what's off."""
        tz = zone_or_default(self.timezone)
        due = parse_local_datetime(form_data.get("due", ""), tz)
        rule = rule_for(repeat, str(form_data.get("repeat_rule", "")))
        custom = parse_local_datetime(form_data.get("remind_custom", ""), tz)
        return due, rule, remind_at_for(remind, due, custom)

    @rx.event
    def set_schedule(self, picker: str, value: str):
        """One of the repeat/reminder pickers (`new_repeat`, `edit_remind`, ...); else "none"."""
        allowed = _SCHEDULE_PICKERS.get(picker)
        if allowed is not None:
            setattr(self, picker, value if value in allowed else "none")

    @rx.event
    async def add_task(self, form_data: dict):
        self.form_error = ""
        try:
            due, rule, remind_at = self._schedule(form_data, self.new_repeat, self.new_remind)
            data = TaskCreate(
                **form_fields(form_data),
                due_at=due,
                recurrence=rule,
                time_zone=self.timezone if rule else None,
                remind_at=remind_at,
            )
        except (ValidationError, AppError) as exc:
            self.form_error = problem_text(exc)
            return None
        result = await self._guarded(lambda uid: service.create_task(uid, data))
        if result is None:
            self.new_priority = ""
            self.new_repeat = self.new_remind = "none"
            return [
                rx.set_value("new-task-title", ""),
                rx.set_value("new-task-description", ""),
                rx.set_value("new-task-due", ""),
                rx.set_value("new-task-tags", ""),
                rx.set_focus("new-task-title"),
            ]
        return result

    @rx.event
    async def toggle_done(self, task_id: int):
        row = next((t for t in self.tasks if t.id == task_id), None)
        done = not row.completed if row else True
        if not (done and row and row.recurrence):
            return await self._guarded(lambda uid: service.set_completed(uid, task_id, done))
        # A repeating task stays open and moves on: say where to.
        moved: list[TaskOut] = []
        failure = await self._guarded(
            lambda uid: moved.append(service.set_completed(uid, task_id, True))
        )
        if failure is not None or not moved or moved[0].completed or moved[0].due_at is None:
            return failure
        next_due = moment_label(moved[0].due_at, zone_or_default(self.timezone), datetime.now(UTC))
        return rx.toast.success(f"Done. Next one: {next_due}")

    @rx.event
    def start_edit(self, task_id: int):
        self.editing_id = task_id
        row = next((t for t in self.tasks if t.id == task_id), None)
        self.edit_repeat = choice_for_rule(row.recurrence if row else None)
        self.edit_remind = "none"
        if row and row.remind_input:
            tz = zone_or_default(self.timezone)
            due = parse_local_datetime(row.due_input, tz)
            self.edit_remind = choice_for_reminder(parse_local_datetime(row.remind_input, tz), due)

    @rx.event
    def cancel_edit(self):
        self.editing_id = 0

    @rx.event
    async def save_edit(self, form_data: dict):
        task_id = self.editing_id
        if not task_id:
            return None
        row = next((t for t in self.tasks if t.id == task_id), None)
        try:
            due, rule, remind_at = self._schedule(form_data, self.edit_repeat, self.edit_remind)
            fields: dict[str, Any] = {}
            if rule != ((row.recurrence or None) if row else None):
                # A new rule is expanded in this browser's zone; an unchanged one keeps its own.
                fields = {"time_zone": self.timezone}
            changes = TaskUpdate(
                **form_fields(form_data), due_at=due, recurrence=rule, remind_at=remind_at, **fields
            )
        except (ValidationError, AppError) as exc:
            return rx.toast.error(problem_text(exc))
        self.editing_id = 0
        return await self._guarded(lambda uid: service.update_task(uid, task_id, changes), "Saved")

    @rx.event
    async def delete(self, task_id: int):
        user_id = await self._user()
        if user_id is None:
            return self._session_expired()
        try:
            self._deleted = await asyncio.to_thread(service.delete_task, user_id, task_id)
        except AppError as exc:
            await self._reload()
            return rx.toast.error(exc.message)
        self.undo_title = self._deleted.title
        await self._reload()
        return None

    @rx.event
    async def undo_delete(self):
        snapshot = self._deleted
        if snapshot is None:
            return None
        self._deleted = None
        self.undo_title = ""
        return await self._guarded(lambda uid: service.restore_task(uid, snapshot), "Restored")

    @rx.event
    def dismiss_undo(self):
        self._deleted = None
        self.undo_title = ""
