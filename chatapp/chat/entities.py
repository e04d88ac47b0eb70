"""ChatKit entity tags: what the element's composer offers as the user types "@" (their tasks
and tags, `search`), and what a tag in a sent message says to the model (`tag_text`: "task 3",
"#work"), so the model acts on the task the user picked, not on a title it has to guess."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from chatkit.types import UserMessageTagContent

from chatapp.tasks import service
from chatapp.tasks.schemas import LIST_LIMIT_MAX, TaskOut, TaskQuery

ENTITY_SEARCH_ENDPOINT = "/api/chat/entities"
ENTITY_LIMIT = 8
QUERY_MAX_CHARS = 200
# The tasks a search looks through: the user's most recent ones (their tags come with them).
_RECENT = TaskQuery(status="all", sort="created", order="desc", limit=LIST_LIMIT_MAX)


def ranked_tags(tasks: Sequence[TaskOut]) -> list[str]:
    """The tags on `tasks`, most used first (then by name)."""
    uses = Counter(tag for task in tasks for tag in task.tags)
    return sorted(uses, key=lambda tag: (-uses[tag], tag))


def task_entity(task: TaskOut) -> dict[str, Any]:
    state = "done" if task.completed else "pending"
    return {
        "id": f"task_{task.id}",
        "title": task.title,
        "group": "Tasks",
        "interactive": False,
        "data": {"task_id": str(task.id), "state": state},
    }


def tag_entity(tag: str) -> dict[str, Any]:
    return {"id": f"tag_{tag}", "title": f"#{tag}", "group": "Tags", "data": {"tag": tag}}


def search(user_id: int, query: str) -> list[dict[str, Any]]:
    """The user's tasks whose title holds `query` (pending first) and tags that start with it,
    at most ENTITY_LIMIT in all; an empty query offers the most recent ones."""
    words = query.strip().lstrip("@#").casefold()
    tasks, _ = service.list_tasks(user_id, _RECENT)
    matching = [task for task in tasks if words in task.title.casefold()]
    matching.sort(key=lambda task: task.completed)
    tags = [tag for tag in ranked_tags(tasks) if tag.startswith(words)]
    found = [tag_entity(tag) for tag in tags[:3]] if query.lstrip().startswith("#") else []
    found += [task_entity(task) for task in matching]
    found += [tag_entity(tag) for tag in tags if tag_entity(tag) not in found]
    return found[:ENTITY_LIMIT]


def tag_text(tag: UserMessageTagContent) -> str:
    """What a tag in the user's message stands for, in words the agent acts on."""
    data = tag.data or {}
    if str(data.get("task_id", "")).isdigit():
        return f"task {data['task_id']}"
    if data.get("tag"):
        return f"#{data['tag']}"
    return tag.text
