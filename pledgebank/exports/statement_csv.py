"""The statements as CSV: the same rows as the pages, amounts in major units, text cells kept as text.

Headings and fixed labels are written in the language of the request making the file (`str()` of a `_t`
message translates; `cell` guards the words actually written); amounts and dates stay machine-plain.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from pledgebank.exports.csv_format import cell
from pledgebank.exports.naming import major
from pledgebank.exports.receipts_payments import ReceiptsAndPayments
from pledgebank.exports.rp_table import table
from pledgebank.exports.statements import TrialBalance
from pledgebank.text import _t

TRIAL_BALANCE_HEADING = (
    _t("account"),
    _t("name"),
    _t("type"),
    _t("fund"),
    _t("debit"),
    _t("credit"),
    _t("currency"),
)
TOTAL = _t("total")


def as_csv(rows: Iterable[list[str]]) -> str:
    """Rows as CSV text with a byte-order mark, so spreadsheets read it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()


def trial_balance_rows(statement: TrialBalance) -> list[list[str]]:
    """A row per account (debit or credit), then the totals per currency."""
    rows = [[str(heading) for heading in TRIAL_BALANCE_HEADING]]
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
        rows.append([str(TOTAL), "", "", "", major(debits, currency), major(credits, currency), currency])
    return rows


def _text(value: int | str | None, currency: str) -> str:
    if isinstance(value, str):
        return cell(str(value))
    return "" if value is None else major(value, currency)


def receipts_and_payments_rows(statement: ReceiptsAndPayments) -> list[list[str]]:
    """Section A then section B, as on the page: amounts in major units, one column per fund type."""
    rows = []
    for row in table(statement):
        cells = [_text(value, statement.currency) for value in row.cells]
        rows.append([cell(str(row.section)), cell(str(row.label)), *cells])
    return rows
