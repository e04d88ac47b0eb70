"""ATTACHMENT_STORAGE=s3 against a real S3-compatible server on localhost (moto's server, which
speaks the S3 HTTP API): uploads land in the bucket as objects, downloads stream them back,
deletes remove them, and a refused upload leaves no object."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto.server import ThreadedMotoServer

from tests.support import files
from tests.support.attachments import attachment_rows, upload, uploaded_id
from tests.support.servers import free_port

BUCKET = "chatapp-test"
CREDENTIALS = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, db, monkeypatch):
    from chatapp.settings import get_settings

    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **CREDENTIALS)
    client.create_bucket(Bucket=BUCKET)
    settings = {
        "ATTACHMENT_STORAGE": "s3",
        "ATTACHMENT_S3_BUCKET": BUCKET,
        "ATTACHMENT_S3_ENDPOINT_URL": s3_endpoint,
        "ATTACHMENT_S3_REGION": "us-east-1",
        "ATTACHMENT_S3_ACCESS_KEY_ID": "test",
        "ATTACHMENT_S3_SECRET_ACCESS_KEY": "test",
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)
    for name in settings:
        monkeypatch.delenv(name)
    get_settings.cache_clear()


@pytest.fixture
def s3_client(bucket):
    from fastapi.testclient import TestClient

    from chatapp.api import build_api

    with TestClient(build_api()) as c:
        yield c


def _keys(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_an_image_is_stored_as_two_objects_and_served_back(s3_client, bucket, owner):
    data = files.jpeg_with_exif()
    photo = uploaded_id(s3_client, owner, data, "taxi.jpg")

    assert _keys(bucket) == [f"attachments/{photo}/original", f"attachments/{photo}/preview"]
    download = s3_client.get(f"/api/attachments/{photo}", headers=owner.headers)
    assert download.status_code == 200 and download.content == data
    preview = s3_client.get(f"/api/attachments/{photo}/preview", headers=owner.headers)
    assert preview.status_code == 200 and preview.headers["content-type"] == "image/jpeg"

    assert s3_client.delete(f"/api/attachments/{photo}", headers=owner.headers).status_code == 204
    assert _keys(bucket) == []


def test_a_task_delete_removes_its_objects(s3_client, bucket, owner):
    task = s3_client.post(owner.tasks_url, json={"title": "expenses"}, headers=owner.headers)
    notes = uploaded_id(s3_client, owner, b"taxi 12\n", "notes.csv")
    s3_client.post(
        f"{owner.tasks_url}/{task.json()['id']}/attachments",
        json={"attachment_ids": [notes]},
        headers=owner.headers,
    )
    assert _keys(bucket) == [f"attachments/{notes}/original"]
    s3_client.delete(f"{owner.tasks_url}/{task.json()['id']}", headers=owner.headers)
    assert _keys(bucket) == []


def test_a_refused_upload_leaves_no_object(s3_client, bucket, owner):
    response = upload(s3_client, owner, files.HTML_PAGE, "cat.png", "image/png")
    assert response.status_code == 415
    assert _keys(bucket) == []
    assert attachment_rows() == []
