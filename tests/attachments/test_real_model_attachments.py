"""A real model (Chat Completions, served by the local fake) sees attached files: images as
input images (the optimised copy as a data URL), text files as their text, a PDF as a note,
and a manifest with the ids it passes to attach_files."""

from __future__ import annotations

import base64
import io
import json

from PIL import Image

from chatapp.attachments.model_input import MANIFEST_MARK, TEXT_MAX_CHARS
from tests.support import files
from tests.support.attachments import uploaded_id
from tests.support.fake_openai import Text, ToolCall


def test_the_model_gets_images_text_and_ids_and_can_attach_them(
    fake_openai, client, attachment_dir, owner
):
    task = client.post(owner.tasks_url, json={"title": "Expenses"}, headers=owner.headers).json()
    photo = uploaded_id(client, owner, files.jpeg_with_exif((1600, 1000)), "taxi.jpg")
    notes = uploaded_id(client, owner, "z" * (TEXT_MAX_CHARS + 500), "long.txt")
    contract = uploaded_id(client, owner, files.pdf(), "contract.pdf")
    fake_openai.script(
        ToolCall("attach_files", {"task_id": task["id"], "attachment_ids": [photo, contract]}),
        Text("Attached."),
    )

    response = client.post(
        owner.chat_url,
        json={"message": "file these with expenses", "attachments": [photo, notes, contract]},
        headers=owner.headers,
    )
    assert response.status_code == 200, response.text

    parts = fake_openai.received[0].messages[-1]["content"]
    assert parts[0] == {"type": "text", "text": "file these with expenses"}
    assert parts[1]["type"] == "text" and parts[1]["text"].startswith(MANIFEST_MARK)
    assert json.loads(parts[1]["text"][len(MANIFEST_MARK) :]) == [
        {"id": photo, "name": "taxi.jpg", "kind": "image", "mime_type": "image/jpeg"},
        {"id": notes, "name": "long.txt", "kind": "file", "mime_type": "text/plain"},
        {"id": contract, "name": "contract.pdf", "kind": "file", "mime_type": "application/pdf"},
    ]
    image_url = parts[2]["image_url"]["url"]
    assert image_url.startswith("data:image/jpeg;base64,")
    sent = Image.open(io.BytesIO(base64.b64decode(image_url.split(",", 1)[1])))
    assert sent.size == (500, 800)  # the upright optimised copy, not the 1600 px original
    assert parts[3]["type"] == "text" and parts[3]["text"].endswith("… (truncated)")
    assert parts[3]["text"].count("z") == TEXT_MAX_CHARS
    assert "contract.pdf" in parts[4]["text"] and "application/pdf" in parts[4]["text"]

    held = client.get(f"{owner.tasks_url}/{task['id']}/attachments", headers=owner.headers)
    assert [a["name"] for a in held.json()] == ["taxi.jpg", "contract.pdf"]


def test_earlier_images_are_named_not_sent_again(fake_openai, client, attachment_dir, owner):
    photo = uploaded_id(client, owner, files.png(), "receipt.png")
    notes = uploaded_id(client, owner, b"taxi 12.50\n", "notes.txt")
    fake_openai.script(Text("Nice receipt."), Text("Sure."))

    first = client.post(
        owner.chat_url,
        json={"message": "here is my receipt", "attachments": [photo, notes]},
        headers=owner.headers,
    ).json()
    client.post(
        owner.chat_url,
        json={"message": "thanks", "conversation_id": first["conversation_id"]},
        headers=owner.headers,
    )

    earlier = next(m for m in fake_openai.received[1].messages if m["role"] == "user")
    kinds = [part["type"] for part in earlier["content"]]
    assert kinds == ["text", "text", "text"]  # words, manifest, the text file; no image
    assert photo in earlier["content"][1]["text"] and "taxi 12.50" in earlier["content"][2]["text"]
    assert fake_openai.received[1].messages[-1]["content"] == [{"type": "text", "text": "thanks"}]
