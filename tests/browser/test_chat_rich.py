"""Rich content in the native chat, in Debian's Chromium against `reflex run --env prod`: a chain
of tool calls as one workflow, code highlighted by a highlighter loaded only when code shows,
and a 2,000-message thread that opens on its newest page and loads older ones on scroll."""

from __future__ import annotations

import asyncio
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from chatkit.types import (
    AssistantMessageContent,
    AssistantMessageItem,
    InferenceOptions,
    ThreadMetadata,
    UserMessageItem,
    UserMessageTextContent,
)
from playwright.sync_api import Page, expect

from tests.browser.test_chat_native import (
    ask,
    new_email,
    open_chat,
    replies,
    thread_row,
    user_messages,
)
from tests.browser.test_tasks_flow import sign_up, wait_chat_settled
from tests.support.database import point_app_at

pytestmark = pytest.mark.browser

SHOTS = Path("/work/helpers/shots")  # screenshots to look at; never part of the repository
LONG_THREAD = 2000
CODE_REPLY = """Here is the script:

```python
def overdue(tasks):
    # the ones past their due date
    return [t for t in tasks if t.due_at and t.due_at < now()]
```
"""
HIGHLIGHTER_CHUNK = "/assets/core-"  # highlight.js core, split out of the page's JS by Vite


def _shot(page: Page, name: str, locator=None) -> None:
    if SHOTS.parent.is_dir():
        SHOTS.mkdir(exist_ok=True)
        (locator or page).screenshot(path=str(SHOTS / name))


def _live_database(tmp_path_factory) -> Path:
    found = sorted(tmp_path_factory.getbasetemp().glob("live*/browser.db"))
    assert found, "live_server's SQLite file not found under the pytest base temp dir"
    return found[-1]


def _seed_thread(database: Path, email: str, title: str, texts: list[tuple[str, str]]) -> str:
    """A thread of `texts` ((role, text), oldest first) for the user, written by the app's own
    SQL store into the live server's database."""
    from chatapp.chat.store import RequestContext, SQLStore

    with sqlite3.connect(database) as conn:
        (user_id,) = conn.execute("SELECT id FROM users WHERE email = ?", (email,)).fetchone()
    point_app_at(f"sqlite:///{database}")
    try:
        store, ctx = SQLStore(), RequestContext(user_id=user_id)
        start = datetime.now(UTC) - timedelta(days=1)
        thread = ThreadMetadata(id=store.generate_thread_id(ctx), title=title, created_at=start)
        items = []
        for n, (role, text) in enumerate(texts):
            common = {
                "id": store.generate_item_id("message", thread, ctx),
                "thread_id": thread.id,
                "created_at": start + timedelta(seconds=n),
            }
            if role == "user":
                items.append(
                    UserMessageItem(
                        **common,
                        content=[UserMessageTextContent(text=text)],
                        attachments=[],
                        inference_options=InferenceOptions(),
                    )
                )
            else:
                items.append(
                    AssistantMessageItem(
                        **common, content=[AssistantMessageContent(text=text, annotations=[])]
                    )
                )

        async def write() -> None:
            await store.save_thread(thread, ctx)
            for first in range(0, len(items), 500):
                await store.add_thread_items(thread.id, items[first : first + 500], ctx)

        # Playwright's sync API keeps an event loop running in this thread.
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, write()).result()
    finally:
        point_app_at(None)
    return thread.id


def _scripts_loaded(page: Page) -> list[str]:
    return page.evaluate(
        "() => performance.getEntriesByType('resource').map((e) => e.name)"
        ".filter((n) => n.endsWith('.js'))"
    )


def _scroll_to_top_until(page: Page, shown, count: int) -> None:
    """Scroll the thread to its top, as a reader does, until `count` messages are shown. A
    scroll that lands while the thread is still settling at its end (the scroll-to-newest after
    opening, or the one after a page of older items) is undone by it, and a reader would
    simply scroll again; so does this, for at most 10 s."""
    scroller = page.locator("#chat-scroll")
    for _ in range(40):
        if shown.count() >= count:
            break
        scroller.evaluate("(el) => { el.scrollTop = 0; }")
        page.wait_for_timeout(250)
    expect(shown).to_have_count(count)


def test_a_chain_of_tool_calls_is_one_collapsed_workflow_that_opens_by_keyboard(
    page: Page, live_server: str
):
    open_chat(page, live_server)
    ask(page, "add alpha, bravo and charlie")

    workflow = page.locator(".chat-message[data-role=workflow]")
    expect(workflow).to_have_count(1)
    expect(page.locator(".chat-message[data-role=tool]")).to_have_count(0)
    expect(workflow.locator(".tool-chip-title")).to_have_text("3 steps")
    expect(workflow.locator(".workflow-thought")).to_have_text(
        "Added 'Alpha' → added 'Bravo' → added 'Charlie'"
    )
    steps = workflow.locator(".workflow-step")
    expect(steps.first).not_to_be_visible()  # collapsed by default
    _shot(page, "workflow-collapsed.png")

    workflow.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(steps).to_have_count(3)
    expect(steps.nth(1)).to_be_visible()
    expect(steps.nth(1).locator(".tool-chip-name")).to_have_text("add_task")
    expect(steps.nth(1).locator(".tool-chip-code").first).to_contain_text('"title": "Bravo"')
    expect(steps.nth(2).locator(".tool-chip-code").last).to_contain_text('"Charlie"')
    _shot(page, "workflow.png")

    page.reload()
    expect(page.locator(".chat-message[data-role=workflow] .tool-chip-title")).to_have_text(
        "3 steps"
    )
    expect(replies(page)).to_have_count(1)


def test_a_code_block_is_highlighted_by_a_highlighter_loaded_only_then(
    page: Page, live_server: str, tmp_path_factory
):
    email = new_email()
    sign_up(page, live_server, email)
    _seed_thread(
        _live_database(tmp_path_factory),
        email,
        "Code please",
        [("user", "write me a filter for overdue tasks"), ("assistant", CODE_REPLY)],
    )
    page.route("**/cdn.platform.openai.com/**", lambda route: route.abort())
    page.goto(f"{live_server}/chat")
    expect(page.locator("#chat-composer")).to_be_visible()
    assert not [s for s in _scripts_loaded(page) if HIGHLIGHTER_CHUNK in s]

    thread_row(page, "Code please").locator(".thread-open").click()
    block = page.locator(".chat-assistant pre.chat-md-code")
    expect(block).to_have_attribute("data-highlighted", "true")
    expect(block).to_have_attribute("data-language", "python")
    expect(block.locator(".hljs-keyword").first).to_have_text("def")
    expect(block.locator(".hljs-comment")).to_have_text("# the ones past their due date")
    expect(block).to_contain_text("return [t for t in tasks if t.due_at")
    assert [s for s in _scripts_loaded(page) if HIGHLIGHTER_CHUNK in s]
    _shot(page, "code-block.png")


def test_a_2000_message_thread_opens_on_its_newest_page_and_loads_older_on_scroll(
    page: Page, live_server: str, tmp_path_factory
):
    email = new_email()
    sign_up(page, live_server, email)
    texts = [("user" if n % 2 else "assistant", f"message {n}") for n in range(1, LONG_THREAD + 1)]
    _seed_thread(_live_database(tmp_path_factory), email, "Long thread", texts)
    page.route("**/cdn.platform.openai.com/**", lambda route: route.abort())
    page.goto(f"{live_server}/chat")
    expect(page.locator("#chat-composer")).to_be_visible()
    wait_chat_settled(page)

    thread_row(page, "Long thread").locator(".thread-open").click()
    shown = page.locator("#chat-messages > .chat-message")
    newest = page.locator(".chat-message", has_text=f"message {LONG_THREAD}").last
    expect(newest).to_be_in_viewport()
    expect(shown).to_have_count(50)  # one page of items, not the thread
    expect(user_messages(page).last).to_have_text(f"message {LONG_THREAD - 1}")
    first = shown.first
    expect(first).to_contain_text(f"message {LONG_THREAD - 49}")

    # Scrolling to the top loads the page before it, and the reader stays where they were.
    _scroll_to_top_until(page, shown, 100)
    expect(shown.first).to_contain_text(f"message {LONG_THREAD - 99}")
    anchor = page.locator(".chat-message", has_text=f"message {LONG_THREAD - 49}").first
    expect(anchor).to_be_in_viewport()
    top = page.locator("#chat-scroll").evaluate("(el) => el.scrollTop")
    assert top > 200, top  # kept in place, not left at the top (which would load again)

    _scroll_to_top_until(page, shown, 150)
    # New turns still land at the end, below the newest stored message.
    page.locator("#chat-scroll").evaluate("(el) => { el.scrollTop = el.scrollHeight; }")
    ask(page, "hello")
    expect(replies(page).last).to_be_in_viewport()
    expect(user_messages(page).last).to_have_text("hello")


def test_the_composer_suggests_tags_after_a_hash_and_tasks_after_a_verb(
    page: Page, live_server: str
):
    open_chat(page, live_server)
    ask(page, "add buy milk #errands")
    ask(page, "add call the plumber #home")
    composer = page.locator("#chat-composer")
    listbox = page.locator("#chat-composer-suggest[role=listbox]")

    composer.fill("")
    composer.press_sequentially("show #er")
    expect(listbox.locator("[role=option]")).to_have_text(["#errands"])
    expect(composer).to_have_attribute("aria-activedescendant", "chat-composer-suggest-0")
    expect(composer).to_have_attribute("aria-controls", "chat-composer-suggest")
    page.keyboard.press("Tab")
    expect(composer).to_have_value("show #errands ")
    expect(listbox).to_have_count(0)

    composer.fill("")
    composer.press_sequentially("done plu")
    expect(listbox.locator("[role=option]")).to_have_count(1)
    expect(listbox.locator("[role=option]").first).to_contain_text("Call the plumber")
    _shot(page, "composer-suggest.png")
    page.keyboard.press("Escape")
    expect(listbox).to_have_count(0)
    composer.press_sequentially("m")
    expect(listbox).to_have_count(1)
    page.keyboard.press("Enter")  # takes the suggestion; does not send
    expect(composer).to_have_value("done Call the plumber")
    expect(user_messages(page)).to_have_count(2)

    page.keyboard.press("Enter")  # nothing suggested now: Enter sends
    expect(user_messages(page)).to_have_count(3)
    expect(replies(page).last).to_contain_text("plumber")
