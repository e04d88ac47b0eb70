"""The spine, as a person uses it: sign up, add a dated task, complete it, reload, sign out/in."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


def wait_settled(page: Page, path: str) -> None:
    """Wait until the page at `path` has run its on_load handlers (layout.page_state). Acting
    earlier races them; leaving earlier makes the page being left reconnect on its way out and
    replay them, for the same Reflex session, against the next page."""
    state = page.locator("#page-state")
    expect(state).to_have_attribute("data-path", re.compile(rf"^{re.escape(path)}/?$"))
    expect(state).to_have_attribute("data-hydrated", "true")


def wait_chat_settled(page: Page) -> None:
    """/chat has settled: on_load done and the renderer chosen (ChatKit's detection answered)."""
    note = page.locator("#chat-renderer-note")
    expect(note).to_have_attribute("data-renderer", re.compile(r"^(native|chatkit)$"))
    wait_settled(page, "/chat")


def sign_up(page: Page, base: str, email: str, then: str | None = None) -> None:
    """Create an account (which lands on the chat page), then optionally open `then`."""
    page.goto(f"{base}/signup")
    wait_settled(page, "/signup")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.click("#auth-submit")
    page.wait_for_url(re.compile(r".*/chat/?$"))
    wait_chat_settled(page)
    if then:
        page.goto(f"{base}{then}")
        wait_settled(page, then)


def sign_in(page: Page, base: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/login")
    wait_settled(page, "/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#auth-submit")


def sign_out(page: Page) -> None:
    page.click("#sign-out")
    page.wait_for_url(re.compile(r".*/login/?\?reason=signed_out$"))
    expect(page.locator("#auth-notice")).to_contain_text("signed out")
    wait_settled(page, "/login")


def task_item(page: Page, title: str):
    return page.locator(".task-item", has=page.locator(".task-title", has_text=title))


def test_signup_add_complete_reload_signout_signin(page: Page, live_server: str, artifacts):
    email = f"e2e-{uuid.uuid4().hex[:8]}@example.com"
    sign_up(page, live_server, email, then="/tasks")

    page.fill("#new-task-title", "Buy milk")
    page.fill("#new-task-due", "2030-06-14T17:00")
    page.fill("#new-task-tags", "#shop")
    page.select_option("#new-task-priority", "high")
    page.press("#new-task-title", "Enter")
    item = task_item(page, "Buy milk")
    expect(item).to_have_count(1)
    expect(item.locator(".task-due")).to_contain_text("14 Jun 2030, 17:00")
    expect(item).to_contain_text("#shop")
    for field in ("title", "due", "tags", "priority"):
        expect(page.locator(f"#new-task-{field}")).to_have_value("")

    item.locator(".task-check").click()
    expect(item).to_have_attribute("data-completed", "true")
    page.screenshot(path=str(artifacts / "tasks-light.png"), full_page=True)

    page.reload()
    wait_settled(page, "/tasks")
    expect(task_item(page, "Buy milk")).to_have_attribute("data-completed", "true")

    sign_out(page)
    page.goto(f"{live_server}/tasks")
    page.wait_for_url(re.compile(r".*/login/?$"))
    wait_settled(page, "/login")

    sign_in(page, live_server, email)
    page.wait_for_url(re.compile(r".*/chat/?$"))
    wait_chat_settled(page)
    page.goto(f"{live_server}/tasks")
    expect(task_item(page, "Buy milk")).to_have_attribute("data-completed", "true")


def test_wrong_password_is_shown_and_keeps_user_on_sign_in(page: Page, live_server: str):
    email = f"e2e-{uuid.uuid4().hex[:8]}@example.com"
    sign_up(page, live_server, email)
    sign_out(page)
    sign_in(page, live_server, email, "wrong password!")
    expect(page.locator("#auth-error")).to_contain_text("Incorrect email or password")
    expect(page).to_have_url(re.compile(r".*/login/?$"))


def test_expired_token_sends_user_to_sign_in_with_message(page: Page, live_server: str):
    import os

    email = f"e2e-{uuid.uuid4().hex[:8]}@example.com"
    sign_up(page, live_server, email)
    token = page.evaluate("() => localStorage.getItem('chatapp_token')")
    claims = jwt.decode(token, options={"verify_signature": False})
    past = datetime.now(UTC) - timedelta(hours=2)
    claims.update(iat=int(past.timestamp()), exp=int((past + timedelta(hours=1)).timestamp()))
    expired = jwt.encode(claims, os.environ["JWT_SECRET"], algorithm="HS256")
    page.evaluate("(t) => localStorage.setItem('chatapp_token', t)", expired)
    page.goto(f"{live_server}/tasks")
    page.wait_for_url(re.compile(r".*/login/?\?reason=expired$"))
    expect(page.locator("#auth-notice")).to_contain_text("expired")
    wait_settled(page, "/login")


def test_edit_delete_undo_search_and_dark_phone_layout(page: Page, live_server: str, artifacts):
    sign_up(page, live_server, f"e2e-{uuid.uuid4().hex[:8]}@example.com", then="/tasks")
    for title in ("Pay taxes", "Walk the dog"):
        page.fill("#new-task-title", title)
        page.press("#new-task-title", "Enter")
        expect(task_item(page, title)).to_have_count(1)

    task_item(page, "Walk the dog").locator(".task-edit").click()
    page.fill("#edit-title", "Walk the dog twice")
    page.press("#edit-title", "Enter")
    expect(task_item(page, "Walk the dog twice")).to_have_count(1)

    task_item(page, "Pay taxes").locator(".task-delete").click()
    expect(task_item(page, "Pay taxes")).to_have_count(0)
    page.click("#undo-delete")
    expect(task_item(page, "Pay taxes")).to_have_count(1)

    page.fill("#task-search", "taxes")
    expect(page.locator(".task-item")).to_have_count(1)
    page.fill("#task-search", "")
    expect(page.locator(".task-item")).to_have_count(2)

    page.evaluate("() => localStorage.setItem('theme', 'dark')")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator(".task-item")).to_have_count(2)
    page.screenshot(path=str(artifacts / "tasks-dark-phone.png"), full_page=True)
