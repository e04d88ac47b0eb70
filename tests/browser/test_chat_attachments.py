"""Attachments in the native chat, in Chromium against a production build: the paperclip,
drag-and-drop and paste put real files (a PNG, a PDF) through `POST /api/attachments` with
progress into the composer's tray; a refused file says why; the sent message shows the image's
thumbnail (its optimised copy) and the PDF as a link, and a click opens the original; the agent
files them on the task it adds, and the task panel shows them."""

from __future__ import annotations

import base64

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_chat_native import open_chat, send
from tests.browser.test_tasks_flow import task_item
from tests.support import files

pytestmark = pytest.mark.browser

READY = "#chat-tray .chat-tray-item[data-status=ready]"
FAILED = "#chat-tray .chat-tray-item[data-status=failed]"

# Hand `files` ([{name, type, b64}]) to `selector` as a paste (ClipboardEvent) or a drop
# (DragEvent), the way a browser does when a user pastes or drops them.
HAND_OVER = """([selector, kind, specs]) => {
  const transfer = new DataTransfer();
  for (const {name, type, b64} of specs) {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    transfer.items.add(new File([bytes], name, {type}));
  }
  const target = document.querySelector(selector);
  if (kind === 'paste') {
    target.dispatchEvent(new ClipboardEvent('paste', {clipboardData: transfer, bubbles: true, cancelable: true}));
  } else {
    target.dispatchEvent(new DragEvent('dragover', {dataTransfer: transfer, bubbles: true, cancelable: true}));
    target.dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));
  }
}"""


def _spec(name: str, mime: str, data: bytes) -> dict:
    return {"name": name, "type": mime, "b64": base64.b64encode(data).decode()}


def _natural_width(page: Page, selector: str) -> int:
    locator = page.locator(selector).first
    expect(locator).to_be_visible()
    locator.evaluate("img => img.complete || new Promise(r => img.addEventListener('load', r))")
    return locator.evaluate("img => img.naturalWidth")


def test_pick_send_and_open_attachments(page: Page, live_server: str, artifacts):
    open_chat(page, live_server)
    expect(page.locator("#chat-attach")).to_be_visible()
    page.set_input_files(
        "#chat-attach-input",
        [
            {"name": "receipt.png", "mimeType": "image/png", "buffer": files.png((1200, 900))},
            {"name": "contract.pdf", "mimeType": "application/pdf", "buffer": files.pdf()},
        ],
    )
    expect(page.locator(READY)).to_have_count(2)
    # The image is shown by its optimised copy; the PDF by its name.
    assert _natural_width(page, f"{READY} img") == 800
    expect(page.locator("#chat-tray")).to_contain_text("contract.pdf")

    # A file whose bytes are not an allowed type is refused with the server's reason, and can
    # be taken back out of the tray with the keyboard.
    page.set_input_files(
        "#chat-attach-input",
        {"name": "photo.png", "mimeType": "image/png", "buffer": files.windows_exe()},
    )
    expect(page.locator(FAILED)).to_contain_text("Unsupported file type")
    page.locator(FAILED).get_by_role("button", name="Remove photo.png").focus()
    page.keyboard.press("Enter")
    expect(page.locator(FAILED)).to_have_count(0)
    page.screenshot(path=str(artifacts / "chat-attachments-tray.png"))

    send(page, "add a task review contract with these files")
    user = page.locator(".chat-message[data-role=user]").last
    expect(user).to_contain_text("review contract")
    expect(page.locator("#chat-tray")).to_have_count(0)
    assert _natural_width(page, ".chat-message[data-role=user] .chat-file-image img") == 800
    expect(user.locator(".chat-file", has_text="contract.pdf")).to_be_visible()
    expect(page.locator(".chat-message[data-role=assistant]").last).to_be_visible()
    # The agent made the task with both files; the task panel shows them.
    task = task_item(page, "Review contract")
    expect(task.locator(".task-files .chat-file")).to_have_count(2)
    expect(task.locator(".chat-file", has_text="contract.pdf")).to_be_visible()
    assert _natural_width(page, ".task-files .chat-file-image img") == 800
    # Side by side with space between them (a unitless CSS gap once left them touching).
    for shown in (user.locator(".chat-files"), task.locator(".task-files")):
        first, second = (shown.locator(".chat-file").nth(i).bounding_box() for i in (0, 1))
        assert first and second and second["x"] >= first["x"] + first["width"] + 4, (first, second)
    page.screenshot(path=str(artifacts / "chat-attachments-sent.png"))

    # A click on the thumbnail opens the original, full size, in a new tab.
    with page.expect_popup() as popup:
        user.locator(".chat-file-image").click()
    original = popup.value
    original.wait_for_load_state()
    assert original.evaluate("document.images[0].naturalWidth") == 1200

    # After a reload the thread shows the same files (they are stored with the message).
    page.reload()
    user = page.locator(".chat-message[data-role=user]").last
    expect(user.locator(".chat-file", has_text="contract.pdf")).to_be_visible()
    assert _natural_width(page, ".chat-message[data-role=user] .chat-file-image img") == 800


def test_paste_and_drop_upload_into_the_tray(page: Page, live_server: str):
    open_chat(page, live_server)
    page.evaluate(
        HAND_OVER, ["#chat-composer", "paste", [_spec("pasted.png", "image/png", files.png())]]
    )
    expect(page.locator(READY)).to_have_count(1)
    page.evaluate(
        HAND_OVER,
        ["#chat-form", "drop", [_spec("notes.txt", "text/plain", b"pay the plumber\n")]],
    )
    expect(page.locator(READY)).to_have_count(2)
    expect(page.locator("#chat-tray")).to_contain_text("notes.txt")
    # Pasting text is left to the text box.
    page.fill("#chat-composer", "")
    page.locator("#chat-composer").press_sequentially("hello")
    expect(page.locator("#chat-composer")).to_have_value("hello")
