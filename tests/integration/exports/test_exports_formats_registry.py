"""The export-format registry: every format is written through it, recognised by its own sniffing and no other
format's, and read back by its reader (where it has one) to exactly the book's transactions; the command
line offers exactly the registry's formats."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from pledgebank.books.models import LedgerAccount, LedgerPosting, LedgerTransaction
from pledgebank.books.services import book_by_slug, post, reverse
from pledgebank.cli import main
from pledgebank.db import unit_of_work
from pledgebank.errors import InvalidInput
from pledgebank.exports import formats
from pledgebank.exports.exportfiles import Peek, UnreadableExport
from pledgebank.exports.format_base import ExportFormat, ExportRequest
from pledgebank.exports.reader import Filters
from pledgebank.ledger import rules
from pledgebank.ledger.money import Money
from tests.factories.grants import apply, clock_now, decide, declare, give_fund, make_round, reviewed, world


def _book_with_a_grant(app, sessions) -> str:
    """Money in, a grant awarded, a gift backdated before both (so journals reorder) and a reversal."""
    w = world(sessions)
    give_fund(app, w.slug, 100_000)
    grant = apply(app, make_round(app, w), w.residents[0], 20_000, group="Friends of Elm Park")
    reviewed(app, grant, w.members)
    declare(app, grant, w.chair)
    decide(app, grant, w.chair, "award")
    now = clock_now(app)
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        book = book_by_slug(session, w.slug)
        gift = rules.cash_received(
            amount=Money(1_234, "GBP"),
            fund="general",
            income_source="donations",
            key="backdated-gift",
            on=date(2026, 1, 15),
            source={"receipt": 7},
        )
        posted = post(session, book=book, entry=gift, now=now)
        reverse(
            session,
            book=book,
            transaction_id=posted.transaction.id,
            on=now.date(),
            actor_id=w.treasurer,
            reason_code="entered-twice",
            now=now,
        )
    return w.slug


def _written(app, slug: str, fmt: ExportFormat, folder: Path) -> Path:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        request = ExportRequest(book_by_slug(session, slug), Filters(), clock_now(app), zone="Europe/London")
        export = formats.open_export(session, fmt.name, request)
        assert export.media_type == fmt.media_type
        assert export.filename.endswith(f".{fmt.extension}")
        path = folder / export.filename
        path.write_text("".join(export.chunks), encoding="utf-8")
    return path


def _book_records(app, slug: str, *, sealed: bool) -> list[tuple]:
    """The book's transactions as a reader gives them: sequence, hash, sealed bytes, postings as shown."""
    t, p, a = LedgerTransaction, LedgerPosting, LedgerAccount
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        rows = session.execute(
            select(t.sequence, t.hash, t.canonical, a.code, p.amount, p.currency)
            .join(p, p.transaction_id == t.id)
            .join(a, a.id == p.account_id)
            .where(t.book_id == book_by_slug(session, slug).id)
            .order_by(t.sequence, p.line)
        ).all()
    records: dict[int, tuple] = {}
    for sequence, hash_, canonical, code, amount, currency in rows:
        _, _, _, shown = records.get(sequence, (sequence, None, None, ()))
        sealed_bytes = bytes(canonical) if sealed else None
        records[sequence] = (sequence, bytes(hash_), sealed_bytes, (*shown, (code, amount, currency)))
    return list(records.values())


def test_every_format_is_recognised_as_itself_and_read_back_to_the_books(app, sessions, tmp_path):
    slug = _book_with_a_grant(app, sessions)
    assert len(set(formats.names())) == len(formats.FORMATS) >= 5
    read_back = 0
    for fmt in formats.FORMATS:
        path = _written(app, slug, fmt, tmp_path)
        peek = Peek.of(path)
        assert [other.name for other in formats.FORMATS if other.sniff(peek)] == [fmt.name]
        assert formats.sniff(path)[0] is fmt
        if fmt.read is None:
            with pytest.raises(UnreadableExport, match="is not a PledgeBank ledger export"):
                formats.read_export(path)
            continue
        export = formats.read_export(path)
        records = [(r.sequence, r.hash, r.canonical, r.shown) for r in export.records()]
        expected = _book_records(app, slug, sealed=fmt.sealed)
        assert len(expected) == 4
        assert records == expected, fmt.name
        if export.header is not None:
            assert export.header["format"] == fmt.name
            assert export.trailer is not None
            assert (export.trailer["transactions"], export.trailer["last_sequence"]) == (4, 4)
        read_back += 1
    assert read_back == 4
    verified = app.test_cli_runner().invoke(main, ["ledger", "verify"])
    assert verified.exit_code == 0, verified.output


def test_a_file_of_no_format_is_refused(tmp_path):
    binary = tmp_path / "picture.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    text = tmp_path / "notes.txt"
    text.write_text("; a comment\n; pledgebank-export {not json\n2026-01-01 * nothing\n")
    for path in (binary, text):
        with pytest.raises(UnreadableExport, match=f"{path.name} is not a PledgeBank ledger export"):
            formats.read_export(path)


def test_the_command_line_offers_exactly_the_registered_formats(app):
    runner = app.test_cli_runner()
    shown = runner.invoke(main, ["export", "--help"])
    assert shown.exit_code == 0
    offered = re.search(r"--format \[([^\]]+)\]", " ".join(shown.output.split()))
    assert offered is not None, shown.output
    assert offered.group(1).replace(" ", "").split("|") == formats.names()
    unknown = runner.invoke(main, ["export", "--format", "xlsx"])
    assert unknown.exit_code == 2
    with pytest.raises(InvalidInput, match="There is no export format called 'xlsx'"):
        formats.get("xlsx")
