"""The per-account monthly totals: backfilled by their migration, checked by `ledger verify`."""

from __future__ import annotations

import dataclasses
from datetime import date

from sqlalchemy import text

from pledgebank.books.models import Book
from pledgebank.books.services import post
from pledgebank.books.verify import check_book
from pledgebank.cli import main
from pledgebank.db import unit_of_work
from pledgebank.exports.chart import fund_flows
from pledgebank.exports.monthly_flows import monthly_flows
from pledgebank.ledger import chart, rules
from pledgebank.migrate import downgrade, upgrade
from tests.helpers.ledger_sql import BANK, RECEIVABLES, gbp

TOTALS = "SELECT account_id, month, amount, closed, cash_debits, cash_credits FROM ledger_monthly_totals"


def totals(engine) -> list[tuple]:
    with engine.connect() as conn:
        return sorted(tuple(row) for row in conn.execute(text(TOTALS)))


def test_the_migration_backfills_the_totals_the_seals_kept(app, engine, ledger_book, database_url):
    kept = totals(engine)
    by_account = {(account_id, str(month)[:7]): row for account_id, month, *row in kept}
    # Cash received, a card payment, a payout and cash banked in January and February; the levy raised on
    # 28 February and its reversal on 2 March (no cash moved, so no cash debits or credits).
    assert by_account[(ledger_book.accounts[RECEIVABLES], "2026-02")] == [3_000, 0, 0, 0]
    assert by_account[(ledger_book.accounts[RECEIVABLES], "2026-03")] == [-3_000, 0, 0, 0]
    engine.dispose()
    downgrade(database_url, "-1")  # the migration before the totals
    upgrade(database_url)
    assert totals(engine) == kept


def test_verify_names_the_first_month_whose_totals_are_wrong(app, engine, ledger_book, sessions):
    assert app.test_cli_runner().invoke(main, ["ledger", "verify"]).exit_code == 0
    # The totals are kept by a trigger but are not sealed: a wrong one is found, not refused.
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE ledger_monthly_totals SET cash_debits = cash_debits + 1 WHERE account_id = :a"),
            {"a": ledger_book.accounts[RECEIVABLES]},
        )
        conn.execute(
            text("UPDATE ledger_monthly_totals SET amount = amount + 5 WHERE account_id = :a AND month > :m"),
            {"a": ledger_book.accounts[BANK], "m": date(2026, 1, 31)},
        )
    with sessions() as session:
        check = check_book(session, session.get(Book, ledger_book.book_id))
    monthly = [problem for problem in check.problems if problem.check == "monthly"]
    assert len(monthly) == 1
    assert monthly[0].message.startswith(f"{BANK} in 2026-02: monthly totals")
    result = app.test_cli_runner().invoke(main, ["ledger", "verify"])
    assert result.exit_code == 1, result.output
    assert f"{BANK} in 2026-02" in result.output


def test_the_chart_reads_the_postings_when_the_totals_cannot_stand_in(app, ledger_book, sessions, clock):
    """A transaction dated later in the chart's last month, or book-level receivables settled in the months
    shown, send the chart to the postings; its figures are the same either way."""
    since, until = date(2026, 1, 1), date(2026, 2, 20)
    with sessions() as session:
        book = session.get(Book, ledger_book.book_id)
        assert monthly_flows(session, book, since=since, until=date(2026, 3, 31)) is not None
        # The grant paid on 25 February is after the 20th: only the postings can leave it out.
        assert monthly_flows(session, book, since=since, until=until) is None
        chart_then = fund_flows(session, book, today=until, months=2)
        assert chart_then.panels[0].money_out == [0, 58]  # the card fee
        assert chart_then.panels[0].money_in == [12_000, 2_500]
    entry = rules.receivable_settled(
        amount=gbp(1_000),
        fund="general",
        income_source="levies",
        into=chart.BANK,
        key="book-level:1",
        on=date(2026, 3, 5),
        source={"charge": 1},
    )
    entry = dataclasses.replace(
        entry,
        postings=tuple(
            dataclasses.replace(p, account=chart.place_of(p.account) or p.account) for p in entry.postings
        ),
    )
    with unit_of_work(sessions) as session:
        post(session, book=session.get(Book, ledger_book.book_id), entry=entry, now=clock.now())
    with sessions() as session:
        book = session.get(Book, ledger_book.book_id)
        assert monthly_flows(session, book, since=since, until=date(2026, 3, 31)) is None
        chart_now = fund_flows(session, book, today=date(2026, 3, 31), months=3)
        assert chart_now.panels[0].money_in == [12_000, 2_500, 1_000]
        assert chart_now.panels[0].money_out == [0, 58 + 7_500, 0]
