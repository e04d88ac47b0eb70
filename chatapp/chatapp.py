"""The Reflex app: pages plus chatapp's HTTP API mounted into the same backend."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import reflex as rx

from chatapp.agent.provider import aclose_model_provider
from chatapp.api import build_api
from chatapp.components.chatkit import demo  # noqa: F401  (/chatkit-demo)
from chatapp.pages import auth, blank, chat, tasks  # noqa: F401  (each registers with @rx.page)

api = build_api()
app = rx.App(
    stylesheets=["/styles.css"],
    api_transformer=api,
)
# Reflex runs its own lifespan, not the mounted API's: start the /mcp session manager there.
app.register_lifespan_task(api.state.mcp_endpoint.serving)


@asynccontextmanager
async def _model_clients() -> AsyncIterator[None]:
    """Close the real model's HTTP connections when the server stops."""
    yield
    await aclose_model_provider()


app.register_lifespan_task(_model_clients)
