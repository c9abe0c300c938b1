"""A local S3-compatible server for the document store's tests: moto's server mode, in-process, on 127.0.0.1.

Without moto (`pip install 'moto[server]'`, in the test extras) the tests that need it are skipped with the
reason, or fail when PLEDGEBANK_FORBID_SKIPS=1.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.helpers.environment import free_port

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "pledgebank-test",
    "AWS_SECRET_ACCESS_KEY": "pledgebank-test-secret",
    "AWS_DEFAULT_REGION": "eu-west-2",
}


def _needs(module: str) -> None:
    reason = f"needs {module} for the local S3 server (pip install 'moto[server]' boto3)"
    if os.environ.get("PLEDGEBANK_FORBID_SKIPS"):
        pytest.fail(f"PLEDGEBANK_FORBID_SKIPS=1 but this test {reason}", pytrace=False)
    pytest.skip(reason)


@contextmanager
def s3_server() -> Iterator[str]:
    """Start the server; yield its endpoint URL; stop it."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        _needs("moto")
    try:
        import boto3  # noqa: F401 - the store's client
    except ImportError:
        _needs("boto3")
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def make_bucket(endpoint: str, bucket: str) -> None:
    """Create the bucket the store will use."""
    import boto3

    boto3.client("s3", endpoint_url=endpoint, region_name=CREDENTIALS["AWS_DEFAULT_REGION"]).create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": CREDENTIALS["AWS_DEFAULT_REGION"]}
    )
