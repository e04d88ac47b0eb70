"""/bench/blank: a minimal Reflex page, the baseline of bench/page_ready.py. It exists only when
CHATAPP_BENCH_PAGES is on, so a real deployment never serves it.

"Ready" means what it means on /chat: the page is rendered, the websocket is connected, the state
is hydrated and the page's on_load has run. Until then the text box and the button are disabled.
"""

from __future__ import annotations

import reflex as rx

from chatapp.settings import get_settings

BLANK_ROUTE = "/bench/blank"

if get_settings().chatapp_bench_pages:

    class BlankState(rx.State):
        loaded: rx.Field[bool] = rx.field(False)
        clicks: int = 0

        @rx.event
        def load(self):
            self.loaded = True

        @rx.event
        def click(self):
            self.clicks += 1

    @rx.page(route=BLANK_ROUTE, title="Blank · chatapp", on_load=BlankState.load)
    def blank() -> rx.Component:
        return rx.vstack(
            rx.heading("Blank page", size="6"),
            rx.text_area(
                id="blank-input",
                placeholder="Type here…",
                disabled=~BlankState.loaded,
                aria_label="Text",
            ),
            rx.button(
                "Clicked ",
                BlankState.clicks,
                on_click=BlankState.click,
                disabled=~BlankState.loaded,
                id="blank-button",
            ),
            rx.text(rx.cond(BlankState.loaded, "ready", "loading"), id="blank-status"),
            padding="24px",
            spacing="3",
            max_width="480px",
        )
