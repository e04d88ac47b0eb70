"""Fixtures for the real-model path: the app configured with an API key, pointed at a local
OpenAI-compatible server, and put back on the offline model afterwards."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from agents import set_tracing_disabled
from fake_openai import FakeOpenAI
from model_support import (
    API_KEY,
    MODEL,
    MODEL_ENV,
    ChatUser,
    insert_user,
    reset_app_caches,
    tracing_disabled,
)


@pytest.fixture(scope="session")
def fake_openai_server() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def alice(db) -> ChatUser:
    """The user who chats (overrides the sign-up fixture: argon2 is not what these tests test)."""
    return insert_user("alice@example.com")


@pytest.fixture
def model_env() -> Iterator[pytest.MonkeyPatch]:
    """A clean model configuration to set per test; afterwards the env, the caches and the
    SDK's tracing switch are as before, so later tests get the offline model again."""
    tracing_was_disabled = tracing_disabled()
    with pytest.MonkeyPatch.context() as mp:
        for name in MODEL_ENV:
            mp.delenv(name, raising=False)
        reset_app_caches()
        yield mp
    reset_app_caches()
    set_tracing_disabled(tracing_was_disabled)


@pytest.fixture
def fake_openai(
    fake_openai_server: FakeOpenAI, model_env: pytest.MonkeyPatch, client
) -> Iterator[FakeOpenAI]:
    """The app (`client`) on a real model at OPENAI_BASE_URL (Chat Completions), served by the
    local fake."""
    model_env.setenv("OPENAI_BASE_URL", fake_openai_server.base_url)
    yield from _serve_real_model(fake_openai_server, model_env, client)


@pytest.fixture
def fake_openai_responses(
    fake_openai_server: FakeOpenAI, model_env: pytest.MonkeyPatch, client
) -> Iterator[FakeOpenAI]:
    """The app on a real model with a key and no OPENAI_BASE_URL (the Responses API), with
    OpenAI's address swapped for the local fake."""
    import chatapp.agent.provider as provider

    model_env.setattr(provider, "OPENAI_API_BASE_URL", fake_openai_server.base_url)
    yield from _serve_real_model(fake_openai_server, model_env, client)


def _serve_real_model(
    server: FakeOpenAI, model_env: pytest.MonkeyPatch, client
) -> Iterator[FakeOpenAI]:
    from chatapp.agent.provider import aclose_model_provider

    server.reset()
    model_env.setenv("OPENAI_API_KEY", API_KEY)
    model_env.setenv("CHATAPP_MODEL", MODEL)
    reset_app_caches()
    yield server
    # Close the model's connections on the app's loop, before the test client stops it.
    client.portal.call(aclose_model_provider)
