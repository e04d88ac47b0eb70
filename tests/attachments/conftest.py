"""Fixtures for attachment tests: real users, a real attachment folder per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.auth import QuickUser, insert_user


@pytest.fixture
def attachment_dir(db, tmp_path, monkeypatch) -> Iterator[Path]:
    """Local attachment storage in a folder of this test's own (settings re-read)."""
    from chatapp.settings import get_settings

    root = tmp_path / "attachments"
    monkeypatch.setenv("ATTACHMENT_DIR", str(root))
    get_settings.cache_clear()
    yield root
    monkeypatch.delenv("ATTACHMENT_DIR")
    get_settings.cache_clear()


@pytest.fixture
def app_client(attachment_dir, client):
    """The API client, its uploads stored in this test's attachment folder."""
    return client


@pytest.fixture
def owner(db) -> QuickUser:
    return insert_user("owner@example.com")


@pytest.fixture
def intruder(db) -> QuickUser:
    return insert_user("intruder@example.com")
