"""The generated book of every kind of transaction, in words: each kind has a description of its own (no raw
codes), the exports carry it as narration, and the public money page's figures add up to each fund's balance
through closed years, transfers between funds and reversals."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

from sqlalchemy import select

from pledgebank.books.describe import describe, item_of
from pledgebank.books.models import Book, LedgerTransaction
from pledgebank.books.queries import fund_balances
from pledgebank.cli import main
from pledgebank.db import unit_of_work
from pledgebank.ledger.kinds import KINDS

CODES = re.compile(r"\b[a-z]+_[a-z_]+\b|\w+=\w+")


def test_every_kind_of_transaction_is_described_in_words(shared_app):
    with unit_of_work(shared_app.extensions["pledgebank.sessions"]) as session:
        book = session.scalars(select(Book)).one()
        rows = list(session.scalars(select(LedgerTransaction).where(LedgerTransaction.book_id == book.id)))
        sequences = {row.id: row.sequence for row in rows}
        words = describe(session, book, [item_of(row, sequences.get(row.reverses_id)) for row in rows])
    by_kind: dict[str, set[str]] = {}
    for row in rows:
        text = words[row.sequence].text
        assert text and not CODES.search(text) and text != row.memo, (row.kind, text)
        by_kind.setdefault(row.kind, set()).add(re.sub(r"#\d+", "#", text))
    assert set(by_kind) >= set(KINDS)
    firsts = {kind: sorted(texts)[0] for kind, texts in by_kind.items()}
    assert len(set(firsts.values())) == len(firsts), firsts  # no two kinds read alike
    assert any(text.startswith("Correction of #") for text in by_kind["reversal"])
    assert by_kind["year_closed"] == {"Year closed to 31 March 2025"}


def test_the_exports_narrate_each_transaction_in_words(shared_app, tmp_path):
    runner = shared_app.test_cli_runner()
    for fmt in ("csv", "beancount", "hledger"):
        result = runner.invoke(main, ["export", "--format", fmt, "--output", str(tmp_path / fmt)])
        assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO((tmp_path / "csv").read_text(encoding="utf-8-sig"))))
    assert all(row["description"] and not CODES.search(row["description"]) for row in rows)
    bean = (tmp_path / "beancount").read_text()
    assert re.search(r'^\d{4}-\d\d-\d\d \* "Year closed to 31 March 2025"', bean, re.M)
    assert '  memo: "year_closed through=2025-03-31"' in bean
    journal = (tmp_path / "hledger").read_text()
    assert re.search(r"^\d{4}-\d\d-\d\d \* \(\d+\) Transfer from ", journal, re.M)


def test_the_money_pages_figures_add_up_to_each_funds_balance(shared_app):
    with unit_of_work(shared_app.extensions["pledgebank.sessions"]) as session:
        book = session.scalars(select(Book)).one()
        balances = fund_balances(session, book)
        slug = book.slug
    client = shared_app.test_client()
    response = client.get(f"/n/{slug}/money.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    listed = sorted(int(n) for row in rows for n in row["transactions"].replace("#", "").split())
    assert len(listed) >= 1000
    sums: dict[str, Decimal] = {}
    for row in rows:
        sums[row["fund"]] = (
            sums.get(row["fund"], Decimal(0)) + Decimal(row["money_in"] or 0) - Decimal(row["money_out"] or 0)
        )
    assert {b.name: Decimal(b.net) / 100 for b in balances} == {
        name: total for name, total in sums.items() if name in {b.name for b in balances}
    }
    assert all(b.net for b in balances)
