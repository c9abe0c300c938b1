"""One check of every request's text before any view reads it.

No field of the service accepts a NUL character or half of a UTF-16 surrogate pair: PostgreSQL cannot store
the first and no encoder can write the second, so either would fail deep inside a view. They are refused here,
on every backend alike, naming the field: in JSON bodies (keys and values, however nested), form fields, query
strings and headers. JSON nested deeper than any request of ours needs is refused before it is parsed into
objects that the schemas would walk. Uploaded text files are decoded through `uploaded_text`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qsl

from flask import Flask, current_app, g, request
from flask.json.provider import DefaultJSONProvider
from flask.wrappers import Request
from werkzeug.exceptions import BadRequest

from pledgebank.errors import DomainError, InvalidInput, NotFound
from pledgebank.inputs import nested_deeper_than
from pledgebank.text import _t

NUL = "\x00"
# Deeper than any body the API accepts (its deepest is a list of objects), far below Python's recursion limit.
MAX_JSON_DEPTH = 32
NUL_MESSAGE = _t("Text may not contain NUL characters.")
SURROGATE_MESSAGE = _t(
    "Text must be valid Unicode: it holds half of a UTF-16 surrogate pair (such as \\ud800)."
)


class JSONTooDeep(ValueError):
    """A JSON document nested deeper than MAX_JSON_DEPTH."""

    def __init__(self) -> None:
        super().__init__(f"JSON may be nested at most {MAX_JSON_DEPTH} levels deep.")


class GuardedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing documents nested too deeply for the rest of the request to handle."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse JSON; raise JSONTooDeep (a ValueError) if it nests past MAX_JSON_DEPTH."""
        try:
            value = super().loads(s, **kwargs)
        except RecursionError:
            raise JSONTooDeep() from None
        if nested_deeper_than(value, MAX_JSON_DEPTH):
            raise JSONTooDeep()
        return value


class GuardedRequest(Request):
    """Flask's request, keeping a form body's raw bytes for the guard, and saying in words why a JSON body
    could not be read."""

    def _load_form_data(self) -> None:
        if self.mimetype == "application/x-www-form-urlencoded":
            self.get_data(cache=True)  # parsed from this copy too, so the guard sees the bytes as sent
        super()._load_form_data()

    def on_json_loading_failed(self, e: ValueError | None) -> Any:
        """A 400 naming the problem (415 when the body is not JSON at all, as Flask does)."""
        if e is None:
            return super().on_json_loading_failed(e)
        if isinstance(e, JSONTooDeep):
            raise BadRequest(str(e))
        raise BadRequest(f"The request body is not valid JSON: {e}.")


def has_surrogate(text: str) -> bool:
    """True if text holds a lone UTF-16 surrogate, which cannot be encoded as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _shown(name: str) -> str:
    """A field name fit to print back: NUL and surrogates written as escapes."""
    return "".join(f"\\u{ord(c):04x}" if c == NUL or "\ud800" <= c <= "\udfff" else c for c in name)


def _strings(value: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Every (dotted name, text) in a JSON value: keys are named by themselves, values by their path."""
    stack = [(prefix, value)]
    while stack:
        name, item = stack.pop()
        if isinstance(item, str):
            yield name or "_", item
        elif isinstance(item, dict | list):
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in pairs:
                path = f"{name}.{key}" if name else str(key)
                if isinstance(key, str):
                    yield path, key
                stack.append((path, child))


def _refuse_bad_text(pairs: Iterator[tuple[str, str]], error: type[DomainError] = InvalidInput) -> None:
    """Raise error naming every field whose name or text holds a NUL character or a lone surrogate."""
    fields: dict[str, list[str]] = {}
    for name, text in pairs:
        if NUL in text:
            fields.setdefault(_shown(name), []).append(NUL_MESSAGE)
        elif has_surrogate(text):
            fields.setdefault(_shown(name), []).append(SURROGATE_MESSAGE)
    if fields:
        messages = {message for found in fields.values() for message in found}
        raise error(" ".join(sorted(messages)), fields={k: sorted(set(v)) for k, v in fields.items()})


def _pairs(items: Iterator[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    for key, value in items:
        yield key, key
        yield key, value


def raw_body(view: Callable) -> Callable:
    """Mark a view that verifies and parses its own body (a signed webhook); the guard leaves it alone."""
    view.raw_body = True  # type: ignore[attr-defined]
    return view


def _reads_own_body() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "raw_body", False))


class BadHeader(DomainError):
    """A request header that no client following HTTP sends."""


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
INVALID_TEXT = _t("Text must be valid Unicode: it holds a NUL character or bytes that are not UTF-8.")


def _decoded_pairs(raw: bytes) -> list[tuple[str, str]]:
    """The name/value pairs of a query string or form body, bytes that are not UTF-8 kept visible.

    Werkzeug keeps such bytes as literal "%ED%A0%80" text, which would be stored as if typed; decoded with
    surrogateescape they become lone surrogates, which the text check refuses.
    """
    text = raw.decode("utf-8", "surrogateescape")
    return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="surrogateescape")


def _form_pairs() -> list[tuple[str, str]]:
    if request.mimetype == "application/x-www-form-urlencoded":
        return _decoded_pairs(request.get_data(cache=True))
    files = [(key, upload.filename or "") for key, upload in request.files.items(multi=True)]
    return [*request.form.items(multi=True), *files]


def guard_request() -> None:
    """Refuse, before the view runs, text no field accepts and JSON nested too deeply.

    A form's values are not refused here but beside their fields, by the form (pledgebank.web.form_base);
    a request that still holds such text cannot commit (refuse_unshown_text). Ids in the path are bounded by
    the URL converter (pledgebank.web.converters).
    """
    if NUL in request.path:
        raise NotFound()
    _refuse_bad_text(((name, value) for name, value in request.headers.items() if NUL in value), BadHeader)
    _refuse_bad_text(_pairs(iter(_decoded_pairs(request.query_string))))
    if request.mimetype in FORM_TYPES:
        pairs = _form_pairs()
        _refuse_bad_text((name, name) for name, _value in pairs)  # a name has no field to show it beside
        g.refused_fields = _bad_text_fields(pairs)
    elif request.is_json and not _reads_own_body() and request.get_data(cache=True):
        _refuse_bad_text(_strings(request.get_json()))


def _bad_text_fields(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    try:
        _refuse_bad_text(iter(pairs))
    except InvalidInput as error:
        return error.fields
    return {}


def refused_fields() -> dict[str, list[str]]:
    """The submitted form's fields whose text no field accepts, with the reason, by field name."""
    return g.get("refused_fields") or {}


def refuse_unshown_text() -> None:
    """Raise InvalidInput if the request's form holds text no field accepts (called before committing)."""
    fields = refused_fields()
    if fields:
        raise InvalidInput(INVALID_TEXT, fields=fields)


def uploaded_text(data: bytes, *, field: str, kind: str = "plain text") -> str:
    """An uploaded text file's content: UTF-8 without NUL characters, or InvalidInput naming the field."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput.field(
            field, _t("Save the file as %(kind)s in UTF-8 and upload it again.", kind=kind)
        ) from None
    if NUL in text:
        line = text.count("\n", 0, text.index(NUL)) + 1
        raise InvalidInput.field(
            field,
            _t(
                "Line %(line)s of the file holds a NUL character; save it as %(kind)s and upload it again.",
                line=line,
                kind=kind,
            ),
        )
    return text


def init_app(app: Flask) -> None:
    """Read JSON through the depth check and run the text check before every view."""
    app.json = GuardedJSONProvider(app)
    app.request_class = GuardedRequest
    app.before_request(guard_request)
