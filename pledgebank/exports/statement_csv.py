"""The statements as CSV: the same rows as the pages, amounts in major units, text cells kept as text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from pledgebank.exports.csv_format import cell
from pledgebank.exports.naming import major
from pledgebank.exports.receipts_payments import ReceiptsAndPayments
from pledgebank.exports.rp_table import table
from pledgebank.exports.statements import TrialBalance


def as_csv(rows: Iterable[list[str]]) -> str:
    """Rows as CSV text with a byte-order mark, so spreadsheets read it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()


def trial_balance_rows(statement: TrialBalance) -> list[list[str]]:
    """A row per account (debit or credit), then the totals per currency."""
    rows = [["account", "name", "type", "fund", "debit", "credit", "currency"]]
    for line in statement.lines:
        account = line.account
        rows.append(
            [
                cell(account.code),
                cell(account.name),
                account.type,
                cell(account.fund or ""),
                major(line.debit, account.currency) if line.debit else "",
                major(line.credit, account.currency) if line.credit else "",
                account.currency,
            ]
        )
    for currency, (debits, credits) in sorted(statement.totals().items()):
        rows.append(["total", "", "", "", major(debits, currency), major(credits, currency), currency])
    return rows


def _text(value: int | str | None, currency: str) -> str:
    if isinstance(value, str):
        return cell(value)
    return "" if value is None else major(value, currency)


def receipts_and_payments_rows(statement: ReceiptsAndPayments) -> list[list[str]]:
    """Section A then section B, as on the page: amounts in major units, one column per fund type."""
    rows = []
    for row in table(statement):
        cells = [_text(value, statement.currency) for value in row.cells]
        rows.append([cell(row.section), cell(row.label), *cells])
    return rows
