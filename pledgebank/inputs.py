"""Strict parsers for what people type: money, whole numbers, dates and record ids.

Shared by the web forms, the API schemas and any text import, so that every path accepts the same things
and refuses the rest with a sentence naming the field. The sentences are `_t` messages: English where read
as text (the API, the command line), in the page's language where a form shows them, with `what` (the
field's name, itself marked with `_t` by the forms) translated inside them. Only ASCII digits count: other
scripts' digits and superscripts are refused rather than half-understood.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime
from typing import Any

from babel.numbers import get_currency_symbol

from pledgebank import money_words
from pledgebank.ledger.money import CURRENCY_EXPONENTS
from pledgebank.text import _t

# The most any single amount may be, in minor units (10,000,000.00 in major units). Far inside a signed 64-bit
# column, so sums of many such amounts cannot overflow either.
MAX_MONEY = 1_000_000_000

# The most people, households or reviews any count field may name.
MAX_COUNT = 1_000_000

# A budget, or a round's criteria, runs to at most this many lines.
MAX_LINES = 50

# Record ids are signed 64-bit integers in both databases.
MAX_ID = 2**63 - 1

# Lists are paged; no list is long enough to need more pages than this.
MAX_PAGE = 100_000

# Every date people give (deadlines, rounds, levy periods, payments) falls within these years.
FIRST_DATE = date(2000, 1, 1)
LAST_DATE = date(2100, 12, 31)
FIRST_MOMENT = datetime.combine(FIRST_DATE, datetime.min.time(), tzinfo=UTC)
LAST_MOMENT = datetime.combine(LAST_DATE, datetime.max.time(), tzinfo=UTC)

_MAX_TEXT = 40
_ASCII_NUMBER = re.compile(r"(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)?(?:\.(?P<fraction>[0-9]*))?")
_ASCII_COUNT = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+")
_DECIMAL_COMMA = re.compile(r"[0-9]+,[0-9]{1,2}")  # "10,50": a comma where a point belongs
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class InputError(ValueError):
    """Text that is not a valid value; the message is a sentence for the person who typed it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _foreign(text: str, currency: str, symbol: str) -> bool:
    """Whether the text names a currency other than ours (a sign such as $ or €, or a code such as USD)."""
    rest = text.replace(symbol, "") if symbol else text
    if any(unicodedata.category(char) == "Sc" for char in rest):
        return True
    codes = {word.upper() for word in re.findall(r"[A-Za-z]{3}", rest)}
    return any(code in CURRENCY_EXPONENTS and code != currency for code in codes)


def parse_money(
    text: str | None, currency: str, *, what: str, locale: str = "en_GB", allow_zero: bool = False
) -> int | None:
    """Money as typed ("10", "7.50", "1,200.50", the currency sign or not) in minor units; None if blank.

    Accepts ASCII digits, commas only between groups of three, at most the currency's minor digits after
    one point, and the currency's own symbol in front. Raises InputError naming `what` for anything else.
    """
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    words = money_words.name(currency, locale)
    symbol = get_currency_symbol(currency, locale=locale)
    shape = InputError(
        _t("Enter %(what)s as a number of %(words)s, like 10 or 7.50.", what=what, words=words)
    )
    if len(cleaned) > _MAX_TEXT:
        raise shape
    if _foreign(cleaned, currency, symbol):
        raise InputError(
            _t(
                "Enter %(what)s in %(words)s (%(symbol)s): other currencies are not accepted.",
                what=what,
                words=words,
                symbol=symbol,
            )
        )
    if cleaned.startswith("-"):
        raise InputError(_t("Enter %(what)s above zero.", what=what))
    if symbol and cleaned.startswith(symbol):
        cleaned = cleaned[len(symbol) :].lstrip(" ")
    match = _ASCII_NUMBER.fullmatch(cleaned)
    if _DECIMAL_COMMA.fullmatch(cleaned):
        point = cleaned.replace(",", ".")
        raise InputError(
            _t(
                "Enter %(what)s with a point, not a comma, before the decimal part, like %(point)s.",
                what=what,
                point=point,
            )
        )
    if not cleaned or match is None:
        raise shape
    whole, fraction = match["whole"], match["fraction"]
    exponent = CURRENCY_EXPONENTS[currency]
    if (fraction is not None and (not fraction or len(fraction) > exponent)) or not (whole or fraction):
        raise shape
    units = int((whole or "0").replace(",", "")) * 10**exponent
    if fraction:
        units += int(fraction.ljust(exponent, "0"))
    if units == 0 and not allow_zero:
        raise InputError(_t("Enter %(what)s above zero.", what=what))
    if units > MAX_MONEY:
        most = money_words.full(MAX_MONEY, currency, locale)
        raise InputError(_t("Enter %(what)s of at most %(most)s.", what=what, most=most))
    return units


def parse_count(
    text: str | None, *, what: str, minimum: int = 1, maximum: int = MAX_COUNT, example: int = 40
) -> int | None:
    """A whole number as typed ("40", "1,000"), within [minimum, maximum]; None when blank."""
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    if len(cleaned) > _MAX_TEXT or not _ASCII_COUNT.fullmatch(cleaned):
        raise InputError(
            _t("Enter %(what)s as a whole number, like %(example)s.", what=what, example=example)
        )
    value = int(cleaned.replace(",", ""))
    if not minimum <= value <= maximum:
        low, high = f"{minimum:,}", f"{maximum:,}"
        raise InputError(
            _t(
                "Enter %(what)s from %(minimum)s to %(maximum)s.",
                what=what,
                minimum=low,
                maximum=high,
            )
        )
    return value


def parse_id(text: str | None) -> int | None:
    """A record id written in ASCII digits, from 1 to the largest 64-bit id; None otherwise."""
    cleaned = text or ""
    if not cleaned.isascii() or not cleaned.isdigit() or len(cleaned) > 19:
        return None
    value = int(cleaned)
    return value if 1 <= value <= MAX_ID else None


def parse_page(text: str | None) -> int | None:
    """A page number from a link: 1 when absent, None when it is not a page from 1 to MAX_PAGE."""
    if text is None:
        return 1
    value = parse_id(text)
    return value if value is not None and value <= MAX_PAGE else None


def check_date(value: date, *, what: str) -> date:
    """The date, if it falls between FIRST_DATE and LAST_DATE; raises InputError naming `what` otherwise."""
    day = value.date() if isinstance(value, datetime) else value
    if not FIRST_DATE <= day <= LAST_DATE:
        first, last = f"{FIRST_DATE:%Y}", f"{LAST_DATE:%Y}"
        raise InputError(
            _t(
                "Enter %(what)s between %(first)s and %(last)s.",
                what=what,
                first=first,
                last=last,
            )
        )
    return value


def parse_date(text: str | None, *, what: str, example: str = "2026-03-14") -> date | None:
    """A calendar date written like 2026-03-14, between FIRST_DATE and LAST_DATE; None when blank."""
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    if not _ISO_DATE.fullmatch(cleaned):
        raise InputError(_t("Enter %(what)s like %(example)s.", what=what, example=example))
    try:
        day = date.fromisoformat(cleaned)
    except ValueError:
        raise InputError(_t("Enter %(what)s like %(example)s.", what=what, example=example)) from None
    return check_date(day, what=what)


def nested_deeper_than(value: Any, limit: int) -> bool:
    """True if the lists and objects of a parsed JSON value nest deeper than limit (walked, not recursed)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False
