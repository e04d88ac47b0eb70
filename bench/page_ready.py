"""Benchmark 5: page ready. The chat page (/chat, signed in) vs a blank Reflex page
(/bench/blank) of the same production build (`reflex run --env prod`, one port), in headless
Chromium. Target: median time to ready of /chat ≤ 1.3 × the blank page's.

"Ready" is the same on both pages: rendered, websocket connected, state hydrated and on_load run.
On /chat: the composer (#chat-composer) is visible and enabled and the Send button is enabled
(the composer only renders once on_load has chosen the renderer). On the blank page: its text box
and button, disabled until its on_load ran, are enabled. Time runs from navigation start
(performance.timeOrigin) to the DOM mutation that makes the page ready (a MutationObserver
installed before any page script). After each measurement the bench types into the text box and
checks the text arrived.

Runs alternate blank/chat (and which goes first). Each cold run uses a fresh browser context
(empty HTTP cache, the session token put into localStorage the way the app stores it). The warm
run opens a new tab in the same context: cached JS, a new Reflex session. JS is counted with the
Resource Timing API (every *.js fetched by the page, until the network is idle): transferred
bytes (what crossed the wire, headers included; 0 from the cache), encoded body and decoded body.

For "what waits on what" it also reports, per page, median milestones of the cold runs (HTML,
last script, DOMContentLoaded, websocket open, hydrate sent, last websocket message before
ready), the websocket messages received before ready and the main-thread long tasks.

The ChatKit CDN script is refused (as offline), so CHATAPP_CHAT_UI=auto falls back to the native
chat at once, as in the browser tests. `--chat-ui native` starts the server with that setting.

    python bench/page_ready.py [--runs 20] [--chat-ui auto|native] [--tasks 10] [--threads 3]
                               [--screenshots DIR] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import time
from pathlib import Path

from common import ROOT, bench_database, percentile
from load import production_server

from tests.browser.conftest import CHROMIUM
from tests.browser.conftest import CHROMIUM_ARGS as BROWSER_TEST_ARGS

TARGET_RATIO = 1.3
# The browser tests' Chromium and flags, plus the ChatKit CDN refused at once, as offline
# (Playwright's route() would disable the cache).
CHROMIUM_ARGS = [*BROWSER_TEST_ARGS, "--host-resolver-rules=MAP cdn.platform.openai.com ~NOTFOUND"]
TOKEN_STORAGE_KEY = "chatapp_token"  # chatapp/state/auth.py
PASSWORD = "page-ready-benchmark"
READY_TIMEOUT_MS = 30_000
PAGES = {"blank": "/bench/blank", "chat": "/chat"}
TEXT_BOX = {"blank": "#blank-input", "chat": "#chat-composer"}

# Installed before any page script: records when the page becomes ready, and the websocket's
# milestones (created, open, first message, the message after which the page was ready).
READY_PROBE = """(() => {
  const t = () => performance.now();
  const bench = (window.__bench = { ready: null, ws: null, wsOpen: null, wsFirst: null,
                                    wsMessages: [], readyAfterMessages: null, longTasks: [] });
  const usable = (el) => el && !el.disabled && !el.readOnly && el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== 'hidden';
  const checks = {
    '/bench/blank': () => usable(document.getElementById('blank-input'))
      && usable(document.getElementById('blank-button')),
    '/chat': () => usable(document.getElementById('chat-composer'))
      && usable(document.getElementById('chat-send')),
  };
  const check = checks[location.pathname.replace(/\\/$/, '')];
  if (!check) return;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) bench.longTasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
  const observer = new MutationObserver(() => {
    if (bench.ready === null && check()) {
      bench.ready = t();
      bench.readyAfterMessages = bench.wsMessages.filter((m) => m[1] === 'in').length;
      observer.disconnect();
    }
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true });
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      if (bench.ws === null) {
        bench.ws = t();
        this.addEventListener('open', () => { bench.wsOpen = t(); });
        this.addEventListener('message', (e) => {
          const now = t();
          if (bench.wsFirst === null) bench.wsFirst = now;
          const text = String(e.data);
          if (bench.wsMessages.length < 60)
            bench.wsMessages.push([now, 'in', text.length, text.slice(0, 200)]);
        });
      }
    }
    send(data) {
      const text = String(data);
      if (bench.wsMessages.length < 60)
        bench.wsMessages.push([t(), 'out', text.length, text.slice(0, 200)]);
      return super.send(data);
    }
  };
})()"""

# Everything the page fetched that is JavaScript, and the navigation's own milestones.
COLLECT = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const isJs = (e) => /\\.m?js$/.test(new URL(e.name).pathname);
  const ours = (e) => new URL(e.name).origin === location.origin;
  const resources = performance.getEntriesByType('resource');
  const js = resources.filter((e) => isJs(e) && ours(e))
    .map((e) => ({ name: new URL(e.name).pathname, transfer: e.transferSize,
                   encoded: e.encodedBodySize, decoded: e.decodedBodySize,
                   start: e.startTime, end: e.responseEnd }));
  const other = resources.filter((e) => !(isJs(e) && ours(e)))
    .map((e) => ({ name: e.name, type: e.initiatorType, transfer: e.transferSize,
                   decoded: e.decodedBodySize, end: e.responseEnd }));
  return { bench: window.__bench, js, other,
           html: nav.responseEnd, dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd };
}"""


def sign_up_user(base: str, tasks: int, threads: int) -> str:
    """A user with a few tasks and conversations; returns the session token."""
    import httpx

    with httpx.Client(base_url=base, timeout=60) as http:
        r = http.post("/api/auth/signup", json={"email": "page@example.com", "password": PASSWORD})
        r.raise_for_status()
        body = r.json()
        user, headers = body["user_id"], {"Authorization": f"Bearer {body['access_token']}"}
        for i in range(tasks):
            http.post(
                f"/api/{user}/tasks", json={"title": f"Task {i}"}, headers=headers
            ).raise_for_status()
        for i in range(threads):
            http.post(
                f"/api/{user}/chat", json={"message": f"hello {i}"}, headers=headers
            ).raise_for_status()
        return body["access_token"]


async def measure(context, base: str, name: str, shot: Path | None = None) -> dict:
    """Open one page in `context`; time to ready, JS fetched, and a check that typing works."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        await page.goto(base + PAGES[name], wait_until="commit")
        await page.wait_for_function(
            "() => window.__bench && window.__bench.ready !== null", timeout=READY_TIMEOUT_MS
        )
        if shot is not None:
            await page.screenshot(path=str(shot))
        box = page.locator(TEXT_BOX[name])
        await box.type("ok")
        typed = await box.input_value()
        if typed != "ok":
            raise AssertionError(f"{name}: typed 'ok', the text box holds {typed!r}")
        # A long poll or a slow lazy chunk: count what arrived by then.
        with contextlib.suppress(PlaywrightTimeout):
            await page.wait_for_load_state("networkidle", timeout=10_000)
        data = await page.evaluate(COLLECT)
    finally:
        await page.close()
    if errors:
        raise AssertionError(f"{name}: uncaught page errors: {errors}")
    bench = data["bench"]
    ready = bench["ready"]
    js = data["js"]
    return {
        "ready": ready,
        "html": data["html"],
        "dcl": data["dcl"],
        "load": data["load"],
        "ws": bench["ws"],
        "ws_open": bench["wsOpen"],
        "ws_first": bench["wsFirst"],
        "ws_messages_before_ready": bench["readyAfterMessages"],
        # The hydrate goes out (in socket.io's CONNECT) once the page has mounted.
        "hydrate_sent": next((m[0] for m in bench["wsMessages"] if m[1] == "out"), None),
        # Main-thread tasks over 50 ms (parsing, rendering) that started before ready.
        "long_tasks_before_ready": sum(d for start, d in bench["longTasks"] if start < ready),
        "last_message_before_ready": max(
            (m[0] for m in bench["wsMessages"] if m[1] == "in" and m[0] <= ready), default=None
        ),
        "last_js_before_ready": max((e["end"] for e in js if e["end"] <= ready), default=0.0),
        "js_requests": len(js),
        "js_transfer": sum(e["transfer"] for e in js),
        "js_encoded": sum(e["encoded"] for e in js),
        "js_decoded": sum(e["decoded"] for e in js),
        "js_before_ready": sum(1 for e in js if e["end"] <= ready),
        "js_files": js,
        "other": data["other"],
    }


async def run(base: str, token: str, runs: int, screenshots: Path | None) -> dict:
    from playwright.async_api import async_playwright

    storage = {
        "cookies": [],
        "origins": [
            {"origin": base, "localStorage": [{"name": TOKEN_STORAGE_KEY, "value": token}]}
        ],
    }
    results: dict[str, list[dict]] = {f"{n}_{k}": [] for n in PAGES for k in ("cold", "warm")}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # One unmeasured round: the server's first requests (imports, caches) are not the page's.
            for i in range(-1, runs):
                order = list(PAGES) if i % 2 == 0 else list(reversed(PAGES))
                for name in order:
                    context = await browser.new_context(
                        viewport={"width": 1280, "height": 860}, storage_state=storage
                    )
                    await context.add_init_script(READY_PROBE)
                    try:
                        shot = screenshots / f"{name}-ready.png" if screenshots and i == 0 else None
                        cold = await measure(context, base, name, shot)
                        warm = await measure(context, base, name)
                    finally:
                        await context.close()
                    if i >= 0:
                        results[f"{name}_cold"].append(cold)
                        results[f"{name}_warm"].append(warm)
                if i >= 0:
                    latest = "  ".join(f"{k} {v[-1]['ready']:.0f}" for k, v in results.items())
                    print(f"  run {i + 1:>2}/{runs} (ms): {latest}", flush=True)
        finally:
            await browser.close()
    return results


def med(rows: list[dict], key: str) -> float:
    values = [r[key] for r in rows if r[key] is not None]
    return statistics.median(values) if values else float("nan")


def report(results: dict, runs: int) -> dict:
    print(f"\n== page ready: /chat vs blank Reflex page, {runs} runs each (ms from navigation) ==")
    head = f"{'':<12}{'ready median':>13}{'p95':>9}{'ratio':>8}"
    head += f"{'JS reqs':>9}{'JS transferred':>16}{'JS decoded':>12}"
    print(head)
    summary: dict = {}
    for kind in ("cold", "warm"):
        base_ready = med(results[f"blank_{kind}"], "ready")
        for name in PAGES:
            rows = results[f"{name}_{kind}"]
            ready = [r["ready"] for r in rows]
            stats = {
                "median_ms": statistics.median(ready),
                "p95_ms": percentile(ready, 95),
                "ratio": statistics.median(ready) / base_ready,
                "js_requests": med(rows, "js_requests"),
                "js_transfer_bytes": med(rows, "js_transfer"),
                "js_encoded_bytes": med(rows, "js_encoded"),
                "js_decoded_bytes": med(rows, "js_decoded"),
            }
            summary[f"{name}_{kind}"] = stats
            print(
                f"{name + ' ' + kind:<12}{stats['median_ms']:>13.0f}{stats['p95_ms']:>9.0f}"
                f"{stats['ratio']:>7.2f}x{stats['js_requests']:>9.0f}"
                f"{stats['js_transfer_bytes'] / 1024:>13.0f} kB"
                f"{stats['js_decoded_bytes'] / 1024:>9.0f} kB"
            )
    print("\nmilestones, cold, median ms from navigation start:")
    columns = {
        "html": "HTML",
        "last_js_before_ready": "last JS",
        "dcl": "DCL",
        "ws_open": "ws open",
        "hydrate_sent": "hydrate sent",
        "last_message_before_ready": "last msg",
        "ready": "ready",
        "ws_messages_before_ready": "msgs",
        "long_tasks_before_ready": "long tasks",
    }
    print(f"{'':<12}" + "".join(f"{c:>14}" for c in columns.values()))
    for name in PAGES:
        rows = results[f"{name}_cold"]
        print(f"{name:<12}" + "".join(f"{med(rows, k):>14.0f}" for k in columns))
    print(
        "  (last JS: the last script that arrived before ready; hydrate sent: socket.io CONNECT,"
        " sent once the page has mounted; last msg: the last websocket message before ready;"
        " msgs: websocket messages received before ready; long tasks: total ms of main-thread"
        " tasks over 50 ms that started before ready)"
    )
    ratio = summary["chat_cold"]["ratio"]
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(
        f"\ncold: /chat median / blank median = {ratio:.2f}x (target ≤ {TARGET_RATIO}x: {verdict});"
        f" warm: {summary['chat_warm']['ratio']:.2f}x"
    )
    for name in PAGES:
        first = results[f"{name}_cold"][0]
        files = sorted(first["js_files"], key=lambda e: -e["decoded"])
        print(
            f"\n{name}: {len(files)} JS files, {first['js_before_ready']} of them loaded before"
            f" ready; largest (decoded / encoded kB):"
        )
        for e in files[:8]:
            print(f"    {e['decoded'] / 1024:7.1f} / {e['encoded'] / 1024:7.1f}  {e['name']}")
        other = [o for o in first["other"] if o["type"] != "navigation"]
        if other:
            print(f"  other requests: {', '.join(o['name'] for o in other)[:600]}")
    return summary


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} CPUs)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--chat-ui", choices=["auto", "native"], default="auto")
    parser.add_argument("--tasks", type=int, default=10, help="tasks of the signed-in user")
    parser.add_argument("--threads", type=int, default=3, help="conversations of the user")
    parser.add_argument("--screenshots", type=Path, default=ROOT / "test-results" / "page-ready")
    parser.add_argument("--json", action="store_true", help="also print the summary as JSON")
    args = parser.parse_args()
    os.environ["CHATAPP_BENCH_PAGES"] = "1"  # the blank page (chatapp/pages/blank.py)
    os.environ["CHATAPP_CHAT_UI"] = args.chat_ui
    args.screenshots.mkdir(parents=True, exist_ok=True)
    print(f"start: {load_average()}")
    with bench_database("sqlite") as url:
        started = time.monotonic()
        with production_server(url, redis=False) as (base, _log, _proc):
            token = sign_up_user(base, args.tasks, args.threads)
            print(
                f"  user with {args.tasks} tasks, {args.threads} conversations;"
                f" measuring from {load_average()}"
            )
            results = asyncio.run(run(base, token, args.runs, args.screenshots))
        print(f"  done in {time.monotonic() - started:.0f} s; end: {load_average()}")
    summary = report(results, args.runs)
    print(f"screenshots at ready: {args.screenshots}")
    if args.json:
        print(json.dumps(summary))


if __name__ == "__main__":
    main()
