"""The task service: the only code that reads or writes Task rows.

Every function takes the acting user's id first and filters on it, so no caller (REST, MCP tool,
Reflex state, agent) can reach another user's rows. Missing and foreign tasks look the same.
"""

from __future__ import annotations

import json
import re
import typing
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from chatkit.types import Attachment
from sqlalchemy import String, and_, case, cast, delete, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from chatapp.attachments import records as attachment_records
from chatapp.db import Task, TaskCompletion, get_engine, session_scope
from chatapp.db.models import ChatAttachment, TaskAttachment, utcnow
from chatapp.errors import InvalidInput, attachment_not_found, task_not_found
from chatapp.tasks.recurrence import Recurrence, RecurrenceError, check
from chatapp.tasks.schemas import (
    CompletionOut,
    CompletionQuery,
    ReminderOut,
    TaskCreate,
    TaskOut,
    TaskQuery,
    TaskReplace,
    TaskUpdate,
    as_utc,
)
from chatapp.timezones import DEFAULT_ZONE

# A reminder claimed more than this long after it came due was missed (no tab was open): the
# UI shows it as such, once, instead of as if it were ringing now.
REMINDER_GRACE = timedelta(minutes=2)

_PRIORITY_RANK = case(
    (col(Task.priority) == "high", 3),
    (col(Task.priority) == "medium", 2),
    (col(Task.priority) == "low", 1),
    else_=0,
)


# Task.id is a 32-bit INTEGER on PostgreSQL: a larger id cannot exist, and binding it would fail.
MAX_TASK_ID = 2**31 - 1


def _owned(session: Session, user_id: int, task_id: int, for_update: bool = False) -> Task:
    if not 1 <= task_id <= MAX_TASK_ID:
        raise task_not_found(task_id)
    stmt = select(Task).where(Task.id == task_id, Task.user_id == user_id)
    if for_update:
        # Two completions of one recurring task at once (two tabs) must not both advance from
        # the same due time: PostgreSQL makes the second wait for the first (SQLite has one
        # writer at a time anyway).
        stmt = stmt.with_for_update()
    task = session.exec(stmt).first()
    if task is None:
        raise task_not_found(task_id)
    return task


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _sqlite_like(expr, body: str):
    """`expr LIKE '%body%'` on SQLite, `body` already escaped. SQLite reads an ESCAPE clause
    again on every row (≈7 % of a scan): leave it out when `body` escapes nothing."""
    if "\\" in body:
        return expr.like(f"%{body}%", escape="\\")
    return expr.like(f"%{body}%")


# The only characters whose Unicode lower case contains ASCII: İ → "i̇" (i + U+0307 combining dot)
# and the Kelvin sign → "k".
_DOTTED_I, _KELVIN = "\u0130", "\u212a"


def _contains_folded(column, text: str, sqlite: bool):
    """`lower(column) LIKE '%text%'` (`text` already lower-cased), as a literal substring match.

    On SQLite `lower` is chatapp's Python function (the built-in folds ASCII only), called once
    per row scanned. For ASCII `text` SQLite's own LIKE, which ignores ASCII case, gives the same
    answer in C, except where a character of the column lower-cases into ASCII. A Kelvin sign
    becomes "k", so it can stand only where `text` has a "k". An İ becomes "i" followed by a
    non-ASCII dot, so it can stand only for a last "i" of `text`. The column must then match
    `text` with those letters as one-character wildcards (`milk` → `mil_`); only where it
    does and holds such a character, `lower` runs. Most rows fail that first LIKE, so they pay
    one LIKE per column, the same as a search with no "k" or last "i" ("dentist"). PostgreSQL
    keeps the exact expression its trigram indexes are built on (migration 0003).
    """
    pattern = f"%{_escape_like(text)}%"
    folded = func.lower(column).like(pattern, escape="\\")
    if not sqlite:
        return folded
    if not text.isascii():
        # Text holding "café" holds "caf": the longest ASCII run is tested in C first, so
        # `lower` runs only on the rows that pass.
        run = max(re.findall(r"[\x00-\x7f]+", text), key=len, default="")
        return and_(_contains_folded(column, run, sqlite), folded) if run else folded
    chars = [c for c, needed in ((_DOTTED_I, text.endswith("i")), (_KELVIN, "k" in text)) if needed]
    plain = _sqlite_like(column, _escape_like(text))
    if not chars:
        return plain
    loose = "".join(
        "_" if c == "k" or (c == "i" and i == len(text) - 1) else _escape_like(c)
        for i, c in enumerate(text)
    )
    lowers_to_ascii = or_(*(func.instr(column, char) > 0 for char in chars))
    return and_(_sqlite_like(column, loose), or_(plain, and_(lowers_to_ascii, folded)))


def _filtered(user_id: int, query: TaskQuery):
    stmt = select(Task).where(Task.user_id == user_id)
    sqlite = get_engine().dialect.name == "sqlite"
    if query.status == "pending":
        stmt = stmt.where(col(Task.completed).is_(False))
    elif query.status == "completed":
        stmt = stmt.where(col(Task.completed).is_(True))
    if query.q:
        text = query.q.lower()
        if sqlite:
            # Most tasks have no description: IS NOT NULL skips the LIKE call on them.
            description = and_(
                col(Task.description).is_not(None),
                _contains_folded(Task.description, text, sqlite),
            )
        else:
            description = _contains_folded(func.coalesce(Task.description, ""), text, sqlite)
        stmt = stmt.where(or_(_contains_folded(Task.title, text, sqlite), description))
    if query.priority:
        stmt = stmt.where(Task.priority == query.priority)
    if query.tag:
        # Tags are stored as a JSON list: match the element as JSON writes it (quoted, with
        # non-ASCII as \uXXXX escapes), so tag='café' finds ["café"].
        element = json.dumps(query.tag)
        tags = cast(Task.tags, String)
        if sqlite:
            stmt = stmt.where(_sqlite_like(tags, _escape_like(element)))
        elif query.q:
            stmt = stmt.where(tags.like(f"%{_escape_like(element)}%", escape="\\"))
        else:
            # The same substring test as LIKE (PostgreSQL's LIKE is case-sensitive). The
            # planner takes LIKE on this unindexed expression to match almost nothing, so it
            # sorts every tagged task to find the page; for strpos() it assumes a third of the
            # rows and reads tasks in created order until the page is full (PERFORMANCE.md, section 4).
            # Not next to `q`: PostgreSQL would then run the costlier-looking lower() tests on
            # every row before this one, instead of after it (measured 2× slower).
            stmt = stmt.where(func.strpos(tags, element) > 0)
    if query.due_before:
        stmt = stmt.where(col(Task.due_at) < query.due_before)
    if query.due_after:
        stmt = stmt.where(col(Task.due_at) >= query.due_after)
    if query.completed_since:
        done = select(TaskCompletion.id).where(
            TaskCompletion.task_id == Task.id,
            TaskCompletion.user_id == user_id,
            col(TaskCompletion.completed_at) >= query.completed_since,
        )
        stmt = stmt.where(done.exists())
    return stmt


def _ordered(stmt, query: TaskQuery):
    desc = query.order == "desc"
    key = {
        "created": col(Task.created_at),
        "due": col(Task.due_at),
        "priority": _PRIORITY_RANK,
        "title": func.lower(Task.title),
    }[query.sort]
    primary = key.desc() if desc else key.asc()
    if query.sort == "due":
        # Undated tasks go last in either direction. NULLS LAST rather than a leading
        # `due_at IS NULL` key: PostgreSQL then reads pending tasks in due order straight from
        # ix_tasks_user_completed_due instead of sorting all of them.
        primary = primary.nulls_last()
    stmt = stmt.order_by(primary)
    tiebreak = col(Task.id).desc() if desc else col(Task.id).asc()
    return stmt.order_by(tiebreak)


_OTHER = aliased(Task)  # built once: building an alias per request is measurable


def _count_after(stmt, task_id: int, query: TaskQuery):
    """COUNT of the rows of `stmt` after task `task_id` in `sort=created` order (ties broken by
    id, as in _ordered).

    Two counts added up: rows with a later created_at, and rows tied with the task and after it
    by id. Each is a plain range of ix_tasks_user_created, so no extra test runs per row. The
    boundary is read from the task's row, so it compares exactly as ORDER BY does."""
    boundary = select(_OTHER.created_at).where(_OTHER.id == task_id).scalar_subquery()
    created, tid = col(Task.created_at), col(Task.id)
    if query.order == "desc":
        later, tied_after = created < boundary, tid < task_id
    else:
        later, tied_after = created > boundary, tid > task_id

    def count(*where):
        return stmt.where(*where).with_only_columns(func.count()).scalar_subquery()

    return select(count(later) + count(created == boundary, tied_after))


def _counting(stmt: SelectOfScalar[Task]) -> SelectOfScalar[int]:
    """COUNT of `stmt`'s rows. SQLAlchemy types with_only_columns as returning a plain Select, but
    it keeps sqlmodel's SelectOfScalar, which Session.exec reads as scalars."""
    return typing.cast("SelectOfScalar[int]", stmt.with_only_columns(func.count()))


def _page(stmt, query: TaskQuery):
    """The page, plus one row: without that row the page is the last one."""
    return _ordered(stmt, query).offset(query.offset).limit(query.limit + 1)


def _still_to_count(stmt, query: TaskQuery, rows: list[Task]):
    """After reading `rows` from _page: None if they tell the total, else (matches known to
    come before, COUNT statement for the rest).

    On SQLite `q` has no index, so both statements read the user's rows and test each. In
    `created` order the page has already read the rows up to its end, so only the rows after it
    are counted; ix_tasks_user_created finds where they start. A rare word (the page read most
    rows) gains up to half the work; a common one loses a little for the larger statement. Not
    for `tag` alone: its test is cheap and a tag is usually common, so the page stops early and
    the second statement only cost time (measured: PERFORMANCE.md, section 4). Not
    on PostgreSQL: its trigram indexes find rare words without reading rows, and two range
    counts cost more than one. Other filters and orders count every match, mostly from an
    index alone."""
    if len(rows) <= query.limit and (rows or query.offset == 0):
        return None
    sqlite = get_engine().dialect.name == "sqlite"
    if sqlite and rows and query.sort == "created" and query.q:
        last_id = rows[query.limit - 1].id
        assert last_id is not None  # a row read from the table
        return query.offset + query.limit, _count_after(stmt, last_id, query)
    return 0, _counting(stmt)


def _count_setting(query: TaskQuery) -> str | None:
    """A planner setting for the COUNT of a PostgreSQL `q` search, or None.

    PostgreSQL costs lower() like one comparison, so for a word in 10 % of the tasks it counts
    by reading all of the user's rows and lower-casing both columns of each, instead of asking
    the trigram indexes (measured: PERFORMANCE.md, section 4). Without plain index scans
    it takes the trigram bitmap. Only for text with a trigram (three letters or digits in a
    row); for shorter text the indexes cannot help. Set after the page has been read: the page
    itself is best read in order from an index."""
    if query.q and re.search(r"[^\W_]{3}", query.q) and get_engine().dialect.name == "postgresql":
        return "SET LOCAL enable_indexscan = off"
    return None


def list_tasks(user_id: int, query: TaskQuery | None = None) -> tuple[list[TaskOut], int]:
    """This user's tasks matching `query`, one page, plus the exact number of matches."""
    query = query or TaskQuery()
    stmt = _filtered(user_id, query)
    with session_scope() as session:
        if session.get_bind().dialect.name == "postgresql":
            # Plan with this user's values: psycopg prepares repeated statements, and PostgreSQL's
            # generic plan is costed for an average user, so for a user with many tasks it scans
            # all of them instead of the trigram indexes (measured: PERFORMANCE.md, section 4).
            session.connection().exec_driver_sql("SET LOCAL plan_cache_mode = force_custom_plan")
        rows = session.exec(_page(stmt, query)).all()
        page = rows[: query.limit]
        counting = _still_to_count(stmt, query, rows)
        if counting is None:
            total = query.offset + len(page)
        else:
            before, count = counting
            if setting := _count_setting(query):
                session.connection().exec_driver_sql(setting)
            total = before + session.exec(count).one()
            if before and total == before:
                # The row after the page went away since the page was read: count them all.
                total = session.exec(_counting(stmt)).one()
        return [TaskOut.of(t) for t in page], int(total)


def get_task(user_id: int, task_id: int) -> TaskOut:
    with session_scope() as session:
        return TaskOut.of(_owned(session, user_id, task_id))


def _content(source: TaskCreate | TaskOut) -> dict[str, Any]:
    """What a task says (not its state): the fields create and undo both copy."""
    return dict(
        title=source.title,
        description=source.description,
        priority=source.priority,
        due_at=source.due_at,
        tags=list(source.tags),
        recurrence=source.recurrence,
        time_zone=source.time_zone or DEFAULT_ZONE,
        remind_at=source.remind_at,
    )


def create_task(user_id: int, data: TaskCreate, attachment_ids: Sequence[str] = ()) -> TaskOut:
    """Create the task, holding the user's uploaded `attachment_ids` (all or nothing)."""
    now = utcnow()
    task = Task(
        user_id=user_id,
        **_content(data),
        completed=False,
        recurrence_start=data.due_at if data.recurrence else None,
        created_at=now,
        updated_at=now,
    )
    _check_rule(task, now)
    with session_scope() as session:
        session.add(task)
        session.flush()
        assert task.id is not None  # flushed above
        _link(session, user_id, task.id, attachment_ids)
        if data.completed:
            _complete(session, task, now)
            session.flush()
        return TaskOut.of(task)


def _check_rule(task: Task, now: datetime) -> None:
    """A repeating task needs a due date and an occurrence still to come (422 otherwise)."""
    try:
        check(task.recurrence, as_utc(task.due_at), task.time_zone or DEFAULT_ZONE, now)
    except RecurrenceError as exc:
        raise InvalidInput(f"recurrence: {exc}", field="recurrence") from exc


def _recurrence(task: Task) -> Recurrence | None:
    start = as_utc(task.recurrence_start) or as_utc(task.due_at)
    if not task.recurrence or start is None:
        return None
    return Recurrence(task.recurrence, start, task.time_zone or DEFAULT_ZONE)


def _complete(session: Session, task: Task, now: datetime) -> None:
    """Record the completion; a recurring task then moves on to its next occurrence after the
    later of its due time and now (its reminder keeps its offset), or, when the rule is used
    up, is completed like any other task."""
    due = as_utc(task.due_at)
    assert task.id is not None  # flushed before it is completed
    session.add(TaskCompletion(task_id=task.id, user_id=task.user_id, completed_at=now, due_at=due))
    recurrence = _recurrence(task)
    upcoming = recurrence.next_after(max(due, now)) if recurrence and due else None
    if upcoming is None or due is None:
        task.completed = True
        task.completed_at = now
        return
    if task.remind_at is not None:
        task.remind_at = upcoming - (due - as_utc(task.remind_at))
    task.reminded_at = None
    task.due_at = upcoming


def _reopen(session: Session, task: Task) -> None:
    """Not done after all: the completion that closed the task is taken back."""
    task.completed = False
    task.completed_at = None
    last = (
        select(TaskCompletion.id)
        .where(TaskCompletion.task_id == task.id)
        .order_by(col(TaskCompletion.completed_at).desc(), col(TaskCompletion.id).desc())
        .limit(1)
        .scalar_subquery()
    )
    session.exec(delete(TaskCompletion).where(col(TaskCompletion.id) == last))


def _apply(session: Session, task: Task, changes: dict) -> None:
    now = utcnow()
    completed = changes.pop("completed", None)
    rule, due, zone = task.recurrence, as_utc(task.due_at), task.time_zone
    remind = as_utc(task.remind_at)
    for field, value in changes.items():
        setattr(task, field, value)
    task.time_zone = task.time_zone or DEFAULT_ZONE
    if as_utc(task.remind_at) != remind:
        task.reminded_at = None  # a new reminder time rings again
    moved = task.recurrence != rule or as_utc(task.due_at) != due
    if task.recurrence is None:
        task.recurrence_start = None
    elif moved or task.recurrence_start is None:
        task.recurrence_start = task.due_at  # a new rule or due date starts counting afresh
    if moved or task.time_zone != zone:
        _check_rule(task, now)
    if completed is not None and bool(completed) != task.completed:
        if completed:
            _complete(session, task, now)
        else:
            _reopen(session, task)
    task.updated_at = now


def update_task(user_id: int, task_id: int, data: TaskUpdate) -> TaskOut:
    """PATCH semantics: only fields the caller set change."""
    changes = data.model_dump(exclude_unset=True)
    with session_scope() as session:
        task = _owned(session, user_id, task_id, for_update="completed" in changes)
        _apply(session, task, changes)
        session.add(task)
        session.flush()
        return TaskOut.of(task)


def replace_task(user_id: int, task_id: int, data: TaskReplace) -> TaskOut:
    """PUT semantics: every content field takes the given value or its default."""
    changes = data.model_dump()
    with session_scope() as session:
        task = _owned(session, user_id, task_id, for_update=data.completed is not None)
        _apply(session, task, changes)
        session.add(task)
        session.flush()
        return TaskOut.of(task)


def set_completed(user_id: int, task_id: int, completed: bool = True) -> TaskOut:
    """Done (a recurring task moves on to its next occurrence and stays open) or not done."""
    with session_scope() as session:
        task = _owned(session, user_id, task_id, for_update=True)
        _apply(session, task, {"completed": completed})
        session.add(task)
        session.flush()
        return TaskOut.of(task)


def delete_task(user_id: int, task_id: int) -> TaskOut:
    """Delete and return the task as it was (callers confirm what was removed). Attachments
    nothing else holds (no other task, no message) go with it, files included."""
    with session_scope() as session:
        task = _owned(session, user_id, task_id)
        gone = TaskOut.of(task)
        held = _unlink(session, user_id, task_id)
        session.delete(task)
        session.flush()
        released = attachment_records.release(session, user_id, held)
    attachment_records.forget(released)
    return gone


def _link(session: Session, user_id: int, task_id: int, attachment_ids: Sequence[str]) -> None:
    if not attachment_ids:
        return
    rows = attachment_records.owned_uploaded(session, user_id, attachment_ids)
    have = set(
        session.exec(
            select(TaskAttachment.attachment_id).where(TaskAttachment.task_id == task_id)
        ).all()
    )
    for row in rows:
        if row.id not in have:
            session.add(TaskAttachment(task_id=task_id, attachment_id=row.id, user_id=user_id))


def _unlink(session: Session, user_id: int, task_id: int, only: str | None = None) -> list[str]:
    """Drop the task's attachment links (or the one to `only`); the ids it held."""
    stmt = select(TaskAttachment.attachment_id).where(
        TaskAttachment.task_id == task_id, TaskAttachment.user_id == user_id
    )
    if only is not None:
        stmt = stmt.where(TaskAttachment.attachment_id == only)
    ids = list(session.exec(stmt).all())
    if ids:
        session.exec(
            delete(TaskAttachment).where(
                col(TaskAttachment.task_id) == task_id, col(TaskAttachment.attachment_id).in_(ids)
            )
        )
    return ids


def attach(user_id: int, task_id: int, attachment_ids: Sequence[str]) -> list[Attachment]:
    """The task holds these uploaded attachments of the user's too; all its attachments."""
    with session_scope() as session:
        _owned(session, user_id, task_id)
        _link(session, user_id, task_id, attachment_ids)
        session.flush()
        return attachment_records.for_task(session, user_id, task_id)


def detach(user_id: int, task_id: int, attachment_id: str) -> None:
    """The task no longer holds the attachment (deleted when nothing else does)."""
    with session_scope() as session:
        _owned(session, user_id, task_id)
        if not _unlink(session, user_id, task_id, only=attachment_id):
            raise attachment_not_found(attachment_id)
        released = attachment_records.release(session, user_id, [attachment_id])
    attachment_records.forget(released)


def task_attachments(user_id: int, task_id: int) -> list[Attachment]:
    """The attachments one of the user's tasks holds, in the order they were attached."""
    with session_scope() as session:
        _owned(session, user_id, task_id)
        return attachment_records.for_task(session, user_id, task_id)


def attachment_names(user_id: int, task_ids: Sequence[int]) -> dict[int, list[dict[str, str]]]:
    """{task id: [{"id", "name", "kind"}, ...]} for those of the tasks that hold attachments."""
    if not task_ids:
        return {}
    with session_scope() as session:
        rows = session.exec(
            select(TaskAttachment.task_id, ChatAttachment.id, ChatAttachment.payload)
            .join(ChatAttachment, col(ChatAttachment.id) == col(TaskAttachment.attachment_id))
            .where(TaskAttachment.user_id == user_id, col(TaskAttachment.task_id).in_(task_ids))
            .order_by(col(TaskAttachment.created_at), col(TaskAttachment.attachment_id))
        ).all()
    names: dict[int, list[dict[str, str]]] = {}
    for task_id, attachment_id, payload in rows:
        kind = "image" if payload.get("type") == "image" else "file"
        names.setdefault(task_id, []).append(
            {"id": attachment_id, "name": str(payload.get("name", "")), "kind": kind}
        )
    return names


def restore_task(user_id: int, snapshot: TaskOut) -> TaskOut:
    """Re-create a deleted task from its snapshot (the UI's undo), keeping its id when free."""
    fields: dict[str, typing.Any] = dict(
        user_id=user_id,
        **_content(snapshot),
        completed=snapshot.completed,
        completed_at=snapshot.completed_at,
        created_at=snapshot.created_at,
        updated_at=utcnow(),
        recurrence_start=snapshot.recurrence_start,
        reminded_at=snapshot.reminded_at,
    )

    def restore(session: Session, task: Task) -> TaskOut:
        session.add(task)
        session.flush()
        assert task.id is not None  # flushed above
        if task.completed and task.completed_at is not None:
            # Its completions went with it; a completed task keeps the one that closed it.
            done = TaskCompletion(
                task_id=task.id, user_id=user_id, completed_at=task.completed_at, due_at=task.due_at
            )
            session.add(done)
        return TaskOut.of(task)

    try:
        with session_scope() as session:
            return restore(session, Task(id=snapshot.id, **fields))
    except IntegrityError:
        with session_scope() as session:
            return restore(session, Task(**fields))


def list_completions(user_id: int, query: CompletionQuery | None = None) -> list[CompletionOut]:
    """This user's completions, newest first: plain tasks and each occurrence of a recurring
    one (so "what did I finish today?" counts a daily task that is open again)."""
    query = query or CompletionQuery()
    stmt = (
        select(TaskCompletion, Task.title)
        .join(Task, col(Task.id) == TaskCompletion.task_id)
        .where(TaskCompletion.user_id == user_id, Task.user_id == user_id)
    )
    if query.since:
        stmt = stmt.where(col(TaskCompletion.completed_at) >= query.since)
    stmt = stmt.order_by(
        col(TaskCompletion.completed_at).desc(), col(TaskCompletion.id).desc()
    ).limit(query.limit)
    with session_scope() as session:
        return [
            CompletionOut(
                task_id=done.task_id,
                title=title,
                completed_at=as_utc(done.completed_at),
                due_at=as_utc(done.due_at),
            )
            for done, title in session.exec(stmt).all()
        ]


def claim_due_reminders(user_id: int, now: datetime | None = None) -> list[ReminderOut]:
    """Hand out this user's reminders that are due and not yet handed out, each exactly once.

    One UPDATE … RETURNING marks and returns them together: of two tabs, workers or servers
    claiming at the same moment, each reminder goes to exactly one (on PostgreSQL the second
    UPDATE waits for the first and then finds `reminded_at` set). Completing a recurring task
    clears `reminded_at`, so each occurrence rings once."""
    now = as_utc(now) or utcnow()
    stmt = (
        update(Task)
        .where(
            col(Task.user_id) == user_id,
            col(Task.remind_at) <= now,
            col(Task.reminded_at).is_(None),
            col(Task.completed).is_(False),
        )
        .values(reminded_at=now)
        .returning(col(Task.id), col(Task.title), col(Task.remind_at), col(Task.due_at))
        .execution_options(synchronize_session=False)
    )
    with session_scope() as session:
        rows = session.exec(stmt).all()
    reminders = [
        ReminderOut(
            task_id=task_id,
            title=title,
            remind_at=as_utc(remind_at),
            due_at=as_utc(due_at),
            missed=as_utc(remind_at) < now - REMINDER_GRACE,
        )
        for task_id, title, remind_at, due_at in rows
    ]
    return sorted(reminders, key=lambda reminder: (reminder.remind_at, reminder.task_id))


def feed_tasks(user_id: int) -> list[tuple[TaskOut, str | None]]:
    """This user's pending tasks with a due date, each with its rule as a calendar needs it
    (COUNT what is left from the current occurrence, UNTIL in UTC), in due order."""
    stmt = (
        select(Task)
        .where(Task.user_id == user_id, col(Task.completed).is_(False))
        .where(col(Task.due_at).is_not(None))
        .order_by(col(Task.due_at), col(Task.id))
    )
    with session_scope() as session:
        tasks = session.exec(stmt).all()
        return [
            (
                TaskOut.of(task),
                rule.rule_from(as_utc(task.due_at)) if rule and task.due_at else None,
            )
            for task, rule in ((task, _recurrence(task)) for task in tasks)
        ]
