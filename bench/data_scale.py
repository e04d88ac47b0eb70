"""Benchmark 4: task listing at data scale. One user with 100, 1,000 and 10,000 tasks (bulk
inserted, beside 20,000 tasks of 200 other users), on SQLite and PostgreSQL, through the REST
API on a real uvicorn server: `GET /api/{id}/tasks` default, `?status=pending&sort=due`,
`?q=<word>` (a rare word, and a common one) and `?tag=<tag>`.

Targets: p50 ≤ 10 ms at 10,000 tasks, and p50(10,000) / p50(100) ≤ 2.0 (the baseline is the
same query on the 100-task user, measured in the same run). Also timed in-process: the SQL
statements behind each request (the page, and the COUNT(*) X-Total-Count still needs after it:
none on a last page, only the rows after the page for a SQLite `q` in created order).

    python bench/data_scale.py [--backend sqlite|postgres|both] [--requests 60]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from common import BACKENDS, bench_database, percentile, serve

SIZES = (100, 1_000, 10_000)
OTHER_USERS, OTHER_USER_TASKS = 200, 100
TARGET_MS = 10.0
TARGET_GROWTH = 2.0
SEARCH_WORD = "dentist"  # in ~1% of titles
COMMON_WORD = "milk"  # in ~7% of titles and ~5% of descriptions
SEARCH_TAG = "errand"  # on ~8% of tasks
QUERIES = {
    "default": {},
    "pending+due": {"status": "pending", "sort": "due"},
    "q=word": {"q": SEARCH_WORD},
    "q=common": {"q": COMMON_WORD},
    "tag": {"tag": SEARCH_TAG},
}
VERBS = ["buy", "call", "email", "fix", "clean", "book", "pay", "write", "plan", "review"]
NOUNS = [
    "milk",
    "plumber",
    "report",
    "car",
    "garden",
    "tickets",
    "rent",
    "invoice",
    "slides",
    "bike",
    "passport",
    "gift",
    "laptop",
    "kitchen",
    "budget",
]
TAGS = [
    "work",
    "home",
    "shop",
    "health",
    "family",
    "errand",
    "finance",
    "urgent",
    "later",
    "car",
    "school",
    "garden",
]


def task_rows(user_id: int, n: int, rng: random.Random) -> list[dict]:
    now = datetime.now(UTC)
    rows = []
    for i in range(n):
        title = f"{rng.choice(VERBS)} {rng.choice(NOUNS)} {i}"
        if rng.random() < 0.01:
            title = f"{SEARCH_WORD} appointment {i}"
        created = now - timedelta(minutes=n - i)
        completed = rng.random() < 0.5
        rows.append(
            {
                "user_id": user_id,
                "title": title,
                "description": f"notes about {rng.choice(NOUNS)} and {rng.choice(NOUNS)}"
                if rng.random() < 0.4
                else None,
                "completed": completed,
                "priority": rng.choice([None, "low", "medium", "high"]),
                "due_at": now + timedelta(hours=rng.randint(-500, 5000))
                if rng.random() < 0.7
                else None,
                "tags": rng.sample(TAGS, rng.randint(0, 3)),
                "created_at": created,
                "updated_at": created,
                "completed_at": created if completed else None,
            }
        )
    return rows


def bulk_insert(user_id: int, n: int) -> None:
    from chatapp.db import Task, get_engine

    rows = task_rows(user_id, n, random.Random(user_id * 7919 + n))
    with get_engine().begin() as conn:
        for start in range(0, n, 2_000):
            conn.execute(Task.__table__.insert(), rows[start : start + 2_000])


def add_other_users(users: int, tasks_each: int) -> None:
    """Other people's tasks in the same table, so a plan that reads every user's rows shows."""
    from chatapp.db import User, get_engine

    with get_engine().begin() as conn:
        conn.execute(
            User.__table__.insert(),
            [{"email": f"other{i}@example.com", "password_hash": "x"} for i in range(users)],
        )
        ids = conn.execute(User.__table__.select().with_only_columns(User.__table__.c.id)).scalars()
        ids = [i for i in ids]
    for user_id in ids[-users:]:
        bulk_insert(user_id, tasks_each)


def refresh_statistics() -> None:
    """What autovacuum / a DBA would have done to a table this size: planner statistics (and on
    PostgreSQL a visibility map, so COUNT can use index-only scans)."""
    from chatapp.db import get_engine

    engine = get_engine()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")


def sql_timings(user_id: int, params: dict, repeat: int) -> tuple[float, float | None]:
    """Median ms of the statements behind one list request, straight on the engine: the page
    (read with one row more), and the COUNT that X-Total-Count still needs after it (None when
    the page is the last one and the service runs no COUNT)."""
    from sqlmodel import Session

    from chatapp.db import get_engine
    from chatapp.tasks import service
    from chatapp.tasks.schemas import TaskQuery

    query = TaskQuery(**params)
    stmt = service._filtered(user_id, query)
    page_stmt = service._page(stmt, query)
    page_ms, count_ms = [], []
    with Session(get_engine()) as session:
        if session.get_bind().dialect.name == "postgresql":
            # As chatapp.tasks.service.list_tasks does.
            session.connection().exec_driver_sql("SET LOCAL plan_cache_mode = force_custom_plan")
        counting = service._still_to_count(stmt, query, session.exec(page_stmt).all())
        for _ in range(repeat):
            start = time.perf_counter()
            session.exec(page_stmt).all()
            page_ms.append((time.perf_counter() - start) * 1000)
            if counting is not None:
                setting = service._count_setting(query)
                start = time.perf_counter()
                if setting:  # as list_tasks does, for this statement only
                    session.connection().exec_driver_sql(setting)
                session.exec(counting[1]).one()
                count_ms.append((time.perf_counter() - start) * 1000)
                if setting:
                    session.connection().exec_driver_sql("RESET enable_indexscan")
            session.expunge_all()
    return statistics.median(page_ms), statistics.median(count_ms) if count_ms else None


def timed_get(http, auth: dict, params: dict | None):
    """(ms, response) of the task list with `params`, or of /api/auth/me when None."""
    headers = {"Authorization": f"Bearer {auth['access_token']}"}
    url = f"/api/{auth['user_id']}/tasks" if params is not None else "/api/auth/me"
    start = time.perf_counter()
    r = http.get(url, params=params, headers=headers)
    return (time.perf_counter() - start) * 1000, r


def run_backend(backend: str, requests: int) -> dict:
    import httpx

    from chatapp.api import build_api

    results: dict[tuple[str, int], float] = {}
    with bench_database(backend), serve(build_api()) as base, httpx.Client(base_url=base) as http:
        print(
            f"\n== {backend} ({OTHER_USERS * OTHER_USER_TASKS} other users' tasks in the table) =="
        )
        print(
            f"{'query':<13} {'tasks':>6} {'HTTP p50':>9} {'p95':>7} {'SQL page':>9} {'COUNT':>7}  total"
        )
        users = {}
        for size in SIZES:
            auth = http.post(
                "/api/auth/signup",
                json={"email": f"scale{size}@example.com", "password": "benchmark-pw"},
            ).json()
            bulk_insert(auth["user_id"], size)
            users[size] = auth
        add_other_users(OTHER_USERS, OTHER_USER_TASKS)
        refresh_statistics()
        floor = []
        for name, params in QUERIES.items():
            # Sizes take turns request by request, so the machine's noise hits all three alike.
            samples: dict[int, list[float]] = {size: [] for size in SIZES}
            for i in range(requests + 5):
                for size in SIZES:
                    elapsed, r = timed_get(http, users[size], params)
                    assert r.status_code == 200, r.text
                    if i >= 5:
                        samples[size].append(elapsed)
                    users[size]["total"] = r.headers["X-Total-Count"]
                if i >= 5 and name == "default":
                    floor.append(timed_get(http, users[SIZES[0]], None)[0])
            for size in SIZES:
                auth = users[size]
                page_ms, count_ms = sql_timings(auth["user_id"], params, max(20, requests // 2))
                p50 = statistics.median(samples[size])
                results[(name, size)] = p50
                count = f"{count_ms:>5.2f}ms" if count_ms is not None else f"{'none':>7}"
                print(
                    f"{name:<13} {size:>6} {p50:>7.2f}ms {percentile(samples[size], 95):>5.2f}ms"
                    f" {page_ms:>7.2f}ms {count}  {auth['total']}"
                )
        print(
            f"floor: GET /api/auth/me (HTTP + bearer check, no task query) p50 = "
            f"{statistics.median(floor):.2f} ms"
        )
        print(f"-- {backend}: growth = p50(10,000) / p50(100) (baseline: the 100-task user)")
        for name in QUERIES:
            big, small = results[(name, SIZES[-1])], results[(name, SIZES[0])]
            growth = big / small
            ok = big <= TARGET_MS and growth <= TARGET_GROWTH
            print(
                f"{name:<13} p50@10k={big:6.2f} ms (target ≤ {TARGET_MS:.0f})  "
                f"growth={growth:5.2f}x (target ≤ {TARGET_GROWTH}x)  {'meets' if ok else 'MISSES'}"
            )
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=[*BACKENDS, "both"], default="both")
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    for backend in BACKENDS if args.backend == "both" else (args.backend,):
        run_backend(backend, args.requests)


if __name__ == "__main__":
    main()
