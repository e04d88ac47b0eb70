"""The Reflex app: pages plus chatapp's HTTP API mounted into the same backend."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import reflex as rx

from chatapp.agent.provider import aclose_model_provider
from chatapp.api import build_api
from chatapp.components.chatkit import demo  # noqa: F401  (/chatkit-demo)
from chatapp.db.schema import ensure_schema
from chatapp.pages import auth, blank, chat, tasks  # noqa: F401  (each registers with @rx.page)
from chatapp.settings import ConfigurationError, get_settings

api = build_api()
# Here, at import, because every process that runs the app imports this module first: Reflex's
# compile step (which compares models and database right after), each worker, `reflex db …`.
try:
    ensure_schema(get_settings())
except ConfigurationError as exc:
    logging.getLogger("chatapp").error("%s", exc)
    raise SystemExit(1) from None
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
