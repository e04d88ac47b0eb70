"""Recurring tasks and reminders as a person uses them: the editor's repeat and reminder pickers,
a row that says how it repeats and when it rings, a check that moves a repeating task on, and
reminders that show up as a toast (and a browser notification when turned on) exactly once."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_tasks_flow import PASSWORD, sign_in, sign_out, sign_up, task_item

pytestmark = pytest.mark.browser

# Records each browser notification instead of showing it (headless Chromium shows none).
RECORD_NOTIFICATIONS = """(() => {
  window.__notifications = [];
  class Recorded { constructor(title, options) { window.__notifications.push({title, ...options}); }
                   static get permission() { return 'granted'; }
                   static requestPermission() { return Promise.resolve('granted'); } }
  window.Notification = Recorded;
})()"""


def api_user(page: Page, base: str) -> tuple[int, dict[str, str]]:
    token = page.evaluate("() => localStorage.getItem('chatapp_token')")
    headers = {"Authorization": f"Bearer {token}"}
    me = httpx.get(f"{base}/api/auth/me", headers=headers).json()
    return me["user_id"], headers


def add_task_via_api(base: str, user: int, headers: dict, **fields) -> dict:
    response = httpx.post(f"{base}/api/{user}/tasks", json=fields, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_weekly_task_with_a_reminder_is_set_in_the_editor_and_moves_on_when_done(
    page: Page, live_server: str, artifacts
):
    sign_up(page, live_server, f"repeat-{uuid.uuid4().hex[:8]}@example.com", then="/tasks")
    expect(page.locator("#new-task-repeat")).to_have_value("none")
    page.fill("#new-task-title", "Water the plants")
    page.fill("#new-task-due", "2030-06-14T09:00")  # a Friday
    page.select_option("#new-task-repeat", "weekly")
    page.select_option("#new-task-remind", "30m")
    page.press("#new-task-title", "Enter")

    row = task_item(page, "Water the plants")
    expect(row.locator(".task-repeat")).to_have_text("every week on Friday at 09:00")
    expect(row.locator(".task-reminder")).to_have_text("Fri 14 Jun 2030, 08:30")
    expect(page.locator("#new-task-repeat")).to_have_value("none")
    page.screenshot(path=str(artifacts / "recurring-row.png"), full_page=True)

    row.locator(".task-check").click()
    expect(page.get_by_text("Done. Next one: Fri 21 Jun 2030, 09:00")).to_be_visible()
    expect(row).to_have_attribute("data-completed", "false")
    expect(row.locator(".task-due")).to_contain_text("21 Jun 2030, 09:00")
    expect(row.locator(".task-reminder")).to_have_text("Fri 21 Jun 2030, 08:30")

    # The editor shows the saved choices; a custom rule and "stop repeating" round-trip.
    row.locator(".task-edit").click()
    expect(page.locator("#edit-repeat")).to_have_value("weekly")
    expect(page.locator("#edit-remind")).to_have_value("30m")
    page.select_option("#edit-repeat", "custom")
    page.fill("#edit-repeat-rule", "FREQ=MONTHLY;BYDAY=-1FR")
    page.click("#edit-save")
    expect(row.locator(".task-repeat")).to_have_text("every month on the last Friday at 09:00")

    row.locator(".task-edit").click()
    page.select_option("#edit-repeat", "custom")
    page.fill("#edit-repeat-rule", "FREQ=SECONDLY")
    page.click("#edit-save")
    expect(
        page.get_by_text(re.compile("^Recurrence: FREQ=SECONDLY repeats too often"))
    ).to_be_visible()
    # The editor stays open with what was typed, to be corrected.
    expect(page.locator("#edit-repeat-rule")).to_have_value("FREQ=SECONDLY")
    page.select_option("#edit-repeat", "none")
    page.select_option("#edit-remind", "none")
    page.click("#edit-save")
    expect(row.locator(".task-repeat")).to_have_count(0)
    expect(row.locator(".task-reminder")).to_have_count(0)


def test_a_reminder_due_in_seconds_shows_once_as_a_toast_and_a_notification(
    page: Page, live_server: str, artifacts
):
    page.add_init_script(RECORD_NOTIFICATIONS)
    sign_up(page, live_server, f"remind-{uuid.uuid4().hex[:8]}@example.com", then="/tasks")
    user, headers = api_user(page, live_server)
    soon = datetime.now(UTC) + timedelta(seconds=3)
    add_task_via_api(
        live_server,
        user,
        headers,
        title="Call the bank",
        due_at=(soon + timedelta(minutes=30)).isoformat(),
        remind_at=soon.isoformat(),
    )

    toast = page.get_by_text("Reminder: Call the bank")
    expect(toast).to_be_visible(timeout=20_000)
    page.screenshot(path=str(artifacts / "reminder-toast.png"))
    notes = page.evaluate("() => window.__notifications")
    assert [n["title"] for n in notes] == ["Reminder: Call the bank"], notes
    expect(task_item(page, "Call the bank").locator(".task-reminder")).to_be_visible()

    # Claimed once: another tab, a reload and the next ticks show it no more.
    page.reload()
    other = page.context.new_page()
    other.goto(f"{live_server}/chat")
    page.wait_for_timeout(12_000)
    expect(page.get_by_text("Reminder: Call the bank")).to_have_count(0)
    expect(other.get_by_text("Reminder: Call the bank")).to_have_count(0)
    assert page.evaluate("() => window.__notifications") == []


def test_a_reminder_that_came_due_while_away_is_shown_as_missed_after_sign_in(
    page: Page, live_server: str
):
    email = f"missed-{uuid.uuid4().hex[:8]}@example.com"
    sign_up(page, live_server, email, then="/tasks")
    user, _ = api_user(page, live_server)
    sign_out(page)  # ends every session of the account, this browser's token included
    # Meanwhile, from another device (a new sign-in), a task whose reminder is long past.
    login = httpx.post(
        f"{live_server}/api/auth/login", json={"email": email, "password": PASSWORD}
    ).json()
    headers = {"Authorization": f"Bearer {login['access_token']}"}
    long_ago = datetime.now(UTC) - timedelta(hours=2)
    add_task_via_api(
        live_server, user, headers, title="Renew passport", remind_at=long_ago.isoformat()
    )
    sign_in(page, live_server, email)
    expect(page.get_by_text("Missed reminder: Renew passport")).to_be_visible(timeout=20_000)


def test_notifications_are_asked_for_only_after_the_user_clicks(page: Page, live_server: str):
    page.add_init_script(
        """(() => {
          window.__asked = 0;
          let state = 'default';
          class Fake { constructor() {} static get permission() { return state; }
                       static requestPermission() { window.__asked += 1; state = 'granted';
                                                    return Promise.resolve(state); } }
          window.Notification = Fake;
        })()"""
    )
    sign_up(page, live_server, f"notify-{uuid.uuid4().hex[:8]}@example.com")
    button = page.locator("#notifications-on")
    expect(button).to_be_visible()
    assert page.evaluate("() => window.__asked") == 0
    button.click()
    expect(button).to_have_count(0)
    assert page.evaluate("() => window.__asked") == 1
