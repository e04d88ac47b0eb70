"""Database layer: SQLModel tables, engine and sessions."""

from chatapp.db.engine import get_engine, reset_engine, session_scope
from chatapp.db.models import Task, User

__all__ = ["Task", "User", "get_engine", "reset_engine", "session_scope"]
