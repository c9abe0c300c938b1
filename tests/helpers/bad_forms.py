"""The HTML forms of the service as the bad-input suite sees them: who fills each in, where, its fields' kinds
and a valid submission, with the hostile values each kind of field is given in turn."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tests.factories.seeded import Seeded
from tests.helpers.bad_input import FORM_SURROGATE, FORM_VALUES, MEGABYTE

HUGE = str(2**63)
REGISTER_HEADER = b"address,band\n"


@dataclass(frozen=True)
class Form:
    """A form: who fills it in, the page it is on, where it posts, its fields' kinds, and valid values.

    hidden names the fields a browser sends from hidden inputs or the button pressed (nobody types them, but
    a forged request can send anything); suffix is what the page adds to the field's id where one page holds
    a form per row; prefix is what such a page puts before every field's name and id, the CSRF token's too.
    """

    name: str
    who: str | None
    page: str
    action: str
    kinds: dict[str, str]
    valid: dict[str, str | bytes]
    optional: frozenset[str] = field(default_factory=frozenset)
    success: tuple[int, ...] = (302,)
    hidden: frozenset[str] = field(default_factory=frozenset)
    suffix: str = ""
    prefix: str = ""
    writes: bool = True


NUMBER_VALUES = {
    label: FORM_VALUES[label]
    for label in (
        "negative",
        "over-precise",
        "euros",
        "dollars",
        "arabic-indic digits",
        "mathematical digits",
        "superscript two",
    )
}
# An uploaded file's hostile contents (and name).
FILE_VALUES: dict[str, bytes] = {
    "empty": b"",
    "1 MB": FORM_VALUES["1 MB"].encode(),
    "over 1 MB": REGISTER_HEADER + b"7" * (MEGABYTE + 50_000),
    "NUL": REGISTER_HEADER + b"4 Elm\x00 Road,C\n",
    "lone surrogate": REGISTER_HEADER + b"4 Elm \xed\xa0\x80 Road,C\n",
    "Latin-1": REGISTER_HEADER + b"4 Caf\xe9 Road,C\n",
    "not a band": REGISTER_HEADER + b"4 Elm Road,Z\n",
}
FILE_NAME_NUL = "register\x00.csv"


class Place:
    """Where the forms are, in the seeded neighbourhood (or placeholders, for naming the tests)."""

    def __init__(self, seeded: Seeded | None, reset_token: str = "reset-link") -> None:  # noqa: S107 - a placeholder
        self.seeded = seeded
        self.slug = seeded.slug if seeded else "elm-park"
        self.reset_token = reset_token

    def id(self, name: str) -> int:
        """A seeded row's id: a field of Seeded, or one of its tool rows by name."""
        if self.seeded is None:
            return 1
        return getattr(self.seeded, name) if hasattr(self.seeded, name) else self.seeded.tools[name]

    def key(self, name: str) -> str:
        """A seeded row's string id (a Stripe id, say), one of its tool rows by name."""
        return self.seeded.tools[name] if self.seeded else "pi_placeholder"

    def person(self, email: str) -> int:
        """A seeded person's user id."""
        return self.seeded.people[email] if self.seeded else 1


def bad_values(form: Form, name: str) -> dict[str, str | bytes]:
    """Hostile values for a field, by kind; 'empty' only where the field is required."""
    kind = form.kinds[name]
    if kind == "file":
        return {**FILE_VALUES, "name NUL": FILE_NAME_NUL}
    values: dict[str, str | bytes] = {
        "1 MB": FORM_VALUES["1 MB"],
        "NUL": FORM_VALUES["NUL"],
        "lone surrogate": FORM_SURROGATE,
    }
    if name not in form.optional:
        values["empty"] = ""
    if kind in ("money", "count"):
        values |= NUMBER_VALUES | {"2**63": HUGE}
    elif kind == "date":
        values |= {
            "no such day": "2026-02-30",
            "year 99999": "99999-01-01",
            "arabic-indic digits": "\u0662\u0660\u0662\u0666-\u0660\u0663-\u0661\u0660",
        }
    elif kind == "time":
        values |= {"hour 25": "25:00", "arabic-indic digits": "\u0661\u0668:\u0660\u0660"}
    elif kind == "choice":
        values |= {"not a choice": "other", "arabic-indic digits": "\u0661"}
    elif kind in ("ratio", "lines"):
        # The valid value's numbers, each replaced by a bad number.
        valid = str(form.valid[name])
        values |= {label: re.sub(r"\d+", value, valid) for label, value in NUMBER_VALUES.items()}
        values["2**63"] = re.sub(r"\d+", HUGE, valid)
    return values
