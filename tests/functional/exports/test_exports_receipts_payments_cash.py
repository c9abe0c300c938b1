"""The receipts-and-payments account is on a cash basis: its cash funds at each year end equal the bank, the
cash box and Stripe clearing, a grant counts when it is paid, and the downloads and the public chart agree."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

from odf.namespaces import OFFICENS
from odf.opendocument import load
from odf.table import Table, TableCell, TableRow
from sqlalchemy import select

from pledgebank.books.closing import close_year
from pledgebank.books.models import LedgerAccount
from pledgebank.books.services import book_of, post
from pledgebank.db import unit_of_work
from pledgebank.exports.chart import fund_flows
from pledgebank.ledger import chart
from pledgebank.ledger.legs import build_entry
from pledgebank.neighbourhoods.services import get_neighbourhood
from tests.factories.pledges import assert_books_ok
from tests.helpers.app import WHEN
from tests.helpers.cash_basis import gbp, place_across_a_year_end

CASH_PLACES = (chart.BANK, chart.CASH, chart.STRIPE_CLEARING)


def _csv(web, slug: str, year: int) -> list[list[str]]:
    response = web.get(f"/n/{slug}/statements/receipts-and-payments?year={year}&as=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def _figures(rows: list[list[str]]) -> tuple[str, str]:
    """This year's total payments and cash (or funds) at the end of the year, in the total column."""
    total = next(n for n, name in enumerate(rows[0]) if name.lower().startswith("total"))
    payments = next(row for row in rows if row[1] == "Total payments")
    closing = next(row for row in rows if "end of" in row[1] and row[1].endswith("year"))
    return payments[total], closing[total]


def _cash_held(sessions, slug: str) -> int:
    with unit_of_work(sessions) as session:
        book = book_of(session, get_neighbourhood(session, slug).id)
        codes = session.execute(
            select(LedgerAccount.code, LedgerAccount.balance).where(LedgerAccount.book_id == book.id)
        )
        return sum(balance for code, balance in codes if chart.place_of(code) in CASH_PLACES)


def test_cash_funds_equal_bank_cash_and_stripe_and_grants_count_when_paid(app, sessions, web):
    place = place_across_a_year_end(sessions)
    web.login("treasurer@example.org")
    first = _csv(web, place.slug, 2025)
    # £150 awarded but not paid and £30 held for an open pledge are still in the bank and the cash box.
    assert _figures(first) == ("9.70", "1520.30")
    second = _csv(web, place.slug, 2026)
    # The award cut from £150 to £110 and then paid: £110 went out, plus a 57p card fee.
    assert _figures(second) == ("110.57", "1429.73")
    assert _cash_held(sessions, place.slug) == 142_973
    lines = {(row[0], row[1]): row[2:] for row in second[1:]}
    assert lines[("A2 Payments", "Grants paid")] == ["110.00", "0.00", "0.00", "110.00", "0.00"]
    assert lines[("A1 Receipts", "Cash taken for pledges still open")] == [
        "0.00",
        "0.00",
        "0.00",
        "0.00",
        "30.00",
    ]
    # Unrestricted: £1,150 less £110; restricted (street trees): £340.30 + £30 + £19.43.
    end = lines[("A3 Cash funds", "Cash funds at the end of the year")]
    assert end == ["1040.00", "389.73", "0.00", "1429.73", "1520.30"]
    assert lines[("B1 Cash funds", "Total cash funds")] == ["1040.00", "389.73", "0.00", "1429.73", ""]
    first_lines = {(row[0], row[1]): row[2:] for row in first[1:]}
    assert first_lines[("B5 Liabilities", "Grants awarded, not yet paid")][3] == "150.00"
    assert first_lines[("B5 Liabilities", "Cash held for pledges still open")][3] == "30.00"
    trees = first_lines[("Restricted and endowment funds", "Street trees")]
    assert trees == ["0.00", "370.30", "0.00", "30.00", "340.30"]
    assert_books_ok(app)


def test_the_public_chart_shows_paid_grants_and_no_negative_payments(app, sessions):
    place = place_across_a_year_end(sessions)
    with unit_of_work(sessions) as session:
        book = book_of(session, get_neighbourhood(session, place.slug).id)
        flows = fund_flows(session, book, today=date(2026, 6, 30), months=15)
    general = next(panel for panel in flows.panels if panel.slug == "general")
    assert all(amount >= 0 for panel in flows.panels for amount in panel.money_out)
    months = [start.isoformat()[:7] for start in flows.months]
    assert general.money_out[months.index("2026-05")] == 11_000
    assert general.money_out[months.index("2025-09")] == 0
    assert_books_ok(app)


def _ods_rows(body: bytes) -> list[list[str]]:
    """Each row of the first sheet, read back with odfpy: amounts from their value, text from the cell."""
    document = load(io.BytesIO(body))
    sheet = document.spreadsheet.getElementsByType(Table)[0]
    rows = []
    for row in sheet.getElementsByType(TableRow):
        cells = []
        for cell in row.getElementsByType(TableCell):
            kind = cell.getAttrNS(OFFICENS, "value-type")
            if kind in ("currency", "float"):
                cells.append(cell.getAttrNS(OFFICENS, "value"))
            else:
                cells.append(str(cell))
        rows.append(cells)
    return rows


def test_the_csv_and_the_spreadsheet_hold_the_same_figures(app, sessions, web):
    place = place_across_a_year_end(sessions)
    web.login("treasurer@example.org")
    rows = _csv(web, place.slug, 2026)
    response = web.get(f"/n/{place.slug}/statements/receipts-and-payments?year=2026&as=ods")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.oasis.opendocument.spreadsheet"
    assert (
        'filename="elm-park-receipts-and-payments-2026-04-01.ods"' in response.headers["Content-Disposition"]
    )
    body = response.get_data()
    assert zipfile.ZipFile(io.BytesIO(body)).read("mimetype") == response.mimetype.encode()
    assert _ods_rows(body) == rows
    page = web.get(f"/n/{place.slug}/statements/receipts-and-payments?year=2026").get_data(as_text=True)
    assert "Section A: receipts and payments" in page
    assert "£1,429.73" in page and "£110.00" in page
    assert_books_ok(app)


def test_the_account_still_agrees_after_the_year_is_closed(app, sessions, web):
    place = place_across_a_year_end(sessions)
    web.login("treasurer@example.org")
    before = [_csv(web, place.slug, year) for year in (2025, 2026)]
    with unit_of_work(sessions) as session:
        book = book_of(session, get_neighbourhood(session, place.slug).id)
        close_year(
            session,
            actor_id=place.chair,
            book=book,
            through=date(2026, 3, 31),
            now=WHEN,
            today=date(2026, 4, 2),
        )
    after = [_csv(web, place.slug, year) for year in (2025, 2026)]
    assert after == before
    assert _figures(after[1]) == ("110.57", "1429.73")
    assert_books_ok(app)


def test_opening_balances_start_the_cash_funds_and_moves_between_funds_are_transfers(app, sessions, web):
    place = place_across_a_year_end(sessions)
    opening = build_entry(
        "opening_balances",
        [(chart.held_in(chart.BANK, "general"), gbp(50_000)), ("equity:general:balance", gbp(-50_000))],
        key="cb:opening",
        on=date(2025, 4, 1),
        source={},
        actor_id=None,
        memo="opening_balances",
    )
    moved = build_entry(
        "fund_transfer",
        [
            (chart.held_in(chart.BANK, "general"), gbp(-10_000)),
            ("equity:general:balance", gbp(10_000)),
            (chart.held_in(chart.BANK, "street-trees"), gbp(10_000)),
            ("equity:street-trees:balance", gbp(-10_000)),
        ],
        key="cb:moved",
        on=date(2026, 6, 1),
        source={},
        actor_id=None,
        memo="fund_transfer",
    )
    with unit_of_work(sessions) as session:
        book = book_of(session, get_neighbourhood(session, place.slug).id)
        for entry in (opening, moved):
            post(session, book=book, entry=entry, now=WHEN)
    web.login("treasurer@example.org")
    first = {(row[0], row[1]): row[2:] for row in _csv(web, place.slug, 2025)[1:]}
    assert first[("A3 Cash funds", "Cash funds at the start of the year")] == [
        "500.00",
        "0.00",
        "0.00",
        "500.00",
        "0.00",
    ]
    assert first[("A1 Receipts", "Total receipts")][3] == "1530.00"
    assert first[("A3 Cash funds", "Cash funds at the end of the year")][3] == "2020.30"
    second = {(row[0], row[1]): row[2:] for row in _csv(web, place.slug, 2026)[1:]}
    assert second[("A3 Cash funds", "Transfers between funds")] == [
        "-100.00",
        "100.00",
        "0.00",
        "0.00",
        "0.00",
    ]
    end = ["1440.00", "489.73", "0.00", "1929.73", "2020.30"]
    assert second[("A3 Cash funds", "Cash funds at the end of the year")] == end
    assert second[("B1 Cash funds", "Total cash funds")] == [*end[:4], ""]
    assert _cash_held(sessions, place.slug) == 192_973
    assert_books_ok(app)
