"""Model selection: the embedded offline model by default, a real LLM when a key is configured.

The agent definition never knows which one runs; the chat core passes `model_provider()` and
`model_name()` to the run config.
"""

from __future__ import annotations

import logging

from agents import set_tracing_disabled
from agents.models.interface import ModelProvider
from agents.models.openai_provider import OpenAIProvider
from openai import AsyncOpenAI

from chatapp.agent.offline_model import DEFAULT_MODEL_NAME as OFFLINE_MODEL_NAME
from chatapp.agent.offline_model import OfflineModelProvider
from chatapp.settings import get_settings

logger = logging.getLogger("chatapp.agent")

# Bounded: a slow or failing provider costs the user seconds, not minutes.
PROVIDER_TIMEOUT_SECONDS = 30.0
PROVIDER_MAX_RETRIES = 2

_provider: ModelProvider | None = None


def uses_offline_model() -> bool:
    return not get_settings().openai_api_key


def model_name() -> str:
    return OFFLINE_MODEL_NAME if uses_offline_model() else get_settings().chatapp_model


def model_provider() -> ModelProvider:
    """The process-wide provider chosen by OPENAI_API_KEY / OPENAI_BASE_URL."""
    global _provider
    if _provider is None:
        settings = get_settings()
        # Trace export calls OpenAI; only on request.
        set_tracing_disabled(not settings.chatapp_tracing)
        if uses_offline_model():
            _provider = OfflineModelProvider()
        else:
            client = AsyncOpenAI(
                api_key=settings.openai_api_key,
                base_url=settings.openai_base_url or None,
                timeout=PROVIDER_TIMEOUT_SECONDS,
                max_retries=PROVIDER_MAX_RETRIES,
            )
            # OpenAI-compatible servers (Ollama, vLLM) speak Chat Completions, not Responses.
            _provider = OpenAIProvider(
                openai_client=client, use_responses=not settings.openai_base_url
            )
        logger.info("agent model: %s", model_name())
    return _provider


def reset_model_provider() -> None:
    global _provider
    _provider = None
