"""The private calendar feed: a session-authenticated route that (re)issues its URL, and the
feed itself, whose only credential is the unguessable token in that URL."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from chatapp.api.deps import PathUser
from chatapp.auth import feed_tokens
from chatapp.errors import NotFound
from chatapp.tasks import service
from chatapp.tasks.calendar import MEDIA_TYPE, render_feed

router = APIRouter(tags=["calendar"])
FEED_ROUTE = "calendar_feed"
# Unknown, rotated and revoked tokens read the same.
FEED_NOT_FOUND = "Calendar feed not found"


class FeedUrl(BaseModel):
    url: str


@router.post("/api/{user_id}/calendar/token", response_model=FeedUrl)
def issue_feed_url(user: PathUser, request: Request) -> FeedUrl:
    """A new private feed URL for this user; the previous URL stops working."""
    token = feed_tokens.issue_feed_token(user)
    return FeedUrl(url=str(request.url_for(FEED_ROUTE, token=token)))


@router.delete("/api/{user_id}/calendar/token", status_code=204)
def revoke_feed_url(user: PathUser) -> Response:
    """Turn the feed off: its URL answers 404 from now on."""
    feed_tokens.revoke_feed_token(user)
    return Response(status_code=204)


@router.get(
    "/api/calendar/{token}.ics",
    name=FEED_ROUTE,
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}, "description": "iCalendar feed"}},
)
def calendar_feed(token: str) -> Response:
    """The pending tasks with a due date of the user this token belongs to, as iCalendar."""
    user = feed_tokens.feed_owner(token)
    if user is None:
        raise NotFound(FEED_NOT_FOUND)
    return Response(
        render_feed(service.feed_tasks(user)),
        media_type=MEDIA_TYPE,
        # The URL is the secret: keep it and its contents out of shared caches.
        headers={"Cache-Control": "private, no-cache", "Referrer-Policy": "no-referrer"},
    )
