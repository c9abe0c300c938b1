"""The S3-compatible store against a local S3 server (moto's, in-process): the storage interface round trip,
and documents attached, verified and found damaged through it, as with the local store."""

from __future__ import annotations

import hashlib

import boto3
import pytest

from pledgebank.documents.models import Subject
from pledgebank.documents.storage import S3Store, app_store
from tests.factories.documents import attach, paid_world, pdf, png
from tests.helpers.backups import cli
from tests.helpers.s3_server import CREDENTIALS, make_bucket, s3_server

BUCKET = "pledgebank-documents"


@pytest.fixture(scope="module")
def endpoint():
    with s3_server() as url:
        yield url


@pytest.fixture(autouse=True)
def credentials(monkeypatch):
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def bucket(endpoint, request) -> str:
    name = f"{BUCKET}-{abs(hash(request.node.name)) % 10**8}"
    make_bucket(endpoint, name)
    return name


def test_put_get_exists_and_iter_round_trip(endpoint, bucket):
    store = S3Store.connect(bucket=bucket, endpoint_url=endpoint, prefix="elm-park/")
    data = pdf()
    key = hashlib.sha256(data).hexdigest()
    assert not store.exists(key) and store.get(key) is None
    store.put(key, data)
    store.put(key, data)  # the same bytes again: the same object
    assert store.exists(key) and store.get(key) == data
    other = png()
    store.put(hashlib.sha256(other).hexdigest(), other)
    assert sorted(store.iter()) == sorted([key, hashlib.sha256(other).hexdigest()])
    listed = boto3.client("s3", endpoint_url=endpoint).list_objects_v2(Bucket=bucket)["Contents"]
    assert {item["Key"] for item in listed} == {
        f"elm-park/{key}",
        f"elm-park/{hashlib.sha256(other).hexdigest()}",
    }
    with pytest.raises(ValueError, match="not a document key"):
        store.put("../../escape", data)


@pytest.fixture
def app_config(app_config, endpoint, bucket):
    return {
        **app_config,
        "DOCUMENT_STORE": "s3",
        "DOCUMENT_S3_BUCKET": bucket,
        "DOCUMENT_S3_ENDPOINT_URL": endpoint,
        "DOCUMENT_S3_REGION": CREDENTIALS["AWS_DEFAULT_REGION"],
    }


def test_documents_go_to_the_bucket_and_a_replaced_object_fails_ledger_verify(
    app, sessions, endpoint, bucket
):
    paid = paid_world(app, sessions)
    document_id, sha256 = attach(app, paid.w.treasurer, Subject.TREASURER_ENTRY, paid.entry_id, pdf())
    assert isinstance(app_store(app), S3Store)
    client = boto3.client("s3", endpoint_url=endpoint)
    assert client.get_object(Bucket=bucket, Key=sha256)["Body"].read() == pdf()
    assert cli(app, "ledger", "verify").exit_code == 0
    client.put_object(Bucket=bucket, Key=sha256, Body=pdf("Invoice 17: total due 9999.00"))
    result = cli(app, "ledger", "verify")
    assert result.exit_code == 1
    assert f"document {document_id} (invoice.pdf)" in result.output and "replaced" in result.output
    client.delete_object(Bucket=bucket, Key=sha256)
    result = cli(app, "ledger", "verify")
    assert result.exit_code == 1 and "missing" in result.output
