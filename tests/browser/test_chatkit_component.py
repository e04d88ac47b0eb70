"""The ChatKit component on /chatkit-demo, in a real production build, with OpenAI's CDN script
blocked and a stand-in <openai-chatkit> element (the real one cannot load here: it is served by
OpenAI's CDN and verifies its domain key with api.openai.com).

The stand-in behaves like the element as @openai/chatkit-react 1.6.1 drives it: the React
component calls `setOptions(options)` (options without the `on*` event handlers, but with
`onClientTool`) and listens for `chatkit.*` CustomEvents whose `detail` it hands to the handlers.
The test serves the stand-in in place of the CDN script the component adds; it records every
`setOptions`, and the test dispatches events and calls `api.fetch` / `onClientTool` from it, as
the real element would.
"""

from __future__ import annotations

import json
import re
import uuid

import httpx
import jwt
import pytest
from playwright.sync_api import Page, expect

from chatapp.components.chatkit.component import CHATKIT_SCRIPT_URL
from tests.browser.test_tasks_flow import sign_up

pytestmark = pytest.mark.browser

DEMO = "/chatkit-demo"

STAND_IN = """
(() => {
  const ck = (window.__ck = { options: [], scripts: [] });
  class StandInChatKit extends HTMLElement {
    setOptions(options) {
      ck.options.push(options);
      ck.el = this;
      const prompts = (options.startScreen?.prompts ?? []).map((p) => `<li>${p.label}</li>`).join("");
      this.innerHTML = `<div style="padding:16px;font:14px system-ui">
        <b>ChatKit stand-in</b> · theme ${JSON.stringify(options.theme)}
        <p>${options.startScreen?.greeting ?? ""}</p><ul>${prompts}</ul></div>`;
    }
    emit(name, detail) {
      this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
    }
    focusComposer() {}
    setThreadId() {}
    sendUserMessage() {}
    setComposerValue() {}
    fetchUpdates() {}
    sendCustomAction() {}
    showHistory() {}
    hideHistory() {}
  }
  customElements.define("openai-chatkit", StandInChatKit);
  // What the element would do with api.fetch: POST a ChatKit request, read the whole answer.
  ck.request = async (body) => {
    const api = ck.options.at(-1).api;
    const response = await api.fetch(api.url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  };
  ck.clientTool = (name, params) => ck.options.at(-1).onClientTool({ name, params });
})();
"""


def demo_page(page: Page, *, stand_in: bool = True) -> list[str]:
    """Intercept OpenAI's CDN script: serve the stand-in, or fail it. Returns the requests made
    by the demo page (signing up lands on /chat, whose own ChatKit detection asks too)."""
    cdn_requests: list[str] = []

    def serve(route):
        if DEMO in route.request.frame.url:
            cdn_requests.append(route.request.url)
        if stand_in:
            route.fulfill(status=200, content_type="text/javascript", body=STAND_IN)
        else:
            route.abort()

    page.route(CHATKIT_SCRIPT_URL, serve)
    return cdn_requests


def open_demo(page: Page, base: str) -> None:
    page.goto(f"{base}{DEMO}")
    expect(
        page.get_by_test_id("chatkit-panel"),
        f"{DEMO} is not a page of this build: chatapp.components.chatkit must be imported at "
        "module level before the app compiles (its @rx.page registers the route)",
    ).to_be_attached()


def signed_up(page: Page, base: str) -> str:
    sign_up(page, base, f"ck-{uuid.uuid4().hex[:8]}@example.com")
    return page.evaluate("() => localStorage.getItem('chatapp_token')")


def last_options(page: Page) -> dict:
    return page.evaluate(
        """() => { const o = window.__ck.options.at(-1);
                   return JSON.parse(JSON.stringify(o, (k, v) => typeof v === 'function' ? '<fn>' : v)); }"""
    )


def status(page: Page, field: str):
    return page.get_by_test_id(f"chatkit-{field}").last


def emit(page: Page, name: str, detail=None) -> None:
    page.evaluate("([n, d]) => window.__ck.el.emit(n, d)", [name, detail])


def test_options_auth_events_and_thread_in_url(page: Page, live_server: str, artifacts):
    cdn = demo_page(page)
    session_token = signed_up(page, live_server)
    chatkit_calls: list[dict] = []
    page.on(
        "request",
        lambda r: (
            chatkit_calls.append({"url": r.url, "headers": r.headers})
            if re.search(r"/chatkit$|/api/chatkit/", r.url)
            else None
        ),
    )
    open_demo(page, live_server)
    page.wait_for_function("() => window.__ck?.options.length > 0")

    # The component added OpenAI's script tag itself (the test's route served the stand-in).
    assert cdn == [CHATKIT_SCRIPT_URL]
    assert page.locator(f'script[src="{CHATKIT_SCRIPT_URL}"]').count() == 1

    options = last_options(page)
    assert options["api"] == {
        "url": f"{live_server}/chatkit",
        "domainKey": "domain_pk_localhost_dev",
        "fetch": "<fn>",
        "uploadStrategy": {"type": "two_phase"},
    }
    assert options["theme"] == "light"
    assert options["initialThread"] is None
    assert options["onClientTool"] == "<fn>"
    assert options["startScreen"]["greeting"] == "What should we get done?"
    labels = [p["label"] for p in options["startScreen"]["prompts"]]
    assert "Add buy milk tomorrow at 5pm" in labels and "What's pending?" in labels
    assert options["composer"]["placeholder"] == "Tell me what to do…"
    assert options["composer"]["attachments"]["enabled"] is True  # test_chatkit_attachments.py
    assert options["history"] == {"enabled": True, "showDelete": True, "showRename": True}
    assert not any(key.startswith("on") and key != "onClientTool" for key in options)

    emit(page, "chatkit.ready")
    expect(status(page, "ready")).to_have_text("yes")

    # api.fetch: the element's request reaches our /chatkit with a chat-scoped bearer token.
    answer = page.evaluate(
        "() => window.__ck.request({type: 'threads.list', params: {limit: 5, order: 'desc'}})"
    )
    assert answer["status"] == 200, answer
    assert json.loads(answer["text"])["data"] == []
    [start] = [c for c in chatkit_calls if c["url"].endswith("/api/chatkit/start")]
    assert start["headers"]["authorization"] == f"Bearer {session_token}"
    [listed] = [c for c in chatkit_calls if c["url"].endswith("/chatkit")]
    scheme, chat_token = listed["headers"]["authorization"].split(" ")
    assert scheme == "Bearer" and chat_token != session_token
    claims = jwt.decode(chat_token, options={"verify_signature": False})
    assert claims["aud"] == "chatapp:chat"
    assert listed["headers"]["x-chatapp-timezone"]
    # The chat-scoped token is what the server accepts at /chatkit, and nowhere else.
    me = httpx.get(f"{live_server}/api/auth/me", headers={"Authorization": f"Bearer {chat_token}"})
    assert me.status_code == 401

    # A real turn through the element's fetch: the offline agent adds the task, thread created.
    turn = page.evaluate(
        """() => window.__ck.request({type: 'threads.create', params: {input: {
             content: [{type: 'input_text', text: 'Add buy milk tomorrow at 5pm'}],
             attachments: [], inference_options: {}}}})"""
    )
    assert turn["status"] == 200, turn
    thread_id = re.search(r'"type":\s*"thread\.created".*?"id":\s*"([^"]+)"', turn["text"]).group(1)
    assert len([c for c in chatkit_calls if c["url"].endswith("/api/chatkit/start")]) == 1

    emit(page, "chatkit.response.start")
    expect(status(page, "responding")).to_have_text("yes")
    emit(page, "chatkit.thread.change", {"threadId": thread_id})
    expect(status(page, "thread")).to_have_text(thread_id)
    expect(page).to_have_url(re.compile(rf"{DEMO}/?\?thread={thread_id}$"))
    emit(page, "chatkit.response.end")
    expect(status(page, "responding")).to_have_text("no")
    emit(page, "chatkit.effect", {"name": "refresh_tasks", "data": {}})
    expect(status(page, "last-effect")).to_have_text("refresh_tasks")

    page.evaluate("() => window.__ck.el.emit('chatkit.error', {error: new Error('Stream broke')})")
    expect(status(page, "error")).to_have_text("Stream broke")
    page.screenshot(path=str(artifacts / "chatkit-demo-events.png"), full_page=True)

    # Reload: the thread comes back from the URL as initialThread.
    page.reload()
    page.wait_for_function("() => window.__ck?.options.length > 0")
    assert last_options(page)["initialThread"] == thread_id
    emit(page, "chatkit.thread.change", {"threadId": None})
    expect(page).to_have_url(re.compile(rf"{DEMO}/?$"))


def test_client_tools_reach_reflex_and_answer_the_element(page: Page, live_server: str, artifacts):
    demo_page(page)
    session_token = signed_up(page, live_server)
    me = httpx.get(
        f"{live_server}/api/auth/me", headers={"Authorization": f"Bearer {session_token}"}
    ).json()
    task = httpx.post(
        f"{live_server}/api/{me['user_id']}/tasks",
        headers={"Authorization": f"Bearer {session_token}"},
        json={"title": "Buy milk"},
    ).json()
    open_demo(page, live_server)
    page.wait_for_function("() => window.__ck?.options.length > 0")

    opened = page.evaluate(
        "([id]) => window.__ck.clientTool('open_task', {task_id: id})", [task["id"]]
    )
    assert opened == {"opened": True, "task_id": task["id"], "title": "Buy milk"}
    expect(status(page, "last-tool")).to_have_text("open_task: ok")

    assert page.evaluate("() => window.__ck.clientTool('refresh_tasks', {})") == {"refreshed": True}
    expect(status(page, "last-tool")).to_have_text("refresh_tasks: ok")

    missing = page.evaluate("() => window.__ck.clientTool('open_task', {task_id: 999999})")
    assert missing == {"error": "Task 999999 not found"}
    unknown = page.evaluate("() => window.__ck.clientTool('launch_rockets', {})")
    assert unknown["error"].startswith("Unknown client tool 'launch_rockets'")
    expect(status(page, "last-tool")).to_have_text("launch_rockets: error")

    # Two calls in flight at once each get their own result.
    both = page.evaluate(
        """([id]) => Promise.all([window.__ck.clientTool('open_task', {task_id: id}),
                                  window.__ck.clientTool('refresh_tasks', {})])""",
        [task["id"]],
    )
    assert both == [
        {"opened": True, "task_id": task["id"], "title": "Buy milk"},
        {"refreshed": True},
    ]
    page.screenshot(path=str(artifacts / "chatkit-demo-client-tools.png"), full_page=True)


def test_rejected_chat_token_sends_the_user_to_sign_in(page: Page, live_server: str):
    demo_page(page)
    signed_up(page, live_server)
    secrets_asked: list[str] = []
    page.on("request", lambda r: secrets_asked.append(r.url) if "/api/chatkit/" in r.url else None)
    # The server stops accepting the chat token (e.g. JWT_SECRET rotated): 401 even when fresh.
    page.route(
        re.compile(r".*/chatkit$"),
        lambda route: route.fulfill(
            status=401,
            content_type="application/json",
            body='{"detail": "Invalid authentication token."}',
        ),
    )
    open_demo(page, live_server)
    page.wait_for_function("() => window.__ck?.options.length > 0")

    answer = page.evaluate("() => window.__ck.request({type: 'threads.list', params: {}})")

    assert answer["status"] == 401
    # One retry with a freshly refreshed secret, then sign-in.
    assert [u.rsplit("/", 1)[1] for u in secrets_asked] == ["start", "refresh"]
    page.wait_for_url(re.compile(r".*/login/?\?reason=expired$"))
    expect(page.locator("#auth-notice")).to_contain_text("expired")
    assert page.evaluate("() => localStorage.getItem('chatapp_token')") in ("", None)


def test_blocked_cdn_shows_why_chatkit_is_unavailable(page: Page, live_server: str, artifacts):
    cdn = demo_page(page, stand_in=False)
    signed_up(page, live_server)
    open_demo(page, live_server)

    notice = page.get_by_test_id("chatkit-unavailable")
    expect(notice).to_contain_text("could not be loaded from https://cdn.platform.openai.com")
    assert cdn == [CHATKIT_SCRIPT_URL]
    page.evaluate("() => localStorage.setItem('theme', 'dark')")
    page.reload()
    expect(page.get_by_test_id("chatkit-unavailable")).to_be_visible()
    page.screenshot(path=str(artifacts / "chatkit-demo-unavailable-dark.png"), full_page=True)


def test_dark_mode_reaches_chatkit_theme(page: Page, live_server: str, artifacts):
    demo_page(page)
    signed_up(page, live_server)
    page.evaluate("() => localStorage.setItem('theme', 'dark')")
    open_demo(page, live_server)
    page.wait_for_function("() => window.__ck?.options.some((o) => o.theme === 'dark')")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "chatkit-demo-dark-phone.png"), full_page=True)


def test_chat_secret_is_refreshed_before_it_expires(page: Page, live_server: str):
    demo_page(page)
    signed_up(page, live_server)
    asked: list[str] = []
    page.on(
        "request",
        lambda r: asked.append(r.url.rsplit("/", 1)[1]) if "/api/chatkit/" in r.url else None,
    )
    page.clock.install()
    open_demo(page, live_server)
    page.wait_for_function("() => window.__ck?.options.length > 0")
    threads_list = "() => window.__ck.request({type: 'threads.list', params: {}})"

    assert page.evaluate(threads_list)["status"] == 200
    page.clock.fast_forward("58:00")  # default 3600 s secret: 2 min left, outside the margin
    assert page.evaluate(threads_list)["status"] == 200
    assert asked == ["start"]
    page.clock.fast_forward("01:30")  # 30 s before expiry: inside the refresh margin
    assert page.evaluate(threads_list)["status"] == 200
    assert asked == ["start", "refresh"]


def test_tag_search_offers_the_users_tasks_through_the_element(page: Page, live_server: str):
    demo_page(page)
    token = signed_up(page, live_server)
    auth = {"Authorization": f"Bearer {token}"}
    me = httpx.get(f"{live_server}/api/auth/me", headers=auth).json()["user_id"]
    created = httpx.post(
        f"{live_server}/api/{me}/tasks", headers=auth, json={"title": "Buy oat milk"}
    )
    open_demo(page, live_server)
    page.wait_for_function("() => window.__ck?.options.length > 0")
    assert last_options(page)["entities"] == {"onTagSearch": "<fn>"}

    # What the element does as the user types "@milk": the component's search answers.
    found = page.evaluate("() => window.__ck.options.at(-1).entities.onTagSearch('milk')")
    task_id = created.json()["id"]
    assert [(e["id"], e["title"], e["data"]["task_id"]) for e in found] == [
        (f"task_{task_id}", "Buy oat milk", str(task_id))
    ]
    assert page.evaluate("() => window.__ck.options.at(-1).entities.onTagSearch('zzz')") == []
