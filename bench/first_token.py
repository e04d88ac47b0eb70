"""Benchmark 6: send → first token on screen in the native chat, beside a bare Reflex state round
trip, in one headless Chromium session on one production build (`reflex run --env prod`).

- Round trip: on /bench/blank, a click on a button whose event adds 1 to a state var, until the
  DOM shows the new count (click → websocket → event → delta → render).
- First token: on /chat (native renderer), from the composer's submit to the first character of
  the streamed reply in #chat-draft; "done" is until the chat leaves its processing state with
  the reply in place. "Cold" is the first message of a new chat (the thread is created in that
  turn); "warm" a later message in the same chat.

Messages are plain replies of the offline model ("hello") and tool turns ("add ... "), sent
alternately. Target: median first token ≤ 3 × the median round trip.

    python bench/first_token.py [--rounds 15] [--clicks 40]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time

from common import bench_database, percentile
from load import production_server
from page_ready import CHROMIUM_ARGS, TOKEN_STORAGE_KEY, load_average, sign_up_user

from tests.browser.conftest import CHROMIUM
from tests.browser.test_chat_native import TIMED_SEND  # {first, done} in ms

TARGET_RATIO = 3.0
TIMEOUT_MS = 30_000

# Click the blank page's button and resolve when its label shows the next count.
ROUND_TRIP = """() => new Promise((resolve) => {
  const button = document.getElementById('blank-button');
  const before = button.innerText;
  const observer = new MutationObserver(() => {
    if (button.innerText !== before) { observer.disconnect(); resolve(performance.now() - start); }
  });
  observer.observe(button, { subtree: true, childList: true, characterData: true });
  const start = performance.now();
  button.click();
})"""

MESSAGES = ("hello there", "add water the plants tomorrow", "what's pending?", "add call the bank")


async def round_trips(page, base: str, clicks: int) -> list[float]:
    await page.goto(f"{base}/bench/blank")
    await page.wait_for_selector("#blank-status:has-text('ready')", timeout=TIMEOUT_MS)
    for _ in range(5):  # warm the websocket and the event path
        await page.evaluate(ROUND_TRIP)
    return [await page.evaluate(ROUND_TRIP) for _ in range(clicks)]


async def new_chat(page, base: str) -> None:
    await page.goto(f"{base}/chat")
    await page.wait_for_selector("#chat-composer:not([disabled])", timeout=TIMEOUT_MS)
    await page.wait_for_selector("#native-chat[data-processing=false]", timeout=TIMEOUT_MS)


async def run(base: str, token: str, rounds: int, clicks: int) -> dict[str, list[float]]:
    from playwright.async_api import async_playwright

    results: dict[str, list[float]] = {
        "round_trip": [],
        "cold_first": [],
        "cold_done": [],
        "warm_first": [],
        "warm_done": [],
    }
    storage = {
        "cookies": [],
        "origins": [
            {"origin": base, "localStorage": [{"name": TOKEN_STORAGE_KEY, "value": token}]}
        ],
    }
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = await browser.new_context(
            viewport={"width": 1280, "height": 860}, storage_state=storage
        )
        page = await context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        try:
            for i in range(-1, rounds):  # one unmeasured round first
                trips = await round_trips(page, base, clicks)
                await new_chat(page, base)
                cold = await page.evaluate(TIMED_SEND, MESSAGES[i % len(MESSAGES)])
                warm = await page.evaluate(TIMED_SEND, MESSAGES[(i + 1) % len(MESSAGES)])
                if i < 0:
                    continue
                results["round_trip"] += trips
                results["cold_first"].append(cold["first"])
                results["cold_done"].append(cold["done"])
                results["warm_first"].append(warm["first"])
                results["warm_done"].append(warm["done"])
                print(
                    f"  round {i + 1:>2}/{rounds}: round trip {statistics.median(trips):.1f} ms,"
                    f" cold first {cold['first']:.0f} / done {cold['done']:.0f} ms,"
                    f" warm first {warm['first']:.0f} / done {warm['done']:.0f} ms",
                    flush=True,
                )
        finally:
            await browser.close()
    return results


def report(results: dict[str, list[float]]) -> None:
    base = statistics.median(results["round_trip"])
    print(f"\n{'':<24}{'median':>10}{'p95':>10}{'× round trip':>15}")
    for name, samples in results.items():
        median = statistics.median(samples)
        ratio = median / base
        print(f"{name:<24}{median:>8.1f}ms{percentile(samples, 95):>8.1f}ms{ratio:>14.2f}×")
    for kind in ("cold", "warm"):
        ratio = statistics.median(results[f"{kind}_first"]) / base
        verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
        print(
            f"{kind} first token: {ratio:.2f}× a state round trip (target ≤ {TARGET_RATIO}×, {verdict})"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--clicks", type=int, default=40, help="round trips per round")
    args = parser.parse_args()
    os.environ["CHATAPP_BENCH_PAGES"] = "1"  # the blank page (chatapp/pages/blank.py)
    os.environ["CHATAPP_CHAT_UI"] = "native"
    print(f"start: {load_average()}")
    with bench_database("sqlite") as url:
        started = time.monotonic()
        with production_server(url, redis=False) as (base, _log, _proc):
            token = sign_up_user(base, tasks=5, threads=0)
            results = asyncio.run(run(base, token, args.rounds, args.clicks))
        print(f"  done in {time.monotonic() - started:.0f} s; end: {load_average()}")
    report(results)


if __name__ == "__main__":
    main()
