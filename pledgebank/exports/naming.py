"""Names and numbers as accounting tools want them: account names for beancount and hledger, major units."""

from __future__ import annotations

import re

from pledgebank import money_words

_ROOTS = {
    "assets": "Assets",
    "liabilities": "Liabilities",
    "income": "Income",
    "expenses": "Expenses",
    "equity": "Equity",
}
_NOT_ALLOWED = re.compile(r"[^A-Za-z0-9-]")

# The account that carries balances brought forward into an export that starts at a date.
OPENING_BALANCES = "equity:opening-balances"


def tool_account(code: str) -> str:
    """Map an account code to a name beancount and hledger accept (assets:bank -> Assets:Bank).

    Each component after the root gets its first letter capitalised (anything but letters, digits and
    hyphens becomes a hyphen), so codes made of our slugs map back with `code_of`. Raises ValueError for a
    code whose root is not one of the five account types.
    """
    root, *rest = code.split(":")
    if root not in _ROOTS or not rest:
        raise ValueError(f"cannot name account {code!r} for accounting tools")
    parts = [_ROOTS[root]]
    for part in rest:
        cleaned = _NOT_ALLOWED.sub("-", part)
        if not cleaned or not cleaned[0].isalnum():
            cleaned = "X" + cleaned
        parts.append(cleaned[0].upper() + cleaned[1:])
    return ":".join(parts)


def code_of(name: str) -> str:
    """Map a tool account name back to our code (the inverse of `tool_account` for lowercase slug codes)."""
    root, *rest = name.split(":")
    return ":".join([root.lower(), *(part[0].lower() + part[1:] for part in rest)])


def one_line(text: str) -> str:
    """Text as a journal's description: on one line, with no comment or note separators (`;`, `|`).

    Every format's description is compared in this form, so a description reads the same in all of them.
    """
    return " ".join(text.replace(";", ",").replace("|", "/").split())


def major(amount: int, currency: str) -> str:
    """Minor units as a plain decimal string in major units (money_words.plain)."""
    return money_words.plain(amount, currency)
