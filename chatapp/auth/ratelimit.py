"""Failed-login limiter: N failures per email within a sliding window → locked until they age out.

In-process by default (exact for one worker; with several workers each keeps its own count, so
the effective limit is N × workers). With REFLEX_REDIS_URL set the counts live in Redis and
the limit holds across every worker.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from chatapp.errors import ServiceUnavailable
from chatapp.settings import get_settings


class LoginLimiter(Protocol):
    def retry_after(self, key: str) -> int:
        """Seconds until `key` may try again (0 = allowed now)."""
        ...

    def record_failure(self, key: str) -> None:
        """Count one failed attempt for `key`."""
        ...

    def reset(self, key: str) -> None:
        """Forget `key`'s failures (after a successful login)."""
        ...


class MemoryLoginLimiter:
    def __init__(self, max_failures: int, window_seconds: int) -> None:
        self.max_failures = max_failures
        self.window = window_seconds
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _prune(self, key: str, now: float) -> deque[float]:
        q = self._failures[key]
        while q and q[0] <= now - self.window:
            q.popleft()
        return q

    def retry_after(self, key: str) -> int:
        now = time.monotonic()
        with self._lock:
            q = self._prune(key, now)
            if len(q) < self.max_failures:
                return 0
            return max(1, math.ceil(q[-self.max_failures] + self.window - now))

    def record_failure(self, key: str) -> None:
        with self._lock:
            self._prune(key, time.monotonic()).append(time.monotonic())

    def reset(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


LIMITER_UNAVAILABLE = (
    "Sign-in is unavailable right now (the rate limiter cannot reach Redis). "
    "Please try again shortly."
)


@contextmanager
def _redis_errors_as_unavailable() -> Iterator[None]:
    # Fail closed: without the shared counts, a login could bypass the limit on every worker.
    from redis.exceptions import RedisError

    try:
        yield
    except RedisError as exc:
        raise ServiceUnavailable(LIMITER_UNAVAILABLE) from exc


class RedisLoginLimiter:
    """Sliding window in a Redis sorted set per key, shared by every worker."""

    def __init__(self, url: str, max_failures: int, window_seconds: int) -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.max_failures = max_failures
        self.window = window_seconds

    def _key(self, key: str) -> str:
        return f"chatapp:login-failures:{key}"

    def retry_after(self, key: str) -> int:
        now = time.time()
        k = self._key(key)
        with _redis_errors_as_unavailable():
            pipe = self.client.pipeline()
            pipe.zremrangebyscore(k, 0, now - self.window)
            pipe.zrange(k, 0, -1, withscores=True)
            _, entries = pipe.execute()
        if len(entries) < self.max_failures:
            return 0
        oldest_counted = entries[-self.max_failures][1]
        return max(1, math.ceil(oldest_counted + self.window - now))

    def record_failure(self, key: str) -> None:
        now = time.time()
        k = self._key(key)
        with _redis_errors_as_unavailable():
            pipe = self.client.pipeline()
            pipe.zadd(k, {f"{now:.6f}:{time.perf_counter_ns()}": now})
            pipe.expire(k, self.window)
            pipe.execute()

    def reset(self, key: str) -> None:
        with _redis_errors_as_unavailable():
            self.client.delete(self._key(key))


_limiter: LoginLimiter | None = None


def get_login_limiter() -> LoginLimiter:
    global _limiter
    if _limiter is None:
        s = get_settings()
        if s.reflex_redis_url:
            _limiter = RedisLoginLimiter(
                s.reflex_redis_url, s.login_max_failures, s.login_window_seconds
            )
        else:
            _limiter = MemoryLoginLimiter(s.login_max_failures, s.login_window_seconds)
    return _limiter


def reset_login_limiter() -> None:
    global _limiter
    _limiter = None
