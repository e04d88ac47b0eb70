"""Thread items as the chat shows them: messages, tool chips, the streaming reply, errors."""

from __future__ import annotations

import reflex as rx

from chatapp.components.attachments import attachment_row
from chatapp.components.chat.code_block import chat_code_block
from chatapp.components.ui import alert, blank_slate, button_with_icon, loading_screen, muted, row
from chatapp.state import chat_scripts
from chatapp.state.chat import ChatState
from chatapp.state.chat_items import ChatMessage, ToolStep

EXAMPLE_PROMPTS = (
    ("Add buy milk tomorrow at 5pm", "plus"),
    ("Show my tasks", "list-todo"),
    ("Add pay rent on friday, high priority", "flag"),
    ("What can you do?", "circle-help"),
)


def _markdown(text) -> rx.Component:
    # Replies are task lists: GFM only. KaTeX math (which also turned "$5 … $10" into a formula),
    # raw HTML and Prism highlighting were 0.5 MB of the chat page's JavaScript
    # (docs/PERFORMANCE.md, benchmark 5); code blocks load their highlighter when one shows.
    return rx.box(
        rx.markdown(
            text,
            use_math=False,
            use_katex=False,
            use_raw=False,
            component_map={"pre": chat_code_block},
        ),
        class_name="chat-md",
    )


def user_bubble(message: ChatMessage) -> rx.Component:
    return rx.box(
        attachment_row(message.attachments, class_name="chat-files"),
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
    return alert(
        message.text,
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


def _status_icon(failed, icon: str) -> rx.Component:
    """A call's icon: `icon` when it worked, an alert when it failed."""
    return rx.cond(
        failed,
        rx.icon("circle-alert", size=14, color=rx.color("red", 10)),
        rx.icon(icon, size=14, color=rx.color("accent", 10)),
    )


def _call_body(call: ChatMessage | ToolStep, class_name: str) -> rx.Component:
    """One call's tool, arguments and result (a chip stored without its record has only text)."""
    return rx.vstack(
        rx.cond(
            call.tool_name != "",
            row(
                muted("Tool", size="1", weight="medium"),
                rx.code(call.tool_name, size="1", class_name="tool-chip-name"),
            ),
        ),
        rx.cond(call.tool_args != "", _code("Arguments", call.tool_args)),
        _code("Result", call.tool_result),
        spacing="2",
        class_name=class_name,
    )


def tool_chip(message: ChatMessage) -> rx.Component:
    return rx.el.details(
        rx.el.summary(
            _status_icon(message.failed, "wrench"),
            rx.text(message.tool_title, size="1", weight="medium", class_name="tool-chip-title"),
            rx.icon("chevron-down", size=14, class_name="tool-chip-chevron"),
            class_name="tool-chip-summary",
        ),
        _call_body(message, "tool-chip-body"),
        class_name="chat-message tool-chip",
        # Keyed by item: an open chip stays with its call, not its position, across threads.
        key=message.id,
        data_role="tool",
        data_failed=rx.cond(message.failed, "true", "false"),
        data_item_id=message.id,
    )


def workflow_step(step: ToolStep, index) -> rx.Component:
    return rx.el.li(
        row(
            _status_icon(step.failed, "circle-check"),
            rx.text(step.title, size="1", weight="medium"),
        ),
        _call_body(step, "workflow-step-body"),
        class_name="workflow-step",
        data_step=index,
    )


def workflow_block(message: ChatMessage) -> rx.Component:
    """Several chained tool calls: one line (how many steps, the model's reasoning summary)
    that opens, by click or keyboard (a native <details>), onto each step's tool, arguments
    and result."""
    return rx.el.details(
        rx.el.summary(
            _status_icon(message.failed, "list-checks"),
            rx.box(
                rx.text(
                    message.tool_title, size="1", weight="medium", class_name="tool-chip-title"
                ),
                rx.cond(
                    message.text != "",
                    muted(message.text, size="1", class_name="workflow-thought"),
                ),
                class_name="workflow-heading",
            ),
            rx.icon("chevron-down", size=14, class_name="tool-chip-chevron"),
            class_name="tool-chip-summary",
        ),
        rx.el.ol(rx.foreach(message.steps, workflow_step), class_name="workflow-steps"),
        class_name="chat-message tool-chip workflow",
        key=message.id,
        data_role="workflow",
        data_failed=rx.cond(message.failed, "true", "false"),
        data_item_id=message.id,
    )


def message_view(message: ChatMessage) -> rx.Component:
    return rx.match(  # pyright: ignore[reportReturnType]  -- rx.match is typed Component | Var; with component cases it is a Component
        message.role,
        ("user", user_bubble(message)),
        ("tool", tool_chip(message)),
        ("workflow", workflow_block(message)),
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
    return row(
        rx.box(rx.el.span(), rx.el.span(), rx.el.span(), class_name="chat-dots"),
        muted("Thinking…", size="1"),
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
        rx.cond(ChatState.error != "", alert(ChatState.error, id="chat-error", role="alert")),
        rx.cond(
            ChatState.can_retry & ~ChatState.processing,
            button_with_icon(
                "rotate-ccw",
                "Retry",
                size="1",
                variant="soft",
                on_click=ChatState.retry,
                id="chat-retry",
            ),
        ),
    )


def start_screen() -> rx.Component:
    return blank_slate(
        "messages-square",
        rx.heading("What should we get done?", size="5", align="center"),
        rx.text(
            "Tell me what to add, change or finish. Your task list updates as we talk.",
            size="2",
            color_scheme="gray",
            align="center",
        ),
        rx.grid(
            *[
                button_with_icon(
                    icon,
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
        icon_size=32,
        spacing="3",
        max_width="520px",
        id="chat-start",
        height="100%",
        padding="16px",
    )


def older_button() -> rx.Component:
    """Loads the page before the first message shown; scrolling to the top clicks it."""
    return rx.cond(
        ChatState.has_older,
        rx.button(
            rx.cond(ChatState.loading_older, rx.spinner(size="1"), rx.icon("arrow-up", size=14)),
            "Earlier messages",
            size="1",
            variant="ghost",
            color_scheme="gray",
            disabled=ChatState.loading_older,
            on_click=[rx.call_script(chat_scripts.KEEP_PLACE), ChatState.load_older],
            id="chat-older",
            align_self="center",
        ),
    )


def message_list() -> rx.Component:
    return rx.auto_scroll(
        rx.cond(
            ChatState.loading_thread,
            loading_screen("Loading conversation…", id="chat-loading"),
            rx.cond(
                ChatState.empty & (ChatState.error == ""),
                start_screen(),
                rx.vstack(
                    older_button(),
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
