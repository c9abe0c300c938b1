"""A neighbourhood's public page costs what its funds and months cost, not what its postings do: the same
statements with five transactions as with hundreds, and its chart of money in and out drawn once for each
state of the book (its chain head), the day and the funds, then kept."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import event

from pledgebank.books.services import book_of, post
from pledgebank.db import unit_of_work
from pledgebank.ledger import rules
from pledgebank.neighbourhoods import services
from tests.factories.big_book import fill
from tests.helpers.app import WHEN
from tests.helpers.environment import START
from tests.helpers.export_pages import gbp, place_with_money

# Once the chart is drawn: the page language (its own short read), neighbourhood, funds, chain head ...
MOST_STATEMENTS = 10


def _statements(app, web, url: str) -> int:
    """How many statements one view of the page sends."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, _parameters, _context, _executemany):
        seen.append(statement)

    engine = app.extensions["pledgebank.engine"]
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = web.get(url)
        assert response.status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def _book_id(sessions, slug: str) -> int:
    with sessions() as session:
        return book_of(session, services.get_neighbourhood(session, slug).id).id


def test_the_public_page_sends_the_same_statements_with_many_postings_as_with_few(app, sessions, web):
    place = place_with_money(sessions)
    url = f"/n/{place.slug}"
    drawn = _statements(app, web, url)
    kept = _statements(app, web, url)
    fill(sessions, _book_id(sessions, place.slug), postings=600, until=START.date(), days=300, now=WHEN)
    assert _statements(app, web, url) == drawn  # a new chain head: drawn again, at the same cost
    assert _statements(app, web, url) == kept
    assert kept < drawn
    assert kept <= MOST_STATEMENTS


def _march_row(page: str) -> str:
    general = page[page.index("General fund: money in and out per month") :]
    return re.search(r"<tr><th scope=\"row\">March 2026</th>.*?</tr>", general).group(0)


def _received(page: str) -> str:
    return re.search(r"<dt>Received</dt><dd>([^<]+)</dd>", page).group(1)


def test_the_chart_and_the_headline_show_a_new_transaction_at_once(app, sessions, web):
    place = place_with_money(sessions)
    url = f"/n/{place.slug}"
    before = web.get(url).get_data(as_text=True)
    assert "£0.00</td><td" in _march_row(before)
    assert _received(before) == "£145.00"
    with unit_of_work(sessions) as session:
        book = book_of(session, services.get_neighbourhood(session, place.slug).id)
        gift = rules.cash_received(
            amount=gbp(123),
            fund="general",
            income_source="donations",
            key="gift:late",
            on=date(2026, 3, 2),
            source={"receipt": 9},
        )
        post(session, book=book, entry=gift, now=WHEN)
    after = web.get(url).get_data(as_text=True)
    assert '<td class="num">£1.23</td>' in _march_row(after)
    assert _received(after) == "£146.23"


def test_the_chart_moves_on_with_the_day(app, sessions, web, clock):
    place = place_with_money(sessions)
    url = f"/n/{place.slug}"
    assert "to March 2026" in web.get(url).get_data(as_text=True)
    clock.advance(timedelta(days=31))
    assert "to April 2026" in web.get(url).get_data(as_text=True)


def test_the_kept_chart_is_drawn_again_for_each_language(app, sessions, web):
    place = place_with_money(sessions)
    english = web.get(f"/n/{place.slug}?lang=en").get_data(as_text=True)
    welsh = web.get(f"/n/{place.slug}?lang=cy").get_data(as_text=True)
    assert "Money in and out" in english
    assert "Arian i mewn ac allan" not in english
    assert "Arian i mewn ac allan" in welsh
    assert "Money in and out per month" not in welsh
