"""ChatKit's entity tags: GET /api/chat/entities answers the element's "@" search with the user's
own tasks and tags, and a message carrying a picked tag acts on exactly that task."""

from __future__ import annotations

from tests.support.chat import Chat, done_items

URL = "/api/chat/entities"


def _search(chat: Chat, q: str) -> list[dict]:
    response = chat.client.get(URL, params={"q": q}, headers=chat.user.headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_search_offers_matching_tasks_and_tags_of_this_user_only(me: Chat, other: Chat) -> None:
    milk = me.add_task("Buy oat milk", tags=["shop"])
    me.add_task("Call the plumber", tags=["home"])
    other.add_task("Buy milk for the office", tags=["shopping"])

    found = _search(me, "milk")
    assert found == [
        {
            "id": f"task_{milk}",
            "title": "Buy oat milk",
            "group": "Tasks",
            "interactive": False,
            "data": {"task_id": str(milk), "state": "pending"},
        }
    ]
    assert [e["title"] for e in _search(me, "#sh")] == ["#shop"]
    assert {e["title"] for e in _search(me, "")} == {
        "Buy oat milk",
        "Call the plumber",
        "#shop",
        "#home",
    }
    assert _search(other, "oat") == []


def test_search_needs_a_token_and_bounds_its_query(me: Chat) -> None:
    assert me.client.get(URL, params={"q": "x"}).status_code == 401
    assert me.client.get(URL, params={"q": "x" * 201}, headers=me.user.headers).status_code == 422


def test_a_picked_task_tag_is_the_task_the_agent_acts_on(me: Chat) -> None:
    me.add_task("Buy milk")  # a look-alike title: the tag, not the words, decides
    milk = me.add_task("Buy milk at the farm")
    tag = {"type": "input_tag", "id": f"task_{milk}", "text": "Buy milk at the farm",
           "data": {"task_id": str(milk)}}  # fmt: skip
    content = [
        {"type": "input_text", "text": "mark "},
        tag,
        {"type": "input_text", "text": " done"},
    ]
    events = me.chatkit_ok(
        "threads.create", input={"content": content, "attachments": [], "inference_options": {}}
    )
    assert not [e for e in events if e.get("type") == "error"], events
    done = {task["id"]: task["completed"] for task in me.tasks()}
    assert done[milk] is True and list(done.values()).count(True) == 1
    [user] = done_items(events, "user_message")
    assert user["content"][1]["type"] == "input_tag"  # the thread keeps the tag as it was sent
