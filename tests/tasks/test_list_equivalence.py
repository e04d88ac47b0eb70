"""list_tasks against a straightforward reference query, on a randomised data set.

The service skips the COUNT on the last page; on SQLite it counts only the rows after the page
for `q` in `created` order and tests ASCII searches in C; on PostgreSQL it tests a lone `tag`
with strpos() and counts `q` with a planner setting. None of that may change a result: the same
ids in the same order and the same total as a plain COUNT(*) and a plain ORDER BY of every
match, sliced in Python, with `lower(column) LIKE '%q%'` (the database's own `lower`; on SQLite
that is chatapp's Unicode one). Both databases, every sort, order and status, paging edges, and
the X-Total-Count header."""

from __future__ import annotations

import itertools
import json
import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import String, case, cast, func, literal, select

from chatapp.db import Task, get_engine
from chatapp.tasks import service
from chatapp.tasks.schemas import TaskQuery

# Characters that break naive case folding or LIKE: İ (lower "i̇"), dotless ı, the Kelvin sign,
# ß/ẞ, final and other sigmas, a lone combining dot, LIKE's metacharacters and the escape.
TRICKY = ["İ", "ı", "\u212a", "ß", "ẞ", "Σ", "σ", "ς", "\u0307", "é", "É", "%", "_", "\\", '"']
WORDS = ["milk", "Dentist", "KIWI", "kiwi", "café", "CAFÉ", "ski", "İstanbul", "50%", "a_b"]
WORDS += ["back\\slash", "日本", "naïve", "Straße", "ΣΟΦΙΑ", "e", "x"]
TAGS = ["work", "home", "café", "a_b", "50%", "back\\slash", "naïve", "k", "ki", "日本"]
QUERIES = [
    *("dentist", "MILK", "ki", "i", "k", "e", "nowhere", "a b"),  # ASCII: no guard, K, İ + K
    *("\u212a", "İ", "i̇", "ı", "İSTANBUL", "ß", "straße", "Σοφια", "ς", "é"),
    *("%", "_", "\\", "5_%", '"', "back\\slash", "mil%k"),  # LIKE's metacharacters
    *("café", "CAFÉ", "naïve", "日本", "kİ", "k\u212a"),  # non-ASCII with and without ASCII
]
STATUSES = ["all", "pending", "completed"]
SORTS = ["created", "due", "priority", "title"]


def _text(rng: random.Random, words: int) -> str:
    parts = []
    for _ in range(words):
        word = rng.choice(WORDS)
        if rng.random() < 0.5:
            i = rng.randrange(len(word) + 1)
            word = word[:i] + rng.choice(TRICKY) + word[i:]
        parts.append(word)
    return " ".join(parts)


def _insert_tasks(user_id: int, n: int, seed: int) -> None:
    """`n` tasks; created_at comes in runs of equal values, so pages end inside ties."""
    rng = random.Random(seed)
    start = datetime(2030, 1, 1, tzinfo=UTC)
    rows = []
    for i in range(n):
        created = start + timedelta(seconds=i // rng.choice([1, 3, 5]))
        completed = rng.random() < 0.4
        rows.append(
            {
                "user_id": user_id,
                "title": _text(rng, rng.randint(1, 3)),
                "description": _text(rng, rng.randint(1, 4)) if rng.random() < 0.6 else None,
                "completed": completed,
                "priority": rng.choice([None, "low", "medium", "high"]),
                "due_at": start + timedelta(days=rng.randint(0, 9)) if rng.random() < 0.6 else None,
                "tags": rng.sample(TAGS, rng.randint(0, 3)),
                "created_at": created,
                "updated_at": created,
                "completed_at": created if completed else None,
            }
        )
    with get_engine().begin() as conn:
        conn.execute(Task.__table__.insert(), rows)


def _reference(user_id: int, query: TaskQuery) -> tuple[list[int], int]:
    """Every match's id in order (one plain ORDER BY, no LIMIT) and a plain COUNT(*)."""
    t = Task.__table__.c
    where = [t.user_id == user_id]
    if query.status != "all":
        where.append(t.completed.is_(query.status == "completed"))
    if query.q:
        escaped = query.q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        where.append(
            func.lower(t.title).like(pattern, escape="\\")
            | func.lower(func.coalesce(t.description, "")).like(pattern, escape="\\")
        )
    if query.tag:
        element = json.dumps(query.tag).replace("\\", "\\\\").replace("%", "\\%")
        element = element.replace("_", "\\_")
        where.append(cast(t.tags, String).like(f"%{element}%", escape="\\"))
    rank = case((t.priority == "high", 3), (t.priority == "medium", 2), (t.priority == "low", 1))
    key = {
        "created": t.created_at,
        "due": t.due_at,
        "priority": func.coalesce(rank, literal(0)),
        "title": func.lower(t.title),
    }[query.sort]
    desc = query.order == "desc"
    order = [key.desc() if desc else key.asc()]
    if query.sort == "due":
        order = [t.due_at.is_(None), *order]  # undated last in both directions
    order.append(t.id.desc() if desc else t.id.asc())
    with get_engine().connect() as conn:
        total = conn.execute(select(func.count()).select_from(Task.__table__).where(*where))
        ids = conn.execute(select(t.id).where(*where).order_by(*order))
        return list(ids.scalars()), total.scalar_one()


def _expected(user_id: int, query: TaskQuery) -> tuple[list[int], int]:
    ids, total = _reference(user_id, query)
    assert len(ids) == total
    return ids[query.offset : query.offset + query.limit], total


def _service(user_id: int, query: TaskQuery) -> tuple[list[int], int]:
    page, total = service.list_tasks(user_id, query)
    return [task.id for task in page], total


def _check(user_id: int, base: TaskQuery, rng: random.Random) -> int:
    """Compare one filter on several pages: the first, limit 1, the last partial page, the
    exact end, past the end, and a random one. `created` order, where the service counts only
    the rows after the page, gets all of them; other orders one, picked at random."""
    ids, total = _reference(user_id, base)
    assert len(ids) == total
    limit = rng.choice([1, 2, 3, 7, 50])
    pages = [
        (50, 0),
        (1, 0),
        (1, max(total - 1, 0)),
        (limit, (max(total - 1, 0) // limit) * limit),
        (limit, total),
        (limit, total + 5),
        (rng.choice([1, 4, 10]), rng.randrange(total + 2)),
    ]
    if base.sort != "created":
        pages = [rng.choice(pages)]
    for limit, offset in pages:
        query = base.model_copy(update={"limit": limit, "offset": offset})
        assert _service(user_id, query) == (ids[offset : offset + limit], total), query
    return len(pages)


@pytest.fixture
def dataset(ann, ben) -> int:
    _insert_tasks(ann, 300, seed=1)
    _insert_tasks(ben, 150, seed=2)  # never in ann's results
    return ann


@pytest.mark.parametrize("q", QUERIES)
def test_search_matches_the_reference_for_every_sort_status_and_page(dataset, q):
    """Every status and order in `created` order; four other sort/status/order combinations
    picked at random per query (together the queries cover all of them)."""
    rng = random.Random(q)
    combos = list(itertools.product(STATUSES, SORTS, ["asc", "desc"]))
    created = [c for c in combos if c[1] == "created"]
    others = rng.sample([c for c in combos if c[1] != "created"], 4)
    checked = 0
    for status, sort, order in created + others:
        checked += _check(dataset, TaskQuery(q=q, status=status, sort=sort, order=order), rng)
    assert checked == 6 * 7 + 4


@pytest.mark.parametrize("tag", ["work", "café", "a_b", "50%", "back\\slash", "k", "KI", "caf"])
def test_tag_filter_matches_the_reference(dataset, tag):
    rng = random.Random(tag)
    combos = list(itertools.product(STATUSES, SORTS, ["asc", "desc"]))
    for status, sort, order in [c for c in combos if c[1] == "created"] + rng.sample(combos, 4):
        _check(dataset, TaskQuery(tag=tag, status=status, sort=sort, order=order), rng)


def test_unfiltered_and_combined_filters_match_the_reference(dataset):
    rng = random.Random(7)
    for params in [{}, {"q": "ki", "tag": "work"}, {"q": "e", "tag": "k"}, {"tag": "ki"}]:
        for status, sort, order in itertools.product(STATUSES, SORTS, ["asc", "desc"]):
            _check(dataset, TaskQuery(**params, status=status, sort=sort, order=order), rng)


def test_every_short_string_over_the_folding_alphabet(ann):
    """Each string of up to 3 characters over letters whose case folding is irregular is a
    title once: every ASCII or non-ASCII query finds exactly what `lower` finds."""
    alphabet = ["i", "I", "k", "K", "İ", "\u212a", "ı", "x", "\u0307", "é"]
    titles = ["".join(p) for n in (1, 2, 3) for p in itertools.product(alphabet, repeat=n)]
    now = datetime(2030, 1, 1, tzinfo=UTC)
    with get_engine().begin() as conn:
        conn.execute(
            Task.__table__.insert(),
            [
                {"user_id": ann, "title": t, "completed": False, "tags": []}
                | {"created_at": now, "updated_at": now}
                for t in titles
            ],
        )
    queries = [
        "".join(p) for n in (1, 2) for p in itertools.product(["i", "k", "x", "I"], repeat=n)
    ]
    queries += ["".join(p) for p in itertools.product(["i", "k", "x"], repeat=3)]
    queries += ["\u212a", "İ", "i̇", "ı", "é", "xé", "ki̇", "k\u212a", "İk", "ıi"]
    for q in queries:
        for limit, offset in [(200, 0), (1, 0), (7, 150)]:
            query = TaskQuery(q=q, limit=limit, offset=offset)
            assert _service(ann, query) == _expected(ann, query), q


def test_x_total_count_and_ids_over_http(client, make_user):
    user = make_user()
    _insert_tasks(user.id, 120, seed=3)
    cases = [
        {"q": "ki"},
        {"q": "ki", "limit": 1},
        {"q": "ki", "limit": 7, "offset": 7},
        {"q": "e", "limit": 50, "offset": 100},
        {"q": "dentist", "order": "desc", "limit": 3},
        {"q": "café", "sort": "title"},
        {"tag": "work", "limit": 2, "offset": 1000},
        {"tag": "home", "status": "pending", "sort": "due"},
        {"limit": 50, "offset": 100},
    ]
    for params in cases:
        r = client.get(user.tasks_url, params=params, headers=user.headers)
        assert r.status_code == 200, r.text
        ids, total = _expected(user.id, TaskQuery(**params))
        assert [t["id"] for t in r.json()] == ids, params
        assert r.headers["X-Total-Count"] == str(total), params


def test_total_is_recounted_when_the_rows_after_the_page_went_away(dataset, monkeypatch):
    """The rest is counted from the page's last row on. If nothing is found there although the
    page saw a row after it (deleted in between), every match is counted again."""
    query = TaskQuery(q="e", limit=3)
    expected = _expected(dataset, query)
    assert expected[1] > 3
    monkeypatch.setattr(
        service, "_count_after", lambda stmt, task_id, query: service.select(literal(0))
    )
    assert _service(dataset, query) == expected
