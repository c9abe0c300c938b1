"""Closing a financial year: each fund's income and expenses move into its fund balance, and the database then
refuses anything dated inside the closed year, on SQLite and PostgreSQL, however it is written."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from pledgebank.books import queries
from pledgebank.books.closing import YearAlreadyClosed, close_year, preview_close
from pledgebank.books.models import ClosedPeriod, LedgerAccount, LedgerTransaction
from pledgebank.books.services import PeriodClosed, book_by_slug, post
from pledgebank.cli import main
from pledgebank.db import unit_of_work
from pledgebank.errors import Forbidden, InvalidInput
from pledgebank.exports import statements
from pledgebank.ledger import chart, rules
from pledgebank.ledger.money import Money
from tests.factories.pledges import assert_books_ok
from tests.helpers.ledger_sql import (
    BANK,
    DAY,
    DONATIONS,
    PEOPLE,
    PG_ADMIN_URL,
    insert_transaction,
    load_book,
    seal,
    snapshot,
)

THROUGH = date(2026, 2, 28)  # after seven of the book's entries; its last (a reversal) is dated 2 March
CLOSED = "ledger: the period is closed"
GENERAL = chart.fund_balance("general")


def _user(sessions, role: str) -> int:
    with unit_of_work(sessions) as session:
        return session.execute(
            text("SELECT id FROM users WHERE email = :e"), {"e": PEOPLE[role]}
        ).scalar_one()


def _close(app, sessions, slug: str, through: date = THROUGH, role: str = "chair") -> ClosedPeriod:
    with unit_of_work(sessions) as session:
        return close_year(
            session,
            actor_id=_user(sessions, role),
            book=book_by_slug(session, slug),
            through=through,
            now=app.extensions["pledgebank.clock"].now(),
        )


def _balances(sessions) -> dict[str, int]:
    with unit_of_work(sessions) as session:
        return dict(session.execute(select(LedgerAccount.code, LedgerAccount.balance)).all())


def test_a_close_moves_each_funds_year_into_its_balance_and_the_books_still_verify(
    app, sessions, ledger_book
):
    with unit_of_work(sessions) as session:
        book = book_by_slug(session, ledger_book.slug)
        preview = preview_close(session, book=book, through=THROUGH)
        funds_before = queries.fund_balances(session, book)
    assert [(f.slug, f.income, f.expenses, f.surplus) for f in preview.funds] == [
        ("general", 12_000 + 2_500, 7_500 + 58, 6_942)
    ]
    assert preview.previous is None

    period = _close(app, sessions, ledger_book.slug)

    with unit_of_work(sessions) as session:
        book = book_by_slug(session, ledger_book.slug)
        closing = session.get(LedgerTransaction, period.transaction_id)
        assert (closing.kind, closing.effective_date, closing.sequence) == ("year_closed", THROUGH, 9)
        assert closing.idempotency_key == f"year-close:{ledger_book.slug}:2026-02-28"
        at_close = {
            line.account.code: line.balance for line in statements.trial_balance(session, book, THROUGH).lines
        }
        assert queries.fund_balances(session, book) == funds_before
    assert {code: amount for code, amount in at_close.items() if code.startswith(("income", "expenses"))} == {
        code: 0 for code in at_close if code.startswith(("income", "expenses"))
    }
    assert at_close[GENERAL] == -6_942  # a credit: the general fund's money, carried in its fund balance
    balances = _balances(sessions)
    assert balances[GENERAL] == -6_942
    assert balances[BANK] == 4_942  # money itself does not move
    assert sum(balances.values()) == 0
    assert_books_ok(app)
    verified = app.test_cli_runner().invoke(main, ["ledger", "verify"])
    assert verified.exit_code == 0, verified.output


def test_the_database_refuses_a_transaction_dated_inside_a_closed_period(app, sessions, engine, ledger_book):
    _close(app, sessions, ledger_book.slug)
    book = load_book(engine)
    before = snapshot(engine)
    for day in (THROUGH, THROUGH - timedelta(days=40)):
        with pytest.raises(IntegrityError, match=CLOSED), engine.begin() as conn:
            seal(conn, insert_transaction(conn, book, [(BANK, 100, "GBP"), (DONATIONS, -100, "GBP")], on=day))
    assert snapshot(engine) == before
    with engine.begin() as conn:  # the day after the close is open
        seal(conn, insert_transaction(conn, book, [(BANK, 100, "GBP"), (DONATIONS, -100, "GBP")], on=DAY))
    assert_books_ok(app)


def test_the_database_never_reopens_a_closed_period(app, sessions, engine, ledger_book):
    period = _close(app, sessions, ledger_book.slug)
    for statement in (
        "UPDATE closed_periods SET closed_through = '2026-01-31'",
        "DELETE FROM closed_periods",
        "INSERT INTO closed_periods (book_id, closed_through, closed_at) "
        "VALUES (:b, '2026-01-31', '2026-03-02 10:00:00')",
    ):
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(text(statement), {"b": ledger_book.book_id})
    with unit_of_work(sessions) as session:
        assert session.scalars(select(ClosedPeriod.closed_through)).all() == [THROUGH]
        assert session.get(ClosedPeriod, period.id).transaction_id is not None


def test_a_post_dated_in_a_closed_year_is_a_clear_error_and_writes_nothing(
    app, sessions, engine, ledger_book
):
    _close(app, sessions, ledger_book.slug)
    before = snapshot(engine)
    late = rules.cash_received(
        amount=Money(500, "GBP"),
        fund="general",
        income_source="donations",
        key="late:1",
        on=THROUGH - timedelta(days=3),
        source={"receipt": 99},
    )
    with pytest.raises(PeriodClosed) as refused, unit_of_work(sessions) as session:
        post(
            session,
            book=book_by_slug(session, ledger_book.slug),
            entry=late,
            now=app.extensions["pledgebank.clock"].now(),
        )
    assert refused.value.status == 422
    assert refused.value.fields == {"effective_date": [refused.value.message]}
    assert "closed up to 28 February 2026" in refused.value.message
    assert snapshot(engine) == before
    with unit_of_work(sessions) as session:  # posting an entry already in the book stays idempotent
        book = book_by_slug(session, ledger_book.slug)
        again = post(
            session,
            book=book,
            entry=rules.cash_received(
                amount=Money(12_000, "GBP"),
                fund="general",
                income_source="donations",
                key="t:cash:1",
                on=DAY - timedelta(days=30),
                source={"receipt": 1},
                actor_id=ledger_book.chair_id,
            ),
            now=app.extensions["pledgebank.clock"].now(),
        )
        assert not again.created


def test_closing_again_or_earlier_is_a_conflict_and_an_unfinished_year_cannot_close(
    app, sessions, ledger_book
):
    _close(app, sessions, ledger_book.slug)
    for through in (THROUGH, THROUGH - timedelta(days=31)):
        with pytest.raises(YearAlreadyClosed) as again:
            _close(app, sessions, ledger_book.slug, through)
        assert again.value.status == 409 and "through" in again.value.fields
    with pytest.raises(InvalidInput) as early:
        _close(app, sessions, ledger_book.slug, date(2026, 3, 2))
    assert list(early.value.fields) == ["through"]
    later = _close(app, sessions, ledger_book.slug, date(2026, 3, 1), role="treasurer")
    assert later.transaction_id is None  # nothing was dated in between: the period is only locked
    assert_books_ok(app)


@pytest.mark.parametrize("role", ["committee", "resident", "outsider"])
def test_only_the_chair_and_the_treasurer_close_a_year(app, sessions, ledger_book, role):
    with pytest.raises(Forbidden):
        _close(app, sessions, ledger_book.slug, role=role)
    with unit_of_work(sessions) as session:
        assert session.scalars(select(ClosedPeriod)).all() == []


def test_the_command_line_closes_a_year_once(app, ledger_book):
    runner = app.test_cli_runner()
    args = ["ledger", "close-year", "--book", ledger_book.slug, "--through", "2026-02-28"]
    closed = runner.invoke(main, [*args, "--by", PEOPLE["treasurer"]])
    assert closed.exit_code == 0, closed.output
    assert "general: 69.42 GBP moved to its fund balance" in closed.output
    assert f"closed {ledger_book.slug} through 2026-02-28" in closed.output
    again = runner.invoke(main, [*args, "--by", PEOPLE["treasurer"]])
    assert again.exit_code == 1
    assert "already closed through 28 February 2026" in again.output
    refused = runner.invoke(main, [*args, "--by", PEOPLE["committee"]])
    assert refused.exit_code == 1 and "permission" in refused.output
    assert runner.invoke(main, [*args, "--by", "nobody@example.org"]).exit_code == 2
    verified = runner.invoke(main, ["ledger", "verify"])
    assert verified.exit_code == 0, verified.output


@pytest.mark.skipif(not PG_ADMIN_URL, reason="needs PostgreSQL: SQLite lets one writer in at a time")
def test_a_transaction_waiting_to_seal_while_its_year_is_closed_is_refused(
    app, sessions, engine, ledger_book
):
    """The close commits between a transaction's insert and its seal: the seal sees the close and refuses."""
    book = load_book(engine)
    early = date(2026, 1, 20)
    with engine.connect() as conn:
        waiting = conn.begin()
        transaction_id = insert_transaction(
            conn, book, [(BANK, 100, "GBP"), (DONATIONS, -100, "GBP")], on=early
        )
        period = _close(app, sessions, ledger_book.slug, date(2026, 1, 30))
        assert period.transaction_id is None
        with pytest.raises(IntegrityError, match=CLOSED):
            seal(conn, transaction_id)
        waiting.rollback()
    assert_books_ok(app)
