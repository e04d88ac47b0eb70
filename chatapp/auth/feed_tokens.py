"""Calendar feed tokens: the secret in a user's private iCalendar URL.

The only code that reads or writes CalendarFeed rows. A token is 32 random bytes
(`secrets.token_urlsafe`); only its SHA-256 is stored, so the database never holds a working
URL. Issuing a token replaces the user's previous one, which stops working at once.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, delete, select

from chatapp.db import CalendarFeed, session_scope
from chatapp.db.models import utcnow

TOKEN_BYTES = 32
# token_urlsafe(32) is 43 characters; anything much longer is not one of ours.
TOKEN_MAX_LENGTH = 64


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_feed_token(user_id: int) -> str:
    """A new feed token for `user_id`; the previous one (if any) is revoked."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    for _attempt in range(2):
        try:
            with session_scope() as session:
                feed = session.get(CalendarFeed, user_id)
                if feed is None:
                    feed = CalendarFeed(user_id=user_id, token_hash=_digest(token))
                feed.token_hash = _digest(token)
                feed.created_at = utcnow()
                session.add(feed)
            return token
        except IntegrityError:  # a first feed issued twice at once: the retry updates the row
            continue
    raise RuntimeError("could not store the calendar feed token")


def revoke_feed_token(user_id: int) -> None:
    """Turn the user's calendar feed off (its URL answers 404 from now on)."""
    with session_scope() as session:
        session.exec(delete(CalendarFeed).where(col(CalendarFeed.user_id) == user_id))


def feed_owner(token: str) -> int | None:
    """The user whose current feed token this is, or None (unknown, rotated or revoked)."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    with session_scope() as session:
        stmt = select(CalendarFeed.user_id).where(CalendarFeed.token_hash == _digest(token))
        return session.exec(stmt).first()
