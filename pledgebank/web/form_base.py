"""The base of every HTML form."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask_wtf import FlaskForm

from pledgebank.web.input_guard import refused_fields


class Form(FlaskForm):
    """A Flask-WTF form whose fields also refuse text no field accepts (a NUL, bytes that are not UTF-8),
    with the reason beside the field."""

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
