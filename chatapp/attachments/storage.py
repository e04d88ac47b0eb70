"""Where attachment files live, behind one small interface.

`LocalStorage` (the default) keeps them under the data folder, which `reflex run` does not
watch. `S3Storage` keeps them in any S3-compatible bucket (ATTACHMENT_STORAGE=s3, needs boto3).
An upload is first written to a scratch file; `save` moves a finished file in under its key, so a
key names a complete file or nothing (a half-received upload never becomes visible).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from chatapp.data_dir import make_private_dir
from chatapp.settings import Settings, get_settings

logger = logging.getLogger("chatapp.attachments")

CHUNK_BYTES = 64 * 1024
# Keys are made here from generated attachment ids; anything else is a bug, never a path.
_KEY = re.compile(r"[A-Za-z0-9_-]{1,255}/(original|preview)")
SCRATCH_DIR_NAME = ".incoming"


def original_key(attachment_id: str) -> str:
    return f"{attachment_id}/original"


def preview_key(attachment_id: str) -> str:
    return f"{attachment_id}/preview"


def _checked(key: str) -> str:
    if not _KEY.fullmatch(key):
        raise ValueError(f"not an attachment storage key: {key!r}")
    return key


class Storage(Protocol):
    """The files behind attachments, by key."""

    def scratch_dir(self) -> Path:
        """A local folder for uploads being received (same filesystem as the files, if local)."""
        ...

    def save(self, key: str, source: Path) -> None:
        """Move the finished file `source` in under `key` (it is complete there, or absent)."""
        ...

    def read(self, key: str) -> bytes:
        """The whole file (FileNotFoundError when missing)."""
        ...

    def chunks(self, key: str) -> Iterator[bytes]:
        """The file in pieces, for streaming a download (FileNotFoundError when missing)."""
        ...

    def delete(self, key: str) -> None:
        """Remove the file; a missing one is fine."""
        ...


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / _checked(key)

    def scratch_dir(self) -> Path:
        scratch = self.root / SCRATCH_DIR_NAME
        if not scratch.exists():
            make_private_dir(self.root)
            scratch.mkdir(mode=0o700, exist_ok=True)
        return scratch

    def save(self, key: str, source: Path) -> None:
        target = self._path(key)
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.replace(source, target)  # atomic on one filesystem: the scratch dir is under root

    def read(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def chunks(self, key: str) -> Iterator[bytes]:
        handle = self._path(key).open("rb")  # opened now, so a missing file fails the caller now

        def pieces() -> Iterator[bytes]:
            with handle:
                while chunk := handle.read(CHUNK_BYTES):
                    yield chunk

        return pieces()

    def delete(self, key: str) -> None:
        path = self._path(key)
        path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # the other file of the attachment is still there
            path.parent.rmdir()


class S3Storage:
    """Any S3-compatible object store. Scratch files stay local until they are complete."""

    def __init__(self, settings: Settings) -> None:
        try:
            import boto3  # optional (pip install chatapp[s3]): only ATTACHMENT_STORAGE=s3 needs it
        except ImportError as exc:  # pragma: no cover - depends on the deployment
            raise RuntimeError("ATTACHMENT_STORAGE=s3 needs boto3: pip install boto3") from exc
        assert settings.attachment_s3_bucket  # Settings refuses s3 without a bucket
        self.bucket = settings.attachment_s3_bucket
        self.prefix = settings.attachment_s3_prefix
        self.client: Any = boto3.client(
            "s3",
            endpoint_url=settings.attachment_s3_endpoint_url,
            region_name=settings.attachment_s3_region,
            aws_access_key_id=settings.attachment_s3_access_key_id,
            aws_secret_access_key=settings.attachment_s3_secret_access_key,
        )
        self._scratch = Path(tempfile.gettempdir()) / "chatapp-attachments"

    def _name(self, key: str) -> str:
        return self.prefix + _checked(key)

    def scratch_dir(self) -> Path:
        self._scratch.mkdir(mode=0o700, parents=True, exist_ok=True)
        return self._scratch

    def save(self, key: str, source: Path) -> None:
        try:
            self.client.upload_file(str(source), self.bucket, self._name(key))
        finally:
            source.unlink(missing_ok=True)

    def read(self, key: str) -> bytes:
        return b"".join(self.chunks(key))

    def chunks(self, key: str) -> Iterator[bytes]:
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self._name(key))["Body"]
        except self.client.exceptions.NoSuchKey as exc:
            raise FileNotFoundError(key) from exc
        return iter(lambda: body.read(CHUNK_BYTES), b"")

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))


def get_storage() -> Storage:
    """The configured storage (follows the current settings, as tests change them)."""
    settings = get_settings()
    if settings.attachment_storage == "s3":
        return _s3_storage(settings)
    return LocalStorage(settings.attachment_root)


_s3_cache: dict[int, S3Storage] = {}


def _s3_storage(settings: Settings) -> S3Storage:
    # One client per settings object: boto3 clients are costly to make.
    if id(settings) not in _s3_cache:
        _s3_cache.clear()
        _s3_cache[id(settings)] = S3Storage(settings)
    return _s3_cache[id(settings)]


def discard(path: Path) -> None:
    """Remove a scratch file or folder, whatever state it was left in."""
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
