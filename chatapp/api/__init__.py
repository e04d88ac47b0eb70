"""HTTP routes mounted into Reflex's backend via rx.App(api_transformer=...)."""

from chatapp.api.app import build_api

__all__ = ["build_api"]
