"""The per-account monthly totals: backfilled by their migration, checked by `ledger verify`."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from pledgebank.books.models import Book
from pledgebank.books.verify import check_book
from pledgebank.cli import main
from pledgebank.migrate import downgrade, upgrade
from tests.integration.ledger.ledger_sql import BANK, RECEIVABLES

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
    downgrade(database_url, "0022")
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
