"""Real files for attachment tests, made with Pillow (and by hand where Pillow would refuse)."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

EXIF_ORIENTATION = 0x0112
EXIF_GPS_IFD = 0x8825
ROTATED_90_CW = 6  # "rotate 90° clockwise to display"


def image_bytes(fmt: str, size: tuple[int, int] = (64, 48), color=(200, 30, 30), **save) -> bytes:
    mode = "RGBA" if fmt == "PNG" and len(color) == 4 else "RGB"
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, fmt, **save)
    return buffer.getvalue()


def png(size: tuple[int, int] = (64, 48)) -> bytes:
    return image_bytes("PNG", size)


def gif(size: tuple[int, int] = (40, 30)) -> bytes:
    return image_bytes("GIF", size)


def webp(size: tuple[int, int] = (40, 30)) -> bytes:
    return image_bytes("WEBP", size)


def jpeg_with_exif(size: tuple[int, int] = (1600, 1000)) -> bytes:
    """A landscape JPEG whose EXIF says "rotate 90° clockwise", with a camera model and GPS."""
    image = Image.new("RGB", size, (20, 120, 220))
    image.paste((250, 250, 0), (0, 0, size[0] // 4, size[1] // 4))  # a corner to track
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = ROTATED_90_CW
    exif[0x0110] = "Test Camera"  # Model
    exif.get_ifd(EXIF_GPS_IFD)[2] = (48.0, 51.0, 24.0)  # GPSLatitude
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=90)
    return buffer.getvalue()


def pdf() -> bytes:
    """A real one-page PDF (Pillow writes a valid file)."""
    buffer = io.BytesIO()
    Image.new("RGB", (100, 140), "white").save(buffer, "PDF")
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_bomb(width: int = 50_000, height: int = 50_000) -> bytes:
    """A tiny, well-formed PNG that declares 2.5 gigapixels: a decompression bomb."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", rows)
        + _chunk(b"IEND", b"")
    )


def windows_exe() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
