"""Statements of the generated book agree with the ledger: the trial balance with the maintained balances and
with sums of the exported postings; the receipts-and-payments account's cash funds agree with the bank, cash
and Stripe clearing."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date

import pytest
from sqlalchemy import select

from pledgebank.books.models import LedgerAccount
from pledgebank.books.services import book_by_slug
from pledgebank.db import unit_of_work
from pledgebank.exports import receipts_payments, statements
from pledgebank.exports.cash_flows import is_cash
from pledgebank.exports.format_base import ExportRequest
from pledgebank.exports.formats import open_export
from pledgebank.exports.reader import Filters
from tests.helpers.environment import START


@pytest.fixture(scope="module")
def postings(shared_app) -> list[tuple[date, str, int]]:
    """Every posting of the book as (date, account code, amount), read back from a JSON Lines export."""
    with unit_of_work(shared_app.extensions["pledgebank.sessions"]) as session:
        export = open_export(
            session, "jsonl", ExportRequest(book_by_slug(session, "elm-park"), Filters(), START)
        )
        lines = [json.loads(line) for line in "".join(export.chunks).splitlines()]
    return [
        (date.fromisoformat(line["date"]), posting["account"], posting["minor"])
        for line in lines
        if line["type"] == "transaction"
        for posting in line["postings"]
    ]


def _sums(postings, since: date | None, until: date) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for day, account, amount in postings:
        if (since is None or day >= since) and day <= until:
            totals[account] += amount
    return totals


def test_the_trial_balance_agrees_with_the_maintained_balances_and_the_postings(shared_app, postings):
    with unit_of_work(shared_app.extensions["pledgebank.sessions"]) as session:
        book = book_by_slug(session, "elm-park")
        maintained = dict(session.execute(select(LedgerAccount.code, LedgerAccount.balance)).all())
        at_end = statements.trial_balance(session, book, date(2030, 1, 1))
        midway = statements.trial_balance(session, book, date(2025, 9, 14))
    assert {line.account.code: line.balance for line in at_end.lines} == maintained
    expected = _sums(postings, None, date(2025, 9, 14))
    assert {line.account.code: line.balance for line in midway.lines if line.balance} == {
        code: amount for code, amount in expected.items() if amount
    }
    debits, credits = midway.totals()["GBP"]
    assert debits == credits > 0


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_receipts_and_payments_agree_with_the_bank_cash_and_stripe_at_the_year_end(
    shared_app, postings, year
):
    start, end = statements.year_starting(year, "04-01")
    with unit_of_work(shared_app.extensions["pledgebank.sessions"]) as session:
        account = receipts_payments.receipts_and_payments(
            session, book_by_slug(session, "elm-park"), start=start, end=end
        )
    held = _sums(postings, None, end)
    cash = sum(amount for code, amount in held.items() if is_cash(code))
    assert account.closing.total == cash
    cash_funds = account.total_line("cash", "", account.cash)
    for column, _name in account.columns:
        expected = account.opening.amounts.get(column, 0) + account.net().amounts[column]
        assert account.closing.amounts.get(column, 0) == expected + account.transfers.amounts.get(column, 0)
        assert account.closing.amounts.get(column, 0) == cash_funds.amounts[column]
    assert all(line.total >= 0 for line in account.payments)
    assert account.closing.last_year == account.opening.total


def test_financial_years_run_from_the_configured_day():
    assert statements.year_starting(2025, "04-01") == (date(2025, 4, 1), date(2026, 3, 31))
    assert statements.year_of(date(2026, 3, 31), "04-01") == 2025
    assert statements.year_of(date(2026, 4, 1), "04-01") == 2026
    assert statements.year_starting(2026, "01-01") == (date(2026, 1, 1), date(2026, 12, 31))
