"""The receipts-and-payments account as a table of rows, shared by the CSV and the spreadsheet downloads.

Each row is a section, a line and its amounts in minor units (None for an empty cell); a heading row names
the columns of the rows under it. The page shows the same lines.

Headings, sections and line labels are `_t` messages: compared and matched in English, shown (on the page, and
in a download as `str()` writes them) in the page's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pledgebank.exports.receipts_payments import Line, ReceiptsAndPayments
from pledgebank.text import _t

FUND_HEADING = [
    _t("Cash at start"),
    _t("Cash at end"),
    _t("Owed to the fund"),
    _t("Owed by the fund"),
    _t("Balance"),
]
FUNDS_SECTION = _t("Restricted and endowment funds")


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
    rows = [
        TableRow(
            _t("Section"), _t("Line"), [*names, _t("Total this year"), _t("Total last year")], heading=True
        )
    ]

    def add(section: str, line: Line, *, last_year: bool = True) -> None:
        rows.append(TableRow(section, line.label, _amounts(statement, line, last_year=last_year)))

    section = _t("A1 Receipts")
    for line in statement.receipts:
        add(section, line)
    add(section, statement.total_line("receipts", _t("Total receipts"), statement.receipts))
    section = _t("A2 Payments")
    for line in statement.payments:
        add(section, line)
    add(section, statement.total_line("payments", _t("Total payments"), statement.payments))
    section = _t("A3 Cash funds")
    add(section, statement.net())
    add(section, statement.transfers)
    add(section, statement.opening)
    add(section, statement.closing)
    section = _t("B1 Cash funds")
    for line in statement.cash:
        add(section, line, last_year=False)
    add(section, statement.total_line("cash", _t("Total cash funds"), statement.cash), last_year=False)
    for line in statement.assets:
        add(_t("B2 Other monetary assets"), line, last_year=False)
    for line in statement.liabilities:
        add(_t("B5 Liabilities"), line, last_year=False)
    if statement.funds:
        section = FUNDS_SECTION
        rows.append(TableRow(section, _t("Fund"), list(FUND_HEADING), heading=True))
        for fund in statement.funds:
            cells = [fund.cash_start, fund.cash_end, fund.owed_to, fund.owes, fund.balance]
            rows.append(TableRow(section, fund.name, cells))
    return rows
