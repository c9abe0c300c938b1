"""`pledgebank ledger verify` on intact, tampered and demo books: exit codes and what it names."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from pledgebank.books.services import book_by_slug, post
from pledgebank.cli import main
from pledgebank.db import unit_of_work
from pledgebank.demo import seed
from tests.helpers.app import make_neighbourhood
from tests.helpers.ledger_sql import RECEIVABLES, standard_entries
from tests.helpers.ledger_tampering import run, tampering


def unseal(conn, book) -> None:
    """Delete the seal of sequence 3."""
    run(conn, "DELETE FROM ledger_seals WHERE transaction_id = :t", t=book.transactions[3])


def _verify(app, *args: str):
    return app.test_cli_runner().invoke(main, ["ledger", "verify", *args])


def test_cli_passes_an_intact_book_and_names_the_first_bad_sequence_after_a_tamper(app, engine, ledger_book):
    intact = _verify(app)
    assert intact.exit_code == 0, intact.output
    assert intact.output.startswith(f"ok    {ledger_book.slug}: 8 transactions")
    assert "1 book(s) checked, 0 failed" in intact.output
    with tampering(engine) as conn:
        run(
            conn,
            "UPDATE ledger_postings SET amount = amount + 1 WHERE transaction_id = :t AND line = 1",
            t=ledger_book.transactions[2],
        )
    broken = _verify(app)
    assert broken.exit_code == 1, broken.output
    assert f"FAIL  {ledger_book.slug}" in broken.output
    assert "first bad sequence 2" in broken.output
    assert "1 book(s) checked, 1 failed" in broken.output


def test_cli_checks_one_book_or_all_and_refuses_an_unknown_one(app, engine, ledger_book, sessions, clock):
    other = make_neighbourhood(sessions, ledger_book.chair_id, name="Oak Hill", district="SE22")
    with unit_of_work(sessions) as session:
        book = book_by_slug(session, other)
        for entry in standard_entries(ledger_book.chair_id)[:3]:
            post(session, book=book, entry=entry, now=clock.now())
    with tampering(engine) as conn:
        run(
            conn,
            "UPDATE ledger_accounts SET balance = balance + 1 WHERE id = :a",
            a=ledger_book.accounts[RECEIVABLES],
        )
    everything = _verify(app)
    assert everything.exit_code == 1
    assert f"ok    {other}: 3 transactions" in everything.output
    assert f"FAIL  {ledger_book.slug}" in everything.output
    assert f"not tied to a sequence: {RECEIVABLES}: maintained balance" in everything.output
    assert "2 book(s) checked, 1 failed" in everything.output
    assert _verify(app, "--book", other).exit_code == 0
    assert _verify(app, "--book", ledger_book.slug).exit_code == 1
    unknown = _verify(app, "--book", "nosuch")
    assert unknown.exit_code == 2
    assert "no book called 'nosuch'" in unknown.output


def test_cli_names_a_transaction_whose_seal_was_removed_for_good(app, engine, ledger_book):
    """The deferred key refuses an unsealed transaction at commit, so this tamper turns keys off first."""
    with pytest.raises(IntegrityError), tampering(engine) as conn:
        unseal(conn, ledger_book)
    assert _verify(app).exit_code == 0
    with tampering(engine, keys_off=True) as conn:
        unseal(conn, ledger_book)
    broken = _verify(app)
    assert broken.exit_code == 1, broken.output
    assert "first bad sequence 3: sequence 3: transaction is not sealed" in broken.output


def test_cli_passes_the_demo_data(app, engine, sessions, clock):
    with unit_of_work(sessions) as session:
        assert seed(session, at=clock.now(), currency="GBP")
    with engine.connect() as conn:
        posted = conn.execute(
            text(
                "SELECT count(*) FROM ledger_transactions t JOIN books b ON b.id = t.book_id "
                "WHERE b.slug = 'elm-park'"
            )
        ).scalar_one()
    assert posted > 0
    demo_only = _verify(app, "--book", "elm-park")
    assert demo_only.exit_code == 0, demo_only.output
    assert demo_only.output.startswith(f"ok    elm-park: {posted} transactions")
    everything = _verify(app)
    assert everything.exit_code == 0, everything.output
    assert "2 book(s) checked, 0 failed" in everything.output
