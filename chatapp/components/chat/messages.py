"""Thread items as the chat shows them: messages, tool chips, the streaming reply, errors."""

from __future__ import annotations

import reflex as rx

from chatapp.components.ui import loading_screen, muted
from chatapp.state.chat import ChatState
from chatapp.state.chat_items import ChatMessage

EXAMPLE_PROMPTS = (
    ("Add buy milk tomorrow at 5pm", "plus"),
    ("Show my tasks", "list-todo"),
    ("Add pay rent on friday, high priority", "flag"),
    ("What can you do?", "circle-help"),
)


def _plain_code_block(code, **_props) -> rx.Component:
    """A fenced code block as plain monospace text (no syntax highlighter in the page's JS)."""
    return rx.el.pre(rx.el.code(code), white_space="pre-wrap", class_name="chat-md-code")


def _markdown(text) -> rx.Component:
    # Replies are task lists: GFM only. KaTeX math (which also turned "$5 … $10" into a formula),
    # raw HTML and Prism highlighting were 0.5 MB of the chat page's JavaScript
    # (docs/PERFORMANCE.md, benchmark 5).
    return rx.box(
        rx.markdown(
            text,
            use_math=False,
            use_katex=False,
            use_raw=False,
            component_map={"pre": _plain_code_block},
        ),
        class_name="chat-md",
    )


def user_bubble(message: ChatMessage) -> rx.Component:
    return rx.box(
        rx.text(message.text, class_name="chat-user-text", size="2"),
        class_name="chat-message chat-user",
        data_role="user",
        data_item_id=message.id,
    )


def assistant_bubble(message: ChatMessage) -> rx.Component:
    return rx.box(
        _markdown(message.text),
        class_name="chat-message chat-assistant",
        data_role="assistant",
        data_item_id=message.id,
    )


def error_bubble(message: ChatMessage) -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("triangle-alert", size=16)),
        rx.callout.text(message.text),
        color_scheme="red",
        size="1",
        variant="surface",
        class_name="chat-message chat-error",
        data_role="error",
        data_item_id=message.id,
    )


def _code(label: str, text) -> rx.Component:
    return rx.box(
        muted(label, size="1", weight="medium"),
        rx.el.pre(text, class_name="tool-chip-code"),
        width="100%",
    )


def tool_chip(message: ChatMessage) -> rx.Component:
    return rx.el.details(
        rx.el.summary(
            rx.cond(
                message.failed,
                rx.icon("circle-alert", size=14, color=rx.color("red", 10)),
                rx.icon("wrench", size=14, color=rx.color("accent", 10)),
            ),
            rx.text(message.tool_title, size="1", weight="medium", class_name="tool-chip-title"),
            rx.icon("chevron-down", size=14, class_name="tool-chip-chevron"),
            class_name="tool-chip-summary",
        ),
        rx.vstack(
            rx.hstack(
                muted("Tool", size="1", weight="medium"),
                rx.code(message.tool_name, size="1", class_name="tool-chip-name"),
                align="center",
                spacing="2",
            ),
            rx.cond(message.tool_args != "", _code("Arguments", message.tool_args)),
            _code("Result", message.tool_result),
            spacing="2",
            class_name="tool-chip-body",
        ),
        class_name="chat-message tool-chip",
        # Keyed by item: an open chip stays with its call, not its position, across threads.
        key=message.id,
        data_role="tool",
        data_failed=rx.cond(message.failed, "true", "false"),
        data_item_id=message.id,
    )


def message_view(message: ChatMessage) -> rx.Component:
    return rx.match(  # pyright: ignore[reportReturnType]  -- rx.match is typed Component | Var; with component cases it is a Component
        message.role,
        ("user", user_bubble(message)),
        ("tool", tool_chip(message)),
        ("error", error_bubble(message)),
        assistant_bubble(message),
    )


def draft_bubble() -> rx.Component:
    """The reply being streamed; it grows with every delta batch."""
    return rx.box(
        _markdown(ChatState.draft_text),
        class_name="chat-message chat-assistant chat-streaming",
        id="chat-draft",
        data_role="assistant",
    )


def thinking() -> rx.Component:
    return rx.hstack(
        rx.box(rx.el.span(), rx.el.span(), rx.el.span(), class_name="chat-dots"),
        muted("Thinking…", size="1"),
        align="center",
        spacing="2",
        id="chat-thinking",
        role="status",
    )


def turn_footer() -> rx.Component:
    """Below the last item: a stop note, a not-saved error, and the retry button."""
    return rx.fragment(
        rx.cond(
            ChatState.stopped,
            muted("Stopped.", size="1", id="chat-stopped", role="status"),
        ),
        rx.cond(
            ChatState.error != "",
            rx.callout.root(
                rx.callout.icon(rx.icon("triangle-alert", size=16)),
                rx.callout.text(ChatState.error),
                color_scheme="red",
                size="1",
                variant="surface",
                id="chat-error",
                role="alert",
            ),
        ),
        rx.cond(
            ChatState.can_retry & ~ChatState.processing,
            rx.button(
                rx.icon("rotate-ccw", size=14),
                "Retry",
                size="1",
                variant="soft",
                on_click=ChatState.retry,
                id="chat-retry",
            ),
        ),
    )


def start_screen() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("messages-square", size=32, color=rx.color("accent", 9)),
            rx.heading("What should we get done?", size="5", align="center"),
            rx.text(
                "Tell me what to add, change or finish. Your task list updates as we talk.",
                size="2",
                color_scheme="gray",
                align="center",
            ),
            rx.grid(
                *[
                    rx.button(
                        rx.icon(icon, size=14),
                        text,
                        variant="surface",
                        color_scheme="gray",
                        size="2",
                        on_click=ChatState.send_prompt(text),
                        class_name="chat-example",
                        justify="start",
                    )
                    for text, icon in EXAMPLE_PROMPTS
                ],
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="2",
                width="100%",
            ),
            align="center",
            spacing="3",
            max_width="520px",
            width="100%",
        ),
        id="chat-start",
        height="100%",
        padding="16px",
    )


def loading_thread() -> rx.Component:
    return loading_screen("Loading conversation…", id="chat-loading")


def message_list() -> rx.Component:
    return rx.auto_scroll(
        rx.cond(
            ChatState.loading_thread,
            loading_thread(),
            rx.cond(
                ChatState.empty & (ChatState.error == ""),
                start_screen(),
                rx.vstack(
                    rx.foreach(ChatState.messages, message_view),
                    rx.cond(ChatState.draft_text != "", draft_bubble()),
                    rx.cond(ChatState.thinking, thinking()),
                    turn_footer(),
                    spacing="3",
                    width="100%",
                    padding=rx.breakpoints(initial="12px", sm="20px"),
                    id="chat-messages",
                ),
            ),
        ),
        flex="1",
        min_height="0",
        width="100%",
        id="chat-scroll",
    )
