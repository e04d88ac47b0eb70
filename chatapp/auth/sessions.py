"""Which accounts are alive, and at which token version, without a database read per request.

A token's signature says who sent it; it cannot say whether that account still exists or has
signed out since (`users.token_version`, raised by every sign-out, is in each token as `ver`).
That answer is one primary-key read of the user row, kept here per process for
ACCOUNT_CACHE_SECONDS (5 s by default), so an authenticated request costs a signature check
and a dictionary look-up.

How fresh a cached answer is:
- In this process, a sign-out (`accounts.sign_out_everywhere`) and any ORM delete or update of a
  User forget the entry when their transaction commits: the very next request reads the row.
- Other workers, with REFLEX_REDIS_URL: the same "forget user N" goes out on a Redis channel,
  and each worker's listener thread drops its entry as it arrives (milliseconds). A listener
  that loses Redis clears its whole cache when it reconnects, since it may have missed some.
- Other workers without Redis, a lost message, or a row deleted outside the app (psql): the
  entry ages out, so the change reaches every worker within ACCOUNT_CACHE_SECONDS.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from dataclasses import dataclass
from typing import Final

from sqlalchemy import event
from sqlalchemy.orm import Session, object_session
from sqlmodel import col, select

from chatapp.db import User, get_engine
from chatapp.settings import get_settings

logger = logging.getLogger("chatapp.auth.sessions")

CHANNEL = "chatapp:account-changes"
_FORGET_KEY = "chatapp_forget_accounts"


@dataclass(frozen=True)
class Account:
    user_id: int
    email: str
    token_version: int


class _Missing:
    pass


MISSING: Final = _Missing()


class AccountCache:
    """user id → (deadline, Account or None for "no such account"), for `ttl` seconds."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._entries: dict[int, tuple[float, Account | None]] = {}
        self._lock = threading.Lock()
        # Bumped by every forget/clear: a read that began before one must not store its result.
        self._generation = 0
        self._engine: object | None = None
        self.reads = 0  # database reads made (for tests and benchmarks)

    def _check_engine(self) -> None:
        # Another database (tests, benchmarks re-point the app) holds other users under the
        # same ids: start over.
        engine = get_engine()
        if engine is not self._engine:
            with self._lock:
                self._entries.clear()
                self._generation += 1
                self._engine = engine

    def cached(self, user_id: int) -> Account | None | _Missing:
        """The fresh cached answer for `user_id`, or MISSING."""
        self._check_engine()
        entry = self._entries.get(user_id)
        if entry is None or entry[0] <= time.monotonic():
            return MISSING
        return entry[1]

    def load(self, user_id: int) -> Account | None:
        """Read the account (one primary-key read) and remember the answer."""
        self._check_engine()
        generation = self._generation
        with get_engine().connect() as connection:
            row = connection.execute(
                select(User.email, User.token_version).where(col(User.id) == user_id)
            ).first()
        self.reads += 1
        account = None if row is None else Account(user_id, row[0], row[1])
        if self.ttl > 0:
            with self._lock:
                if generation == self._generation:
                    self._entries[user_id] = (time.monotonic() + self.ttl, account)
        return account

    def account(self, user_id: int) -> Account | None:
        """Cached, else read (blocking: async callers use `cached` then `load` in a thread)."""
        found = self.cached(user_id)
        return self.load(user_id) if isinstance(found, _Missing) else found

    def forget(self, user_id: int) -> None:
        with self._lock:
            self._entries.pop(user_id, None)
            self._generation += 1

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._generation += 1


class RedisAccountChanges:
    """Publishes "forget user N" to every worker, and applies the ones other workers publish."""

    def __init__(self, url: str, cache: AccountCache, channel: str = CHANNEL) -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.cache = cache
        # Pub/sub ignores database numbers: the channel names the one this URL selects, so
        # deployments (and test runs) on other databases of the same Redis never cross.
        self.channel = f"{channel}:{self.client.connection_pool.connection_kwargs.get('db', 0)}"
        self.subscribed = threading.Event()  # set while the listener is subscribed
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._listen, name="chatapp-account-changes", daemon=True
        )
        self._thread.start()

    def publish(self, user_id: int) -> None:
        from redis.exceptions import RedisError

        try:
            self.client.publish(self.channel, str(user_id))
        except RedisError as exc:  # the database is the truth; other workers catch up by TTL
            logger.warning("could not publish an account change to Redis: %s", exc)

    def _listen(self) -> None:
        from redis.exceptions import RedisError

        while not self._stop.is_set():
            pubsub = self.client.pubsub(ignore_subscribe_messages=True)
            try:
                pubsub.subscribe(self.channel)
                # Changes published while this worker was not listening are unknown: drop all.
                self.cache.clear()
                self.subscribed.set()
                while not self._stop.is_set():
                    message = pubsub.get_message(timeout=1.0)
                    if message and message["type"] == "message":
                        data = message["data"]
                        if data.isdigit():
                            self.cache.forget(int(data))
            except (RedisError, OSError) as exc:
                self.subscribed.clear()
                logger.warning("account changes: Redis listener lost (%s); retrying", exc)
                self._stop.wait(1.0)
            finally:
                self.subscribed.clear()
                with contextlib.suppress(RedisError, OSError):
                    pubsub.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.client.close()


_cache: AccountCache | None = None
_changes: RedisAccountChanges | None = None
_setup_lock = threading.Lock()


def account_cache() -> AccountCache:
    """This process's cache (and, with REFLEX_REDIS_URL, its Redis listener), made on first use
    so each forked worker gets its own."""
    global _cache, _changes
    if _cache is None:
        with _setup_lock:
            if _cache is None:
                settings = get_settings()
                cache = AccountCache(settings.account_cache_seconds)
                if settings.reflex_redis_url:
                    _changes = RedisAccountChanges(settings.reflex_redis_url, cache)
                _cache = cache
    return _cache


def reset_account_cache() -> None:
    """Start over from the current settings (tests switch databases and Redis)."""
    global _cache, _changes
    with _setup_lock:
        if _changes is not None:
            _changes.close()
        _cache = None
        _changes = None


def forget_account(user_id: int) -> None:
    """The account changed (signed out, deleted): every worker must read it again."""
    account_cache().forget(user_id)
    if _changes is not None:
        _changes.publish(user_id)


# ORM writes to a User (delete, update) reach the cache when their transaction commits.
@event.listens_for(User, "after_delete")
@event.listens_for(User, "after_update")
def _user_changed(_mapper, _connection, target: User) -> None:
    session = object_session(target)
    if session is not None and target.id is not None:
        session.info.setdefault(_FORGET_KEY, set()).add(target.id)


@event.listens_for(Session, "after_commit")
def _forget_committed(session: Session) -> None:
    for user_id in session.info.pop(_FORGET_KEY, ()):
        forget_account(user_id)


@event.listens_for(Session, "after_rollback")
def _keep_on_rollback(session: Session) -> None:
    session.info.pop(_FORGET_KEY, None)
