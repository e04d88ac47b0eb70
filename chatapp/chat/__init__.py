"""Chat core: the ChatKit server, its SQL store and item rendering helpers."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chatapp.chat.server import TodoChatServer


@lru_cache
def get_chat_server() -> TodoChatServer:
    """The process-wide chat core (stateless: all chat state lives in the database)."""
    from chatapp.chat.server import TodoChatServer

    return TodoChatServer()
