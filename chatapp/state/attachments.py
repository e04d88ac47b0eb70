"""ComposerState: the files waiting in the native chat's composer — uploading (with progress),
ready to send, or refused (with the server's reason) — until the next message takes them.

The browser uploads each file straight to `POST /api/attachments` (components/attachments.jsx)
and reports here; this state only keeps the tray. Removing a file from the tray deletes its
upload, so nothing the user took back stays stored.
"""

from __future__ import annotations

import dataclasses

UPLOADING, READY, FAILED = "uploading", "ready", "failed"


@dataclasses.dataclass
class AttachmentView:
    """An uploaded file as a message or a task shows it: an image by its thumbnail, anything
    else as a link with its name."""

    id: str = ""
    name: str = ""
    image: bool = False


@dataclasses.dataclass
class Upload:
    """One file in the composer's tray."""

    key: str = ""  # the browser's name for this upload, before it has an id
    name: str = ""
    image: bool = False
    percent: int = 0
    status: str = UPLOADING
    message: str = ""  # why it failed
    id: str = ""  # the attachment id, once uploaded
