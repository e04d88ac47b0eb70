"""What an uploaded file is, decided by its bytes (never by the name or type the client sent),
and the optimised copy of an image that chat shows.

Allowed: images (PNG, JPEG, WebP, GIF) and documents (PDF, and UTF-8 text named .txt, .md or
.csv). Anything else is refused with 415; an image that would unpack to more than
ATTACHMENT_MAX_PIXELS (a decompression bomb) with 413.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from PIL import Image, ImageOps, UnidentifiedImageError

from chatapp.errors import PayloadTooLarge, UnsupportedMediaType

Kind = Literal["image", "file"]

UNSUPPORTED = (
    "Unsupported file type: attach an image (PNG, JPEG, WebP, GIF) or a document "
    "(PDF, or a UTF-8 text file: .txt, .md, .csv)."
)
DAMAGED_IMAGE = "The image could not be read: the file is damaged or not really an image."
PREVIEW_SIDE = 800  # longest side of the optimised copy, in pixels
PREVIEW_JPEG_QUALITY = 85
FILENAME_MAX = 120
DEFAULT_FILENAME = "file"
SNIFF_BYTES = 512

# Pillow format → MIME type, for the image formats accepted.
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}
TEXT_TYPES = {".txt": "text/plain", ".md": "text/markdown", ".markdown": "text/markdown",
              ".csv": "text/csv"}  # fmt: skip
PDF_TYPE = "application/pdf"
# Signatures: (format name, test on the first bytes).
_SIGNATURES: tuple[tuple[str, object], ...] = (
    ("PNG", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ("JPEG", lambda head: head.startswith(b"\xff\xd8\xff")),
    ("GIF", lambda head: head[:6] in (b"GIF87a", b"GIF89a")),
    ("WEBP", lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
    ("PDF", lambda head: head.startswith(b"%PDF-")),
)
# Text that a browser would run or render as a page is not a "text file" here.
_MARKUP = re.compile(rb"^\s*<(!doctype|html|head|body|script|svg|\?xml|iframe)", re.IGNORECASE)
_UNSAFE_CHARS = re.compile(r"[^\w.\- ()\[\]+,@&'!]+")


@dataclass(frozen=True)
class Identified:
    mime_type: str
    kind: Kind
    width: int | None = None
    height: int | None = None


def sanitise_filename(name: str | None) -> str:
    """A display and download name: no folders, control or shell-special characters, bounded."""
    base = (name or "").replace("\\", "/")
    base = PurePosixPath(base).name if base.strip("/") else ""
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = _UNSAFE_CHARS.sub("_", base).strip(" .")
    if len(base) > FILENAME_MAX:
        stem, dot, ext = base.rpartition(".")
        keep = ext if dot and len(ext) <= 10 else ""
        base = base[: FILENAME_MAX - len(keep) - 1].rstrip(" .") + ("." + keep if keep else "")
    return base or DEFAULT_FILENAME


def _signature(head: bytes) -> str | None:
    for name, test in _SIGNATURES:
        if test(head):  # pyright: ignore[reportCallIssue]  -- the table's tests take the head bytes
            return name
    return None


def identify(path: Path, filename: str, max_pixels: int) -> Identified:
    """What the file at `path` is (415 / 413 as AppErrors when it may not be attached)."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    found = _signature(head)
    if found == "PDF":
        return Identified(PDF_TYPE, "file")
    if found is not None:
        width, height = _checked_image(path, found, max_pixels)
        return Identified(IMAGE_TYPES[found], "image", width, height)
    return Identified(_text_type(path, filename, head), "file")


def _too_many_pixels(pixels: int, max_pixels: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"The image is too large to process: {pixels / 1e6:.3g} megapixels "
        f"(limit {max_pixels / 1e6:.3g})."
    )


def _checked_image(path: Path, expected: str, max_pixels: int) -> tuple[int, int]:
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own limit; here every bomb is refused.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.format != expected:
                    raise UnsupportedMediaType(DAMAGED_IMAGE)
                width, height = image.size
                if width * height > max_pixels:
                    raise _too_many_pixels(width * height, max_pixels)
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PayloadTooLarge(
            f"The image is too large to process (it would unpack to over "
            f"{max_pixels / 1e6:.3g} megapixels)."
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UnsupportedMediaType(DAMAGED_IMAGE) from exc
    return width, height


def _text_type(path: Path, filename: str, head: bytes) -> str:
    suffix = PurePosixPath(filename).suffix.lower()
    mime = TEXT_TYPES.get(suffix or ".txt")
    if mime is None or _MARKUP.match(head):
        raise UnsupportedMediaType(UNSUPPORTED)
    data = path.read_bytes()
    if b"\x00" in data:
        raise UnsupportedMediaType(UNSUPPORTED)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnsupportedMediaType(UNSUPPORTED) from exc
    return mime


def write_preview(source: Path, target: Path) -> str:
    """Write the optimised copy of the image at `source` to `target`: EXIF orientation applied,
    longest side at most PREVIEW_SIDE, no metadata; JPEG, or PNG when it has transparency.
    Returns its MIME type."""
    try:
        with Image.open(source) as image:
            image.seek(0)  # an animation shows its first frame
            if image.format == "JPEG":
                # Decode at the smallest DCT scale (1/2 … 1/8) still at least the preview's size:
                # a 12 MP photo unpacks a quarter of its pixels (docs/PERFORMANCE.md, bench 7).
                image.draft("RGB", (PREVIEW_SIDE, PREVIEW_SIDE))
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE), Image.Resampling.LANCZOS)
            transparent = upright.mode in ("RGBA", "LA", "PA") or (
                upright.mode == "P" and "transparency" in upright.info
            )
            mode, fmt, mime = ("RGBA", "PNG", "image/png") if transparent else (
                "RGB", "JPEG", "image/jpeg")  # fmt: skip
            pixels = upright.convert(mode)
            # A fresh image carries pixels only: no EXIF, GPS, ICC or text chunks survive.
            clean = Image.new(mode, pixels.size)
            clean.paste(pixels)
            options = {"quality": PREVIEW_JPEG_QUALITY, "optimize": True} if fmt == "JPEG" else {
                "optimize": True}  # fmt: skip
            clean.save(target, fmt, **options)
    except OSError as exc:  # truncated data that verify() let through
        raise UnsupportedMediaType(DAMAGED_IMAGE) from exc
    return mime
