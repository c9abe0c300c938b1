"""Driving the "Attach a document" form as a browser would: the page's own form key and CSRF token, the file
sent as multipart."""

from __future__ import annotations

import io
import re

from tests.helpers.app import WebClient

_KEY = re.compile(r'name="form_key"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="form_key"')


def documents_url(slug: str, subject: str, subject_id: int) -> str:
    """The documents page of a subject (treasurer-entry, grant-payment or grant-report)."""
    return f"/n/{slug}/documents/{subject}/{subject_id}"


def form_key(client: WebClient, url: str) -> str:
    """The one-time key of the attach form on the page at url."""
    found = _KEY.search(client.get(url).get_data(as_text=True))
    assert found, f"no attach form on {url}"
    return found.group(1) or found.group(2)


def upload(client: WebClient, url: str, data: bytes | None, filename: str = "invoice.pdf", **fields):
    """Send the attach form with a file (or none), the page's key unless given, and the kind."""
    form = {"csrf_token": client.csrf_token(url), "kind": "invoice", **fields}
    if "form_key" not in form:
        form["form_key"] = form_key(client, url)
    if data is not None:
        form["file"] = (io.BytesIO(data), filename)
    return client.client.post(url, data=form, content_type="multipart/form-data")
