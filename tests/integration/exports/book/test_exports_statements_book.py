"""Statements of the generated book agree with the ledger: the trial balance with the maintained balances and
with sums of the exported postings; receipts and payments add up per fund and to the net assets."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date

import pytest
from sqlalchemy import select

from pledgebank.books.models import LedgerAccount
from pledgebank.books.services import book_by_slug
from pledgebank.db import unit_of_work
from pledgebank.exports import statements
from pledgebank.exports.reader import Filters
from pledgebank.exports.service import open_export
from tests.conftest import START


@pytest.fixture(scope="module")
def postings(shared_app) -> list[tuple[date, str, int]]:
    """Every posting of the book as (date, account code, amount), read back from a JSON Lines export."""
    with unit_of_work(shared_app.extensions["pledgebank.sessions"]) as session:
        export = open_export(
            session,
            book=book_by_slug(session, "elm-park"),
            fmt="jsonl",
            filters=Filters(),
            actor_id=None,
            now=START,
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


def test_receipts_and_payments_add_up_for_each_fund_and_to_the_net_assets(shared_app, postings):
    start, end = statements.year_starting(2025, "04-01")
    assert (start, end) == (date(2025, 4, 1), date(2026, 3, 31))
    with unit_of_work(shared_app.extensions["pledgebank.sessions"]) as session:
        account = statements.receipts_and_payments(
            session, book_by_slug(session, "elm-park"), start=start, end=end
        )
    assert [slug for slug, _name in account.funds] == ["general", "playground-fund", "tree-planting"]
    during = _sums(postings, start, end)
    for row in account.receipts:
        for fund, amount in row.amounts.items():
            assert amount == -during.get(f"income:{fund}:{row.key}", 0)
    assert [row.key for row in account.receipts] == ["pledges", "levies", "sponsorship", "donations"]
    assert [row.key for row in account.payments] == ["grants", "fees"]
    for slug, _name in account.funds:
        assert account.closing[slug] == account.opening[slug] + account.net(slug)
        assert account.opening[slug] > 0
    assets = sum(line.balance for line in account.assets)
    liabilities = -sum(line.balance for line in account.liabilities)
    assert assets - liabilities == sum(account.closing.values())
    assert statements.year_of(date(2026, 3, 31), "04-01") == 2025
    assert statements.year_of(date(2026, 4, 1), "04-01") == 2026
    assert statements.year_starting(2026, "01-01") == (date(2026, 1, 1), date(2026, 12, 31))
