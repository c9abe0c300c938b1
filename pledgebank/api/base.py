"""The flask-smorest Api, answering errors in the service's JSON error format."""

from __future__ import annotations

from typing import Any

import flask_smorest
import marshmallow as ma
from werkzeug.exceptions import HTTPException

from pledgebank.web.errors import handle_http_exception


class ErrorSchema(ma.Schema):
    """Every API error: a code, a sentence for people, and messages per field."""

    error = ma.fields.String(metadata={"description": "Machine-readable error code"})
    message = ma.fields.String(metadata={"description": "What went wrong, in words"})
    # The error body's member is named "fields", as marshmallow's Schema names its own attribute.
    fields = ma.fields.Dict(  # type: ignore[assignment]
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={"description": "Messages per invalid field"},
    )


class Api(flask_smorest.Api):
    """flask-smorest's Api with one error format for HTML and JSON alike."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error: HTTPException) -> Any:
        """Delegate to the service-wide error mapping."""
        return handle_http_exception(error)
