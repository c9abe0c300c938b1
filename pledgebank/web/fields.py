"""Money, counts and dates as people type them, for every feature's forms: one strict parser each
(`pledgebank.inputs`), its message shown beside the field in the page's language (the parsers' sentences and
the field names given as `what` are marked with `_t`)."""

from __future__ import annotations

from datetime import date

from flask import has_app_context
from wtforms.validators import ValidationError

from pledgebank import inputs
from pledgebank.inputs import InputError
from pledgebank.text import _t
from pledgebank.web.i18n import locale_name


def _locale() -> str:
    """The page's locale, so a currency's name in a message is in the page's language."""
    return locale_name() if has_app_context() else "en_GB"


def form_money(text: str | None, currency: str, *, what: str, allow_zero: bool = False) -> int | None:
    """Money as typed, in minor units, by the one strict parser; None when blank."""
    try:
        return inputs.parse_money(text, currency, what=what, locale=_locale(), allow_zero=allow_zero)
    except InputError as error:
        raise ValidationError(error.message) from None


def form_count(text: str | None, *, what: str, **bounds: int) -> int | None:
    """A whole number as typed, within the field's bounds; None when blank."""
    try:
        return inputs.parse_count(text, what=what, **bounds)
    except InputError as error:
        raise ValidationError(error.message) from None


def form_date(text: str | None, *, what: str = _t("the date"), example: str = "2026-03-14") -> date | None:
    """A calendar date like 2026-03-14, within the years the service handles; None when blank."""
    try:
        return inputs.parse_date(text, what=what, example=example)
    except InputError as error:
        raise ValidationError(error.message) from None
