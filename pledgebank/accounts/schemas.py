"""API schemas for users."""

from __future__ import annotations

import marshmallow as ma


class UserSchema(ma.Schema):
    """The calling user."""

    id = ma.fields.Integer(dump_only=True)
    email = ma.fields.Email(dump_only=True)
    display_name = ma.fields.String(dump_only=True)
    email_verified = ma.fields.Boolean(dump_only=True, attribute="is_verified")
    created_at = ma.fields.AwareDateTime(dump_only=True)
