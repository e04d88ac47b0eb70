"""`chatkit(...)`: OpenAI's ChatKit chat UI as a Reflex component.

Wraps `@openai/chatkit-react` (pinned below) through a small local React module, `chatkit.jsx`
next to this file, imported with Reflex's documented local-component pattern (`rx.asset(...,
shared=True)` + `library="$/public/..."`). Option names mirror ChatKit's own `ChatKitOptions`
(snake_case here, camelCase in JavaScript; nested dict keys are camelCased too). Self-contained:
nothing here imports chatapp, so the module can be copied into another Reflex app.
"""

from __future__ import annotations

import re
from typing import Any

import reflex as rx
from reflex.components.component import NoSSRComponent, field
from reflex.event import EventHandler, no_args_event_spec, passthrough_event_spec
from reflex.vars.base import Var

CHATKIT_REACT = "@openai/chatkit-react@1.6.1"
CHATKIT_SCRIPT_URL = "https://cdn.platform.openai.com/deployments/chatkit/chatkit.js"
ELEMENT_TAG = "openai-chatkit"

_JSX = rx.asset("chatkit.jsx", shared=True)

_name_and_data = passthrough_event_spec(str, dict)
_cause_and_message = passthrough_event_spec(str, str)
_optional_id = passthrough_event_spec(str)  # a thread or tool id, or null
_message = passthrough_event_spec(str)
_call = passthrough_event_spec(dict)  # {call_id, name, params}


class ChatKit(NoSSRComponent):
    """The `<openai-chatkit>` element driven by `useChatKit`. Build it with `chatkit(...)`."""

    library = _JSX.importable_path
    tag = "ChatKitElement"
    lib_dependencies: list[str] = [CHATKIT_REACT]

    # --- where the chat lives -----------------------------------------------------------
    api_url: Var[str] = field(
        doc="Self-hosted ChatKit endpoint (ChatKitOptions.api.url). Relative URLs resolve "
        "against the Reflex backend, e.g. '/chatkit'."
    )
    domain_key: Var[str] = field(doc="ChatKitOptions.api.domainKey, verified by OpenAI.")
    auth_token: Var[str] = field(
        doc="The signed-in user's bearer token (e.g. AuthState.token). Sent as "
        "`Authorization: Bearer` to client_secret_url, or to api_url when that is unset."
    )
    client_secret_url: Var[str] = field(
        doc="Base of POST {url}/start and {url}/refresh → {client_secret, expires_in}. "
        "Self-hosted: the short-lived secret is the bearer for api_url, renewed before expiry. "
        "Hosted: it is what getClientSecret returns."
    )
    hosted: Var[bool] = field(
        doc="True: OpenAI-hosted workflow (api.getClientSecret from client_secret_url) "
        "instead of api_url."
    )
    upload_strategy: Var[dict[str, Any]] = field(doc="ChatKitOptions.api.uploadStrategy")
    entity_search_url: Var[str] = field(
        doc="ChatKitOptions.entities.onTagSearch: GET {url}?q=<typed text> (with api_url's "
        "auth) answers the entities to offer; unset: no tags."
    )
    script_url: Var[str] = field(
        doc="The ChatKit web-component script (OpenAI's CDN); added to <head> once."
    )
    load_timeout_ms: Var[int] = field(
        doc="on_unavailable fires if the element is not defined after this long (default 8000)."
    )
    sign_in_url: Var[str] = field(
        doc="Where a 401 sends the user when no on_unauthorized handler is given."
    )
    thread_param: Var[str] = field(
        doc="URL query parameter that holds the open thread (default 'thread'; '' disables)."
    )
    initial_thread: Var[str] = field(
        doc="ChatKitOptions.initialThread; defaults to the thread in the URL."
    )
    client_tool_results: Var[dict[str, Any]] = field(
        doc="{call_id: result} written by the on_client_tool handler; the pending "
        "onClientTool promise with that call_id resolves to the result."
    )
    client_tool_timeout_ms: Var[int] = field(
        doc="A client tool with no result after this long resolves to {error} (default 30000)."
    )

    # --- ChatKitOptions, same names ------------------------------------------------------
    theme: Var[str | dict[str, Any]] = field(doc="'light', 'dark' or a ThemeOption dict.")
    locale: Var[str] = field(doc="ChatKitOptions.locale, e.g. 'en', 'fr-FR'.")
    frame_title: Var[str] = field(doc="ChatKitOptions.frameTitle")
    start_screen: Var[dict[str, Any]] = field(
        doc="ChatKitOptions.startScreen: {greeting, prompts: [{label, prompt, icon}]}"
    )
    header: Var[dict[str, Any]] = field(doc="ChatKitOptions.header")
    history: Var[dict[str, Any]] = field(doc="ChatKitOptions.history")
    composer: Var[dict[str, Any]] = field(doc="ChatKitOptions.composer")
    disclaimer: Var[dict[str, Any]] = field(doc="ChatKitOptions.disclaimer")
    thread_item_actions: Var[dict[str, Any]] = field(doc="ChatKitOptions.threadItemActions")
    thread: Var[dict[str, Any]] = field(doc="ChatKitOptions.thread")

    # --- ChatKit's DOM events (chatkit.*), as Reflex event triggers ----------------------
    on_ready: EventHandler[no_args_event_spec] = field(doc="chatkit.ready")
    on_error: EventHandler[_message] = field(doc="chatkit.error → the error's message")
    on_response_start: EventHandler[no_args_event_spec] = field(doc="chatkit.response.start")
    on_response_end: EventHandler[no_args_event_spec] = field(doc="chatkit.response.end")
    on_thread_change: EventHandler[_optional_id] = field(doc="chatkit.thread.change → thread id")
    on_thread_load_start: EventHandler[_optional_id] = field(doc="chatkit.thread.load.start")
    on_thread_load_end: EventHandler[_optional_id] = field(doc="chatkit.thread.load.end")
    on_log: EventHandler[_name_and_data] = field(doc="chatkit.log → (name, data)")
    on_effect: EventHandler[_name_and_data] = field(doc="chatkit.effect → (name, data)")
    on_history_open: EventHandler[no_args_event_spec] = field(doc="chatkit.history.open")
    on_history_close: EventHandler[no_args_event_spec] = field(doc="chatkit.history.close")
    on_tool_change: EventHandler[_optional_id] = field(doc="chatkit.tool.change → tool id")
    on_deeplink: EventHandler[_name_and_data] = field(doc="chatkit.deeplink → (name, data)")
    on_client_tool: EventHandler[_call] = field(
        doc="ChatKitOptions.onClientTool → {call_id, name, params}; put the result in "
        "client_tool_results[call_id]."
    )
    on_unauthorized: EventHandler[no_args_event_spec] = field(
        doc="A request got 401 (session expired). Default: go to sign_in_url."
    )
    on_unavailable: EventHandler[_message] = field(
        doc="The element could not load (script blocked, offline, timeout) → reason."
    )
    on_fatal_error: EventHandler[_cause_and_message] = field(
        doc="The element loaded but cannot work on this page (domain key rejected, setup "
        "rejected or failed to start, no chat session) → (cause, the error's message). Once "
        "per mount; per-message errors (a failed response) only reach on_error."
    )

    @classmethod
    def create(cls, *children, **props) -> rx.Component:
        for name in _OPTION_DICTS:
            if isinstance(props.get(name), dict):
                props[name] = camelize_keys(props[name])
        props.setdefault("script_url", CHATKIT_SCRIPT_URL)
        return super().create(*children, **props)


_OPTION_DICTS = (
    "theme",
    "start_screen",
    "header",
    "history",
    "composer",
    "disclaimer",
    "thread_item_actions",
    "thread",
    "upload_strategy",
)
_SNAKE = re.compile(r"_([a-z0-9])")


def camelize_keys(value: Any) -> Any:
    """{'color_scheme': 'dark'} → {'colorScheme': 'dark'}, recursively (keys only)."""
    if isinstance(value, dict):
        return {
            _SNAKE.sub(lambda m: m.group(1).upper(), str(k)): camelize_keys(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [camelize_keys(v) for v in value]
    return value


def chatkit(**props: Any) -> rx.Component:
    """OpenAI ChatKit as a Reflex component, e.g.

    chatkit(api_url="/chatkit", domain_key="domain_pk_...", auth_token=AuthState.token,
            theme="dark", start_screen={"greeting": "Hi!", "prompts": [...]},
            on_thread_change=MyState.set_thread, on_client_tool=MyState.run_tool)
    """
    return ChatKit.create(**props)
