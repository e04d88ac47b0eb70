"""Domain errors: services raise these; each door (REST, MCP, chat, UI) maps them for its user."""

from __future__ import annotations

DB_UNAVAILABLE = "The database is unavailable right now. Please try again shortly."


class AppError(Exception):
    """An error whose message is safe and useful to show to the user; `code` names its kind
    where it crosses a boundary as data (a task tool's failure)."""

    status_code = 400
    code = "bad_request"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(AppError):
    status_code = 404
    code = "not_found"


class Conflict(AppError):
    status_code = 409
    code = "conflict"


class InvalidInput(AppError):
    status_code = 422
    code = "invalid_input"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Unauthorized(AppError):
    status_code = 401
    code = "unauthorized"


class Forbidden(AppError):
    status_code = 403
    code = "forbidden"


class RateLimited(AppError):
    status_code = 429
    code = "rate_limited"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PayloadTooLarge(AppError):
    status_code = 413
    code = "too_large"


class UnsupportedMediaType(AppError):
    status_code = 415
    code = "unsupported_type"


class ServiceUnavailable(AppError):
    status_code = 503
    code = "unavailable"


def task_not_found(task_id: int) -> NotFound:
    # Same message for "missing" and "someone else's": never confirm another user's ids exist.
    return NotFound(f"Task {task_id} not found")


def conversation_not_found(conversation_id: int | str) -> NotFound:
    # Missing and someone else's read the same, by number or by thread id.
    return NotFound(f"Conversation {conversation_id} not found")


def attachment_not_found(attachment_id: str) -> NotFound:
    # Missing, someone else's and not-yet-uploaded (where it must be) all read the same.
    return NotFound(f"Attachment {attachment_id} not found")
