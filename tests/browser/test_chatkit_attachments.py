"""Attachments through the ChatKit element, in Chromium against a production build: the
options the element gets (composer.attachments, two-phase uploads), then its upload flow as
the element runs it through its `api.fetch` — attachments.create, the file POSTed to the
returned upload URL, the message sent with the attachment ids — with a real PNG and a real PDF.
The stand-in element of test_chatkit_component plays OpenAI's (which cannot load here)."""

from __future__ import annotations

import base64
import json

import httpx
import pytest
from playwright.sync_api import Page

from chatapp.settings import get_settings
from tests.browser.test_chatkit_component import demo_page, last_options, open_demo, signed_up
from tests.support import files

pytestmark = pytest.mark.browser

# What ChatKit's element does for each file with the two_phase strategy: attachments.create,
# then the file to upload_descriptor.url (through api.fetch, which adds the bearer token).
UPLOAD = """async ([name, type, b64]) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const created = await window.__ck.request({type: 'attachments.create',
    params: {name, size: bytes.length, mime_type: type}});
  if (created.status !== 200) return {created};
  const attachment = JSON.parse(created.text);
  const api = window.__ck.options.at(-1).api;
  const form = new FormData();
  form.append('file', new File([bytes], name, {type}));
  const response = await api.fetch(attachment.upload_descriptor.url,
    {method: attachment.upload_descriptor.method || 'POST', body: form});
  return {attachment, status: response.status, text: await response.text()};
}"""


def _upload(page: Page, name: str, mime: str, data: bytes) -> dict:
    result = page.evaluate(UPLOAD, [name, mime, base64.b64encode(data).decode()])
    assert result.get("status") == 200, result
    return result


def test_element_uploads_two_phase_and_sends_attachments(page: Page, live_server: str, artifacts):
    demo_page(page)
    signed_up(page, live_server)
    open_demo(page, live_server)
    page.wait_for_function("() => window.__ck?.options.length > 0")

    options = last_options(page)
    assert options["api"]["uploadStrategy"] == {"type": "two_phase"}
    attachments = options["composer"]["attachments"]
    assert attachments["enabled"] is True
    assert attachments["maxSize"] == get_settings().attachment_max_bytes
    assert "image/png" in attachments["accept"] and "application/pdf" in attachments["accept"]

    png = _upload(page, "receipt.png", "image/png", files.png((1000, 500)))
    pdf = _upload(page, "contract.pdf", "application/pdf", files.pdf())
    assert png["attachment"]["type"] == "image" and pdf["attachment"]["type"] == "file"
    # The element shows the preview_url of an image attachment in an <img>, with no token: the
    # URL's key opens the optimised copy.
    width = page.evaluate(
        """async (url) => { const img = new Image(); img.src = url; await img.decode();
                            return img.naturalWidth; }""",
        png["attachment"]["preview_url"],
    )
    assert width == 800

    # A file the element claims is a PNG but is not one is refused, with the reason.
    refused = page.evaluate(
        UPLOAD, ["photo.png", "image/png", base64.b64encode(files.windows_exe()).decode()]
    )
    assert refused["status"] == 415, refused
    assert "Unsupported file type" in json.loads(refused["text"])["detail"]

    ids = [png["attachment"]["id"], pdf["attachment"]["id"]]
    turn = page.evaluate(
        """(ids) => window.__ck.request({type: 'threads.create', params: {input: {
             content: [{type: 'input_text', text: 'add a task review contract with these files'}],
             attachments: ids, inference_options: {}}}})""",
        ids,
    )
    assert turn["status"] == 200, turn
    events = [
        json.loads(line[6:]) for line in turn["text"].splitlines() if line.startswith("data: ")
    ]
    [user] = [
        e["item"]
        for e in events
        if e["type"] == "thread.item.done" and e["item"]["type"] == "user_message"
    ]
    assert [a["id"] for a in user["attachments"]] == ids
    assert not [e for e in events if e["type"] == "error"], events
    # The agent added the task with both files: the task's attachments route lists them.
    token = page.evaluate("() => localStorage.getItem('chatapp_token')")
    auth = {"Authorization": f"Bearer {token}"}
    me = httpx.get(f"{live_server}/api/auth/me", headers=auth).json()["user_id"]
    [task] = httpx.get(f"{live_server}/api/{me}/tasks", headers=auth).json()
    assert task["title"] == "Review contract"
    listed = httpx.get(f"{live_server}/api/{me}/tasks/{task['id']}/attachments", headers=auth)
    assert [a["id"] for a in listed.json()] == ids
    page.screenshot(path=str(artifacts / "chatkit-attachments.png"))
