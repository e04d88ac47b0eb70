"""Hosted ChatKit: create sessions for an Agent Builder workflow with OpenAI's ChatKit sessions API.

Only used when CHATKIT_WORKFLOW_ID is set; the self-hosted /chatkit endpoint is the default.
Wire format (POST {CHATKIT_API_BASE}/chatkit/sessions, header `OpenAI-Beta: chatkit_beta=v1`,
body `{"workflow": {"id": ...}, "user": ...}` → `{"id", "client_secret", "expires_at", ...}`)
as in OpenAI's API reference and the official SDKs' `beta.chatkit.sessions.create`.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import httpx

from chatapp.errors import AppError
from chatapp.settings import get_settings

logger = logging.getLogger("chatapp.chat.hosted")

SESSIONS_PATH = "/chatkit/sessions"
BETA_HEADER = ("OpenAI-Beta", "chatkit_beta=v1")
USER_PREFIX = "chatapp-user-"


class HostedSessionError(AppError):
    """OpenAI could not create a ChatKit session; the message says why and what to do."""

    def __init__(self, message: str, status_code: int, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.retry_after = retry_after


@dataclass(frozen=True)
class HostedSession:
    session_id: str
    client_secret: str
    expires_at: int

    @property
    def expires_in(self) -> int:
        return max(0, self.expires_at - int(time.time()))


def hosted_mode() -> bool:
    """True when the ChatKit UI should talk to an OpenAI-hosted workflow instead of /chatkit."""
    return bool(get_settings().chatkit_workflow_id)


def chatkit_user(user_id: int) -> str:
    """The `user` OpenAI scopes hosted threads by: one stable id per chatapp account."""
    return f"{USER_PREFIX}{user_id}"


def _openai_message(response: httpx.Response) -> str:
    try:
        error = response.json().get("error")
    except ValueError:
        return response.text[:200].strip() or response.reason_phrase
    if isinstance(error, dict) and error.get("message"):
        return str(error["message"])
    return response.reason_phrase


def _retry_after(response: httpx.Response) -> int | None:
    value = response.headers.get("retry-after", "")
    try:
        return max(1, int(float(value)))
    except ValueError:
        return None


def _raise_for(response: httpx.Response) -> None:
    status, message = response.status_code, _openai_message(response)
    if status in (401, 403):
        raise HostedSessionError(
            f"OpenAI rejected the ChatKit session request ({status}: {message}). "
            "Check OPENAI_API_KEY and that its project can use CHATKIT_WORKFLOW_ID.",
            status_code=502,
        )
    if status == 429:
        retry = _retry_after(response)
        wait = f" Try again in {retry} s." if retry else " Try again shortly."
        raise HostedSessionError(
            f"OpenAI is rate-limiting ChatKit sessions ({message}).{wait}",
            status_code=503,
            retry_after=retry or 5,
        )
    if status >= 500:
        raise HostedSessionError(
            f"OpenAI's ChatKit sessions API failed ({status}: {message}). Try again shortly.",
            status_code=502,
        )
    raise HostedSessionError(
        f"OpenAI refused to create a ChatKit session ({status}: {message}).", status_code=502
    )


async def create_session(user_id: int) -> HostedSession:
    """Create a ChatKit session for `user_id` on the configured workflow; map every failure
    to a HostedSessionError (502 upstream refused/broken, 503 rate-limited or unconfigured,
    504 timed out)."""
    settings = get_settings()
    if not settings.chatkit_workflow_id:
        raise HostedSessionError("Hosted ChatKit is off: CHATKIT_WORKFLOW_ID is not set.", 503)
    if not settings.openai_api_key:
        raise HostedSessionError(
            "Hosted ChatKit needs OPENAI_API_KEY to create sessions; it is not set.", 503
        )
    timeout = settings.chatkit_session_timeout_seconds
    try:
        async with httpx.AsyncClient(
            base_url=settings.chatkit_api_base.rstrip("/"), timeout=timeout
        ) as client:
            response = await client.post(
                SESSIONS_PATH,
                headers={
                    "Authorization": f"Bearer {settings.openai_api_key}",
                    BETA_HEADER[0]: BETA_HEADER[1],
                },
                json={
                    "workflow": {"id": settings.chatkit_workflow_id},
                    "user": chatkit_user(user_id),
                },
            )
    except httpx.TimeoutException as exc:
        raise HostedSessionError(
            f"OpenAI's ChatKit sessions API did not answer within {timeout:g} s. Try again.", 504
        ) from exc
    except httpx.HTTPError as exc:
        logger.warning("ChatKit sessions API unreachable: %s", exc.__class__.__name__)
        raise HostedSessionError(
            "Could not reach OpenAI's ChatKit sessions API. Try again shortly.", 502
        ) from exc

    if response.status_code >= 400:
        _raise_for(response)
    try:
        body = response.json()
        secret, expires_at = body["client_secret"], int(body["expires_at"])
    except (ValueError, KeyError, TypeError) as exc:
        secret, expires_at, body = None, 0, {}
        logger.warning("ChatKit sessions API answer unreadable: %s", exc.__class__.__name__)
    if not isinstance(secret, str) or not secret:
        raise HostedSessionError(
            "OpenAI's ChatKit sessions API answered without a client_secret.", 502
        )
    return HostedSession(
        session_id=str(body.get("id", "")), client_secret=secret, expires_at=expires_at
    )
