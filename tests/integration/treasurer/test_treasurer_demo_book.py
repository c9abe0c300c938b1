"""The demo book, loaded as `pledgebank demo` loads it, is a real set of accounts: a restricted fund for the
trees pledge, donations (one anonymous, one named), cash banked, last year's posters paid for, a supplier
payment for the playground fence approved by a second member, a bank charge and interest, a card payment
partly refunded through Stripe, and a closed previous year. Every year's receipts-and-payments account ends
with cash funds equal to the bank, the cash box and Stripe clearing, per fund type and in total; the books
verify; the exports pass the tools.

The demo is loaded twice: on today's clock, as the quick start runs it, and on 2 April, the second day of a
financial year, when most of the demo's history falls in the year it closes."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pledgebank import create_app, demo
from pledgebank.books.models import LedgerAccount, LedgerPosting, LedgerTransaction
from pledgebank.books.services import book_of, closed_through
from pledgebank.books.treasurer_models import TreasurerEntry
from pledgebank.cli import main
from pledgebank.clock import Clock, local_date
from pledgebank.db import unit_of_work
from pledgebank.exports import receipts_payments, statements
from pledgebank.exports.cash_flows import is_cash
from pledgebank.ledger import kinds
from pledgebank.neighbourhoods.models import Fund
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.pledges.models import Pledge
from pledgebank.statements import bank
from pledgebank.statements.models import LineState, StatementLine
from pledgebank.statements.reconciling import last_reconciliation, position
from tests.factories.pledges import assert_books_ok
from tests.helpers.app import with_stripe
from tests.helpers.ledger_sql import PG_ADMIN_URL, admin, pg_url

BEAN_CHECK = str(Path(sys.executable).parent / "bean-check")
YEAR_START = "04-01"
_copies = itertools.count(1)


@pytest.fixture(scope="module", params=["today", "2 April"])
def demo_app(request, database_template, stripe_emulator, tmp_path_factory):
    """An app on a copy of the migrated database with the demo loaded into it as the quick start loads it."""
    folder = tmp_path_factory.mktemp("demo-book")
    name = f"pbt_demo_book_{os.getpid()}_{next(_copies)}"
    if PG_ADMIN_URL:
        admin(f"CREATE DATABASE {name} TEMPLATE {database_template}")
        url = pg_url(name)
    else:
        shutil.copyfile(database_template, folder / "demo.sqlite3")
        url = f"sqlite:///{folder / 'demo.sqlite3'}"
    clock = Clock() if request.param == "today" else Clock(frozen_at=datetime(2026, 4, 2, 9, 0, tzinfo=UTC))
    settings = {
        "DATABASE_URL": url,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "MAIL_OUTBOX": str(folder / "outbox"),
        "DOCUMENT_DIR": str(folder / "documents"),
        "BASE_URL": "http://localhost",
        "CLOCK": clock,
        "DEMO": True,
        "PASSWORD_HASH_TIME_COST": 1,
        "PASSWORD_HASH_MEMORY_KIB": 1024,
    }
    app = create_app(with_stripe(settings, stripe_emulator))
    assert demo.load(app) is not None
    yield app
    app.extensions["pledgebank.engine"].dispose()
    if PG_ADMIN_URL:
        admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _today(app) -> date:
    return local_date(app.extensions["pledgebank.clock"].now(), app.config["TIMEZONE"])


def _book(session):
    return book_of(session, get_neighbourhood(session, demo.DEMO_SLUG).id)


def _held(session, book, end: date) -> dict[str, int]:
    """Per CC16a column, what the bank, the cash box and Stripe clearing hold at the end of `end`."""
    t, p, a = LedgerTransaction, LedgerPosting, LedgerAccount
    rows = session.execute(
        select(a.code, Fund.fund_type, func.sum(p.amount))
        .join(p, p.account_id == a.id)
        .join(t, t.id == p.transaction_id)
        .outerjoin(Fund, Fund.id == a.fund_id)
        .where(a.book_id == book.id, t.effective_date <= end)
        .group_by(a.code, Fund.fund_type)
    )
    held: dict[str, int] = {}
    for code, fund_type, total in rows:
        if is_cash(code):
            column = "unrestricted" if fund_type in (None, "designated") else fund_type
            held[column] = held.get(column, 0) + int(total)
    return held


def test_every_years_closing_cash_funds_equal_the_bank_cash_and_stripe_clearing(demo_app):
    with unit_of_work(demo_app.extensions["pledgebank.sessions"]) as session:
        book = _book(session)
        first, last = session.execute(
            select(
                func.min(LedgerTransaction.effective_date), func.max(LedgerTransaction.effective_date)
            ).where(LedgerTransaction.book_id == book.id)
        ).one()
        years = range(
            statements.year_of(first, YEAR_START),
            statements.year_of(max(last, _today(demo_app)), YEAR_START) + 1,
        )
        assert len(years) >= 2
        closing_before = None
        for year in years:
            start, end = statements.year_starting(year, YEAR_START)
            account = receipts_payments.receipts_and_payments(session, book, start=start, end=end)
            held = _held(session, book, end)
            assert account.closing.total == sum(held.values()) > 0, year
            for column, _name in account.columns:
                assert account.closing.amounts.get(column, 0) == held.get(column, 0), (year, column)
            assert account.total(account.cash) == account.closing.total
            if closing_before is not None:
                assert account.opening.total == closing_before
            closing_before = account.closing.total
            assert all(line.total >= 0 for line in account.payments)


def test_the_previous_year_is_closed_through_its_last_day(demo_app):
    year = statements.year_of(_today(demo_app), YEAR_START)
    _first, last_year_end = statements.year_starting(year - 1, YEAR_START)
    with unit_of_work(demo_app.extensions["pledgebank.sessions"]) as session:
        book = _book(session)
        assert closed_through(session, book.id) == last_year_end
        closing = session.scalars(
            select(LedgerTransaction).where(
                LedgerTransaction.book_id == book.id, LedgerTransaction.kind == kinds.YEAR_CLOSED
            )
        ).one()
        assert closing.effective_date == last_year_end
        # After the close, no income or expense is left standing in the closed year.
        t, p, a = LedgerTransaction, LedgerPosting, LedgerAccount
        left = session.execute(
            select(a.code, func.sum(p.amount))
            .join(p, p.account_id == a.id)
            .join(t, t.id == p.transaction_id)
            .where(a.book_id == book.id, a.type.in_(["income", "expense"]), t.effective_date <= last_year_end)
            .group_by(a.code)
        ).all()
        assert [code for code, total in left if total] == []


def test_the_demo_book_holds_the_treasurers_everyday_money(demo_app):
    year = statements.year_of(_today(demo_app), YEAR_START)
    this_year, _end = statements.year_starting(year, YEAR_START)
    last_year, _last_end = statements.year_starting(year - 1, YEAR_START)
    threshold = demo_app.config["GRANT_SECOND_APPROVAL_ABOVE"]
    with unit_of_work(demo_app.extensions["pledgebank.sessions"]) as session:
        book = _book(session)
        entries = list(session.scalars(select(TreasurerEntry).where(TreasurerEntry.book_id == book.id)))
        assert all(entry.status == "posted" and entry.transaction_id for entry in entries)
        by_kind: dict[str, list[TreasurerEntry]] = {}
        for entry in entries:
            by_kind.setdefault(entry.kind, []).append(entry)
        assert {"opening_balance", "donation", "cash_banked", "supplier_payment", "bank_charges"} <= set(
            by_kind
        )
        assert "bank_interest" in by_kind
        donors = sorted(entry.donor for entry in by_kind["donation"])
        assert donors[0] == "" and donors[-1]  # one anonymous, one named
        posters, fence = sorted(by_kind["supplier_payment"], key=lambda entry: entry.effective_date)
        assert posters.effective_date < this_year <= fence.effective_date
        assert (posters.category, posters.fund.slug, posters.amount <= threshold) == (
            "events",
            "general",
            True,
        )
        assert (fence.category, fence.fund.slug, fence.place) == ("repairs", "playground-fund", "bank")
        assert fence.amount > threshold and fence.approved_by_id not in (None, fence.recorded_by_id)
        assert {entry.effective_date < this_year for entry in entries} == {True, False}
        assert min(entry.effective_date for entry in entries) >= last_year
        trees = session.scalar(select(Pledge).where(Pledge.title == "Plant twenty street trees"))
        fund = session.get(Fund, trees.fund_id)
        assert (fund.name, fund.fund_type) == ("Street trees", "restricted")
        refunds = session.scalars(
            select(LedgerTransaction).where(
                LedgerTransaction.book_id == book.id, LedgerTransaction.kind == kinds.REFUND
            )
        ).all()
        assert len(refunds) == 1
        start, end = statements.year_starting(year, YEAR_START)
        account = receipts_payments.receipts_and_payments(session, book, start=start, end=end)
        payments = {line.key: line.total for line in account.payments}
        assert payments["repairs"] == fence.amount and payments["bank-charges"] > 0
        receipts = {line.key: line for line in account.receipts}
        assert receipts["donations"].amounts.get("restricted", 0) > 0
    assert_books_ok(demo_app)


def test_the_demo_books_beancount_export_passes_bean_check(demo_app, tmp_path):
    path = tmp_path / "demo.beancount"
    result = demo_app.test_cli_runner().invoke(
        main, ["export", "--format", "beancount", "--output", str(path)]
    )
    assert result.exit_code == 0, result.output
    # Its `document` directives name the supporting documents beside it, which bean-check opens.
    copied = demo_app.test_cli_runner().invoke(
        main, ["documents", "copy", "--book", demo.DEMO_SLUG, "--into", str(tmp_path)]
    )
    assert copied.exit_code == 0, copied.output
    checked = subprocess.run([BEAN_CHECK, str(path)], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "year_closed" in path.read_text() and '"refund"' in path.read_text()


def test_the_demo_books_hledger_export_passes_hledger_check_strict(demo_app, hledger, tmp_path):
    path = tmp_path / "demo.journal"
    result = demo_app.test_cli_runner().invoke(main, ["export", "--format", "hledger", "--output", str(path)])
    assert result.exit_code == 0, result.output
    checked = subprocess.run(
        [hledger, "-f", str(path), "check", "-s"], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_demo_cannot_be_loaded_twice(demo_app):
    with unit_of_work(demo_app.extensions["pledgebank.sessions"]) as session:
        before = session.scalar(select(func.count(LedgerTransaction.id)))
    assert demo.load(demo_app) is None
    with unit_of_work(demo_app.extensions["pledgebank.sessions"]) as session:
        assert session.scalar(select(func.count(LedgerTransaction.id))) == before


def test_the_demo_bank_statement_reconciles_at_the_closed_year_end(demo_app):
    with unit_of_work(demo_app.extensions["pledgebank.sessions"]) as session:
        book = _book(session)
        end = closed_through(session, book.id)
        saved = last_reconciliation(session, book.id, end)
        assert saved is not None and saved.reconciled_on == end
        assert saved.statement_balance == saved.ledger_balance == bank.balance_on(session, book.id, end)
        at_end = position(session, book, end)
        assert at_end.agrees and at_end.lines == [] and at_end.movements == []
        waiting = session.scalars(
            select(StatementLine.description).where(
                StatementLine.book_id == book.id, StatementLine.state == LineState.UNMATCHED
            )
        ).all()
        assert waiting == ["CREDIT INTEREST"]
