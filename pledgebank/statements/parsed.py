"""What every statement parser gives: the lines as the bank wrote them, in minor units, and the problems.

A parser refuses the whole file at its first problem, naming the line or the field, so nothing of a bad file
is stored. Amounts are read with the one strict money parser (`inputs.parse_money`), a sign allowed in front.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from pledgebank.errors import InvalidInput
from pledgebank.inputs import FIRST_DATE, LAST_DATE, InputError, parse_money

# The largest statement file accepted; a year of daily lines is far smaller.
MAX_BYTES = 2_000_000
# The most lines one statement may hold.
MAX_LINES = 20_000


class StatementProblem(InvalidInput):
    """A statement file that cannot be read as it stands; the message names the line or the field."""

    def __init__(self, message: str, field_name: str = "file") -> None:
        super().__init__(message, fields={field_name: [message]})


@dataclass(frozen=True, slots=True)
class ParsedLine:
    """One line: money in positive, money out negative; `balance` the running balance after it, if given."""

    booked_on: date
    amount: int
    description: str
    reference: str = ""
    balance: int | None = None


@dataclass(slots=True)
class ParsedStatement:
    """A whole file: its format, the account and currency it names (if it does), its lines in order."""

    format: str
    lines: list[ParsedLine] = field(default_factory=list)
    account: str | None = None
    currency: str | None = None
    closing_balance: int | None = None


def signed_amount(text: str, currency: str, *, where: str) -> int:
    """A signed amount such as "-12.50", "+1,200.00" or "7" in minor units; raises StatementProblem."""
    cleaned = (text or "").strip().replace("\u2212", "-")
    sign = -1 if cleaned.startswith("-") else 1
    cleaned = cleaned.lstrip("+-").strip()
    try:
        units = parse_money(cleaned, currency, what=f"the amount on {where}", allow_zero=True)
    except InputError as error:
        raise StatementProblem(f"{error.message} (found {text.strip()[:40]!r})") from None
    if units is None:
        raise StatementProblem(f"There is no amount on {where}.")
    return sign * units


def check_day(day: date, *, where: str) -> date:
    """A booking date inside the years the service accepts."""
    if not FIRST_DATE <= day <= LAST_DATE:
        raise StatementProblem(f"The date on {where} ({day.isoformat()}) is out of range.")
    return day


def clean_text(text: str | None, limit: int) -> str:
    """Text as stored: control characters and runs of spaces made single spaces, cut to the limit."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in (text or "")).split())[:limit]


def fingerprints(lines: list[ParsedLine]) -> list[str]:
    """One fingerprint per line, the same whichever file brings the line.

    With a running balance the line is told from its twins by the balance; without one, by how many identical
    lines came before it on that day in the file (the second £5.00 charge of a day is not the first again).
    """
    seen: Counter[tuple[object, ...]] = Counter()
    found = []
    for line in lines:
        base = (line.booked_on.isoformat(), line.amount, line.reference, line.description.casefold())
        if line.balance is not None:
            extra = f"balance={line.balance}"
        else:
            seen[base] += 1
            extra = f"occurrence={seen[base]}"
        text = "\x1f".join([*map(str, base), extra])
        found.append(hashlib.sha256(text.encode()).hexdigest())
    return found


def check_size(data: bytes) -> None:
    """Refuse an empty file or one above the size limit before reading it."""
    if not data:
        raise StatementProblem("The file is empty.")
    if len(data) > MAX_BYTES:
        raise StatementProblem(
            f"The file is {len(data):,} bytes; a statement may be at most {MAX_BYTES:,} bytes. "
            "Upload a shorter period."
        )


def check_lines(statement: ParsedStatement) -> ParsedStatement:
    """Refuse a statement without lines or with too many."""
    if not statement.lines:
        raise StatementProblem("The file holds no statement lines.")
    if len(statement.lines) > MAX_LINES:
        raise StatementProblem(f"The file holds more than {MAX_LINES:,} lines; upload a shorter period.")
    return statement
