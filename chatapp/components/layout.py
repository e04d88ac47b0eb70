"""Page chrome: top bar with navigation, theme toggle, account menu."""

from __future__ import annotations

import reflex as rx

from chatapp.components.reminders.component import reminder_ticker
from chatapp.components.ui import button_with_icon, muted
from chatapp.state.auth import CHAT_ROUTE, TASKS_ROUTE, AuthState
from chatapp.state.reminders import REMINDER_POLL_MS, ReminderState


def nav_link(label: str, href: str, icon: str) -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.icon(icon, size=16),
            # Icons only on a phone, so the bar fits 390px with both links.
            rx.text(label, size="2", display=["none", "block"]),
            spacing="1",
            align="center",
        ),
        href=href,
        aria_label=label,
        underline="none",
        color_scheme="gray",
        high_contrast=True,
    )


def notifications_control() -> rx.Component:
    """Browser notifications for reminders: the browser asks only after this click."""
    return rx.match(  # pyright: ignore[reportReturnType]  -- rx.match is typed Component | Var; with component cases it is a Component
        ReminderState.notifications,
        (
            "default",
            button_with_icon(
                "bell-plus",
                rx.text("Turn on notifications", display=["none", "none", "inline"]),
                on_click=ReminderState.turn_on_notifications,
                variant="ghost",
                size="1",
                id="notifications-on",
                aria_label="Turn on notifications for reminders",
            ),
        ),
        (
            "denied",
            rx.tooltip(
                rx.icon("bell-off", size=16, color=rx.color("gray", 9), id="notifications-blocked"),
                content="Notifications are blocked for this site; reminders show here instead.",
            ),
        ),
        rx.fragment(),
    )


def reminders() -> rx.Component:
    """Each signed-in page asks for due reminders while it is open (toasts, notifications)."""
    return rx.cond(
        AuthState.signed_in,
        reminder_ticker(
            interval_ms=REMINDER_POLL_MS,
            ask_permission=ReminderState.ask_permission,
            on_tick=ReminderState.tick,
            on_permission=ReminderState.set_notifications,
        ),
    )


def top_bar() -> rx.Component:
    return rx.hstack(
        rx.hstack(
            rx.icon("list-checks", size=22, color=rx.color("accent", 10)),
            rx.heading("chatapp", size="5", weight="bold"),
            spacing="2",
            align="center",
        ),
        rx.spacer(),
        rx.cond(
            AuthState.signed_in,
            rx.hstack(
                nav_link("Chat", CHAT_ROUTE, "message-circle"),
                nav_link("Tasks", TASKS_ROUTE, "list-todo"),
                notifications_control(),
                muted(AuthState.email, display=["none", "none", "block"]),
                button_with_icon(
                    "log-out",
                    "Sign out",
                    on_click=AuthState.sign_out,
                    variant="soft",
                    size="1",
                    id="sign-out",
                ),
                spacing="4",
                align="center",
            ),
        ),
        rx.color_mode.button(size="1", variant="ghost", aria_label="Toggle light/dark theme"),
        width="100%",
        padding_x=["12px", "24px"],
        padding_y="10px",
        border_bottom=f"1px solid {rx.color('gray', 5)}",
        align="center",
        spacing="4",
        position="sticky",
        top="0",
        z_index="10",
        background=rx.color("gray", 1),
    )


# The page is settled when `data-path` is its path and `data-hydrated` is "true": its on_load
# handlers have run (sign-in redirects decided, data read). Browser tests wait for that rather
# than sleeping; the path tells a settled page from the one being left.
PAGE_STATE_ID = "page-state"


def page_state() -> rx.Component:
    return rx.el.div(
        id=PAGE_STATE_ID,
        data_path=rx.State.router.url.path,
        data_hydrated=rx.State.is_hydrated,
        hidden=True,
    )


def page_shell(*children: rx.Component, max_width: str = "860px") -> rx.Component:
    return rx.box(
        page_state(),
        reminders(),
        top_bar(),
        rx.box(
            *children,
            width="100%",
            max_width=max_width,
            margin_x="auto",
            padding_x=["12px", "24px"],
            padding_y=["16px", "28px"],
        ),
        min_height="100vh",
        background=rx.color("gray", 2),
    )
