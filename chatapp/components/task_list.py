"""The task panel: add form, filters, the list with inline edit, empty state, undo bar."""

from __future__ import annotations

from typing import Any

import reflex as rx

from chatapp.components.attachments import attachment_row
from chatapp.components.ui import (
    blank_slate,
    button_with_icon,
    cancel_button,
    icon_button,
    icon_text,
    muted,
    row,
)
from chatapp.state.task_form import REMIND_CHOICES, REPEAT_CHOICES
from chatapp.state.tasks import HIGHLIGHT_CLASS, TaskRow, TaskState
from chatapp.tasks.schemas import DESCRIPTION_MAX, PRIORITIES, SORT_KEYS, TASK_TITLE_MAX

PRIORITY_COLOR = {"high": "red", "medium": "amber", "low": "gray"}
# The task the chat last opened keeps an outline; HIGHLIGHT_CLASS flashes it when it opens.
OPENED_OUTLINE = "2px solid var(--accent-8)"
HIGHLIGHT_CSS = (
    ".task-item { transition: background-color 0.4s ease; }"
    f" .task-item.{HIGHLIGHT_CLASS} {{ background-color: var(--accent-4) !important; }}"
)


def priority_select(
    name: str, default: str | rx.Var | None = "", id_: str | None = None, **props
) -> rx.Component:
    return rx.el.select(
        rx.el.option("No priority", value=""),
        *(rx.el.option(priority.title(), value=priority) for priority in PRIORITIES),
        name=name,
        **({"default_value": default} if default is not None else {}),
        id=id_,
        aria_label="Priority",
        class_name="rx-native-select",
        **props,
    )


def _schedule_choice(
    icon: str, choices, picker: str, label: str, id_: str, custom: rx.Component
) -> rx.Component:
    """A picker behind its icon; choosing "custom" shows the field that asks for it."""
    value = getattr(TaskState, picker)
    return row(
        rx.icon(icon, size=14, color=rx.color("gray", 10)),
        # Named, as Reflex wants every submitted control to be; the state's copy is what counts.
        rx.el.select(
            *(rx.el.option(text, value=key) for key, text in choices),
            value=value,
            on_change=lambda choice: TaskState.set_schedule(picker, choice),
            name=id_.replace("-", "_"),
            id=id_,
            aria_label=label,
            class_name="rx-native-select",
        ),
        rx.cond(value == "custom", custom),
        wrap="wrap",
    )


def schedule_fields(form: str, prefix: str, rule: str = "", custom_time: str = "") -> rx.Component:
    """Repeat and reminder pickers of `form` ("new" or "edit"); a custom rule or reminder time
    asks for it in a field."""
    rule_field = rx.input(
        name="repeat_rule",
        default_value=rule,
        placeholder="FREQ=WEEKLY;BYDAY=MO,TH",
        aria_label="Custom repeat rule (RFC 5545 RRULE)",
        id=f"{prefix}-repeat-rule",
        min_width="200px",
    )
    time_field = rx.input(
        name="remind_custom",
        type="datetime-local",
        default_value=custom_time,
        aria_label="Reminder time",
        id=f"{prefix}-remind-at",
    )
    return rx.flex(
        _schedule_choice(
            "repeat", REPEAT_CHOICES, f"{form}_repeat", "Repeat", f"{prefix}-repeat", rule_field
        ),
        _schedule_choice(
            "bell", REMIND_CHOICES, f"{form}_remind", "Reminder", f"{prefix}-remind", time_field
        ),
        spacing="3",
        wrap="wrap",
        width="100%",
    )


# A task's text fields as both the add form and the edit row show them; each form adds its own.
TASK_FIELDS: dict[str, dict[str, Any]] = {
    "title": {"required": True, "max_length": TASK_TITLE_MAX, "auto_focus": True},
    "description": {"max_length": DESCRIPTION_MAX, "aria_label": "Description"},
    "due": {"type": "datetime-local", "aria_label": "Due date"},
    "tags": {"placeholder": "#tags", "aria_label": "Tags", "flex": "1"},
}


def _task_input(name: str, **props) -> rx.Component:
    return rx.input(name=name, **{**TASK_FIELDS[name], **props})


def _new_task_input(name: str, **props) -> rx.Component:
    """A field of the add form, known as new-task-<name>."""
    return _task_input(name, id=f"new-task-{name}", **props)


def add_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.hstack(
                _new_task_input(
                    "title",
                    aria_label="Task title",
                    placeholder="Add a task… (press Enter)",
                    size="3",
                    flex="1",
                ),
                button_with_icon(
                    "plus", "Add", icon_size=16, type="submit", size="3", id="add-task"
                ),
                width="100%",
            ),
            rx.flex(
                _new_task_input(
                    "description", placeholder="Description (optional)", flex="2", min_width="180px"
                ),
                _new_task_input("due", flex="1", min_width="180px"),
                priority_select(
                    "priority",
                    id_="new-task-priority",
                    value=TaskState.new_priority,
                    on_change=TaskState.set_new_priority,
                    default=None,
                ),
                _new_task_input("tags", min_width="120px"),
                spacing="2",
                wrap="wrap",
                width="100%",
            ),
            schedule_fields("new", "new-task"),
            rx.cond(
                TaskState.form_error != "",
                rx.text(
                    TaskState.form_error,
                    color_scheme="red",
                    size="2",
                    id="form-error",
                    role="alert",
                ),
            ),
            spacing="2",
            width="100%",
        ),
        on_submit=TaskState.add_task,
        reset_on_submit=False,
        width="100%",
    )


def filter_bar() -> rx.Component:
    return rx.flex(
        rx.segmented_control.root(
            rx.segmented_control.item("All", value="all"),
            rx.segmented_control.item("Pending", value="pending"),
            rx.segmented_control.item("Done", value="completed"),
            value=TaskState.status_filter,
            on_change=TaskState.set_status_filter,
            id="status-filter",
        ),
        rx.input(
            rx.input.slot(rx.icon("search", size=14)),
            placeholder="Search",
            value=TaskState.search,
            on_change=TaskState.set_search.debounce(250),
            id="task-search",
            aria_label="Search tasks",
            flex="1",
            min_width="140px",
        ),
        rx.hstack(
            rx.select(
                list(SORT_KEYS),
                value=TaskState.sort,
                on_change=TaskState.set_sort,
                size="2",
                aria_label="Sort by",
            ),
            rx.icon_button(
                rx.cond(
                    TaskState.order == "asc",
                    rx.icon("arrow-up-narrow-wide", size=16),
                    rx.icon("arrow-down-wide-narrow", size=16),
                ),
                on_click=TaskState.toggle_order,
                variant="soft",
                aria_label="Toggle sort order",
            ),
            spacing="1",
        ),
        spacing="2",
        wrap="wrap",
        align="center",
        width="100%",
    )


def _view_row(task: TaskRow) -> rx.Component:
    return rx.hstack(
        rx.checkbox(
            checked=task.completed,
            on_change=TaskState.toggle_done(task.id),
            size="3",
            aria_label=rx.cond(task.completed, "Mark as not done", "Mark as done"),
            class_name="task-check",
        ),
        rx.vstack(
            row(
                rx.text(
                    task.title,
                    weight="medium",
                    text_decoration=rx.cond(task.completed, "line-through", "none"),
                    color=rx.cond(task.completed, rx.color("gray", 9), rx.color("gray", 12)),
                    class_name="task-title",
                    word_break="break-word",
                ),
                rx.cond(
                    task.priority != "",
                    rx.badge(
                        task.priority,
                        color_scheme=rx.match(  # pyright: ignore[reportArgumentType]  -- rx.match is typed Component | Var; with string cases it is a Var
                            task.priority, *PRIORITY_COLOR.items(), "gray"
                        ),
                        variant="soft",
                    ),
                ),
                wrap="wrap",
            ),
            rx.cond(task.description != "", muted(task.description)),
            row(
                rx.cond(
                    task.due_label != "",
                    icon_text(
                        "calendar",
                        task.due_label,
                        rx.cond(task.overdue, rx.badge("overdue", color_scheme="red", size="1")),
                        text_class="task-due",
                        color=rx.cond(task.overdue, rx.color("red", 11), rx.color("gray", 11)),
                    ),
                ),
                rx.cond(
                    task.repeat_text != "",
                    icon_text(
                        "repeat",
                        task.repeat_text,
                        text_class="task-repeat",
                        color=rx.color("accent", 11),
                        title="Repeats",
                    ),
                ),
                rx.cond(
                    task.remind_label != "",
                    icon_text(
                        rx.cond(task.reminded, "bell-off", "bell"),
                        task.remind_label,
                        text_class="task-reminder",
                        color=rx.color("gray", 11),
                        title=rx.cond(task.reminded, "Reminded", "Reminder"),
                    ),
                ),
                rx.foreach(task.tags, lambda tag: rx.badge("#", tag, variant="outline", size="1")),
                wrap="wrap",
            ),
            attachment_row(task.attachments, class_name="task-files", aria_label="Attached files"),
            spacing="1",
            flex="1",
            min_width="0",
        ),
        rx.hstack(
            icon_button(
                "pencil",
                "Edit task",
                on_click=TaskState.start_edit(task.id),
                class_name="task-edit",
            ),
            icon_button(
                "trash-2",
                "Delete task",
                on_click=TaskState.delete(task.id),
                color_scheme="red",
                class_name="task-delete",
            ),
            spacing="1",
        ),
        width="100%",
        align="start",
        spacing="3",
    )


def _edit_row(task: TaskRow) -> rx.Component:
    return rx.form(
        rx.vstack(
            _task_input("title", default_value=task.title, aria_label="Title", id="edit-title"),
            _task_input("description", default_value=task.description, placeholder="Description"),
            rx.flex(
                _task_input("due", default_value=task.due_input),
                priority_select("priority", default=task.priority),
                _task_input("tags", default_value=task.tags_text),
                spacing="2",
                wrap="wrap",
            ),
            schedule_fields("edit", "edit", rule=task.recurrence, custom_time=task.remind_input),
            rx.hstack(
                rx.button("Save", type="submit", size="2", id="edit-save"),
                cancel_button(size="2", on_click=TaskState.cancel_edit),
                spacing="2",
            ),
            spacing="2",
            width="100%",
        ),
        on_submit=TaskState.save_edit,
        width="100%",
    )


def task_item(task: TaskRow) -> rx.Component:
    opened = TaskState.highlighted_task_id == task.id
    return rx.box(
        rx.cond(TaskState.editing_id == task.id, _edit_row(task), _view_row(task)),
        padding="12px",
        border_radius="var(--radius-3)",
        background=rx.color("gray", 1),
        border=f"1px solid {rx.color('gray', 4)}",
        outline=rx.cond(opened, OPENED_OUTLINE, "none"),
        border_left=rx.cond(
            task.overdue, f"3px solid {rx.color('red', 9)}", f"1px solid {rx.color('gray', 4)}"
        ),
        outline_offset="-2px",  # inside the row: the panel's scroll box would clip it
        width="100%",
        class_name="task-item",
        data_task_id=task.id,
        data_completed=rx.cond(task.completed, "true", "false"),
        data_opened=rx.cond(opened, "true", "false"),
    )


def empty_state() -> rx.Component:
    return blank_slate(
        "sparkles",
        rx.cond(
            (TaskState.search != "") | (TaskState.status_filter != "all"),
            rx.text("No tasks match these filters.", weight="medium"),
            rx.text("No tasks yet. Add your first one above.", weight="medium"),
        ),
        icon_size=28,
        padding_y="48px",
        width="100%",
        id="empty-state",
    )


def undo_bar() -> rx.Component:
    return rx.cond(
        TaskState.undo_title != "",
        rx.callout.root(
            rx.hstack(
                rx.callout.text("Deleted “", TaskState.undo_title, "”."),
                rx.spacer(),
                rx.button("Undo", size="1", on_click=TaskState.undo_delete, id="undo-delete"),
                icon_button(
                    "x", "Dismiss", icon_size=12, size="1", on_click=TaskState.dismiss_undo
                ),
                width="100%",
                align="center",
            ),
            color_scheme="gray",
            size="1",
            width="100%",
            id="undo-bar",
        ),
    )


def task_panel() -> rx.Component:
    return rx.vstack(
        rx.el.style(HIGHLIGHT_CSS),
        row(
            rx.heading("Tasks", size="6"),
            rx.badge(TaskState.pending_count, " pending", variant="soft", id="pending-count"),
            rx.cond(TaskState.loading, rx.spinner(size="2")),
            spacing="3",
        ),
        add_form(),
        filter_bar(),
        undo_bar(),
        rx.cond(
            TaskState.tasks.length() > 0,
            rx.vstack(
                rx.foreach(TaskState.tasks, task_item), spacing="2", width="100%", id="task-list"
            ),
            empty_state(),
        ),
        rx.cond(
            TaskState.total > TaskState.tasks.length(),
            muted("Showing ", TaskState.tasks.length(), " of ", TaskState.total, size="1"),
        ),
        spacing="4",
        width="100%",
    )
