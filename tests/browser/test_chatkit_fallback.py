"""/chat in auto mode when ChatKit's element loads but cannot work on this page.

OpenAI's element reports its errors as `chatkit.error` events whose `detail.error` is an Error
named after ChatKit's public error classes: a rejected domain key arrives, once the frame has
loaded, as a `DomainVerificationRequestError` ("Domain verification request failed with 401") or an
`IntegrationError` ("Domain verification failed for <origin>"); options it rejects make
`setOptions` dispatch an `IntegrationError` and throw it. The stand-in served here in place of the
CDN script does the same, so the page can be checked without OpenAI: those fall back to the
built-in chat and say why; per-message errors (a failed response) leave ChatKit in place.
"""

from __future__ import annotations

import json
import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from chatapp.components.chatkit.component import CHATKIT_SCRIPT_URL
from tests.browser.test_chat_native import ask
from tests.browser.test_chatkit_component import DEMO, open_demo
from tests.browser.test_tasks_flow import sign_up

pytestmark = pytest.mark.browser

STAND_IN = """
(() => {
  const config = __CONFIG__;
  const error = ([name, message]) => Object.assign(new Error(message), { name });
  const ck = (window.__ck = { options: [] });
  class StandInChatKit extends HTMLElement {
    setOptions(options) {
      if (config.optionsError) {
        // What the element does with options it rejects: report, then throw.
        const rejected = error(config.optionsError);
        this.dispatchEvent(new CustomEvent("chatkit.error", { detail: { error: rejected } }));
        throw rejected;
      }
      ck.options.push(options);
      ck.el = this;
      this.innerHTML = '<div style="padding:16px;font:14px system-ui"><b>ChatKit stand-in</b></div>';
      // Its frame loads (chatkit.ready), then the frame has the domain key checked by OpenAI.
      setTimeout(() => {
        this.emit("chatkit.ready");
        if (config.loadError) this.emit("chatkit.error", { error: error(config.loadError) });
      }, 50);
    }
    emit(name, detail) {
      this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
    }
  }
  customElements.define("openai-chatkit", StandInChatKit);
})();
"""


def serve_stand_in(page: Page, **config) -> None:
    """Answer OpenAI's CDN script URL with the stand-in (config: loadError / optionsError as
    [error name, message])."""
    body = STAND_IN.replace("__CONFIG__", json.dumps(config))
    page.route(
        CHATKIT_SCRIPT_URL,
        lambda route: route.fulfill(status=200, content_type="text/javascript", body=body),
    )


def new_email() -> str:
    return f"fallback-{uuid.uuid4().hex[:8]}@example.com"


def emit_error(page: Page, name: str, message: str) -> None:
    page.evaluate(
        """([name, message]) => window.__ck.el.emit('chatkit.error',
             {error: Object.assign(new Error(message), {name})})""",
        [name, message],
    )


@pytest.mark.parametrize(
    ("config", "cause"),
    [
        (
            {
                "loadError": [
                    "DomainVerificationRequestError",
                    "Domain verification request failed with 401",
                ]
            },
            "domain key rejected",
        ),
        (
            {
                "loadError": [
                    "IntegrationError",
                    "Domain verification failed for https://tasks.example.com",
                ]
            },
            "domain key rejected",
        ),
        (
            {
                "optionsError": [
                    "IntegrationError",
                    "Invalid frame params: ChatKit.create(): Invalid input at api",
                ]
            },
            "its setup was rejected",
        ),
    ],
    ids=["domain-verification-request", "domain-integration-error", "options-rejected"],
)
def test_auto_mode_falls_back_to_native_when_chatkit_cannot_start(
    page: Page, live_server: str, artifacts, config, cause
):
    serve_stand_in(page, **config)
    sign_up(page, live_server, new_email())  # lands on /chat: the element is defined, then fails

    note = page.locator("#chat-renderer-note")
    expect(note).to_have_attribute("data-renderer", "native")
    expect(note).to_have_text(f"ChatKit could not start here ({cause}) — using the built-in chat.")
    expect(page.locator("openai-chatkit")).to_have_count(0)
    ask(page, "add water the plants")
    expect(page.locator(".chat-message[data-role=assistant]").last).to_contain_text(
        "Water the plants"
    )
    if "loadError" in config and config["loadError"][0] == "DomainVerificationRequestError":
        page.screenshot(path=str(artifacts / "chat-chatkit-domain-key-fallback.png"))

    # ChatKit loads again on a reload, but this tab stays on the chat that works.
    page.reload()
    expect(note).to_have_attribute("data-renderer", "native")
    expect(note).to_contain_text(f"({cause})")
    expect(page.locator("#chat-composer")).to_be_visible()
    expect(page.locator("openai-chatkit")).to_have_count(0)


def test_per_message_errors_keep_chatkit(page: Page, live_server: str):
    serve_stand_in(page)
    sign_up(page, live_server, new_email())
    note = page.locator("#chat-renderer-note")
    expect(note).to_have_attribute("data-renderer", "chatkit")
    page.wait_for_function("() => window.__ck?.options.length > 0")
    # Loaded (the stand-in says so too, but maybe before React listened): errors from now on
    # concern one message or view.
    page.evaluate("() => window.__ck.el.emit('chatkit.ready')")

    emit_error(page, "StreamError", "Failed to stream response: the server closed the stream")
    emit_error(page, "IntegrationError", "No handler for widget actions.")  # after chatkit.ready
    emit_error(page, "InitialThreadLoadError", "Failed to load initial thread: thr_gone")

    # Each error reached Reflex in order; had any been fatal, its switch would have come first.
    expect(page.get_by_test_id("chatkit-error")).to_have_text(
        "Failed to load initial thread: thr_gone"
    )
    expect(note).to_have_attribute("data-renderer", "chatkit")
    expect(note).to_have_text("ChatKit.")
    expect(page.locator("openai-chatkit")).to_have_count(1)


def test_panel_shows_why_chatkit_cannot_start_instead_of_falling_back(
    page: Page, live_server: str, artifacts
):
    """The panel alone (/chatkit-demo; what /chat shows with CHATAPP_CHAT_UI=chatkit)."""
    serve_stand_in(page)
    sign_up(page, live_server, new_email())
    page.unroute(CHATKIT_SCRIPT_URL)
    serve_stand_in(
        page,
        loadError=["DomainVerificationRequestError", "Domain verification request failed with 401"],
    )
    open_demo(page, live_server)

    notice = page.get_by_test_id("chatkit-unavailable")
    expect(notice).to_contain_text(
        "ChatKit could not start here (domain key rejected): "
        "Domain verification request failed with 401."
    )
    expect(page.get_by_test_id("chatkit-error").last).to_have_text(
        "Domain verification request failed with 401"
    )
    expect(page).to_have_url(re.compile(rf".*{DEMO}/?$"))
    page.screenshot(path=str(artifacts / "chatkit-demo-domain-key-rejected.png"), full_page=True)
