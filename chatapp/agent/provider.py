"""Model selection: the embedded offline model by default, a real LLM when a key is configured.

The agent definition never knows which one runs; the chat core passes `model_provider()` and
`model_name()` to the run config.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from agents import set_tracing_disabled
from agents.models.interface import ModelProvider
from agents.models.openai_provider import OpenAIProvider
from openai import AsyncOpenAI, DefaultAsyncHttpxClient

from chatapp.agent.offline.model import DEFAULT_MODEL_NAME as OFFLINE_MODEL_NAME
from chatapp.agent.offline.model import OfflineModelProvider
from chatapp.settings import get_settings

if TYPE_CHECKING:
    import httpx2

logger = logging.getLogger("chatapp.agent")

# Where a key without OPENAI_BASE_URL goes: said here, so the SDK never falls back to reading
# the environment behind the settings object.
OPENAI_API_BASE_URL = "https://api.openai.com/v1"
# Bounded: a slow or failing provider costs the user seconds, not minutes.
PROVIDER_TIMEOUT_SECONDS = 30.0
PROVIDER_MAX_RETRIES = 2
# The SDK honours a server's Retry-After of up to two minutes per retry; a chat turn gives up
# (the user hears "rate limited") rather than wait longer than this.
PROVIDER_MAX_RETRY_AFTER_SECONDS = 10.0

_provider: ModelProvider | None = None
_client: AsyncOpenAI | None = None


def uses_offline_model() -> bool:
    return not get_settings().openai_api_key


def model_name() -> str:
    return OFFLINE_MODEL_NAME if uses_offline_model() else get_settings().chatapp_model


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """The wait a response asks for (`retry-after-ms`, or `retry-after` in seconds or as a date)."""
    if (millis := headers.get("retry-after-ms")) is not None:
        try:
            return float(millis) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).timestamp() - time.time()
    except (TypeError, ValueError, IndexError):
        return None


async def _refuse_long_retry_after(response: httpx2.Response) -> None:
    # `x-should-retry: false` is the SDK's own switch for "do not retry this response".
    wait = retry_after_seconds(response.headers)
    if wait is not None and wait > PROVIDER_MAX_RETRY_AFTER_SECONDS:
        response.headers["x-should-retry"] = "false"


def model_provider() -> ModelProvider:
    """The process-wide provider chosen by OPENAI_API_KEY / OPENAI_BASE_URL."""
    global _provider, _client
    if _provider is None:
        settings = get_settings()
        # Trace export calls OpenAI; only on request.
        set_tracing_disabled(not settings.chatapp_tracing)
        if uses_offline_model():
            _provider = OfflineModelProvider()
        else:
            _client = AsyncOpenAI(
                api_key=settings.openai_api_key,
                base_url=settings.openai_base_url or OPENAI_API_BASE_URL,
                timeout=PROVIDER_TIMEOUT_SECONDS,
                max_retries=PROVIDER_MAX_RETRIES,
                http_client=DefaultAsyncHttpxClient(
                    event_hooks={"response": [_refuse_long_retry_after]}
                ),
            )
            # OpenAI-compatible servers (Ollama, vLLM) speak Chat Completions, not Responses.
            _provider = OpenAIProvider(
                openai_client=_client, use_responses=not settings.openai_base_url
            )
        logger.info("agent model: %s", model_name())
    return _provider


async def aclose_model_provider() -> None:
    """Close the real model's HTTP connections (on shutdown) and forget the provider."""
    client = _client
    reset_model_provider()
    if client is not None:
        await client.close()


def reset_model_provider() -> None:
    global _provider, _client
    _provider = None
    _client = None
