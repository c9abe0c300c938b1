"""The open books of the demo neighbourhood, read by a visitor who is not signed in: every transaction in
words, no resident named, the figures adding up to each fund's balance, filters by fund and month, and a CSV
that no spreadsheet can take for formulas."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from pledgebank.accounts.models import User
from pledgebank.books.models import LedgerTransaction
from pledgebank.books.queries import fund_balances
from pledgebank.books.services import book_of
from pledgebank.books.treasurer_checks import DONATION, SUPPLIER_PAYMENT
from pledgebank.db import unit_of_work
from pledgebank.neighbourhoods.services import get_neighbourhood
from tests.factories.pledges import assert_books_ok
from tests.factories.seeded import TREASURER, seeded_copies
from tests.factories.treasurer import record, terms

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CODES = re.compile(r"\b[a-z]+_[a-z_]+\b|\w+=\w+")


@pytest.fixture(scope="module")
def copies(database_template, stripe_emulator, tmp_path_factory):
    """The seeded demo neighbourhood, made once for the module."""
    with seeded_copies(
        database_template, tmp_path_factory.mktemp("money"), stripe_emulator, MONEY_PAGE_SIZE=10
    ) as made:
        yield made


@pytest.fixture(scope="module")
def demo(copies):
    """One copy to read (nothing here changes it)."""
    return copies.app(), copies.seeded


def _csv(client, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def _pages(client, url: str) -> list[str]:
    """Every page of the transactions, following the Older links."""
    pages, next_url = [], url
    while next_url:
        response = client.get(next_url)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        pages.append(html)
        older = re.search(r'href="([^"]*before=\d+)">Older', html)
        next_url = older.group(1).replace("&amp;", "&") if older else None
    return pages


def _people(app, seeded) -> list[tuple[str, str]]:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        rows = session.execute(
            select(User.display_name, User.email).where(User.id.in_(seeded.people.values()))
        )
        return [(name, email) for name, email in rows]


def test_a_visitor_reads_every_transaction_in_words_and_no_resident_is_named(demo):
    app, seeded = demo
    client = app.test_client()
    pages = _pages(client, f"/n/{seeded.slug}/money")
    text = "".join(pages)
    rows = _csv(client, f"/n/{seeded.slug}/money.csv")
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        book = book_of(session, get_neighbourhood(session, seeded.slug).id)
        count = session.scalar(select(func.count()).where(LedgerTransaction.book_id == book.id))
    listed = {int(n) for row in rows for n in row["transactions"].replace("#", "").split()}
    assert listed == set(range(1, count + 1))
    assert len(pages) > 1  # the demo's book is longer than a page
    people = _people(app, seeded)
    assert len(people) >= 5
    everything = text + "".join(",".join(row.values()) for row in rows)
    for name, email in people:
        assert name not in everything and email not in everything, name
    for row in rows:
        assert row["description"] and not CODES.search(row["description"]), row["description"]
    words = " | ".join(row["description"] for row in rows)
    assert re.search(r"Pledge: Buy litter pickers — 1 person \N{MULTIPLICATION SIGN} £\d+\.\d\d", words), (
        words
    )
    litter = next(r for r in rows if r["description"].startswith("Pledge: Buy litter pickers — 1 person"))
    assert Decimal(litter["money_in"]) + Decimal(litter["card_fees"]) == Decimal(litter["description"][-5:])
    assert re.search(r"Levy: [^|]+ — \d+ households (charged|paid)", words), words
    assert re.search(r"Grant to [^|:]+: ", words) and "Grant paid to " in words, words
    assert "Donation (anonymous)" in words


def test_the_figures_of_each_fund_add_up_to_its_balance(demo):
    app, seeded = demo
    client = app.test_client()
    rows = _csv(client, f"/n/{seeded.slug}/money.csv")
    sums: dict[str, Decimal] = {}
    for row in rows:
        change = Decimal(row["money_in"] or "0") - Decimal(row["money_out"] or "0")
        sums[row["fund"]] = sums.get(row["fund"], Decimal(0)) + change
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        book = book_of(session, get_neighbourhood(session, seeded.slug).id)
        balances = fund_balances(session, book)
    assert any(b.net for b in balances)
    for balance in balances:
        assert sums.get(balance.name, Decimal(0)) == Decimal(balance.net) / 100, balance.name
        page = client.get(f"/n/{seeded.slug}/money/{balance.slug}").get_data(as_text=True)
        fund_rows = _csv(client, f"/n/{seeded.slug}/money.csv?fund={balance.slug}")
        assert {row["fund"] for row in fund_rows} <= {balance.name}
        total = sum(Decimal(r["money_in"] or "0") - Decimal(r["money_out"] or "0") for r in fund_rows)
        assert total == Decimal(balance.net) / 100
        assert f'data-fund-left="{balance.slug}">' in page


def test_the_filters_choose_a_fund_and_a_month(demo):
    app, seeded = demo
    client = app.test_client()
    rows = _csv(client, f"/n/{seeded.slug}/money.csv")
    month = rows[-1]["date"][:7]
    in_month = [r for r in rows if r["date"].startswith(month)]
    chosen = _csv(client, f"/n/{seeded.slug}/money.csv?month={month}")
    assert chosen and chosen == in_month
    general = client.get(f"/n/{seeded.slug}/money?fund=general&month={month}")
    assert general.status_code == 302
    assert general.headers["Location"].endswith(f"/n/{seeded.slug}/money/general?month={month}")
    page = client.get(general.headers["Location"]).get_data(as_text=True)
    assert "Money of General fund" in page
    assert set(re.findall(r'<td class="words">([^<]*)</td>', page)) <= {"General fund"}


@pytest.mark.parametrize("extra", ["_scheme=http", "_external=1", "_anchor=top", "_method=POST"])
def test_the_fund_filter_carries_no_link_building_options(demo, extra):
    app, seeded = demo
    response = app.test_client().get(f"/n/{seeded.slug}/money?fund=general&month=2026-11&{extra}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/n/{seeded.slug}/money/general?month=2026-11"


@pytest.mark.parametrize("month", ["2026-13", "November", "2026-1", "0001-01", "2026-11-01", "'; drop"])
def test_a_bad_month_is_shown_beside_the_field_and_nothing_is_listed(demo, month):
    app, seeded = demo
    client = app.test_client()
    response = client.get(f"/n/{seeded.slug}/money", query_string={"month": month})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="month-error"' in html and "Give a month like 2026-11." in html
    assert client.get(f"/n/{seeded.slug}/money.csv", query_string={"month": month}).status_code == 422


@pytest.mark.parametrize(
    "url",
    [
        "/n/{slug}/money/no-such-fund",
        "/n/{slug}/money?before=abc",
        "/n/{slug}/money/t/99999",
        "/n/nowhere/money",
    ],
)
def test_unknown_funds_pages_and_places_are_not_found(demo, url):
    app, seeded = demo
    assert app.test_client().get(url.format(slug=seeded.slug)).status_code == 404


def test_a_transaction_page_shows_its_words_fund_postings_and_seal(demo):
    app, seeded = demo
    client = app.test_client()
    rows = _csv(client, f"/n/{seeded.slug}/money.csv")
    grant = next(r for r in rows if r["description"].startswith("Grant to "))
    sequence = int(grant["transactions"].split()[0][1:])
    html = client.get(f"/n/{seeded.slug}/money/t/{sequence}").get_data(as_text=True)
    assert f"Transaction #{sequence}" in html and grant["description"] in html.replace("&#39;", "'")
    assert "Grants awarded" in html or "grants" in html.lower()
    assert re.search(r"Hash <code class=\"hash\">[0-9a-f]{64}</code>", html)
    assert grant["link"].endswith(f"/n/{seeded.slug}/grants#grant-{grant['link'].rsplit('-', 1)[1]}")
    grants = client.get(grant["link"]).get_data(as_text=True)
    assert f'id="grant-{grant["link"].rsplit("-", 1)[1]}"' in grants


HOSTILE = {
    "script": "<script>alert('x')</script>",
    "long": "Floccinaucinihilipilification" * 6,
    "rtl": "\u0645\u0631\u062d\u0628\u0627 \u202eevil",
    "formula": '=HYPERLINK("http://evil.example","x")',
}


def test_hostile_descriptions_render_safely_wrap_and_never_start_a_formula(copies):
    app, seeded = copies.app(), copies.seeded
    treasurer = seeded.people[TREASURER]
    record(
        app,
        treasurer,
        seeded.slug,
        terms(
            app,
            SUPPLIER_PAYMENT,
            amount=1_234,
            place="bank",
            payee=HOSTILE["script"],
            purpose=HOSTILE["long"],
            category="materials",
        ),
    )
    record(
        app,
        treasurer,
        seeded.slug,
        terms(
            app,
            SUPPLIER_PAYMENT,
            amount=99,
            place="bank",
            payee=HOSTILE["formula"],
            purpose=HOSTILE["rtl"],
            category="materials",
        ),
    )
    record(
        app,
        treasurer,
        seeded.slug,
        terms(app, DONATION, amount=500, place="cash", donor="@Evil Donor", donor_public=True),
    )
    record(
        app,
        treasurer,
        seeded.slug,
        terms(app, DONATION, amount=700, place="cash", donor="Secret Person", donor_public=False),
    )
    client = app.test_client()
    html = client.get(f"/n/{seeded.slug}/money").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert f'<td class="words"><a href="/n/{seeded.slug}/money/general"><bdi>Paid &lt;script&gt;' in html
    assert HOSTILE["long"] in html and "\u202eevil" in html
    assert "Donation from @Evil Donor" in html and "Secret Person" not in html
    css = client.get("/static/style.css").get_data(as_text=True)
    assert re.search(r"\.words[^{]*\{[^}]*overflow-wrap: anywhere", css)
    response = client.get(f"/n/{seeded.slug}/money.csv")
    cells = [value for row in csv.reader(io.StringIO(response.get_data(as_text=True))) for value in row]
    assert "Paid =HYPERLINK(" in "".join(cells)
    assert not [value for value in cells if value.startswith(FORMULA_STARTS)]
    assert_books_ok(app)


def test_transactions_are_listed_by_date_newest_first_with_back_dated_ones_in_their_place(copies):
    app, seeded = copies.app(), copies.seeded
    rows = _csv(app.test_client(), f"/n/{seeded.slug}/money.csv")
    dates = sorted({date.fromisoformat(row["date"]) for row in rows})
    back_dated = dates[len(dates) // 2]  # a day in the middle of the book's history
    record(
        app,
        seeded.people[TREASURER],
        seeded.slug,
        terms(app, DONATION, amount=321, place="cash", donor="Back Dated", donor_public=True, on=back_dated),
    )
    client = app.test_client()
    rows = _csv(client, f"/n/{seeded.slug}/money.csv")
    order = [(date.fromisoformat(row["date"]), int(row["transactions"].split()[0][1:])) for row in rows]
    assert order == sorted(order, reverse=True)
    late = next(row for row in rows if row["description"] == "Donation from Back Dated")
    assert late["date"] == back_dated.isoformat()
    pages = _pages(client, f"/n/{seeded.slug}/money")
    listed = [int(n) for html in pages for n in re.findall(r'aria-label="Transaction (\d+)"', html)]
    in_csv = [int(n[1:]) for row in rows for n in row["transactions"].split()]
    assert listed == in_csv
    assert len(listed) == len(set(listed))
