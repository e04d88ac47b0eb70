"""Client tools in the native chat, in Debian's Chromium against `reflex run --env prod`: "open the
milk task" makes the agent call open_task, the chat runs it in the page (the task panel shows,
outlines and scrolls to the task, clearing a search that hid it), answers the agent with
threads.add_client_tool_output, and the agent's reply follows in the same turn."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_chat_native import CHATKIT_CDN, ask, new_email, replies, wait_idle
from tests.browser.test_tasks_flow import sign_up, task_item

pytestmark = pytest.mark.browser

CHORES = [f"Chore number {n}" for n in range(1, 15)]


def add_tasks(page: Page, base: str, titles: list[str]) -> None:
    """Through the REST API, as the signed-in user of `page`."""
    token = page.evaluate("() => localStorage.getItem('chatapp_token')")
    headers = {"Authorization": f"Bearer {token}"}
    me = httpx.get(f"{base}/api/auth/me", headers=headers).json()
    for title in titles:
        r = httpx.post(f"{base}/api/{me['user_id']}/tasks", headers=headers, json={"title": title})
        assert r.status_code == 201, r.text


def test_open_task_highlights_the_task_and_the_reply_follows(
    page: Page, live_server: str, artifacts
):
    page.route(CHATKIT_CDN, lambda route: route.abort())
    sign_up(page, live_server, new_email())
    add_tasks(page, live_server, [*CHORES, "Buy milk"])
    page.goto(f"{live_server}/chat")
    expect(page.locator("#chat-composer")).to_be_visible()
    milk = task_item(page, "Buy milk")
    milk_id = milk.get_attribute("data-task-id")
    # A search hides the task: opening it has to bring it back.
    page.fill("#task-search", "chore")
    expect(milk).to_have_count(0)

    ask(page, "open the milk task")

    expect(replies(page).last).to_have_text(f"Opened Buy milk (task {milk_id}).")
    expect(milk).to_have_attribute("data-opened", "true")
    expect(page.locator('.task-item[data-opened="true"]')).to_have_count(1)
    expect(milk).to_be_in_viewport()
    expect(page.locator("#task-search")).to_have_value("")
    chip = page.locator(".tool-chip", has_text="Opened a task in the app (open_task)")
    expect(chip).to_have_attribute("data-failed", "false")
    chip.locator("summary").click()
    expect(chip.locator(".tool-chip-code").last).to_contain_text('"opened": true')
    page.screenshot(path=str(artifacts / "chat-open-task.png"))

    # A task that is not on the list never reaches the page; the agent says so.
    ask(page, "open task 999999")
    expect(replies(page).last).to_contain_text("Task 999999 not found")
    expect(milk).to_have_attribute("data-opened", "true")

    # The answered call is part of the thread: it is still there after a reload.
    wait_idle(page)
    page.reload()
    expect(page).to_have_url(re.compile(r".*\?thread=thr_[0-9a-f]+$"))
    expect(page.locator(".tool-chip", has_text="(open_task)")).to_have_count(2)
    expect(replies(page).first).to_have_text(f"Opened Buy milk (task {milk_id}).")
