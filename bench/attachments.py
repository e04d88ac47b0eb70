"""Benchmark 7: attachment uploads over real HTTP (uvicorn, SQLite, local storage).

A 12 MP JPEG (4000×3000 of noise, 6.5 MB: a worst case for its size; its checks and 800 px
preview are the work) against a CSV file of the same size (streamed, sniffed, stored, no image
work) as the baseline measured in the same run; and the preview download against the
original's.

    python bench/attachments.py [--uploads 15]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import tempfile
import time

from common import percentile, serve, use_fresh_sqlite


def _photo() -> bytes:
    from PIL import Image

    image = Image.effect_noise((4000, 3000), 40).convert("RGB")  # noise: a photo-like size
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _timed(call, n: int) -> list[float]:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--uploads", type=int, default=15)
    args = parser.parse_args()
    os.environ["ATTACHMENT_DIR"] = tempfile.mkdtemp(prefix="chatapp-bench-attachments-")
    use_fresh_sqlite()
    import httpx

    from chatapp.api import build_api
    from tests.support.auth import insert_user

    user = insert_user("bench@example.com")
    photo = _photo()
    text = (b"date,amount,note\n" + b"2026-12-01,12.50,taxi ride\n" * 100_000)[: len(photo)]
    with serve(build_api()) as base, httpx.Client(base_url=base, headers=user.headers) as http:

        def upload(data: bytes, name: str) -> str:
            response = http.post("/api/attachments", content=data, headers={"X-Filename": name})
            assert response.status_code == 201, response.text
            return response.json()["id"]

        upload(text, "warm.csv")
        plain = _timed(lambda: upload(text, "expenses.csv"), args.uploads)
        image = _timed(lambda: upload(photo, "photo.jpg"), args.uploads)
        photo_id = upload(photo, "photo.jpg")
        original = _timed(lambda: http.get(f"/api/attachments/{photo_id}").content, 30)
        preview = _timed(lambda: http.get(f"/api/attachments/{photo_id}/preview").content, 30)
        preview_bytes = len(http.get(f"/api/attachments/{photo_id}/preview").content)

    def line(name: str, ms: list[float]) -> str:
        return (
            f"  {name:<26} p50 {statistics.median(ms):7.1f} ms   p95 {percentile(ms, 95):7.1f} ms"
        )

    print(f"photo {len(photo) / 1e6:.2f} MB (4000×3000 JPEG), preview {preview_bytes / 1e3:.0f} kB")
    print(line("upload text (baseline)", plain))
    print(line("upload photo", image))
    print(
        f"  ratio photo/text           {statistics.median(image) / statistics.median(plain):.1f}×"
    )
    print(line("download original", original))
    print(line("download preview", preview))
    print(
        f"  ratio preview/original     {statistics.median(preview) / statistics.median(original):.2f}×"
    )


if __name__ == "__main__":
    main()
