"""Database layer: SQLModel tables, engine and sessions."""

from chatapp.db.engine import connection_scope, get_engine, reset_engine, session_scope
from chatapp.db.models import CalendarFeed, Task, TaskCompletion, User

__all__ = [
    "CalendarFeed",
    "Task",
    "TaskCompletion",
    "User",
    "connection_scope",
    "get_engine",
    "reset_engine",
    "session_scope",
]
