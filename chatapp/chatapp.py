"""The Reflex app: pages plus chatapp's HTTP API mounted into the same backend."""

import reflex as rx

from chatapp.api import build_api
from chatapp.components.chatkit import demo  # noqa: F401  (/chatkit-demo)
from chatapp.pages import auth, chat, tasks  # noqa: F401  (pages register themselves with @rx.page)

api = build_api()
app = rx.App(
    stylesheets=["/styles.css"],
    api_transformer=api,
)
# Reflex runs its own lifespan, not the mounted API's: start the /mcp session manager there.
app.register_lifespan_task(api.state.mcp_endpoint.serving)
