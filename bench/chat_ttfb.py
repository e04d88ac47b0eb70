"""Benchmark 2: time to the first streamed byte of an add-task turn, `POST /api/{user_id}/chat`
with `Accept: text/event-stream` and `POST /chatkit` (threads.add_user_message /
threads.create), vs a bare Starlette SSE endpoint that yields one event.

Both run in the same process on the same uvicorn server behind the same middleware: the bare
route is added to the app built here (never to chatapp's own app). Requests alternate between
the two so machine noise lands on both alike. Per request, three moments are timed from the
start of the request: the response headers, the first body byte (the first SSE event), and for
the chat the first `delta` event (the reply's first text). Target: median first byte ≤ 1.2× the
bare endpoint's.

A second baseline, `floor`, is what issue 14 allows before the status line: the bearer's
signature check, the account (cached), and one indexed read off the event loop (the
conversation row, by id and owner), then one event. The chat cannot answer faster than that
and still decide 401/404 before the status line; its ratio to the bare route is the floor.

    python bench/chat_ttfb.py [--turns 60]
"""

from __future__ import annotations

import argparse
import time

from common import app_beside, row

TARGET_RATIO = 1.2
BARE_PATH = "/bench/bare-sse"


async def bare_sse(request):
    """The baseline: no auth, no database, one event."""
    from starlette.responses import StreamingResponse

    await request.body()

    async def one_event():
        yield b'event: delta\ndata: {"delta": "ok"}\n\n'

    return StreamingResponse(
        one_event(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
    )


FLOOR_PATH = "/bench/floor-sse"


async def floor_sse(request):
    """The floor: signature, cached account, one indexed read in a worker thread, one event."""
    import asyncio

    from sqlalchemy import select
    from starlette.responses import StreamingResponse

    from chatapp.auth.bearer import live_account, verify_bearer
    from chatapp.db import session_scope
    from chatapp.db.models import ChatConversation

    claims = verify_bearer(request.headers.get("authorization"))
    await live_account(claims)
    body = await request.json()
    rows = ChatConversation.__table__.c

    def read_one() -> str | None:
        with session_scope() as session:
            found = session.execute(
                select(rows.thread_id).where(
                    rows.id == body["conversation_id"], rows.user_id == claims.user_id
                )
            )
            return found.scalar_one_or_none()

    thread_id = await asyncio.to_thread(read_one)
    assert thread_id is not None

    async def one_event():
        yield b'event: conversation\ndata: {"thread_id": "%s"}\n\n' % thread_id.encode()

    return StreamingResponse(
        one_event(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
    )


KINDS = ("bare", "floor", "existing", "new", "chatkit existing", "chatkit new")


def chatkit_request(message: str, thread_id: str | None) -> dict:
    """The request <openai-chatkit> sends for a message (to `thread_id`, or a new thread)."""
    content = {"content": [{"type": "input_text", "text": message}], "attachments": []}
    params: dict = {"input": {**content, "inference_options": {}}}
    if thread_id:
        params["thread_id"] = thread_id
        return {"type": "threads.add_user_message", "params": params}
    return {"type": "threads.create", "params": params}


def timed_stream(
    http, url: str, body: dict, headers: dict, delta: bytes = b"event: delta"
) -> dict[str, float]:
    """Seconds from sending to: headers, first body byte, first delta event, end of stream."""
    marks: dict[str, float] = {}
    start = time.perf_counter()
    with http.stream("POST", url, json=body, headers=headers) as r:
        marks["headers"] = time.perf_counter() - start
        assert r.status_code == 200, r.read()
        seen = b""
        for chunk in r.iter_raw():
            now = time.perf_counter() - start
            marks.setdefault("first_byte", now)
            seen += chunk
            if "first_delta" not in marks and delta in seen:
                marks["first_delta"] = now
        marks["end"] = time.perf_counter() - start
    assert b"event: error" not in seen and b'"type":"error"' not in seen, seen
    return marks


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=60)
    args = parser.parse_args()

    with app_beside(BARE_PATH, bare_sse, "POST", extra=[(FLOOR_PATH, floor_sse)]) as (
        http,
        auth,
    ):
        headers = {
            "Authorization": f"Bearer {auth['access_token']}",
            "Accept": "text/event-stream",
        }
        chat = f"/api/{auth['user_id']}/chat"
        conversation = http.post(
            chat, json={"message": "hello"}, headers={**headers, "Accept": "application/json"}
        ).json()["conversation_id"]
        thread_id = http.post(
            chat, json={"message": "hello"}, headers={**headers, "Accept": "application/json"}
        ).json()["thread_id"]
        runs: dict[str, list[dict[str, float]]] = {kind: [] for kind in KINDS}
        for i in range(args.turns + 3):
            marks = {
                "bare": timed_stream(http, BARE_PATH, {"message": "x"}, {}),
                "floor": timed_stream(
                    http,
                    FLOOR_PATH,
                    {"message": "x", "conversation_id": conversation},
                    headers,
                    delta=b"event: conversation",
                ),
                "existing": timed_stream(
                    http,
                    chat,
                    {"message": f"add buy milk {i}", "conversation_id": conversation},
                    headers,
                ),
                "new": timed_stream(http, chat, {"message": f"add call mum {i}"}, headers),
                "chatkit existing": timed_stream(
                    http,
                    "/chatkit",
                    chatkit_request(f"add buy tea {i}", thread_id),
                    headers,
                    delta=b'"assistant_message.content_part.text_delta"',
                ),
                "chatkit new": timed_stream(
                    http,
                    "/chatkit",
                    chatkit_request(f"add call dad {i}", None),
                    headers,
                    delta=b'"assistant_message.content_part.text_delta"',
                ),
            }
            if i >= 3:  # warm-up
                for key, value in marks.items():
                    runs[key].append(value)

    def series(kind: str, mark: str) -> list[float]:
        return [m[mark] for m in runs[kind]]

    print(f"time to first byte over {args.turns} interleaved requests each (SQLite, uvicorn)")
    print("bare Starlette SSE endpoint (baseline)")
    bare_headers = row("response headers", series("bare", "headers"))
    bare = row("first byte (its one event)", series("bare", "first_byte"))
    results = {}
    print("the floor: signature check, cached account, one indexed read off the loop, one event")
    results["floor", "headers"] = row("response headers", series("floor", "headers"))
    results["floor", "first_byte"] = row(
        "first byte (its one event)", series("floor", "first_byte")
    )
    for kind, label in (
        ("existing", "POST /api/{user_id}/chat, add-task turn, existing conversation"),
        ("new", "POST /api/{user_id}/chat, add-task turn, new conversation"),
        ("chatkit existing", "POST /chatkit threads.add_user_message, add-task turn"),
        ("chatkit new", "POST /chatkit threads.create, add-task turn"),
    ):
        print(label)
        results[kind, "headers"] = row("response headers", series(kind, "headers"))
        results[kind, "first_byte"] = row(
            "first byte (first SSE event)", series(kind, "first_byte")
        )
        results[kind, "first_delta"] = row(
            "first reply text (first delta)", series(kind, "first_delta")
        )
        row("whole turn (end of stream)", series(kind, "end"))
    print("ratios of medians vs the bare endpoint's first byte (headers: vs its headers)")
    floor = results["floor", "first_byte"]
    print(f"  floor            first byte {floor / bare:6.2f}x (what a 401/404 decision costs)")
    for kind in KINDS[2:]:
        ratio = results[kind, "first_byte"] / bare
        verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
        print(
            f"  {kind:<16} first byte {ratio:6.2f}x (target ≤ {TARGET_RATIO}x: {verdict});"
            f"  vs the floor {results[kind, 'first_byte'] / floor:5.2f}x;"
            f"  headers {results[kind, 'headers'] / bare_headers:5.2f}x;"
            f"  first delta {results[kind, 'first_delta'] / bare:6.2f}x"
        )


if __name__ == "__main__":
    main()
