"""Task REST routes (the Phase II contract). Thin: validate → task service → shape."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query, Response
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from chatapp.api.deps import PathUser
from chatapp.attachments import records
from chatapp.attachments.records import AttachmentOut
from chatapp.tasks import service
from chatapp.tasks.schemas import (
    CompleteBody,
    CompletionOut,
    CompletionQuery,
    ReminderOut,
    TaskCreate,
    TaskOut,
    TaskQuery,
    TaskReplace,
    TaskUpdate,
)

router = APIRouter(prefix="/api/{user_id}/tasks", tags=["tasks"])
# The user's task history and reminders: not under /tasks, where a segment is a task id.
user_router = APIRouter(prefix="/api/{user_id}", tags=["tasks"])
TASK_LIST = TypeAdapter(list[TaskOut])


@router.get("", response_model=list[TaskOut])
def list_tasks(user: PathUser, query: Annotated[TaskQuery, Query()]) -> Response:
    tasks, total = service.list_tasks(user, query)
    # Serialised straight from the service's TaskOut rows: returning the list would have FastAPI
    # validate every row again (measured in docs/PERFORMANCE.md). The documented schema stays
    # list[TaskOut].
    return Response(
        TASK_LIST.dump_json(tasks),
        media_type="application/json",
        headers={"X-Total-Count": str(total)},
    )


@router.post("", status_code=201, response_model=TaskOut)
def create_task(user: PathUser, body: TaskCreate) -> TaskOut:
    return service.create_task(user, body)


@router.get("/{task_id}", response_model=TaskOut)
def get_task(user: PathUser, task_id: int) -> TaskOut:
    return service.get_task(user, task_id)


@router.put("/{task_id}", response_model=TaskOut)
def replace_task(user: PathUser, task_id: int, body: TaskReplace) -> TaskOut:
    return service.replace_task(user, task_id, body)


@router.patch("/{task_id}", response_model=TaskOut)
def update_task(user: PathUser, task_id: int, body: TaskUpdate) -> TaskOut:
    return service.update_task(user, task_id, body)


@router.delete("/{task_id}", status_code=204)
def delete_task(user: PathUser, task_id: int) -> Response:
    service.delete_task(user, task_id)
    return Response(status_code=204)


@router.patch("/{task_id}/complete", response_model=TaskOut)
def complete_task(
    user: PathUser, task_id: int, body: Annotated[CompleteBody | None, Body()] = None
) -> TaskOut:
    return service.set_completed(user, task_id, (body or CompleteBody()).completed)


class AttachBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    attachment_ids: list[Annotated[str, Field(max_length=records.MAX_ID_LENGTH)]] = Field(
        min_length=1, max_length=records.MAX_PER_REQUEST
    )


@router.get("/{task_id}/attachments", response_model=list[AttachmentOut])
def list_task_attachments(user: PathUser, task_id: int) -> list[AttachmentOut]:
    """The files the task holds (download: each one's `url`; images: `preview_url`)."""
    return [records.out(a) for a in service.task_attachments(user, task_id)]


@router.post("/{task_id}/attachments", response_model=list[AttachmentOut])
def attach_to_task(user: PathUser, task_id: int, body: AttachBody) -> list[AttachmentOut]:
    """The task holds these uploaded attachments too (POST /api/attachments gives the ids)."""
    return [records.out(a) for a in service.attach(user, task_id, body.attachment_ids)]


@router.delete("/{task_id}/attachments/{attachment_id}", status_code=204)
def detach_from_task(user: PathUser, task_id: int, attachment_id: str) -> Response:
    """The task lets go of the attachment; it is deleted when nothing else holds it."""
    service.detach(user, task_id, attachment_id)
    return Response(status_code=204)


@user_router.get("/completions", response_model=list[CompletionOut])
def list_completions(
    user: PathUser, query: Annotated[CompletionQuery, Query()]
) -> list[CompletionOut]:
    """Every completion (plain tasks, and each occurrence of a recurring one), newest first."""
    return service.list_completions(user, query)


@user_router.post("/reminders/claim", response_model=list[ReminderOut])
def claim_reminders(user: PathUser) -> list[ReminderOut]:
    """The reminders due now that no tab, worker or earlier call has shown yet; each once."""
    return service.claim_due_reminders(user)
