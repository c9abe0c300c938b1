"""`pledgebank statements import` and `reconcile` from a terminal: lines stored once, refusals named by
field with nothing stored, and the year end reconciled once its lines are settled."""

from __future__ import annotations

from pledgebank.cli import main
from tests.factories.grants import world
from tests.factories.pledges import assert_books_ok
from tests.factories.statements import (
    books_of_the_year,
    fixture,
    lines,
    settle_the_year,
    statement_of_the_year,
)

YEAR = ["--date-format", "%Y-%m-%d", "--amount-column", "Amount", "--reference-column", "Reference"]


def _run(app, *args: str):
    return app.test_cli_runner().invoke(main, ["statements", *args])


def test_a_statement_is_imported_once_and_the_year_reconciled(app, sessions, tmp_path):
    w = world(sessions)
    books_of_the_year(app, w.slug)
    path = tmp_path / "2025.csv"
    path.write_bytes(statement_of_the_year().data)
    who = ["--neighbourhood", w.slug, "--by", "treasurer@example.org"]
    first = _run(app, "import", str(path), *who, *YEAR, "--balance-column", "Balance")
    assert first.exit_code == 0, first.output
    assert "read 22 lines from 2025.csv: 22 new" in first.output
    again = _run(app, "import", str(path), *who, *YEAR, "--balance-column", "Balance")
    assert again.exit_code == 0 and len(lines(app, w.slug)) == 22

    early = _run(app, "reconcile", *who, "--on", "2025-12-31")
    assert early.exit_code == 1
    assert "on the statement only: 2025-01-28 SERVICE CHARGE -5.00 GBP" in early.output
    assert "pledgebank statements reconcile: on: The bank and the books do not agree yet" in early.output
    settle_the_year(app, w.treasurer, w.slug)
    done = _run(app, "reconcile", *who, "--on", "2025-12-31")
    assert done.exit_code == 0, done.output
    assert "statement balance 1614.12 GBP; books 1554.12 GBP" in done.output
    assert "in the books only: 2025-12-30 transaction 8 -60.00 GBP" in done.output
    assert "reconciled at 2025-12-31" in done.output
    assert_books_ok(app)


def test_a_refused_file_is_named_and_nothing_is_stored(app, sessions, tmp_path):
    w = world(sessions)
    path = tmp_path / "bad.csv"
    path.write_bytes(b"Date,Description,Amount\n2025-01-02,X,lots\n")
    result = _run(
        app, "import", str(path), "--neighbourhood", w.slug, "--by", "treasurer@example.org", *YEAR[:4]
    )
    assert result.exit_code == 1
    assert "pledgebank statements import: file: Enter the amount on line 2" in result.output
    euros = tmp_path / "euros.ofx"
    euros.write_bytes(fixture("statement.ofx").replace(b"<CURDEF>GBP", b"<CURDEF>EUR"))
    result = _run(app, "import", str(euros), "--neighbourhood", w.slug, "--by", "treasurer@example.org")
    assert result.exit_code == 1 and "currency: The statement is in EUR" in result.output
    result = _run(app, "import", str(euros), "--neighbourhood", w.slug, "--by", "resident0@example.org")
    assert result.exit_code == 1 and "You do not have permission to do that." in result.output
    assert lines(app, w.slug) == []
