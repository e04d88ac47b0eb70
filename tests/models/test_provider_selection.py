"""Which model runs is configuration: offline without a key, OpenAI's Responses API with a key,
Chat Completions with a key and a base URL; tracing export only when asked for. No network."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from agents.models.openai_chatcompletions import OpenAIChatCompletionsModel
from agents.models.openai_provider import OpenAIProvider
from agents.models.openai_responses import OpenAIResponsesModel

from chatapp.agent.offline.model import OfflineModelProvider
from chatapp.agent.provider import (
    OFFLINE_MODEL_NAME,
    model_name,
    model_provider,
    retry_after_seconds,
)
from tests.support.models import API_KEY, MODEL, tracing_disabled


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""

    def refuse(sock, address):
        raise AssertionError(f"unexpected network call to {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)


def test_without_a_key_the_offline_model_runs(model_env, no_network):
    model_env.setenv("CHATAPP_MODEL", MODEL)

    assert isinstance(model_provider(), OfflineModelProvider)
    assert model_name() == OFFLINE_MODEL_NAME


def test_a_key_alone_selects_openai_responses_with_the_configured_model(model_env, no_network):
    model_env.setenv("OPENAI_API_KEY", API_KEY)
    model_env.setenv("CHATAPP_MODEL", MODEL)

    provider = model_provider()
    model = provider.get_model(model_name())

    assert isinstance(provider, OpenAIProvider)
    assert isinstance(model, OpenAIResponsesModel)
    assert model.model == MODEL


def test_a_key_and_a_base_url_select_chat_completions(model_env, no_network):
    model_env.setenv("OPENAI_API_KEY", API_KEY)
    model_env.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    model_env.setenv("CHATAPP_MODEL", MODEL)

    model = model_provider().get_model(model_name())

    assert isinstance(model, OpenAIChatCompletionsModel)
    assert model.model == MODEL


def test_the_default_real_model_is_gpt_4_1_mini(model_env, no_network):
    model_env.setenv("OPENAI_API_KEY", API_KEY)

    assert model_provider().get_model(model_name()).model == "gpt-4.1-mini"


def test_the_provider_is_chosen_once_per_process(model_env):
    assert model_provider() is model_provider()


@pytest.mark.parametrize("key", [None, API_KEY], ids=["offline", "real-model"])
@pytest.mark.parametrize(
    ("tracing", "disabled"), [(None, True), ("0", True), ("1", False)], ids=["unset", "0", "1"]
)
def test_tracing_is_off_unless_chatapp_tracing_is_1(model_env, no_network, key, tracing, disabled):
    if key:
        model_env.setenv("OPENAI_API_KEY", key)
    if tracing:
        model_env.setenv("CHATAPP_TRACING", tracing)

    model_provider()

    assert tracing_disabled() is disabled


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({}, None),
        ({"retry-after": "20"}, 20.0),
        ({"retry-after": "0.5"}, 0.5),
        ({"retry-after-ms": "1500", "retry-after": "99"}, 1.5),
        ({"retry-after": "soon"}, None),
    ],
)
def test_retry_after_is_read_in_seconds(headers, seconds):
    assert retry_after_seconds(headers) == seconds


def test_retry_after_as_an_http_date_is_the_time_until_then():
    then = datetime.now(UTC) + timedelta(seconds=90)

    wait = retry_after_seconds({"retry-after": format_datetime(then, usegmt=True)})

    assert wait is not None and 85 < wait <= 90
