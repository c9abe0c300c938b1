"""Bounded marshmallow fields for request bodies, so the API refuses what the pages refuse and the OpenAPI
document states each bound (Range becomes minimum/maximum, Length maxLength or maxItems)."""

from __future__ import annotations

from datetime import date
from typing import Any

import marshmallow as ma

from pledgebank.inputs import (
    FIRST_DATE,
    LAST_DATE,
    MAX_COUNT,
    MAX_LINES,
    MAX_MONEY,
    MAX_PAGE,
    InputError,
    check_date,
)

MINOR = "In minor units of `currency` (pence for GBP)"
SLUG_LENGTH = 40
_YEARS = f"Between {FIRST_DATE.isoformat()} and {LAST_DATE.isoformat()}."


class Integer(ma.fields.Integer):
    """marshmallow's Integer, reading text only in ASCII digits (int() also reads other scripts' digits)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, str) and not value.isascii():
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class English(ma.fields.String):
    """Text the API answers with in English whatever the request's language: a translatable message
    (pledgebank.text) gives its English value, where marshmallow's String would translate it with str()."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else str.__str__(value) if isinstance(value, str) else str(value)


def _describe(metadata: dict[str, Any] | None, sentence: str) -> dict[str, Any]:
    metadata = dict(metadata or {})
    metadata["description"] = (
        f"{metadata['description']} {sentence}" if "description" in metadata else sentence
    )
    return metadata


def money(*, metadata: dict[str, Any] | None = None, **kwargs: Any) -> ma.fields.Integer:
    """An amount in minor units, from 1 to MAX_MONEY."""
    return Integer(
        strict=True,
        validate=ma.validate.Range(1, MAX_MONEY, error="Give an amount from {min} to {max} minor units."),
        metadata=metadata or {"description": MINOR},
        **kwargs,
    )


def count(*, minimum: int = 1, maximum: int = MAX_COUNT, **kwargs: Any) -> ma.fields.Integer:
    """A whole number from minimum to maximum."""
    return Integer(
        strict=True,
        validate=ma.validate.Range(minimum, maximum, error="Give a whole number from {min} to {max}."),
        **kwargs,
    )


def page(**kwargs: Any) -> ma.fields.Integer:
    """A page number from 1 to MAX_PAGE."""
    return Integer(
        validate=ma.validate.Range(1, MAX_PAGE, error="Give a page from {min} to {max}."), **kwargs
    )


def query_count(maximum: int, **kwargs: Any) -> ma.fields.Integer:
    """A number of results to return, from 1 to maximum."""
    return Integer(
        validate=ma.validate.Range(1, maximum, error="Give a whole number from {min} to {max}."), **kwargs
    )


def slug(**kwargs: Any) -> ma.fields.String:
    """The short name of a fund or neighbourhood."""
    return ma.fields.String(validate=ma.validate.Length(min=1, max=SLUG_LENGTH), **kwargs)


def lines(nested: type[ma.Schema], **kwargs: Any) -> ma.fields.List:
    """One to MAX_LINES items of a nested schema."""
    return ma.fields.List(
        ma.fields.Nested(nested),
        validate=ma.validate.Length(1, MAX_LINES, error="Give from {min} to {max} items."),
        **kwargs,
    )


def _in_years(value: date) -> None:
    try:
        check_date(value, what="a date")
    except InputError as error:
        raise ma.ValidationError(error.message) from None


def day(*, metadata: dict[str, Any] | None = None, **kwargs: Any) -> ma.fields.Date:
    """A calendar date between FIRST_DATE and LAST_DATE."""
    return ma.fields.Date(validate=_in_years, metadata=_describe(metadata, _YEARS), **kwargs)


def moment(*, metadata: dict[str, Any] | None = None, **kwargs: Any) -> ma.fields.AwareDateTime:
    """An instant with its offset, on a day between FIRST_DATE and LAST_DATE."""
    return ma.fields.AwareDateTime(validate=_in_years, metadata=_describe(metadata, _YEARS), **kwargs)
