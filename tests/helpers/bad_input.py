"""Hostile values for every kind of field, and a fingerprint of the database to prove nothing was written."""

from __future__ import annotations

import hashlib

from sqlalchemy import inspect, text

MEGABYTE = 1_000_000

# What a person (or a script) may type into any form field. The lone surrogate cannot travel as UTF-8 text:
# FORM_SURROGATE is the byte sequence a careless encoder produces for U+D800, sent percent-encoded.
FORM_VALUES: dict[str, str] = {
    "empty": "",
    "1 MB": "7" * MEGABYTE,
    "negative": "-10",
    "over-precise": "10.505",
    "euros": "€10",
    "dollars": "$10",
    "arabic-indic digits": "\u0661\u0660",
    "mathematical digits": "\U0001d7cf\U0001d7ce",
    "superscript two": "\u00b2",
    "NUL": "a\x00b",
}
FORM_SURROGATE = "%ED%A0%80"

# What a JSON client may send in place of a field's value (json.dumps writes the lone surrogate as \ud800).
JSON_VALUES: dict[str, object] = {
    "wrong type: object": {"a": 1},
    "wrong type: list": [1],
    "wrong type: boolean": True,
    "2**63": 2**63,
    "-2**63 - 1": -(2**63) - 1,
    "negative": -1,
    "fraction": 10.5,
    "1 MB string": "7" * MEGABYTE,
    "NUL": "a\x00b",
    "lone surrogate": "\ud800",
    "far date": "99999-01-01",
}
DEPTH = 5_000


def deep_json(field: str) -> str:
    """A JSON object whose one field is nested DEPTH arrays deep."""
    return '{"' + field + '": ' + "[" * DEPTH + "]" * DEPTH + "}"


def database_state(app) -> dict[str, tuple[int, str]]:
    """Each table's row count and a digest of its rows: any insert, update or delete shows as a difference."""
    engine = app.extensions["pledgebank.engine"]
    state = {}
    with engine.connect() as connection:
        for name in sorted(inspect(connection).get_table_names()):
            rows = connection.execute(text(f'SELECT * FROM "{name}"')).all()  # noqa: S608 - our own table names
            digest = hashlib.sha256("\n".join(sorted(repr(tuple(row)) for row in rows)).encode()).hexdigest()
            state[name] = (len(rows), digest)
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    """The tables whose rows differ between two states."""
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
