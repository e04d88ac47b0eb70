"""Domain errors: services raise these; each door (REST, MCP, chat, UI) maps them for its user."""

from __future__ import annotations

DB_UNAVAILABLE = "The database is unavailable right now. Please try again shortly."


class AppError(Exception):
    """An error whose message is safe and useful to show to the user; `code` names its kind
    where it crosses a boundary as data (a task tool's failure). A kind is one line:
    `class NotFound(AppError, status=404, code="not_found")`."""

    status_code = 400
    code = "bad_request"

    def __init_subclass__(
        cls, *, status: int | None = None, code: str | None = None, **kwargs: object
    ) -> None:
        super().__init_subclass__(**kwargs)
        cls.status_code = status or cls.status_code
        cls.code = code or cls.code

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(AppError, status=404, code="not_found"): ...


class Conflict(AppError, status=409, code="conflict"): ...


class Unauthorized(AppError, status=401, code="unauthorized"): ...


class Forbidden(AppError, status=403, code="forbidden"): ...


class ServiceUnavailable(AppError, status=503, code="unavailable"): ...


class InvalidInput(AppError, status=422, code="invalid_input"):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class RateLimited(AppError, status=429, code="rate_limited"):
    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PayloadTooLarge(AppError, status=413, code="too_large"): ...


class UnsupportedMediaType(AppError, status=415, code="unsupported_type"): ...


def task_not_found(task_id: int) -> NotFound:
    # Same message for "missing" and "someone else's": never confirm another user's ids exist.
    return NotFound(f"Task {task_id} not found")


def conversation_not_found(conversation_id: int | str) -> NotFound:
    # Missing and someone else's read the same, by number or by thread id.
    return NotFound(f"Conversation {conversation_id} not found")


def attachment_not_found(attachment_id: str) -> NotFound:
    # Missing, someone else's and not-yet-uploaded (where it must be) all read the same.
    return NotFound(f"Attachment {attachment_id} not found")
