"""The in-process failed-login limiter, on a controlled clock."""

from __future__ import annotations

import pytest

from chatapp.auth import ratelimit


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(ratelimit.time, "monotonic", c)
    return c


@pytest.fixture
def limiter(clock) -> ratelimit.MemoryLoginLimiter:
    return ratelimit.MemoryLoginLimiter(max_failures=5, window_seconds=300)


def test_the_fifth_failure_locks_the_key_for_the_rest_of_the_window(limiter, clock):
    for _ in range(4):
        limiter.record_failure("a@example.com")
        clock.now += 10
    assert limiter.retry_after("a@example.com") == 0

    limiter.record_failure("a@example.com")

    # The oldest of the five failures was 40 s ago: it ages out in 260 s.
    assert limiter.retry_after("a@example.com") == 260


def test_the_lock_lifts_when_the_oldest_failure_ages_out(limiter, clock):
    for _ in range(5):
        limiter.record_failure("a@example.com")
    clock.now += 299.5
    assert limiter.retry_after("a@example.com") == 1

    clock.now += 0.5

    assert limiter.retry_after("a@example.com") == 0


def test_keys_are_counted_separately(limiter):
    for _ in range(5):
        limiter.record_failure("a@example.com")

    assert limiter.retry_after("a@example.com") > 0
    assert limiter.retry_after("b@example.com") == 0


def test_reset_forgets_the_failures(limiter):
    for _ in range(5):
        limiter.record_failure("a@example.com")

    limiter.reset("a@example.com")

    assert limiter.retry_after("a@example.com") == 0


def test_the_default_limiter_follows_the_settings(monkeypatch):
    from chatapp.settings import get_settings

    ratelimit.reset_login_limiter()
    try:
        limiter = ratelimit.get_login_limiter()
        assert isinstance(limiter, ratelimit.MemoryLoginLimiter)
        assert limiter.max_failures == get_settings().login_max_failures == 5
        assert limiter.window == get_settings().login_window_seconds
        assert ratelimit.get_login_limiter() is limiter
    finally:
        ratelimit.reset_login_limiter()
