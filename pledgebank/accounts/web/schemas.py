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


class DataSectionSchema(ma.Schema):
    """One kind of record held about the person, with their rows (columns as stored, secrets left out)."""

    title = ma.fields.String(dump_only=True)
    rows = ma.fields.List(ma.fields.Dict(keys=ma.fields.String()), dump_only=True)


class PersonalDataSchema(ma.Schema):
    """Everything the service holds about the calling person (UK GDPR right of access)."""

    format = ma.fields.String(dump_only=True, metadata={"example": "pledgebank-personal-data/1"})
    user_id = ma.fields.Integer(dump_only=True)
    generated_at = ma.fields.String(dump_only=True, metadata={"description": "ISO 8601 date and time"})
    consents = ma.fields.List(ma.fields.Dict(), dump_only=True)
    consents_note = ma.fields.String(dump_only=True)
    sections = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Nested(DataSectionSchema),
        dump_only=True,
        metadata={"description": "By kind of record: profile, memberships, households, pledges_signed, ..."},
    )
