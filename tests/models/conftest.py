"""Fixtures for the real-model path (the shared ones, `fake_openai` and `model_env`, are in
tests/conftest.py): a user who chats, and the app on the Responses API at the local fake."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.auth import QuickUser, insert_user
from tests.support.fake_openai import FakeOpenAI
from tests.support.models import on_fake_model


@pytest.fixture
def alice(db) -> QuickUser:
    """The user who chats (overrides the sign-up fixture: argon2 is not what these tests test)."""
    return insert_user("alice@example.com")


@pytest.fixture
def fake_openai_responses(
    fake_openai_server: FakeOpenAI, model_env: pytest.MonkeyPatch, client
) -> Iterator[FakeOpenAI]:
    """The app on a real model with a key and no OPENAI_BASE_URL (the Responses API), with
    OpenAI's address swapped for the local fake."""
    import chatapp.agent.provider as provider

    model_env.setattr(provider, "OPENAI_API_BASE_URL", fake_openai_server.base_url)
    with on_fake_model(fake_openai_server, model_env, client) as server:
        yield server
