"""Where documents' files are kept: put(key, bytes), get(key), exists(key), iter() of keys.

Keys are the files' SHA-256 in hex (content-addressed), so a file's name never becomes a path and a second
upload of the same bytes is the same object. Two stores, chosen by configuration:

- `LocalStore` (the default): files under `instance/documents/` (or PLEDGEBANK_DOCUMENT_DIR), written to a
  temporary name and renamed into place, so a reader never sees half a file;
- `S3Store` (production): an S3-compatible bucket through boto3 (PLEDGEBANK_DOCUMENT_STORE=s3, with
  PLEDGEBANK_DOCUMENT_S3_BUCKET, optionally ..._S3_ENDPOINT_URL, ..._S3_REGION and ..._S3_PREFIX; the
  credentials come from boto3's usual chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile or a role).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol

_KEY = re.compile(r"[0-9a-f]{64}")
EXTENSION_KEY = "pledgebank.documents"


class StoreError(RuntimeError):
    """The store could not be reached or refused a request."""


class DocumentStore(Protocol):
    """The small interface every store offers."""

    def put(self, key: str, data: bytes) -> None:
        """Keep the bytes under the key (a second put of the same key and bytes changes nothing)."""

    def get(self, key: str) -> bytes | None:
        """The bytes kept under the key, or None when there are none."""

    def exists(self, key: str) -> bool:
        """Whether anything is kept under the key."""

    def iter(self) -> Iterator[str]:
        """Every key kept."""


def checked_key(key: str) -> str:
    """The key, if it is a SHA-256 in lower-case hex; ValueError otherwise (so no key can be a path)."""
    if not _KEY.fullmatch(key):
        raise ValueError(f"not a document key: {key!r}")
    return key


class LocalStore:
    """Files in a folder, two levels deep by the hash's first characters (ab/abcdef...)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        checked_key(key)
        return self.root / key[:2] / key

    def put(self, key: str, data: bytes) -> None:
        """Write to a temporary file beside the target, flush it to disk, then rename it into place."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, draft = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(draft, path)
        except BaseException:
            Path(draft).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes | None:
        """The file's bytes, or None when it is missing."""
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            return None

    def exists(self, key: str) -> bool:
        """Whether the file is there."""
        return self._path(key).is_file()

    def iter(self) -> Iterator[str]:
        """Every stored key, in order."""
        if not self.root.is_dir():
            return
        for path in sorted(self.root.glob("??/*")):
            if _KEY.fullmatch(path.name):
                yield path.name


class S3Store:
    """Objects in an S3-compatible bucket (AWS S3, MinIO, Ceph, ...) under an optional prefix."""

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""

    @classmethod
    def connect(cls, *, bucket: str, endpoint_url: str = "", region: str = "", prefix: str = "") -> S3Store:
        """A store on a bucket, with a boto3 client made from the usual AWS settings."""
        if not bucket:
            raise StoreError("set PLEDGEBANK_DOCUMENT_S3_BUCKET: the s3 document store needs a bucket")
        import boto3

        client = boto3.client("s3", endpoint_url=endpoint_url or None, region_name=region or None)
        return cls(client, bucket, prefix)

    def _name(self, key: str) -> str:
        return self.prefix + checked_key(key)

    def put(self, key: str, data: bytes) -> None:
        """Upload the object (S3 makes it visible whole or not at all)."""
        name = self._name(key)
        try:
            self.client.put_object(Bucket=self.bucket, Key=name, Body=data)
        except Exception as error:  # botocore's errors share no base class with the network's
            raise StoreError(f"could not store document {key[:12]}: {error}") from error

    def get(self, key: str) -> bytes | None:
        """The object's bytes, or None when there is no such object."""
        name = self._name(key)
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=name)
        except self.client.exceptions.NoSuchKey:
            return None
        except Exception as error:
            raise StoreError(f"could not read document {key[:12]}: {error}") from error
        body: bytes = answer["Body"].read()
        return body

    def exists(self, key: str) -> bool:
        """Whether the object is there."""
        name = self._name(key)
        try:
            self.client.head_object(Bucket=self.bucket, Key=name)
        except Exception as error:
            if _status(error) == 404:
                return False
            raise StoreError(f"could not look for document {key[:12]}: {error}") from error
        return True

    def iter(self) -> Iterator[str]:
        """Every key under the prefix."""
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
        for page in pages:
            for item in page.get("Contents", []):
                name = item["Key"][len(self.prefix) :]
                if _KEY.fullmatch(name):
                    yield name


def _status(error: Exception) -> int | None:
    response = getattr(error, "response", None)
    if not isinstance(response, dict):
        return None
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return int(status) if status is not None else None


def store_from_config(config: Mapping[str, Any], instance_path: str | Path) -> DocumentStore:
    """The store the settings choose: local (the default) or s3."""
    if config.get("DOCUMENT_STORE", "local") == "s3":
        return S3Store.connect(
            bucket=config["DOCUMENT_S3_BUCKET"],
            endpoint_url=config.get("DOCUMENT_S3_ENDPOINT_URL", ""),
            region=config.get("DOCUMENT_S3_REGION", ""),
            prefix=config.get("DOCUMENT_S3_PREFIX", ""),
        )
    return LocalStore(config.get("DOCUMENT_DIR") or Path(instance_path) / "documents")


def app_store(app: Any) -> DocumentStore:
    """The app's store, made once from its settings and kept with its extensions."""
    found = app.extensions.get(EXTENSION_KEY)
    if found is None:
        found = app.extensions[EXTENSION_KEY] = store_from_config(app.config, app.instance_path)
    return found
