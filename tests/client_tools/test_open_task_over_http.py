"""open_task through the HTTP doors: the ChatKit protocol endpoint (as <openai-chatkit> drives it:
a client_tool_call item, then threads.add_client_tool_output) and the JSON chat API, which
cannot run browser tools but still answers."""

from __future__ import annotations

import json
from typing import Any

from tests.support.client_tools import Person


def sse_items(body: str) -> list[dict[str, Any]]:
    """The items of every thread.item.done event of a ChatKit SSE body."""
    items = []
    for line in body.splitlines():
        if line.startswith("data: "):
            event = json.loads(line[6:])
            if event.get("type") == "thread.item.done":
                items.append(event["item"])
    return items


def chatkit(client, person: Person, kind: str, **params: Any):
    body = {"type": kind, "params": params}
    return client.post("/chatkit", json=body, headers=person.headers)


def test_chatkit_round_trip_opens_the_task(client, ann: Person, ben: Person) -> None:
    task = ann.add_task("Buy milk")
    user_input = {
        "content": [{"type": "input_text", "text": f"show me task {task.id}"}],
        "attachments": [],
        "inference_options": {},
    }
    first = chatkit(client, ann, "threads.create", input=user_input)
    assert first.status_code == 200
    calls = [item for item in sse_items(first.text) if item["type"] == "client_tool_call"]
    assert [(c["name"], c["arguments"], c["status"]) for c in calls] == [
        ("open_task", {"task_id": task.id}, "pending")
    ]
    thread_id = calls[0]["thread_id"]

    # Another user's answer to ann's call is refused before anything runs.
    stolen = chatkit(client, ben, "threads.add_client_tool_output", thread_id=thread_id, result={})
    assert stolen.status_code == 404

    result = {"opened": True, "task_id": task.id, "title": "Buy milk"}
    second = chatkit(
        client, ann, "threads.add_client_tool_output", thread_id=thread_id, result=result
    )
    assert second.status_code == 200
    [reply] = [item for item in sse_items(second.text) if item["type"] == "assistant_message"]
    assert reply["content"][0]["text"] == f"Opened **Buy milk** (task {task.id})."

    listed = chatkit(client, ann, "items.list", thread_id=thread_id, order="asc").json()
    stored = [item for item in listed["data"] if item["type"] == "client_tool_call"]
    assert [(s["status"], s["output"]) for s in stored] == [("completed", result)]


def test_json_api_turn_waiting_for_the_browser_still_answers(client, ann: Person) -> None:
    task = ann.add_task("Buy milk")
    url = f"/api/{ann.id}/chat"

    r = client.post(url, json={"message": f"open task {task.id}"}, headers=ann.headers)

    assert r.status_code == 200, r.text
    body = r.json()
    assert body["response"] == f"I asked the app to open task {task.id}."
    assert [(c["name"], c["arguments"]) for c in body["tool_calls"]] == [
        ("open_task", {"task_id": task.id})
    ]
    assert body["tool_calls"][0]["output"]["title"] == "Buy milk"
    # The unanswered call does not get in the way of the conversation.
    body2 = {"message": "show my tasks", "conversation_id": body["conversation_id"]}
    r2 = client.post(url, json=body2, headers=ann.headers)
    assert r2.status_code == 200, r2.text
    assert f"**Buy milk** (task {task.id})" in r2.json()["response"]
