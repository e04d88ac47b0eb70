"""The Reflex app: pages plus chatapp's HTTP API mounted into the same backend."""

import reflex as rx

from chatapp.api import build_api
from chatapp.pages import auth, tasks  # noqa: F401  (pages register themselves with @rx.page)

app = rx.App(
    stylesheets=["/styles.css"],
    api_transformer=build_api(),
)
