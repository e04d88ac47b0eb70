"""The Reflex side of the ChatKit component: what it renders into the page's JavaScript."""

from __future__ import annotations

import reflex as rx

from chatapp.components.chatkit import (
    CHATKIT_REACT,
    CHATKIT_SCRIPT_URL,
    ChatKit,
    chatkit,
    chatkit_panel,
)
from chatapp.components.chatkit.component import camelize_keys
from chatapp.settings import get_settings


class ChatKitRenderTestState(rx.State):
    token: str = ""
    thread: str = ""

    @rx.event
    def set_thread(self, thread_id: str | None):
        self.thread = thread_id or ""


def test_the_react_bindings_are_pinned_and_the_module_is_local():
    assert CHATKIT_REACT == "@openai/chatkit-react@1.6.1"
    assert ChatKit.lib_dependencies == [CHATKIT_REACT]
    assert ChatKit.library.startswith("$/public/external/chatapp/components/chatkit/")
    assert ChatKit.library.endswith("/chatkit.jsx")


def test_options_keep_chatkits_names_in_camel_case():
    rendered = str(
        chatkit(
            api_url="/chatkit",
            domain_key="domain_pk_test",
            auth_token=ChatKitRenderTestState.token,
            theme={"color_scheme": "dark", "color": {"accent": {"primary": "#7c3aed", "level": 2}}},
            start_screen={
                "greeting": "Hi",
                "prompts": [{"label": "A", "prompt": "a", "icon": "plus"}],
            },
            thread_item_actions={"feedback": True},
            locale="fr",
            on_thread_change=ChatKitRenderTestState.set_thread,
        )
    )
    assert 'apiUrl:"/chatkit"' in rendered
    assert 'domainKey:"domain_pk_test"' in rendered
    assert '["colorScheme"] : "dark"' in rendered and '["primary"] : "#7c3aed"' in rendered
    assert '["greeting"] : "Hi"' in rendered and '["icon"] : "plus"' in rendered
    assert 'threadItemActions:({ ["feedback"] : true })' in rendered
    assert 'locale:"fr"' in rendered
    assert f'scriptUrl:"{CHATKIT_SCRIPT_URL}"' in rendered
    assert "onThreadChange:((_ev_0) =>" in rendered and "set_thread" in rendered


def test_camelize_keys_changes_keys_only():
    assert camelize_keys({"show_delete": True, "prompts": [{"label": "snake_case stays"}]}) == {
        "showDelete": True,
        "prompts": [{"label": "snake_case stays"}],
    }


def test_panel_uses_the_settings(settings_env):
    settings_env(
        CHATKIT_DOMAIN_KEY="domain_pk_prod_123", CHATKIT_SCRIPT_URL="https://cdn.example/ck.js"
    )
    rendered = str(chatkit_panel())
    assert 'domainKey:"domain_pk_prod_123"' in rendered
    assert 'scriptUrl:"https://cdn.example/ck.js"' in rendered
    assert 'apiUrl:"/chatkit"' in rendered and 'clientSecretUrl:"/api/chatkit"' in rendered
    assert "hosted:false" in rendered
    assert "Add buy milk tomorrow at 5pm" in rendered and "What's pending?" in rendered
    # An element that cannot work here reports (cause, message) to the panel's state.
    assert "onFatalError:((_ev_0, _ev_1) =>" in rendered
    assert '.mark_failed", ({ ["cause"] : _ev_0, ["message"] : _ev_1 })' in rendered

    settings_env(CHATKIT_WORKFLOW_ID="wf_123")
    assert "hosted:true" in str(chatkit_panel())
    assert get_settings().chatkit_workflow_id == "wf_123"


def test_panel_props_can_be_overridden():
    rendered = str(chatkit_panel(theme="dark", locale="de"))
    assert 'theme:"dark"' in rendered and 'locale:"de"' in rendered
