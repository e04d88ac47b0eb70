"""Benchmark 2: time to the first streamed byte of an add-task turn, `POST /api/{user_id}/chat`
with `Accept: text/event-stream` and `POST /chatkit` (threads.add_user_message /
threads.create), vs a bare Starlette SSE endpoint that yields one event.

Both run in the same process on the same uvicorn server behind the same middleware: the bare
route is added to the app built here (never to chatapp's own app). Requests alternate between
the two so machine noise lands on both alike. Per request, three moments are timed from the
start of the request: the response headers, the first body byte (the first SSE event), and for
the chat the first `delta` event (the reply's first text). Target: median first byte ≤ 1.2× the
bare endpoint's.

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


KINDS = ("bare", "existing", "new", "chatkit existing", "chatkit new")


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

    with app_beside(BARE_PATH, bare_sse, "POST") as (http, auth):
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
    for kind in KINDS[1:]:
        ratio = results[kind, "first_byte"] / bare
        verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
        print(
            f"  {kind:<16} first byte {ratio:6.2f}x (target ≤ {TARGET_RATIO}x: {verdict});"
            f"  headers {results[kind, 'headers'] / bare_headers:5.2f}x;"
            f"  first delta {results[kind, 'first_delta'] / bare:6.2f}x"
        )


if __name__ == "__main__":
    main()
