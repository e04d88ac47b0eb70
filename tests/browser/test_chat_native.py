"""The native Reflex chat as a person uses it, in Debian's Chromium against `reflex run --env prod`:
streamed replies, tool chips, the live task panel, threads that survive a reload, stop, the
ChatKit fallback, screenshots and latency."""

from __future__ import annotations

import json
import re
import sqlite3
import statistics
import time
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from chatapp.state.chat_renderer import RENDERER_STORAGE_KEY
from chatapp.state.chat_scripts import CHATKIT_DETECT_SECONDS
from tests.browser.test_tasks_flow import sign_up, task_item, wait_chat_settled

pytestmark = pytest.mark.browser

CHATKIT_CDN = "**/cdn.platform.openai.com/**"
FORGET_RENDERER = f"localStorage.removeItem('{RENDERER_STORAGE_KEY}')"
# The ChatKit detection's own deadline never fires (the page's other timers run as usual).
NO_DETECTION_TIMEOUT = f"""(() => {{
  const setTimeoutBefore = window.setTimeout;
  window.setTimeout = (fn, ms, ...args) =>
    ms === {CHATKIT_DETECT_SECONDS * 1000} ? 0 : setTimeoutBefore(fn, ms, ...args);
}})()"""
THREAD_URL = re.compile(r".*/chat/?\?thread=thr_[0-9a-f]+$")

# Records every distinct length of the streaming reply's text, as the DOM shows it.
RECORD_DRAFT = """() => {
  window.__draftLengths = [];
  const record = () => {
    const draft = document.querySelector('#chat-draft');
    if (!draft) return;
    const n = draft.innerText.length, seen = window.__draftLengths;
    if (!seen.length || seen[seen.length - 1] !== n) seen.push(n);
  };
  new MutationObserver(record).observe(document.body,
    {subtree: true, childList: true, characterData: true});
}"""

# Sends one message from inside the page and times it: to the first streamed text, and to the end
# of the turn (the chat leaves its processing state).
TIMED_SEND = """(text) => new Promise((resolve) => {
  const chat = document.querySelector('#native-chat');
  const composer = document.querySelector('#chat-composer');
  const before = document.querySelectorAll('.chat-message[data-role=assistant]').length;
  let start = 0, first = null;
  const observer = new MutationObserver(() => {
    const draft = document.querySelector('#chat-draft');
    if (first === null && draft && draft.innerText.length > 0) first = performance.now() - start;
    const replies = document.querySelectorAll('.chat-message[data-role=assistant]').length;
    if (chat.dataset.processing === 'false' && replies > before) {
      if (first === null) first = performance.now() - start;
      observer.disconnect();
      resolve({first, done: performance.now() - start});
    }
  });
  observer.observe(document.body,
    {subtree: true, childList: true, characterData: true, attributes: true});
  composer.value = text;
  start = performance.now();
  composer.form.requestSubmit();
})"""


def new_email() -> str:
    return f"chat-{uuid.uuid4().hex[:8]}@example.com"


def open_chat(page: Page, base: str, *, block_chatkit: bool = True) -> None:
    """Sign up a fresh user and open /chat with the native renderer."""
    if block_chatkit:
        page.route(CHATKIT_CDN, lambda route: route.abort())
    sign_up(page, base, new_email())
    page.goto(f"{base}/chat")
    expect(page.locator("#chat-composer")).to_be_visible()
    wait_chat_settled(page)


def send(page: Page, text: str) -> None:
    page.fill("#chat-composer", text)
    page.press("#chat-composer", "Enter")


def wait_idle(page: Page) -> None:
    expect(page.locator("#native-chat")).to_have_attribute("data-processing", "false")


def ask(page: Page, text: str) -> None:
    """Send a message and wait for its whole reply."""
    before = replies(page).count()
    send(page, text)
    expect(replies(page)).to_have_count(before + 1)
    wait_idle(page)


def replies(page: Page):
    return page.locator(".chat-message[data-role=assistant]")


def user_messages(page: Page):
    return page.locator(".chat-message[data-role=user]")


def thread_row(page: Page, title: str):
    return page.locator(".thread-row", has=page.locator(".thread-title", has_text=title))


def test_streamed_turns_drive_the_task_panel_and_threads_survive_reload(
    page: Page, live_server: str
):
    open_chat(page, live_server)
    expect(page.locator("#chat-start")).to_be_visible()
    expect(page.locator("#chat-renderer-note")).to_have_attribute("data-renderer", "native")

    page.evaluate(RECORD_DRAFT)
    send(page, "add buy milk tomorrow")
    expect(user_messages(page)).to_have_text(["add buy milk tomorrow"])
    expect(page.locator(".tool-chip")).to_have_count(1)
    expect(task_item(page, "Buy milk")).to_have_count(1, timeout=1000)
    wait_idle(page)
    expect(replies(page).last).to_contain_text("Buy milk")
    expect(page).to_have_url(THREAD_URL)

    final = len(replies(page).last.inner_text())
    lengths = page.evaluate("() => window.__draftLengths")
    intermediate = [n for n in lengths if 0 < n < final]
    assert len(intermediate) >= 2, f"reply did not grow in steps: {lengths} (final {final})"
    assert intermediate == sorted(intermediate), lengths

    send(page, "mark it done")
    expect(page.locator(".tool-chip")).to_have_count(2)
    expect(task_item(page, "Buy milk")).to_have_attribute("data-completed", "true", timeout=1000)
    wait_idle(page)
    expect(replies(page).last).to_contain_text("done")

    # A manual edit in the panel is what the agent sees on the next turn.
    page.fill("#new-task-title", "Walk the dog")
    page.press("#new-task-title", "Enter")
    expect(task_item(page, "Walk the dog")).to_have_count(1)
    ask(page, "show my tasks")
    expect(replies(page).last).to_contain_text("Walk the dog")

    url = page.url
    page.reload()
    expect(page).to_have_url(url)
    expect(user_messages(page)).to_have_text(
        ["add buy milk tomorrow", "mark it done", "show my tasks"]
    )
    expect(replies(page)).to_have_count(3)
    expect(page.locator(".tool-chip")).to_have_count(3)
    row = thread_row(page, "Add buy milk tomorrow")
    expect(row).to_have_attribute("data-active", "true")

    row.hover()
    row.locator(".thread-rename").click()
    page.fill("#thread-rename-input", "Groceries")
    page.press("#thread-rename-input", "Enter")
    expect(thread_row(page, "Groceries")).to_have_count(1)
    expect(page.locator("#chat-title")).to_have_text("Groceries")
    page.reload()
    expect(thread_row(page, "Groceries")).to_have_attribute("data-active", "true")

    thread_row(page, "Groceries").locator(".thread-delete").click()
    page.click("#thread-delete-confirm")
    expect(page.locator(".thread-row")).to_have_count(0)
    expect(page.locator("#chat-start")).to_be_visible()
    expect(page).to_have_url(re.compile(r".*/chat/?$"))
    page.reload()
    expect(page.locator("#chat-start")).to_be_visible()
    expect(page.locator(".thread-row")).to_have_count(0)
    expect(task_item(page, "Buy milk")).to_have_count(1)  # deleting a chat keeps the tasks


def test_enter_sends_and_shift_enter_adds_a_line(page: Page, live_server: str):
    open_chat(page, live_server)
    composer = page.locator("#chat-composer")
    composer.fill("first line")
    composer.press("Shift+Enter")
    composer.type("second line")
    expect(composer).to_have_value("first line\nsecond line")
    expect(user_messages(page)).to_have_count(0)

    composer.press("Enter")
    expect(user_messages(page)).to_have_count(1)
    assert user_messages(page).first.inner_text() == "first line\nsecond line"
    expect(composer).to_have_value("")
    wait_idle(page)
    expect(replies(page)).to_have_count(1)


def test_tool_chip_expands_to_show_arguments_and_result(page: Page, live_server: str):
    open_chat(page, live_server)
    ask(page, "add pay rent on friday, high priority")
    chip = page.locator(".tool-chip").first
    expect(chip).to_contain_text("add_task")
    body = chip.locator(".tool-chip-body")
    expect(body).to_be_hidden()

    chip.locator(".tool-chip-summary").click()
    expect(body).to_be_visible()
    expect(chip.locator(".tool-chip-name")).to_have_text("add_task")
    arguments, result = (json.loads(t) for t in chip.locator(".tool-chip-code").all_inner_texts())
    assert arguments["title"].lower() == "pay rent"
    assert arguments["priority"] == "high"
    assert result["title"].lower() == "pay rent"
    chip.locator(".tool-chip-summary").click()
    expect(body).to_be_hidden()


def test_start_screen_prompt_sends_it(page: Page, live_server: str):
    open_chat(page, live_server)
    page.locator(".chat-example", has_text="Show my tasks").click()
    expect(user_messages(page)).to_have_text(["Show my tasks"])
    wait_idle(page)
    expect(replies(page)).to_have_count(1)
    expect(page.locator("#chat-start")).to_have_count(0)
    expect(thread_row(page, "Show my tasks")).to_have_attribute("data-active", "true")
    expect(page).to_have_url(THREAD_URL)

    page.click("#new-chat")
    expect(page.locator("#chat-start")).to_be_visible()
    expect(page).to_have_url(re.compile(r".*/chat/?$"))
    thread_row(page, "Show my tasks").locator(".thread-open").click()
    expect(user_messages(page)).to_have_text(["Show my tasks"])
    expect(page).to_have_url(THREAD_URL)


def _live_database(tmp_path_factory) -> Path:
    found = sorted(tmp_path_factory.getbasetemp().glob("live*/browser.db"))
    assert found, "live_server's SQLite file not found under the pytest base temp dir"
    return found[-1]


def test_stop_cancels_a_running_turn(page: Page, live_server: str, tmp_path_factory):
    open_chat(page, live_server)
    ask(page, "hello")

    # A slow database keeps the next turn running: hold SQLite's write lock while it starts.
    lock = sqlite3.connect(_live_database(tmp_path_factory), isolation_level=None, timeout=5)
    try:
        lock.execute("BEGIN IMMEDIATE")
        send(page, "add walk the dog")
        expect(page.locator("#chat-stop")).to_be_visible()
        expect(page.locator("#chat-thinking")).to_be_visible()
        page.wait_for_timeout(300)
        page.click("#chat-stop")
        expect(page.locator("#chat-stopped")).to_be_visible(timeout=2000)
        expect(page.locator("#chat-send")).to_be_visible()
        wait_idle(page)
    finally:
        lock.execute("COMMIT")
        lock.close()
    page.wait_for_timeout(1500)
    expect(replies(page)).to_have_count(1)
    expect(page.locator(".tool-chip")).to_have_count(0)
    expect(task_item(page, "Walk the dog")).to_have_count(0)

    page.reload()
    expect(user_messages(page)).to_have_text(["hello", "add walk the dog"])
    expect(replies(page)).to_have_count(1)
    ask(page, "show my tasks")
    expect(replies(page)).to_have_count(2)
    expect(task_item(page, "Walk the dog")).to_have_count(0)


def test_failed_turn_shows_the_error_inline_and_retry_sends_again(
    page: Page, live_server: str, tmp_path_factory
):
    open_chat(page, live_server)
    ask(page, "hello")
    # The database stays locked past the server's busy timeout (10 s): saving the message fails.
    lock = sqlite3.connect(_live_database(tmp_path_factory), isolation_level=None, timeout=5)
    try:
        lock.execute("BEGIN IMMEDIATE")
        send(page, "add walk the dog")
        expect(page.locator("#chat-error")).to_contain_text("went wrong", timeout=20_000)
    finally:
        lock.execute("COMMIT")
        lock.close()
    wait_idle(page)
    expect(replies(page)).to_have_count(1)

    page.click("#chat-retry")
    expect(page.locator("#chat-error")).to_have_count(0)
    expect(replies(page)).to_have_count(2)
    wait_idle(page)
    expect(replies(page).last).to_contain_text("Walk the dog")
    expect(task_item(page, "Walk the dog")).to_have_count(1)
    expect(page.locator("#chat-retry")).to_have_count(0)
    page.reload()
    expect(user_messages(page)).to_have_text(["hello", "add walk the dog"])


def test_the_browser_remembers_the_renderer_it_detected(page: Page, live_server: str):
    """A later visit shows the chat the last detection chose at once: its composer does not
    wait for a new detection (which here never ends: the script is never answered and the
    detection's timeout never fires)."""
    page.route(CHATKIT_CDN, lambda route: route.abort())
    sign_up(page, live_server, new_email())
    expect(page.locator("#chat-renderer-note")).to_have_attribute("data-renderer", "native")
    assert page.evaluate(f"localStorage.getItem('{RENDERER_STORAGE_KEY}')") == "native"

    held = []
    tab = page.context.new_page()
    tab.add_init_script(NO_DETECTION_TIMEOUT)
    tab.route(CHATKIT_CDN, lambda route: held.append(route))  # never answered
    tab.goto(f"{live_server}/chat")
    expect(tab.locator("#chat-composer")).to_be_visible()
    expect(tab.locator("#chat-renderer-note")).to_have_attribute("data-renderer", "native")
    assert held, "the new detection still asked for ChatKit's script"
    tab.fill("#chat-composer", "add water the plants")
    tab.press("#chat-composer", "Enter")
    expect(tab.locator(".chat-message[data-role=assistant]").last).to_contain_text(
        "Water the plants"
    )

    # Without the memory the same page waits on the detection.
    fresh = page.context.new_page()
    fresh.add_init_script(FORGET_RENDERER)
    fresh.add_init_script(NO_DETECTION_TIMEOUT)
    fresh.route(CHATKIT_CDN, lambda route: held.append(route))
    fresh.goto(f"{live_server}/chat")
    expect(fresh.locator("#chat-detecting")).to_be_visible()
    expect(fresh.locator("#chat-composer")).to_have_count(0)


def test_auto_mode_falls_back_to_native_when_chatkit_never_loads(page: Page, live_server: str):
    sign_up(page, live_server, new_email())
    # Each check in a new tab (same sign-in, new Reflex session): the tab that signed up has
    # already chosen its renderer and keeps it.
    # The script is served but never defines <openai-chatkit>: the timeout decides.
    slow = page.context.new_page()
    slow.add_init_script(FORGET_RENDERER)
    slow.route(
        CHATKIT_CDN,
        lambda route: route.fulfill(status=200, content_type="text/javascript", body="// offline"),
    )
    start = time.monotonic()
    slow.goto(f"{live_server}/chat")
    expect(slow.locator("#chat-detecting")).to_be_visible()
    note = slow.locator("#chat-renderer-note")
    expect(note).to_have_attribute("data-renderer", "native", timeout=8000)
    waited_out = time.monotonic() - start
    assert waited_out >= 2.5  # the detection's own timeout, a lower bound whatever the load
    expect(note).to_contain_text("ChatKit didn't load")
    expect(slow.locator("#chat-composer")).to_be_visible()
    slow.close()

    # The CDN refusing the script (a new tab, so nothing is remembered): native at once.
    tab = page.context.new_page()
    tab.add_init_script(FORGET_RENDERER)
    tab.route(CHATKIT_CDN, lambda route: route.abort())
    start = time.monotonic()
    tab.goto(f"{live_server}/chat")
    expect(tab.locator("#chat-renderer-note")).to_have_attribute("data-renderer", "native")
    # Without waiting out the timeout: sooner than the same page load that did (not a fixed
    # bound, which a busy machine's page load alone can pass).
    assert time.monotonic() - start < waited_out
    ask(tab, "hello")
    tab.close()


def test_chat_page_screenshots_light_dark_desktop_phone(page: Page, live_server: str, artifacts):
    open_chat(page, live_server)
    page.screenshot(path=str(artifacts / "chat-start-light-desktop.png"))
    ask(page, "add buy milk tomorrow at 5pm")
    ask(page, "add pay rent on friday, high priority")
    ask(page, "show my tasks")
    expect(replies(page).last).to_be_in_viewport()  # the chat kept scrolling to the end
    url = page.url
    for theme in ("light", "dark"):
        page.evaluate("(t) => localStorage.setItem('theme', t)", theme)
        for name, width, height in (("desktop", 1280, 860), ("phone", 390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(url)
            expect(replies(page)).to_have_count(3)
            page.locator(".tool-chip-summary").nth(1).click()
            page.evaluate("() => document.getElementById('chat-scroll').scrollTo(0, 1e9)")
            page.wait_for_timeout(300)
            page.screenshot(path=str(artifacts / f"chat-{theme}-{name}.png"))
            if name == "phone":
                page.screenshot(
                    path=str(artifacts / f"chat-{theme}-{name}-full.png"), full_page=True
                )


def test_each_send_shows_a_first_token_before_its_reply_is_done(
    page: Page, live_server: str, artifacts
):
    """Twenty sends in a row each stream: a first token is on screen before the reply is done.
    The timings are written to test-results for reading; the speed targets themselves live in
    bench/first_token.py (benchmark 6), never in a timed test."""
    open_chat(page, live_server)
    ask(page, "hello")  # warm-up: creates the thread
    samples = [page.evaluate(TIMED_SEND, f"add buy milk {i}") for i in range(20)]
    for sample in samples:
        assert 0 < sample["first"] <= sample["done"], sample
    result = {
        "browser_first_token_median_ms": round(statistics.median(s["first"] for s in samples), 1),
        "browser_done_median_ms": round(statistics.median(s["done"] for s in samples), 1),
        "n": len(samples),
    }
    (artifacts / "latency.json").write_text(json.dumps(result, indent=2))
    print(f"\nnative chat latency (median of {len(samples)}): {result}")
