"""The ledger page reads its transactions by sequence (?before=N), counts them from the chain head, and asks
the authorisation policy once a page: the statements a view runs do not grow with the rows it shows."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import event

from pledgebank.books.services import book_by_slug, post
from pledgebank.books.web import views
from pledgebank.db import unit_of_work
from pledgebank.ledger import rules
from tests.helpers.ledger_sql import DAY, PEOPLE, gbp


@pytest.fixture
def three_a_page(monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 3)


def shown(html: str) -> list[int]:
    """The sequence numbers of the transactions on the page, in order."""
    return [int(n) for n in re.findall(r'<h3 id="tx-(\d+)"', html)]


def links(html: str) -> dict[str, str]:
    """The page's Newer and Older links."""
    return {
        name: href.replace("&amp;", "&")
        for href, name in re.findall(r'<a href="([^"]*)">(Newer|Older)</a>', html)
    }


def post_donations(sessions, slug: str, count: int, *, start: int, clock) -> None:
    with unit_of_work(sessions) as session:
        book = book_by_slug(session, slug)
        for n in range(start, start + count):
            entry = rules.cash_received(
                amount=gbp(100 + n),
                fund="general",
                income_source="donations",
                key=f"keyset:{n}",
                on=DAY + timedelta(days=1),
                source={"receipt": n},
            )
            post(session, book=book, entry=entry, now=clock.now())


def test_first_middle_and_last_pages_by_sequence(web, ledger_book, three_a_page):
    web.login(PEOPLE["treasurer"])
    url = f"/n/{ledger_book.slug}/ledger"
    first = web.get(url).get_data(as_text=True)
    assert "8 transactions, newest first." in first
    assert shown(first) == [8, 7, 6]
    assert links(first) == {"Older": f"{url}?before=6"}
    middle = web.get(f"{url}?before=6").get_data(as_text=True)
    assert shown(middle) == [5, 4, 3]
    assert "#5 to #3 of 8" in middle
    assert links(middle) == {"Newer": url, "Older": f"{url}?before=3"}
    last = web.get(f"{url}?before=3").get_data(as_text=True)
    assert shown(last) == [2, 1]
    assert links(last) == {"Newer": f"{url}?before=6"}
    # An old numbered link still finds its page.
    assert shown(web.get(f"{url}?page=2").get_data(as_text=True)) == [5, 4, 3]


def test_a_page_stays_put_when_new_transactions_are_posted(web, ledger_book, sessions, clock, three_a_page):
    web.login(PEOPLE["treasurer"])
    url = f"/n/{ledger_book.slug}/ledger"
    first = web.get(url).get_data(as_text=True)
    post_donations(sessions, ledger_book.slug, 2, start=1, clock=clock)
    older = web.get(links(first)["Older"]).get_data(as_text=True)
    assert shown(older) == [5, 4, 3]  # nothing seen twice, nothing skipped
    assert "10 transactions, newest first." in older
    assert shown(web.get(url).get_data(as_text=True)) == [10, 9, 8]


@pytest.mark.parametrize("before", ["0", "-1", "abc", "9223372036854775808"])
def test_a_bad_sequence_is_not_found(web, ledger_book, before):
    web.login(PEOPLE["treasurer"])
    assert web.get(f"/n/{ledger_book.slug}/ledger?before={before}").status_code == 404


def statements_for(app, web, url: str) -> list[str]:
    """The SQL statements one view of the page runs."""
    seen: list[str] = []
    engine = app.extensions["pledgebank.engine"]

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert web.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return seen


def test_the_statements_of_a_page_do_not_grow_with_its_rows(
    app, web, ledger_book, sessions, clock, monkeypatch
):
    post_donations(sessions, ledger_book.slug, 30, start=1, clock=clock)
    web.login(PEOPLE["treasurer"])
    url = f"/n/{ledger_book.slug}/ledger"
    counts = {}
    for per_page in (2, 20):
        monkeypatch.setattr(views, "PER_PAGE", per_page)
        statements = statements_for(app, web, url)
        assert len(re.findall(r'<h3 id="tx-', web.get(url).get_data(as_text=True))) == per_page
        counts[per_page] = statements
    assert len(counts[2]) == len(counts[20]), (len(counts[2]), len(counts[20]))
    # The policy is asked once for the page's links and once for the page itself, not once an action.
    assert sum("FROM memberships" in statement for statement in counts[20]) <= 2
    assert not any("count(" in statement.lower() for statement in counts[20])
