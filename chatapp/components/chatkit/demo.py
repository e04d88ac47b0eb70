"""/chatkit-demo: the ChatKit panel alone, with every status field visible (for trying a domain
key or a hosted workflow, and for the browser tests)."""

from __future__ import annotations

import reflex as rx

from chatapp.components.chatkit.panel import chatkit_panel, chatkit_status
from chatapp.components.layout import page_shell
from chatapp.state.auth import AuthState

DEMO_ROUTE = "/chatkit-demo"


@rx.page(route=DEMO_ROUTE, title="ChatKit · chatapp", on_load=AuthState.require_auth)
def chatkit_demo() -> rx.Component:
    return page_shell(
        rx.vstack(
            rx.heading("ChatKit", size="6"),
            rx.text(
                "OpenAI's ChatKit interface talking to this app's /chatkit endpoint. It loads "
                "from OpenAI's CDN and needs a domain key registered for this host.",
                size="2",
                color_scheme="gray",
            ),
            rx.box(chatkit_panel(), width="100%", height="min(720px, calc(100vh - 240px))"),
            chatkit_status(detailed=True),
            width="100%",
            spacing="3",
        ),
        max_width="960px",
    )
