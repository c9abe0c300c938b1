"""The statements as CSV: the same rows as the pages, amounts in major units, text cells kept as text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from pledgebank.exports.csv_format import cell
from pledgebank.exports.naming import major
from pledgebank.exports.statements import ReceiptsAndPayments, TrialBalance


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


def receipts_and_payments_rows(statement: ReceiptsAndPayments) -> list[list[str]]:
    """Sections of rows with a column per fund and a total column, as on the page."""
    currency = statement.currency
    slugs = [slug for slug, _name in statement.funds]

    def money(amount: int) -> str:
        return major(amount, currency)

    def line(section: str, label: str, amounts: dict[str, int], total: int) -> list[str]:
        return [section, cell(label), *(money(amounts.get(slug, 0)) for slug in slugs), money(total)]

    rows = [["section", "line", *(cell(name) for _slug, name in statement.funds), "total"]]
    for row in statement.receipts:
        rows.append(line("receipts", row.label, row.amounts, row.total))
    totals = {slug: statement.total(statement.receipts, slug) for slug in slugs}
    rows.append(line("receipts", "Total receipts", totals, statement.total(statement.receipts)))
    for row in statement.payments:
        rows.append(line("payments", row.label, row.amounts, row.total))
    totals = {slug: statement.total(statement.payments, slug) for slug in slugs}
    rows.append(line("payments", "Total payments", totals, statement.total(statement.payments)))
    nets = {slug: statement.net(slug) for slug in slugs}
    rows.append(line("funds", "Net receipts (payments)", nets, statement.net()))
    rows.append(line("funds", "Funds at start of year", statement.opening, sum(statement.opening.values())))
    rows.append(line("funds", "Funds at end of year", statement.closing, sum(statement.closing.values())))
    for balance in statement.assets:
        rows.append(["assets", cell(balance.account.name), *([""] * len(slugs)), money(balance.balance)])
    for balance in statement.liabilities:
        rows.append(
            ["liabilities", cell(balance.account.name), *([""] * len(slugs)), money(-balance.balance)]
        )
    return rows
