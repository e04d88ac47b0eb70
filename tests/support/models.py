"""The real-model path: the configuration its tests set and the caches they reset."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from agents.tracing import trace
from agents.tracing.traces import NoOpTrace

from tests.support.fake_openai import FakeOpenAI

# Distinctive, so a log line that leaks it cannot be a coincidence.
API_KEY = "test-key-5f1e9c2a7d"
MODEL = "test-model"
MODEL_ENV = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "CHATAPP_MODEL", "CHATAPP_TRACING")


def tracing_disabled() -> bool:
    """Whether the Agents SDK would record (and export) a trace; creating one sends nothing."""
    return isinstance(trace("chatapp-probe"), NoOpTrace)


def reset_app_caches() -> None:
    """Forget settings, the model provider and the chat core, so the next turn rereads the env."""
    from chatapp.agent.provider import reset_model_provider
    from chatapp.chat import get_chat_server
    from chatapp.settings import get_settings

    get_settings.cache_clear()
    reset_model_provider()
    get_chat_server.cache_clear()


def thread_items(user_id: int, thread_id: str) -> list:
    """The thread's items as the chat store holds them, oldest first."""
    from chatapp.chat.store import RequestContext, SQLStore

    context = RequestContext(user_id=user_id)
    page = asyncio.run(SQLStore().load_thread_items(thread_id, None, 100, "asc", context))
    return page.data


@contextmanager
def on_fake_model(server: FakeOpenAI, env: pytest.MonkeyPatch, client) -> Iterator[FakeOpenAI]:
    """The app (`client`) on a real model with a key, answered by `server` (the caller has
    pointed the app at it); the model's connections closed afterwards."""
    from chatapp.agent.provider import aclose_model_provider

    server.reset()
    env.setenv("OPENAI_API_KEY", API_KEY)
    env.setenv("CHATAPP_MODEL", MODEL)
    reset_app_caches()
    try:
        yield server
    finally:
        # On the app's loop, before the test client stops it.
        client.portal.call(aclose_model_provider)
