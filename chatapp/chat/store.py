"""ChatKit's Store on chatapp's database: the only code that reads or writes chat thread, item
and conversation-number rows (attachment rows it leaves to chatapp.attachments.records).

Every method is scoped to `context.user_id`. Another user's thread, item or attachment is
indistinguishable from one that does not exist: chatkit's NotFoundError, and nothing written.

Ordering. Threads list by (created_at, id), which is what ChatKit's threads.list promises
("sorted by creation time") and what its history groups by. Items list by `seq`, the order this
store accepted them: immune to created_at ties, to naive local `datetime.now()` stamps and to
clock skew between workers, and it is the order ChatKit streamed the items in.

Conversation numbers. Every thread also has the spec's integer conversation id, a row in
chat_conversations written in the same transaction as the thread itself, so no door can make a
thread without one. Loaded threads carry it as `metadata["conversation_id"]`; it is never kept in
the thread's payload, so the table stays its only home.

Blocking. Each call is one short transaction, run in a worker thread (`asyncio.to_thread`): a
PostgreSQL round trip or an SQLite writer waiting on `busy_timeout` must never stall the loop that
is streaming other users' replies.
"""

from __future__ import annotations

import asyncio
import functools
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from chatkit.store import NotFoundError, Store, StoreItemType, default_generate_id
from chatkit.types import Attachment, Page, ThreadItem, ThreadMetadata
from pydantic import TypeAdapter
from sqlalchemy import Connection, Insert, Select, Table, bindparam, delete, insert, tuple_, update
from sqlalchemy import select as sa_select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from chatapp.attachments import records
from chatapp.db import connection_scope, session_scope
from chatapp.db.models import ChatConversation, ChatItem, ChatThread, utcnow
from chatapp.errors import NotFound

T = TypeVar("T")
R = TypeVar("R")

_ITEM = TypeAdapter(ThreadItem)

MAX_ID_LENGTH = records.MAX_ID_LENGTH
# chat_conversations.id is a 32-bit INTEGER on PostgreSQL: a larger number cannot exist.
MAX_CONVERSATION_ID = 2**31 - 1
# Where a loaded thread carries its conversation number.
CONVERSATION_KEY = "conversation_id"


@dataclass(frozen=True)
class Conversation:
    """A conversation's two names: the spec's number and the ChatKit thread id."""

    id: int
    thread_id: str


@dataclass
class RequestContext:
    """Who a ChatKit request acts for; ChatKit passes it to every Store call and to respond().

    `user_id` comes from the verified token, never from the request body or the model. The rest
    is per-request scratch: the user's clock for date phrases, and what the turn did.
    """

    user_id: int
    timezone: str = "UTC"
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    tool_calls: list = field(default_factory=list)
    error: str | None = None
    # The store's per-request memory (see SQLStore): items this request already committed, and
    # the newest items of a thread it read, until it writes to that thread again.
    saved_items: dict[str, ThreadItem] = field(default_factory=dict, repr=False)
    recent_items: dict[str, tuple[list[ThreadItem], bool]] = field(default_factory=dict, repr=False)
    # Conversation numbers of the threads this request stored new or loaded (thread id → number).
    conversation_numbers: dict[str, int] = field(default_factory=dict, repr=False)
    # This app's address as the request reached it (for attachment upload URLs), if known.
    base_url: str | None = None
    # Whether adding the user's message also reads the model's history in its transaction (see
    # SQLStore): off for the door whose first event is that stored message (/chatkit), so the
    # read does not stand between the commit and the reader's first byte.
    read_back_history: bool = True
    # A thread the front door checked (load_conversation_thread), handed to ChatKit's next load.
    checked_threads: dict[str, ThreadMetadata] = field(default_factory=dict, repr=False)
    # Thread changes waiting to go with the thread's next item write, and those that went.
    pending_threads: dict[str, ThreadMetadata] = field(default_factory=dict, repr=False)
    saved_threads: dict[str, ThreadMetadata] = field(default_factory=dict, repr=False)


class SQLStore(Store[RequestContext]):
    """ChatKit threads, items and attachments in SQL, one user's rows per request context.

    Within one request (one RequestContext) the store remembers three things, each invalidated by
    that request's own writes and none ever shared between requests:
    - a thread the front door just checked (before the status line), which ChatKit's next load
      of it takes instead of reading it again;
    - the newest items of a thread it just read, so ChatKit's second look at the last two items
      of the thread (after the chat core read the last forty) costs no query;
    - the items it committed with `add_thread_items`, so ChatKit's own save of the same item,
      unchanged, right after, is not a second transaction; likewise a thread whose changes
      went with an item write (`save_thread_with_next_item`).

    `history_window`: adding a user message also reads back that many of the thread's newest
    items, in the same transaction, as the read above: the chat core answers a user message by
    reading the thread's newest items (the model's history), which then costs no second trip.
    """

    def __init__(self, history_window: int = 0) -> None:
        self.history_window = history_window

    def generate_thread_id(self, context: RequestContext) -> str:
        """A "thr_" id with 96 random bits: thread ids are global, 32 bits would collide."""
        return _widened(default_generate_id("thread"))

    def generate_item_id(
        self, item_type: StoreItemType, thread: ThreadMetadata, context: RequestContext
    ) -> str:
        """The library's prefixed id ("msg_", "tc_", "wf_", …) with 96 random bits."""
        return _widened(default_generate_id(item_type))

    async def load_thread(self, thread_id: str, context: RequestContext) -> ThreadMetadata:
        """Load one of the user's threads (its number is remembered on the request context)."""
        thread = context.checked_threads.pop(thread_id, None)
        if thread is None:
            thread = await _db(context, _load_thread, context.user_id, thread_id)
        context.conversation_numbers[thread.id] = thread.metadata[CONVERSATION_KEY]
        return thread

    async def load_conversation_thread(
        self, conversation: int | str, context: RequestContext
    ) -> ThreadMetadata:
        """One of the user's threads by its conversation number or its thread id, in one
        indexed read (NotFoundError otherwise); the next `load_thread` of it in this request
        takes this one instead of reading it again."""
        thread = await _db(context, _load_conversation_thread, context.user_id, conversation)
        context.conversation_numbers[thread.id] = thread.metadata[CONVERSATION_KEY]
        context.checked_threads[thread.id] = thread.model_copy(deep=True)
        return thread

    async def save_thread(self, thread: ThreadMetadata, context: RequestContext) -> None:
        """Create the thread for the user, or update it if it is already theirs.

        A new thread gets its conversation number here, remembered on the request context:
        ChatKit announces a new thread from its own copy, which never passes through a load.
        """
        context.checked_threads.pop(thread.id, None)
        context.pending_threads.pop(thread.id, None)
        if context.saved_threads.get(thread.id) == thread:
            return  # committed with an item in this request, and unchanged since
        stored = thread.id in context.conversation_numbers
        number = await _db(context, _save_thread, context.user_id, thread, stored)
        if number is not None:
            context.conversation_numbers[thread.id] = number

    def save_thread_with_next_item(self, thread: ThreadMetadata, context: RequestContext) -> None:
        """Save the thread's changes in the transaction of this request's next item write to
        it (which updates the thread row anyway); ChatKit's own save of the thread after that,
        unchanged, is then no transaction of its own. A save_thread before any such write
        saves the thread itself, as always."""
        context.pending_threads[thread.id] = thread.model_copy(deep=True)

    async def load_conversation(
        self, conversation: int | str, context: RequestContext
    ) -> Conversation:
        """One of the user's conversations, by its number or by its thread id."""
        try:
            thread = await self.load_conversation_thread(conversation, context)
        except NotFoundError as exc:
            raise NotFoundError(f"Conversation {conversation} not found") from exc
        return Conversation(id=thread.metadata[CONVERSATION_KEY], thread_id=thread.id)

    async def load_threads(
        self, limit: int, after: str | None, order: str, context: RequestContext
    ) -> Page[ThreadMetadata]:
        """A page of the user's threads by creation time; `after` is the previous page's last id."""
        return await _db(context, _load_threads, context.user_id, limit, after, order)

    async def delete_thread(self, thread_id: str, context: RequestContext) -> None:
        """Delete one of the user's threads and all its items."""
        context.recent_items.pop(thread_id, None)
        context.checked_threads.pop(thread_id, None)
        context.conversation_numbers.pop(thread_id, None)
        context.pending_threads.pop(thread_id, None)
        context.saved_threads.pop(thread_id, None)
        for item_id in [k for k, v in context.saved_items.items() if v.thread_id == thread_id]:
            del context.saved_items[item_id]
        released = await _db(context, _delete_thread, context.user_id, thread_id)
        await asyncio.to_thread(records.forget, released)

    async def load_thread_items(
        self,
        thread_id: str,
        after: str | None,
        limit: int,
        order: str,
        context: RequestContext,
    ) -> Page[ThreadItem]:
        """A page of a thread's items in stored order; `after` is the previous page's last id."""
        newest_first = after is None and order == "desc"
        if newest_first and (page := _recent_page(context, thread_id, limit)) is not None:
            return page
        # A thread this request already loaded or created is known to be the user's.
        owned = thread_id in context.conversation_numbers
        page = await _db(
            context, _load_items, context.user_id, thread_id, after, limit, order, owned
        )
        if newest_first:
            # Remembered as read; the chat core only reads them. A hit hands out copies.
            context.recent_items[thread_id] = (list(page.data), page.has_more)
        return page

    async def add_thread_item(
        self, thread_id: str, item: ThreadItem, context: RequestContext
    ) -> None:
        """Append an item; one already stored under its id is updated in place.

        ChatKit re-adds items it already saved (a workflow left open at the end of a turn is
        added again when it ends), so adding is an upsert that keeps the item's position.
        """
        if context.saved_items.get(item.id) == item:
            return  # committed by add_thread_items in this request, and unchanged since
        await self.add_thread_items(thread_id, [item], context)

    async def add_thread_items(
        self, thread_id: str, items: list[ThreadItem], context: RequestContext
    ) -> None:
        """Append several items in one transaction: all of them are stored, or none is.

        For items that only make sense together (a tool chip and the record the model replays).
        """
        context.recent_items.pop(thread_id, None)
        wanted = context.read_back_history and any(_is_user_message(i) for i in items)
        read_back = self.history_window if wanted else 0
        thread = context.pending_threads.pop(thread_id, None)
        newest = await _db(
            context, _upsert_items, context.user_id, thread_id, items, read_back, thread
        )
        context.saved_items.update(zip((i.id for i in items), _copies(items), strict=True))
        if thread is not None:
            context.saved_threads[thread_id] = thread
        if newest is not None:
            context.recent_items[thread_id] = (list(newest.data), newest.has_more)

    async def save_item(self, thread_id: str, item: ThreadItem, context: RequestContext) -> None:
        """Upsert an item by id within the thread, keeping its position (a no-op for one this
        request committed and has not changed since, as a workflow's replacement event is)."""
        await self.add_thread_item(thread_id, item, context)

    async def load_item(self, thread_id: str, item_id: str, context: RequestContext) -> ThreadItem:
        """Load one item of one of the user's threads."""
        return await _db(context, _load_item, context.user_id, thread_id, item_id)

    async def delete_thread_item(
        self, thread_id: str, item_id: str, context: RequestContext
    ) -> None:
        """Delete an item of one of the user's threads; an id not in the thread is a no-op.

        ChatKit removes every id it produced when a guardrail trips, including items it never
        saved, so a missing item must not fail the stream. A foreign thread still raises.
        """
        context.recent_items.pop(thread_id, None)
        context.saved_items.pop(item_id, None)
        await _db(context, _delete_item, context.user_id, thread_id, item_id)

    # Attachment rows belong to chatapp.attachments.records (they outlive threads on tasks).
    async def save_attachment(self, attachment: Attachment, context: RequestContext) -> None:
        """Create or update one of the user's attachment records."""
        await _db(context, _found, records.save, context.user_id, attachment)

    async def load_attachment(self, attachment_id: str, context: RequestContext) -> Attachment:
        """Load one of the user's uploaded attachments (a pending one cannot be sent)."""
        return await _db(
            context, _found, records.load, context.user_id, attachment_id, uploaded_only=True
        )

    async def delete_attachment(self, attachment_id: str, context: RequestContext) -> None:
        """Delete one of the user's attachments: its row (task links too), then its files."""
        await _db(context, _found, records.delete_row, context.user_id, attachment_id)
        await asyncio.to_thread(records.forget, [attachment_id])


DATABASE_FAILED = "database_unavailable"


async def _db(context: RequestContext, fn: Callable[..., R], *args: Any, **kwargs: Any) -> R:
    """Run a blocking store function off the event loop; a database failure is also recorded
    on the request context, since ChatKit turns store exceptions into a bare ErrorEvent."""
    try:
        return await asyncio.to_thread(fn, *args, **kwargs)
    except DBAPIError:
        context.error = DATABASE_FAILED
        raise


class AttachmentNotFoundError(NotFoundError):
    """A message names an attachment that is missing or not the user's (the thread may be fine)."""


def _found(fn: Callable[..., R], *args: Any, **kwargs: Any) -> R:
    """The attachment records' NotFound, as the NotFoundError ChatKit expects of a Store."""
    try:
        return fn(*args, **kwargs)
    except NotFound as exc:
        raise AttachmentNotFoundError(exc.message) from exc


def _is_user_message(item: ThreadItem) -> bool:
    return item.type == "user_message"


def _copies(items: list[ThreadItem]) -> list[ThreadItem]:
    # Callers may change the items they were given or read; the memory must not change with them.
    return [item.model_copy(deep=True) for item in items]


def _recent_page(context: RequestContext, thread_id: str, limit: int) -> Page[ThreadItem] | None:
    """The newest `limit` items from this request's last read of the thread, if it covers them."""
    remembered = context.recent_items.get(thread_id)
    if remembered is None:
        return None
    items, more_in_db = remembered
    if len(items) < limit and more_in_db:
        return None
    data = _copies(items[: max(limit, 1)])
    has_more = len(items) > len(data) or more_in_db
    return Page[ThreadItem](data=data, has_more=has_more, after=data[-1].id if has_more else None)


def _widened(library_id: str) -> str:
    return library_id + secrets.token_hex(8)


_storable = records.storable  # one rule for every id column of the chat tables


def _require_storable(identifier: str, kind: str) -> None:
    if not _storable(identifier):
        raise ValueError(f"{kind} id must be 1-{MAX_ID_LENGTH} characters without NUL")


def _utc(moment: datetime) -> datetime:
    # ChatKit stamps naive local times (datetime.now()); astimezone reads those as local.
    return moment.astimezone(UTC)


def _descending(order: str) -> bool:
    if order not in ("asc", "desc"):
        raise ValueError(f"order must be 'asc' or 'desc', not {order!r}")
    return order == "desc"


def _page(
    rows: list[T], limit: int, cursor: Callable[[T], str]
) -> tuple[list[T], bool, str | None]:
    """Rows fetched with limit + 1 → (data, has_more, after) as ChatKit's Page expects."""
    has_more = len(rows) > limit
    data = rows[:limit]
    return data, has_more, cursor(data[-1]) if has_more else None


def _thread_not_found(thread_id: str) -> NotFoundError:
    return NotFoundError(f"Thread {thread_id} not found")


# The chat tables as SQL Core tables: a turn's reads and writes are single statements, and the
# ORM's unit of work (identity map, flush, attribute events) cost several times the statement.
_THREADS: Table = ChatThread.__table__  # pyright: ignore[reportAttributeAccessIssue]  -- sqlmodel sets it on the class
_ITEMS: Table = ChatItem.__table__  # pyright: ignore[reportAttributeAccessIssue]  -- as above
_CONVERSATIONS: Table = ChatConversation.__table__  # pyright: ignore[reportAttributeAccessIssue]  -- as above
# A turn's writes, built once (building and keying a statement costs as much as running it):
# the SET clause is the parameters given besides the two that pick the user's thread.
_UPDATE_OWNED_THREAD = update(_THREADS).where(
    _THREADS.c.id == bindparam("owned_thread"), _THREADS.c.user_id == bindparam("owner")
)
_INSERT_THREAD = insert(_THREADS)
_INSERT_CONVERSATION = insert(_CONVERSATIONS)


def _owned_thread(session: Session, user_id: int, thread_id: str) -> ChatThread:
    if _storable(thread_id):
        row = session.exec(
            select(ChatThread).where(ChatThread.id == thread_id, ChatThread.user_id == user_id)
        ).first()
        if row is not None:
            return row
    raise _thread_not_found(thread_id)


def _thread_key(conn: Connection, user_id: int, thread_id: str) -> tuple[datetime, str]:
    """(created_at, id) of one of the user's threads, its place in threads.list; NotFoundError
    if the thread is missing or not theirs."""
    if _storable(thread_id):
        row = conn.execute(
            sa_select(_THREADS.c.created_at, _THREADS.c.id).where(
                _THREADS.c.id == thread_id, _THREADS.c.user_id == user_id
            )
        ).first()
        if row is not None:
            return row[0], row[1]
    raise _thread_not_found(thread_id)


def _owned_item(conn: Connection, user_id: int, thread_id: str, item_id: str, column: Any) -> Any:
    """One column of an item of one of the user's threads (NotFoundError otherwise)."""
    _thread_key(conn, user_id, thread_id)
    if _storable(item_id):
        row = conn.execute(
            sa_select(column).where(
                _ITEMS.c.thread_id == thread_id,
                _ITEMS.c.id == item_id,
                _ITEMS.c.user_id == user_id,
            )
        ).first()
        if row is not None:
            return row[0]
    raise NotFoundError(f"Item {item_id} not found in thread {thread_id}")


def _numbered_threads() -> Select:
    """SELECT a thread's payload with its conversation number."""
    return sa_select(_THREADS.c.payload, _CONVERSATIONS.c.id).join_from(
        _THREADS, _CONVERSATIONS, _CONVERSATIONS.c.thread_id == _THREADS.c.id
    )


def _numbered(payload: dict[str, Any], number: int) -> ThreadMetadata:
    thread = ThreadMetadata.model_validate(payload)
    thread.metadata[CONVERSATION_KEY] = number
    return thread


def _load_thread(user_id: int, thread_id: str) -> ThreadMetadata:
    if _storable(thread_id):
        stmt = _numbered_threads().where(_THREADS.c.id == thread_id, _THREADS.c.user_id == user_id)
        with connection_scope() as conn:
            row = conn.execute(stmt).first()
        if row is not None:
            return _numbered(row[0], row[1])
    raise _thread_not_found(thread_id)


def _thread_payload(thread: ThreadMetadata) -> dict[str, Any]:
    # ChatKit may hand over a full Thread; its items live in their own rows, never in here.
    payload = {
        key: value
        for key, value in thread.model_dump(mode="json").items()
        if key in ThreadMetadata.model_fields
    }
    # The number's one home is chat_conversations; a load puts it back.
    payload.get("metadata", {}).pop(CONVERSATION_KEY, None)
    return payload


def _thread_fields(thread: ThreadMetadata) -> dict[str, Any]:
    """The chat_threads columns a save writes (besides updated_at)."""
    # The payload keeps the title exactly; the column drops NUL, which PostgreSQL text refuses.
    title = thread.title.replace("\x00", "") if thread.title is not None else None
    return {
        "title": title,
        "created_at": _utc(thread.created_at),
        "payload": _thread_payload(thread),
    }


def _save_thread(user_id: int, thread: ThreadMetadata, stored: bool = False) -> int | None:
    """Insert or update the thread; a new thread's conversation number, else None.

    `stored`: the request already knows the thread as the user's, so the update is tried first
    (one statement); a thread gone since is then looked up like any other."""
    _require_storable(thread.id, "Thread")
    fields = _thread_fields(thread)
    owned = {"owned_thread": thread.id, "owner": user_id}
    with connection_scope() as conn:
        if stored:
            updated = conn.execute(
                _UPDATE_OWNED_THREAD, {**owned, "updated_at": utcnow(), **fields}
            )
            if updated.rowcount:
                return None
        owner = conn.execute(
            sa_select(_THREADS.c.user_id).where(_THREADS.c.id == thread.id)
        ).scalar()
        if owner is None:
            row = {"id": thread.id, "user_id": user_id, "updated_at": utcnow(), **fields}
            conn.execute(_INSERT_THREAD, row)
            # After the thread row: the number's row refers to it.
            numbered = conn.execute(
                _INSERT_CONVERSATION, {"thread_id": thread.id, "user_id": user_id}
            )
            key = numbered.inserted_primary_key
            if key is None:  # a single-row INSERT always reports its key
                raise RuntimeError("chat_conversations gave no id")
            return key[0]
        if owner != user_id:
            raise _thread_not_found(thread.id)
        conn.execute(_UPDATE_OWNED_THREAD, {**owned, "updated_at": utcnow(), **fields})
        return None


def _load_conversation_thread(user_id: int, conversation: int | str) -> ThreadMetadata:
    stmt = _numbered_threads().where(_THREADS.c.user_id == user_id)
    if isinstance(conversation, int):
        known = 1 <= conversation <= MAX_CONVERSATION_ID
        stmt = stmt.where(_CONVERSATIONS.c.id == conversation)
    else:
        known = _storable(conversation)
        stmt = stmt.where(_THREADS.c.id == conversation)
    if known:
        with connection_scope() as conn:
            row = conn.execute(stmt).first()
        if row is not None:
            return _numbered(row[0], row[1])
    if isinstance(conversation, str):
        raise _thread_not_found(conversation)  # what ChatKit's own load would say
    raise NotFoundError(f"Conversation {conversation} not found")


def _load_threads(user_id: int, limit: int, after: str | None, order: str) -> Page[ThreadMetadata]:
    descending = _descending(order)
    limit = max(limit, 1)
    key = tuple_(_THREADS.c.created_at, _THREADS.c.id)
    with connection_scope() as conn:
        stmt = _numbered_threads().where(_THREADS.c.user_id == user_id)
        if after:
            position = _thread_key(conn, user_id, after)
            stmt = stmt.where(key < position if descending else key > position)
        if descending:
            stmt = stmt.order_by(_THREADS.c.created_at.desc(), _THREADS.c.id.desc())
        else:
            stmt = stmt.order_by(_THREADS.c.created_at, _THREADS.c.id)
        rows = conn.execute(stmt.limit(limit + 1)).all()
    threads = [_numbered(payload, number) for payload, number in rows]
    data, has_more, next_after = _page(threads, limit, lambda thread: thread.id)
    return Page[ThreadMetadata](data=data, has_more=has_more, after=next_after)


def _delete_thread(user_id: int, thread_id: str) -> list[str]:
    """Delete the thread; the ids of the attachments that went with it (their files are next)."""
    with session_scope() as session:
        thread = _owned_thread(session, user_id, thread_id)
        # The foreign key cascades too; deleting here keeps that true on a connection without
        # SQLite's foreign_keys pragma.
        session.exec(delete(ChatItem).where(col(ChatItem.thread_id) == thread_id))
        session.exec(delete(ChatConversation).where(col(ChatConversation.thread_id) == thread_id))
        released = records.release_thread(session, user_id, thread_id)
        session.delete(thread)
        return released


def _load_items(
    user_id: int, thread_id: str, after: str | None, limit: int, order: str, owned: bool = False
) -> Page[ThreadItem]:
    with connection_scope() as conn:
        if not owned:  # an empty page must still tell a missing or foreign thread apart
            _thread_key(conn, user_id, thread_id)
        return _items_page(conn, user_id, thread_id, after, limit, order)


def _items_page(
    conn: Connection, user_id: int, thread_id: str, after: str | None, limit: int, order: str
) -> Page[ThreadItem]:
    """A page of one of the user's threads' items (the thread's ownership already checked)."""
    descending = _descending(order)
    limit = max(limit, 1)
    seq = _ITEMS.c.seq
    stmt = sa_select(_ITEMS.c.payload).where(
        _ITEMS.c.thread_id == thread_id, _ITEMS.c.user_id == user_id
    )
    if after:
        mark = _owned_item(conn, user_id, thread_id, after, _ITEMS.c.seq)
        stmt = stmt.where(seq < mark if descending else seq > mark)
    stmt = stmt.order_by(seq.desc() if descending else seq)
    payloads = conn.execute(stmt.limit(limit + 1)).scalars().all()
    items = [_ITEM.validate_python(payload) for payload in payloads]
    data, has_more, next_after = _page(items, limit, lambda item: item.id)
    return Page[ThreadItem](data=data, has_more=has_more, after=next_after)


def _touch_owned_thread(
    conn: Connection, user_id: int, thread_id: str, thread: ThreadMetadata | None = None
) -> None:
    """Bump the thread's updated_at (and save `thread`'s changes, if given); that it matched a
    row is the ownership check (one query)."""
    if _storable(thread_id):
        fields = _thread_fields(thread) if thread is not None else {}
        owned = {"owned_thread": thread_id, "owner": user_id}
        touched = conn.execute(_UPDATE_OWNED_THREAD, {**owned, "updated_at": utcnow(), **fields})
        if touched.rowcount:
            return
    raise _thread_not_found(thread_id)


@functools.cache
def _upsert_item(dialect: str) -> Insert:
    """INSERT an item; one already stored under its id in the thread is updated in place and
    keeps its seq (its place in the thread). One statement either way."""
    insert_for = sqlite_insert if dialect == "sqlite" else pg_insert
    stmt = insert_for(_ITEMS)
    changed = {name: stmt.excluded[name] for name in ("type", "created_at", "payload")}
    return stmt.on_conflict_do_update(index_elements=["thread_id", "id"], set_=changed)


def _upsert_items(
    user_id: int,
    thread_id: str,
    items: list[ThreadItem],
    read_back: int = 0,
    thread: ThreadMetadata | None = None,
) -> Page[ThreadItem] | None:
    """Store the items (and `thread`'s changes, if given); with `read_back`, also the thread's
    newest `read_back` items as they are after the write (newest first), read in the same
    transaction."""
    for item in items:
        _require_storable(item.id, "Item")
    with connection_scope() as conn:
        _touch_owned_thread(conn, user_id, thread_id, thread)
        upsert = _upsert_item(conn.dialect.name)
        for item in items:
            row = {
                "id": item.id,
                "thread_id": thread_id,
                "user_id": user_id,
                "type": item.type,
                "created_at": _utc(item.created_at),
                "payload": item.model_dump(mode="json"),
            }
            conn.execute(upsert, row)
        if read_back:
            return _items_page(conn, user_id, thread_id, None, read_back, "desc")
        return None


def _load_item(user_id: int, thread_id: str, item_id: str) -> ThreadItem:
    with connection_scope() as conn:
        payload = _owned_item(conn, user_id, thread_id, item_id, _ITEMS.c.payload)
    return _ITEM.validate_python(payload)


def _delete_item(user_id: int, thread_id: str, item_id: str) -> None:
    with connection_scope() as conn:
        _thread_key(conn, user_id, thread_id)
        if not _storable(item_id):
            return
        deleted = conn.execute(
            delete(_ITEMS).where(
                _ITEMS.c.thread_id == thread_id,
                _ITEMS.c.id == item_id,
                _ITEMS.c.user_id == user_id,
            )
        )
        if deleted.rowcount:
            _touch_owned_thread(conn, user_id, thread_id)
