"""chatapp's ready-made ChatKit panel: our /chatkit backend, AuthState's token, ChatKitState."""

from __future__ import annotations

from typing import Any

import reflex as rx

from chatapp.attachments.records import MAX_PER_REQUEST
from chatapp.chat.entities import ENTITY_SEARCH_ENDPOINT
from chatapp.components.chatkit.component import chatkit
from chatapp.settings import get_settings
from chatapp.state.chatkit import ChatKitState

CHATKIT_ENDPOINT = "/chatkit"
CLIENT_SECRET_ENDPOINT = "/api/chatkit"
EXAMPLE_PROMPTS = (
    ("Add buy milk tomorrow at 5pm", "plus"),
    ("What's pending?", "check-circle"),
    ("What's due this week?", "calendar"),
    ("Mark buy milk as done", "check"),
)


def start_screen() -> dict[str, Any]:
    return {
        "greeting": "What should we get done?",
        "prompts": [
            {"label": text, "prompt": text, "icon": icon} for text, icon in EXAMPLE_PROMPTS
        ],
    }


def _status_field(label: str, value: rx.Var | str, test_id: str) -> rx.Component:
    return rx.text(f"{label}: ", rx.el.span(value, data_testid=test_id), size="1")


def chatkit_status(detailed: bool = False) -> rx.Component:
    """A one-line status of the element, fed by ChatKit's events (data-testid per field)."""
    parts = [
        rx.cond(
            ChatKitState.responding,
            rx.hstack(rx.spinner(size="1"), rx.text("Working…", size="1"), spacing="1"),
        ),
        rx.cond(
            ChatKitState.last_error != "",
            rx.text(
                ChatKitState.last_error, size="1", color_scheme="red", data_testid="chatkit-error"
            ),
        ),
    ]
    if detailed:
        parts = [
            _status_field("ready", rx.cond(ChatKitState.ready, "yes", "no"), "chatkit-ready"),
            _status_field("thread", ChatKitState.thread_id, "chatkit-thread"),
            _status_field(
                "responding", rx.cond(ChatKitState.responding, "yes", "no"), "chatkit-responding"
            ),
            _status_field("last tool", ChatKitState.last_client_tool, "chatkit-last-tool"),
            _status_field("last effect", ChatKitState.last_effect, "chatkit-last-effect"),
            _status_field("error", ChatKitState.last_error, "chatkit-error"),
        ]
    return rx.hstack(
        *parts,
        spacing="4",
        wrap="wrap",
        align="center",
        color_scheme="gray",
        data_testid="chatkit-status",
        min_height="20px",
    )


def attachment_options() -> dict[str, Any]:
    """ChatKit's composer.attachments: what chatapp's upload routes take (the server checks
    each file's bytes again; these only steer the element's file picker and its limits)."""
    return {
        "enabled": True,
        "max_size": get_settings().attachment_max_bytes,
        "max_count": MAX_PER_REQUEST,
        "accept": {
            "image/png": [".png"],
            "image/jpeg": [".jpg", ".jpeg"],
            "image/webp": [".webp"],
            "image/gif": [".gif"],
            "application/pdf": [".pdf"],
            "text/plain": [".txt"],
            "text/markdown": [".md"],
            "text/csv": [".csv"],
        },
    }


def chatkit_panel(**overrides: Any) -> rx.Component:
    """ChatKit for the /chat page: self-hosted /chatkit (or the hosted workflow when
    CHATKIT_WORKFLOW_ID is set), wired to AuthState's token and ChatKitState. It fills its
    container's height (at least 360px). Any chatkit() prop can be overridden."""
    settings = get_settings()
    props: dict[str, Any] = {
        "api_url": CHATKIT_ENDPOINT,
        "client_secret_url": CLIENT_SECRET_ENDPOINT,
        "hosted": bool(settings.chatkit_workflow_id),
        "domain_key": settings.chatkit_domain_key,
        "script_url": settings.chatkit_script_url,
        "auth_token": ChatKitState.token,
        "theme": rx.color_mode_cond(light="light", dark="dark"),
        "start_screen": start_screen(),
        "composer": {"placeholder": "Tell me what to do…", "attachments": attachment_options()},
        "upload_strategy": {"type": "two_phase"},
        "entity_search_url": ENTITY_SEARCH_ENDPOINT,
        "history": {"enabled": True, "show_delete": True, "show_rename": True},
        "client_tool_results": ChatKitState.client_tool_results,
        "on_ready": ChatKitState.mark_ready,
        "on_error": ChatKitState.record_error,
        "on_response_start": ChatKitState.response_started,
        "on_response_end": ChatKitState.response_ended,
        "on_thread_change": ChatKitState.thread_changed,
        "on_thread_load_start": ChatKitState.thread_load_started,
        "on_thread_load_end": ChatKitState.thread_load_ended,
        "on_log": ChatKitState.record_log,
        "on_effect": ChatKitState.apply_effect,
        "on_client_tool": ChatKitState.run_client_tool,
        "on_unauthorized": ChatKitState.session_expired,
        "on_unavailable": ChatKitState.mark_unavailable,
        "on_fatal_error": ChatKitState.mark_failed,
        "id": "chatkit",
        "display": "block",
        "width": "100%",
        "height": "100%",
    }
    props.update(overrides)
    return rx.vstack(
        rx.cond(
            ChatKitState.available,
            rx.box(
                chatkit(**props),
                width="100%",
                flex="1",
                min_height="360px",
                border_radius="var(--radius-4)",
                overflow="hidden",
                background=rx.color("gray", 1),
                border=f"1px solid {rx.color('gray', 5)}",
            ),
            rx.callout(
                ChatKitState.unavailable_reason
                + " ChatKit's interface loads from OpenAI's CDN and needs a verified domain key.",
                icon="triangle-alert",
                color_scheme="amber",
                width="100%",
                data_testid="chatkit-unavailable",
            ),
        ),
        chatkit_status(),
        width="100%",
        height="100%",
        spacing="2",
        data_testid="chatkit-panel",
    )
