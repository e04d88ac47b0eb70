"""Uploads: real files of every allowed type are stored with their original and (for images)
an optimised copy; oversized, disguised and bomb files are refused and leave nothing behind."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from chatapp.attachments.content import UNSUPPORTED
from tests.support import files
from tests.support.attachments import (
    UPLOAD_URL,
    attachment_rows,
    stored_files,
    upload,
    uploaded_id,
)

ALLOWED = [
    ("photo.png", files.png, "image/png", "image"),
    ("photo.jpg", files.jpeg_with_exif, "image/jpeg", "image"),
    ("anim.gif", files.gif, "image/gif", "image"),
    ("pic.webp", files.webp, "image/webp", "image"),
    ("contract.pdf", files.pdf, "application/pdf", "file"),
    ("notes.txt", lambda: "Buy milk — and bread\n".encode(), "text/plain", "file"),
    ("readme.md", lambda: b"# Title\n\n* item\n", "text/markdown", "file"),
    ("expenses.csv", lambda: b"date,amount\n2026-12-01,12.50\n", "text/csv", "file"),
]


@pytest.mark.parametrize(("name", "make", "mime", "kind"), ALLOWED, ids=[a[0] for a in ALLOWED])
def test_allowed_files_are_stored_as_their_bytes_say(
    app_client, owner, attachment_dir, name, make, mime, kind
):
    data = make()
    # The client's claim is ignored either way: everything is sent as octet-stream.
    response = upload(app_client, owner, data, name)
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["name"], body["mime_type"], body["kind"], body["size"]) == (
        name,
        mime,
        kind,
        len(data),
    )
    original = app_client.get(body["url"], headers=owner.headers)
    assert original.status_code == 200
    assert original.content == data
    assert original.headers["content-type"].startswith(mime)
    assert original.headers["x-content-type-options"] == "nosniff"
    preview = app_client.get(f"{body['url']}/preview", headers=owner.headers)
    if kind == "image":
        assert body["preview_url"].startswith(f"{body['url']}/preview?key=")
        assert preview.status_code == 200
        Image.open(io.BytesIO(preview.content)).verify()
    else:
        assert body["preview_url"] is None
        assert preview.status_code == 404


def test_raw_body_upload_takes_its_name_from_the_header(app_client, owner):
    response = app_client.post(
        UPLOAD_URL,
        content=files.png(),
        headers={**owner.headers, "X-Filename": "scan.png", "Content-Type": "image/png"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "scan.png"


def test_image_preview_is_upright_at_most_800px_and_has_no_metadata(app_client, owner):
    original = files.jpeg_with_exif((1600, 1000))
    attachment = upload(app_client, owner, original, "holiday.jpg").json()
    preview = app_client.get(attachment["preview_url"], headers=owner.headers)
    image = Image.open(io.BytesIO(preview.content))
    # The EXIF said "rotate 90°": the landscape photo is shown portrait, longest side 800.
    assert image.size == (500, 800)
    assert not image.getexif()
    assert "exif" not in image.info and "icc_profile" not in image.info
    # The original keeps every byte, EXIF included, for download.
    download = app_client.get(attachment["url"], headers=owner.headers).content
    assert download == original
    assert Image.open(io.BytesIO(download)).getexif()[files.EXIF_ORIENTATION] == 6


def test_transparent_png_keeps_its_transparency_in_the_preview(app_client, owner):
    data = files.image_bytes("PNG", (1200, 300), (10, 20, 30, 0))
    attachment = upload(app_client, owner, data, "logo.png").json()
    preview = app_client.get(attachment["preview_url"], headers=owner.headers)
    assert preview.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(preview.content))
    assert image.size == (800, 200) and image.mode == "RGBA"


def test_the_default_limit_is_10_mb(attachment_dir):
    from chatapp.settings import get_settings

    assert get_settings().attachment_max_bytes == 10 * 1024 * 1024


def test_a_file_over_the_limit_is_413_counted_while_streaming(
    app_client, owner, attachment_dir, monkeypatch
):
    from chatapp.settings import get_settings

    monkeypatch.setenv("ATTACHMENT_MAX_BYTES", "100000")
    get_settings.cache_clear()
    assert upload(app_client, owner, b"x" * 100_000, "fits.txt").status_code == 201
    # Under the request-size backstop (limit + form slack): the upload's own count refuses it.
    response = upload(app_client, owner, b"x" * 100_001, "over.txt")
    assert response.status_code == 413
    assert response.json()["detail"] == "The file is too large (limit 97.7 KB)."
    assert len(stored_files(attachment_dir)) == 1  # the one that fitted
    assert len(attachment_rows()) == 1


def test_a_body_declared_far_over_the_limit_is_413_before_it_is_read(app_client, owner):
    from chatapp.settings import get_settings

    too_big = get_settings().attachment_max_bytes + 1024 * 1024
    response = app_client.post(
        UPLOAD_URL, content=b"x" * too_big, headers={**owner.headers, "X-Filename": "big.txt"}
    )
    assert response.status_code == 413
    assert attachment_rows() == []


@pytest.mark.parametrize(
    ("name", "data", "claimed"),
    [
        ("setup.exe", files.windows_exe(), "application/octet-stream"),
        ("cat.png", files.windows_exe(), "image/png"),
        ("cat.png", files.HTML_PAGE, "image/png"),
        ("page.txt", files.HTML_PAGE, "text/plain"),
        ("page.html", b"just words", "text/html"),
        ("data.bin", bytes(range(256)) * 4, "application/octet-stream"),
        ("latin1.txt", "café".encode("latin-1"), "text/plain"),
    ],
    ids=["exe", "exe-as-png", "html-as-png", "html-as-txt", "html-name", "binary", "not-utf8"],
)
def test_other_types_are_415_whatever_the_client_claims(
    app_client, owner, attachment_dir, name, data, claimed
):
    response = upload(app_client, owner, data, name, claimed)
    assert response.status_code == 415
    assert response.json()["detail"] == UNSUPPORTED
    assert stored_files(attachment_dir) == []
    assert attachment_rows() == []


def test_a_damaged_image_is_415(app_client, owner, attachment_dir):
    response = upload(app_client, owner, files.png()[:40], "broken.png")
    assert response.status_code == 415
    assert "could not be read" in response.json()["detail"]
    assert stored_files(attachment_dir) == []


def test_an_image_bomb_is_refused_before_it_is_decoded(app_client, owner, attachment_dir):
    bomb = files.png_bomb()
    assert len(bomb) < 2000  # tiny on disk, 2.5 gigapixels unpacked
    response = upload(app_client, owner, bomb, "bomb.png")
    assert response.status_code == 413
    assert "too large to process" in response.json()["detail"]
    assert stored_files(attachment_dir) == []
    assert attachment_rows() == []


def test_images_over_the_pixel_limit_are_413(app_client, owner, monkeypatch):
    from chatapp.settings import get_settings

    monkeypatch.setenv("ATTACHMENT_MAX_PIXELS", "100000")
    get_settings.cache_clear()
    response = upload(app_client, owner, files.png((400, 300)), "big.png")
    assert response.status_code == 413
    assert response.json()["detail"] == (
        "The image is too large to process: 0.12 megapixels (limit 0.1)."
    )


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\me\\notes.txt", "notes.txt"),
        ("<img onerror=x>.txt", "_img onerror_x_.txt"),
        ("..", "file"),
        ("a" * 300 + ".txt", "a" * 116 + ".txt"),
    ],
)
def test_filenames_are_sanitised(app_client, owner, given, kept):
    response = upload(app_client, owner, b"hello", given)
    assert response.status_code == 201, response.text
    assert response.json()["name"] == kept
    download = app_client.get(response.json()["url"], headers=owner.headers)
    assert download.headers["content-disposition"].startswith("attachment; filename*=UTF-8''")


def test_control_characters_are_dropped_from_names(app_client, owner):
    response = app_client.post(
        UPLOAD_URL,
        params={"filename": "line\nbreak\x00\u202e.txt"},
        content=b"hello",
        headers=owner.headers,
    )
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "linebreak.txt"


def test_empty_files_are_refused(app_client, owner):
    response = upload(app_client, owner, b"", "empty.txt")
    assert response.status_code == 422
    assert response.json()["detail"] == "The file is empty."


def test_a_form_without_a_file_field_is_refused(app_client, owner, attachment_dir):
    response = app_client.post(
        UPLOAD_URL, files={"document": ("a.txt", b"hi", "text/plain")}, headers=owner.headers
    )
    assert response.status_code == 422
    assert "field named 'file'" in response.json()["detail"]
    assert stored_files(attachment_dir) == []


def test_a_malformed_form_is_422_and_leaves_nothing(app_client, owner, attachment_dir):
    body = b"--b\r\nNone--b--\r\n"
    headers = {**owner.headers, "Content-Type": "multipart/form-data; boundary=b"}
    response = app_client.post(UPLOAD_URL, content=body, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"].startswith("The upload form is malformed")
    assert stored_files(attachment_dir) == []


def test_uploads_and_downloads_need_a_token(app_client, owner):
    assert app_client.post(UPLOAD_URL, content=b"hi").status_code == 401
    attachment_id = uploaded_id(app_client, owner, files.png(), "a.png")
    assert app_client.get(f"{UPLOAD_URL}/{attachment_id}").status_code == 401
    assert app_client.get(f"{UPLOAD_URL}/{attachment_id}/preview").status_code == 401
    # An <img> cannot send headers: the token may come as ?token=.
    assert app_client.get(f"{UPLOAD_URL}/{attachment_id}?token={owner.token}").status_code == 200
    assert app_client.get(f"{UPLOAD_URL}/{attachment_id}?token=forged").status_code == 401


def test_preview_url_opens_the_preview_alone(app_client, owner, intruder):
    """ChatKit's element shows an image attachment's preview_url in an <img>, with no token:
    the URL's key opens that one preview, and nothing else."""
    body = upload(app_client, owner, files.png((1600, 1200)), "a.png").json()
    other = upload(app_client, owner, files.png(), "b.png").json()
    preview = app_client.get(body["preview_url"])
    assert preview.status_code == 200
    assert Image.open(io.BytesIO(preview.content)).size == (800, 600)
    key = body["preview_url"].split("key=", 1)[1]
    # The key is bound to its attachment, opens no original, and cannot be guessed.
    assert app_client.get(f"{UPLOAD_URL}/{other['id']}/preview?key={key}").status_code == 401
    assert app_client.get(f"{UPLOAD_URL}/{body['id']}?key={key}").status_code == 401
    forged = ("B" if key[0] == "A" else "A") + key[1:]  # one character off, never the key itself
    assert app_client.get(f"{UPLOAD_URL}/{body['id']}/preview?key={forged}").status_code == 401
    # The owner's token still works, and another user's token is "not found" as ever.
    assert (
        app_client.get(f"{UPLOAD_URL}/{body['id']}/preview", headers=owner.headers).status_code
        == 200
    )
    assert (
        app_client.get(f"{UPLOAD_URL}/{body['id']}/preview", headers=intruder.headers).status_code
        == 404
    )
    # Once the file is deleted its key opens nothing.
    assert app_client.delete(f"{UPLOAD_URL}/{body['id']}", headers=owner.headers).status_code == 204
    assert app_client.get(body["preview_url"]).status_code == 404


def test_a_made_up_preview_key_is_refused_not_an_error(app_client, owner):
    attachment_id = uploaded_id(app_client, owner, files.png(), "a.png")
    for key in ("é", "\\u2603" * 3, "", "x" * 500):
        response = app_client.get(f"{UPLOAD_URL}/{attachment_id}/preview", params={"key": key})
        assert response.status_code == 401, (key, response.text)
