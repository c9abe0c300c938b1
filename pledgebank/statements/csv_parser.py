"""CSV statements, read through a column mapping saved per bank: which columns hold the date, the amount (or
money paid in and paid out), the description, the reference and the running balance, and the date format."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from pledgebank.statements.parsed import (
    ParsedLine,
    ParsedStatement,
    StatementProblem,
    check_day,
    check_lines,
    check_size,
    clean_text,
    signed_amount,
)

# The date formats a mapping may name, as people read them.
DATE_FORMATS: dict[str, str] = {
    "%d/%m/%Y": "31/12/2026",
    "%Y-%m-%d": "2026-12-31",
    "%d-%m-%Y": "31-12-2026",
    "%m/%d/%Y": "12/31/2026",
    "%d %b %Y": "31 Dec 2026",
    "%d/%m/%y": "31/12/26",
}


@dataclass(frozen=True, slots=True)
class Layout:
    """A bank's CSV columns, named by their headers; blank for a column the bank does not give."""

    date_column: str
    date_format: str
    description_column: str
    amount_column: str = ""
    paid_in_column: str = ""
    paid_out_column: str = ""
    reference_column: str = ""
    balance_column: str = ""

    def problems(self) -> dict[str, list[str]]:
        """What is wrong with the mapping itself, by field."""
        found: dict[str, list[str]] = {}
        if self.date_format not in DATE_FORMATS:
            found["date_format"] = ["Choose one of the date formats offered."]
        if not self.date_column.strip():
            found["date_column"] = ["Name the column that holds the date."]
        if not self.description_column.strip():
            found["description_column"] = ["Name the column that holds the description."]
        has_amount = bool(self.amount_column.strip())
        has_both = bool(self.paid_in_column.strip() and self.paid_out_column.strip())
        if has_amount == has_both:
            found["amount_column"] = [
                "Name either one amount column or both a paid-in and a paid-out column."
            ]
        return found

    def columns(self) -> dict[str, str]:
        """The named columns, by the mapping field that names them."""
        named = {
            "date_column": self.date_column,
            "description_column": self.description_column,
            "amount_column": self.amount_column,
            "paid_in_column": self.paid_in_column,
            "paid_out_column": self.paid_out_column,
            "reference_column": self.reference_column,
            "balance_column": self.balance_column,
        }
        return {name: column.strip() for name, column in named.items() if column.strip()}


def headers(data: bytes) -> list[str]:
    """The header row of a CSV file, for the mapping step; raises StatementProblem."""
    rows = csv.reader(io.StringIO(_text(data)))
    try:
        first = next(rows, [])
    except csv.Error as error:
        raise StatementProblem(f"Line 1 is not CSV: {error}.") from None
    if not [cell for cell in first if cell.strip()]:
        raise StatementProblem("The file has no header row naming its columns.")
    return [cell.strip() for cell in first]


def parse_csv(data: bytes, layout: Layout, currency: str) -> ParsedStatement:
    """Every line of a CSV statement; raises StatementProblem naming the line, or the mapping's field."""
    check_size(data)
    if problems := layout.problems():
        name, [message] = next(iter(problems.items()))
        raise StatementProblem(message, name)
    if b"\x00" in data:
        raise StatementProblem("The file holds a NUL byte: it is not a CSV statement.")
    reader = csv.reader(io.StringIO(_text(data)))
    try:
        header = [cell.strip() for cell in next(reader, [])]
        shown = ", ".join(repr(cell) for cell in header if cell)[:200]
        if not set(layout.columns().values()) & set(header):
            raise StatementProblem(
                f"The file's first line names none of the mapped columns (it has {shown or 'none'}): "
                "upload the bank's CSV export, or name its columns below."
            )
        index = {}
        for name, column in layout.columns().items():
            if column not in header:
                raise StatementProblem(f"The file has no column {column!r}; its columns are {shown}.", name)
            index[name] = header.index(column)
        statement = ParsedStatement("csv")
        for number, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            statement.lines.append(_line(row, index, layout, currency, f"line {number}"))
    except csv.Error as error:
        raise StatementProblem(f"Line {reader.line_num} is not CSV: {error}.") from None
    return check_lines(statement)


def _line(row: list[str], index: dict[str, int], layout: Layout, currency: str, where: str) -> ParsedLine:
    if len(row) < len(index) or max(index.values()) >= len(row):
        raise StatementProblem(f"{where.capitalize()} has {len(row)} columns; the header has more.")
    cell = {name: row[at].strip() for name, at in index.items()}
    try:
        day = datetime.strptime(cell["date_column"], layout.date_format).date()  # noqa: DTZ007 (a date only)
    except ValueError:
        example = DATE_FORMATS[layout.date_format]
        raise StatementProblem(
            f"The date on {where} ({cell['date_column'][:20]!r}) is not like {example}: "
            "check the date column and format of the mapping."
        ) from None
    if "amount_column" in cell:
        amount = signed_amount(cell["amount_column"], currency, where=where)
    else:
        paid_in, paid_out = cell["paid_in_column"], cell["paid_out_column"]
        if bool(paid_in) == bool(paid_out):
            raise StatementProblem(f"{where.capitalize()} must have either money paid in or paid out.")
        amount = (
            signed_amount(paid_in, currency, where=where)
            if paid_in
            else -abs(signed_amount(paid_out, currency, where=where))
        )
    balance = cell.get("balance_column")
    return ParsedLine(
        booked_on=check_day(day, where=where),
        amount=amount,
        description=clean_text(cell["description_column"], 300),
        reference=clean_text(cell.get("reference_column"), 120),
        balance=signed_amount(balance, currency, where=where) if balance else None,
    )


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise StatementProblem("The file is not text: upload the bank's CSV export.") from None


__all__ = ["DATE_FORMATS", "Layout", "headers", "parse_csv"]
