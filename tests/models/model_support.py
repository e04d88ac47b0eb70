"""Helpers for the real-model tests: the configuration they set, the caches they reset, users."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from agents.tracing import trace
from agents.tracing.traces import NoOpTrace

# Distinctive, so a log line that leaks it cannot be a coincidence.
API_KEY = "test-key-5f1e9c2a7d"
MODEL = "test-model"
MODEL_ENV = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "CHATAPP_MODEL", "CHATAPP_TRACING")

# Strict: remove this marker from the tests it guards once chatapp/chat/history.py is fixed.


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


@dataclass
class ChatUser:
    """A real user row with a real session JWT (no sign-up: these tests never log in)."""

    id: int
    token: str
    headers: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.headers = {"Authorization": f"Bearer {self.token}"}


def insert_user(email: str) -> ChatUser:
    from chatapp.auth.security import issue_token
    from chatapp.db import User, session_scope

    with session_scope() as session:
        user = User(email=email, password_hash="not-a-password-hash")
        session.add(user)
        session.flush()
        user_id = user.id
    return ChatUser(id=user_id, token=issue_token(user_id)[0])


def thread_items(user_id: int, thread_id: str) -> list:
    """The thread's items as the chat store holds them, oldest first."""
    from chatapp.chat.store import RequestContext, SQLStore

    context = RequestContext(user_id=user_id)
    page = asyncio.run(SQLStore().load_thread_items(thread_id, None, 100, "asc", context))
    return page.data
