"""The base of every HTML form."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask import current_app
from flask_babel import gettext
from flask_wtf import FlaskForm

from pledgebank import money_words
from pledgebank.web.i18n import locale_name
from pledgebank.web.input_guard import refused_fields


class MoneyText(str):
    """A label or description that names the currency ("Budget, in {name}"; see money_words.phrase), filled
    in with the configured CURRENCY, in the page's language, when the form is made (`-k MoneyText` puts it in
    the message catalogue)."""

    __slots__ = ()

    def filled(self) -> str:
        """The text in the page's language (the catalogue keeps the {name} placeholders), with the configured
        currency's words in that language."""
        return money_words.phrase(gettext(str.__str__(self)), current_app.config["CURRENCY"], locale_name())


class Form(FlaskForm):
    """A Flask-WTF form whose fields also refuse text no field accepts (a NUL, bytes that are not UTF-8),
    with the reason beside the field, and whose labels and descriptions name the configured currency."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self:
            if isinstance(field.label.text, MoneyText):
                field.label.text = field.label.text.filled()
            if isinstance(field.description, MoneyText):
                field.description = field.description.filled()

    def validate(self, extra_validators: dict[str, Sequence[Callable[..., Any]]] | None = None) -> bool:
        """Validate as usual, then mark every field the request guard found bad text in."""
        valid = super().validate(extra_validators)
        refused = refused_fields()
        for field in self:
            messages = refused.get(field.name)
            if messages:
                field.errors = [*field.errors, *messages]
                valid = False
        return valid
