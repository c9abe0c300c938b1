"""`pledgebank export` picks the book (or asks which), writes to standard output or a file, and an export is
recorded only once it has been streamed to the end; the next export names the head it follows."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from pledgebank.books.services import book_by_slug, post
from pledgebank.cli import main
from pledgebank.db import unit_of_work
from pledgebank.exports.format_base import ExportRequest
from pledgebank.exports.formats import open_export
from pledgebank.exports.models import LedgerExport
from pledgebank.exports.reader import Filters
from pledgebank.ledger import rules
from pledgebank.ledger.money import Money
from tests.factories.pledges import quick_user
from tests.helpers.app import WHEN, make_neighbourhood


def _receive(sessions, slug: str, count: int, start: int = 0) -> None:
    with unit_of_work(sessions) as session:
        book = book_by_slug(session, slug)
        for n in range(start, start + count):
            entry = rules.cash_received(
                amount=Money(100 + n, "GBP"),
                fund="general",
                income_source="donations",
                key=f"gift:{n}",
                on=date(2026, 3, 1),
                source={"receipt": n},
            )
            post(session, book=book, entry=entry, now=WHEN)


def _recorded(app) -> list[LedgerExport]:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return list(session.scalars(select(LedgerExport).order_by(LedgerExport.id)))


def test_the_book_is_chosen_or_asked_for(app, sessions):
    chair = quick_user(sessions, "chair@example.org", "Chair Person")
    elm = make_neighbourhood(sessions, chair, name="Elm Park")
    _receive(sessions, elm, 3)
    runner = app.test_cli_runner()
    alone = runner.invoke(main, ["export", "--format", "jsonl"])
    assert alone.exit_code == 0, alone.output
    lines = [json.loads(line) for line in alone.stdout.splitlines()]
    assert [line["type"] for line in lines] == [
        "header",
        "transaction",
        "transaction",
        "transaction",
        "trailer",
    ]
    assert "elm-park: sequences 1 to 3 (3 transactions) as jsonl" in alone.stderr

    make_neighbourhood(sessions, chair, name="Oak Hill")
    ambiguous = runner.invoke(main, ["export", "--format", "csv"])
    assert ambiguous.exit_code == 2
    assert "there are 2 books (elm-park, oak-hill): choose one with --book SLUG" in ambiguous.output
    chosen = runner.invoke(main, ["export", "--format", "csv", "--book", "oak-hill"])
    assert chosen.exit_code == 0
    assert chosen.stdout.splitlines() == [
        "\ufeffsequence,date,description,kind,memo,line,account,account_name,fund,amount,currency,source,hash,"
        "documents"
    ]
    unknown = runner.invoke(main, ["export", "--format", "csv", "--book", "nowhere"])
    assert unknown.exit_code == 2
    assert "there is no book called 'nowhere'" in unknown.output


def test_an_export_is_recorded_only_when_streamed_to_the_end(app, sessions):
    chair = quick_user(sessions, "chair@example.org", "Chair Person")
    slug = make_neighbourhood(sessions, chair, name="Elm Park")
    _receive(sessions, slug, 5)
    sessions_ = app.extensions["pledgebank.sessions"]
    with unit_of_work(sessions_) as session:
        export = open_export(
            session, "beancount", ExportRequest(book_by_slug(session, slug), Filters(), WHEN, actor_id=chair)
        )
        next(export.chunks)
        export.chunks.close()
    assert _recorded(app) == []

    with unit_of_work(sessions_) as session:
        export = open_export(
            session, "csv", ExportRequest(book_by_slug(session, slug), Filters(), WHEN, actor_id=chair)
        )
        "".join(export.chunks)
    [first] = _recorded(app)
    assert (first.format, first.first_sequence, first.last_sequence, first.transactions, first.postings) == (
        "csv",
        1,
        5,
        5,
        10,
    )
    assert first.made_by_id == chair

    _receive(sessions, slug, 2, start=5)
    with unit_of_work(sessions_) as session:
        export = open_export(session, "jsonl", ExportRequest(book_by_slug(session, slug), Filters(), WHEN))
        header = json.loads("".join(export.chunks).splitlines()[0])
    assert header["previous_export"] == {
        "id": first.id,
        "format": "csv",
        "made_at": WHEN.isoformat(),
        "last_sequence": 5,
        "head_hash": first.head_hash.hex(),
    }
    assert (header["first_sequence"], header["last_sequence"], header["complete"]) == (1, 7, True)
    assert len(_recorded(app)) == 2


@pytest.mark.postgres
def test_an_export_covers_the_chain_as_it_stood_when_it_began(app, sessions):
    chair = quick_user(sessions, "chair@example.org", "Chair Person")
    slug = make_neighbourhood(sessions, chair, name="Elm Park")
    _receive(sessions, slug, 4)
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        export = open_export(session, "jsonl", ExportRequest(book_by_slug(session, slug), Filters(), WHEN))
        _receive(sessions, slug, 3, start=4)
        lines = [json.loads(line) for line in "".join(export.chunks).splitlines()]
        count = session.scalar(select(func.count()).select_from(LedgerExport))
    assert [line["sequence"] for line in lines if line["type"] == "transaction"] == [1, 2, 3, 4]
    assert lines[-1]["last_sequence"] == lines[0]["book_head_sequence"] == 4
    assert count == 1
