"""Page chrome: top bar with navigation, theme toggle, account menu."""

from __future__ import annotations

import reflex as rx

from chatapp.state.auth import AuthState


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
                nav_link("Chat", "/chat", "message-circle"),
                nav_link("Tasks", "/tasks", "list-todo"),
                rx.text(
                    AuthState.email,
                    size="2",
                    color_scheme="gray",
                    display=["none", "none", "block"],
                ),
                rx.button(
                    rx.icon("log-out", size=14),
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


def page_shell(*children: rx.Component, max_width: str = "860px") -> rx.Component:
    return rx.box(
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
