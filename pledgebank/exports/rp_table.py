"""The receipts-and-payments account as a table of rows, shared by the CSV and the spreadsheet downloads.

Each row is a section, a line and its amounts in minor units (None for an empty cell); a heading row names
the columns of the rows under it. The page shows the same lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pledgebank.exports.receipts_payments import Line, ReceiptsAndPayments

FUND_HEADING = ["Cash at start", "Cash at end", "Owed to the fund", "Owed by the fund", "Balance"]


@dataclass(frozen=True, slots=True)
class TableRow:
    """A row: its section, its line (or a heading), and its cells."""

    section: str
    label: str
    cells: Sequence[int | str | None]
    heading: bool = False


def _amounts(statement: ReceiptsAndPayments, line: Line, *, last_year: bool = True) -> list[int | None]:
    columns = [line.amounts.get(column, 0) for column, _name in statement.columns]
    return [*columns, line.total, line.last_year if last_year else None]


def table(statement: ReceiptsAndPayments) -> list[TableRow]:
    """Section A then section B, as CC16a lays them out, with a heading row before each block."""
    names = [name for _column, name in statement.columns]
    rows = [TableRow("Section", "Line", [*names, "Total this year", "Total last year"], heading=True)]

    def add(section: str, line: Line, *, last_year: bool = True) -> None:
        rows.append(TableRow(section, line.label, _amounts(statement, line, last_year=last_year)))

    section = "A1 Receipts"
    for line in statement.receipts:
        add(section, line)
    add(section, statement.total_line("receipts", "Total receipts", statement.receipts))
    section = "A2 Payments"
    for line in statement.payments:
        add(section, line)
    add(section, statement.total_line("payments", "Total payments", statement.payments))
    section = "A3 Cash funds"
    add(section, statement.net())
    add(section, statement.transfers)
    add(section, statement.opening)
    add(section, statement.closing)
    section = "B1 Cash funds"
    for line in statement.cash:
        add(section, line, last_year=False)
    add(section, statement.total_line("cash", "Total cash funds", statement.cash), last_year=False)
    for line in statement.assets:
        add("B2 Other monetary assets", line, last_year=False)
    for line in statement.liabilities:
        add("B5 Liabilities", line, last_year=False)
    if statement.funds:
        section = "Restricted and endowment funds"
        rows.append(TableRow(section, "Fund", list(FUND_HEADING), heading=True))
        for fund in statement.funds:
            cells = [fund.cash_start, fund.cash_end, fund.owed_to, fund.owes, fund.balance]
            rows.append(TableRow(section, fund.name, cells))
    return rows
