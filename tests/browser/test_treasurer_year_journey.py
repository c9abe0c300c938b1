"""In a real browser, one book through a year end: the treasurer records a donation and a supplier payment
above the second-approval threshold, a committee member approves it from their own browser, the treasurer
refunds part of a card payment taken through Stripe, closes the year and downloads the receipts-and-payments
account, whose cash funds at the end of the year are what the trial balance shows in the bank, the cash box
and Stripe. Every page on the way is axe-clean at WCAG 2.2 AA; after the first page everything is reached by
following the app's own links and buttons."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from odf.namespaces import OFFICENS
from odf.opendocument import load
from odf.table import Table, TableCell, TableRow
from playwright.sync_api import expect

from pledgebank.clock import Clock, local_date
from pledgebank.exports.statements import year_of, year_starting
from tests.factories.pledges import assert_books_ok, balance, quick_user
from tests.helpers.app import PASSWORD, add_member, with_stripe
from tests.helpers.axe import assert_accessible
from tests.helpers.browser import AXE, TIMEOUT_MS
from tests.helpers.refunds import paid_pledge

pytestmark = pytest.mark.browser

CASH_PLACES = ("assets:bank", "assets:cash", "assets:stripe-clearing")
LONDON = ZoneInfo("Europe/London")
YEAR_START = "04-01"


def _year_now() -> tuple[date, date]:
    """The first and last days of the financial year we are in, by the real calendar."""
    today = local_date(datetime.now(UTC), "Europe/London")
    return year_starting(year_of(today, YEAR_START), YEAR_START)


def _day(day: date) -> str:
    """A date as the pages write it: 31 March 2027."""
    return day.strftime("%-d %B %Y")


@pytest.fixture
def clock() -> Clock:
    """The app's clock, frozen a few days before the real time but inside this financial year.

    The Stripe emulator dates a refund by the real clock, and the books date it as Stripe does, so the
    app's year must be the real one for the refund to fall in the year that is closed.
    """
    first, _last = _year_now()
    early = datetime.now(UTC) - timedelta(hours=74)
    return Clock(frozen_at=max(early, datetime.combine(first, time(12), tzinfo=LONDON).astimezone(UTC)))


@pytest.fixture
def app_config(app_config: dict, stripe_api: str) -> dict:
    """The browser's app, pointed at a freshly emptied emulator."""
    return with_stripe(app_config, stripe_api)


@pytest.fixture
def second_browser(browser, live_server: str):
    """A second person's browser: its own cookies, axe-core loaded into every page."""
    profile = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    profile.set_default_timeout(TIMEOUT_MS)
    profile.add_init_script(path=str(AXE))
    yield profile
    profile.close()


def _sign_in_and_open(page, address: str, place: str) -> None:
    """Sign in from the home page and follow the links to the neighbourhood's page."""
    page.goto("/")
    assert_accessible(page, "the home page")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in").click()
    assert_accessible(page, "the sign-in page")
    page.get_by_label("Email address").fill(address)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/neighbourhoods$"))
    assert_accessible(page, f"the neighbourhoods page of {address}")
    page.get_by_role("link", name=place, exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(place)
    assert_accessible(page, f"the neighbourhood page seen by {address}")


def _go(page, place: str, link: str, heading: str | re.Pattern) -> None:
    """Follow a link of the neighbourhood's menu and check the page it leads to."""
    page.get_by_role("navigation", name=place).get_by_role("link", name=link, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page, f"the {link} page")


def _pence(text: str) -> int:
    """An amount as the pages and downloads show it ("£1,234.56", "1234.56") in pence."""
    return int(Decimal(text.replace("£", "").replace(",", "").strip() or "0") * 100)


def _cash_in_trial_balance(page) -> dict[str, int]:
    """Bank, cash and Stripe clearing (each with every fund's share) from the trial balance on the page."""
    held = dict.fromkeys(CASH_PLACES, 0)
    table = page.get_by_role("table", name=re.compile("Balance of every account"))
    for row in table.locator("tbody tr").all():
        code = row.locator("code").inner_text()
        place = next((place for place in CASH_PLACES if code.startswith(place)), None)
        if place:
            debit, credit = (cell.inner_text() for cell in row.locator("td.num").all())
            held[place] += _pence(debit) - _pence(credit)
    return held


def _csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _ods_rows(path: Path) -> list[list[str]]:
    """The first sheet's rows: amounts from their value, text from the cell."""
    sheet = load(str(path)).spreadsheet.getElementsByType(Table)[0]
    rows = []
    for row in sheet.getElementsByType(TableRow):
        cells = []
        for cell in row.getElementsByType(TableCell):
            if cell.getAttrNS(OFFICENS, "value-type") in ("currency", "float"):
                cells.append(cell.getAttrNS(OFFICENS, "value"))
            else:
                cells.append(str(cell))
        rows.append(cells)
    return rows


def _this_year(rows: list[list[str]]) -> dict[tuple[str, str], int]:
    """(section, line) -> this year's total in pence, from the downloaded account."""
    total = rows[0].index("Total this year")
    amount = re.compile(r"-?£?[0-9,]*(\.[0-9]+)?")
    return {
        (row[0], row[1]): _pence(row[total])
        for row in rows[1:]
        if len(row) > total and amount.fullmatch(row[total].strip())
    }


def test_the_treasurer_keeps_the_books_through_a_year_end(page, second_browser, app, sessions, tmp_path):
    slug, _chair, (card_payment, _other) = paid_pledge(app, sessions)
    place = "Elm Park"
    treasurer = quick_user(sessions, "treasurer@example.org", "Tariq Treasurer")
    add_member(sessions, slug, treasurer, "treasurer")
    committee = quick_user(sessions, "committee@example.org", "Carla Committee")
    add_member(sessions, slug, committee, "committee")

    fees = balance(app, "expenses")
    assert fees > 0, "Stripe's fees on the two card payments are the only expenses so far"

    _sign_in_and_open(page, "treasurer@example.org", place)
    _go(page, place, "Ledger", re.compile("Ledger"))
    page.get_by_role("link", name="Record money").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record money")
    assert_accessible(page, "the record money page")

    page.get_by_label("Donation received").check()
    page.get_by_label("Amount", exact=True).fill("800.00")
    page.get_by_label("Bank", exact=True).check()
    page.get_by_label("Description").fill("Takings of the summer fair")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text("Recorded in the ledger.")).to_be_visible()
    assert_accessible(page, "the record money page after a donation")

    page.get_by_label("Payment to a supplier").check()
    page.get_by_label("Amount", exact=True).fill("600.00")
    page.get_by_label("Bank", exact=True).check()
    page.get_by_label("Description").fill("Fence panels for the playground")
    page.get_by_label("Paid to").fill("Lane Fencing Ltd")
    page.get_by_label("What the payment was for").fill("Twelve fence panels")
    page.get_by_label("Category", exact=False).select_option(label="Repairs")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text("It waits for a second committee member to approve it.")).to_be_visible()
    assert_accessible(page, "the record money page with a payment waiting")
    assert balance(app, "expenses") == fees

    approver = second_browser.new_page()
    _sign_in_and_open(approver, "committee@example.org", place)
    _go(approver, place, "Ledger", re.compile("Ledger"))
    expect(approver.get_by_text("1 payment waits for a second committee member")).to_be_visible()
    approver.get_by_role("link", name="See the payment waiting for approval").click()
    waiting = approver.get_by_role("region", name="Payments waiting for a second approver")
    expect(waiting).to_contain_text("£600.00 to Lane Fencing Ltd")
    assert_accessible(approver, "the payments waiting for approval")
    waiting.get_by_role("button", name="Approve this payment").click()
    expect(approver.get_by_text("Approved and recorded in the ledger.")).to_be_visible()
    assert_accessible(approver, "the record money page after an approval")
    approver.close()
    assert balance(app, "expenses") == fees + 60_000

    _go(page, place, "Card payments", "Card payments")
    payment = page.locator(f"#payment-{card_payment}")
    payment.get_by_label("Amount to refund").fill("2.50")
    payment.get_by_role("button", name="Refund").click()
    expect(page.get_by_text("The refund is on its way to the card.")).to_be_visible()
    expect(page.locator(f"#payment-{card_payment}")).to_contain_text("Refunded £2.50")
    assert_accessible(page, "the card payments page after a refund")

    # The financial year ends; the treasurer closes it two days later.
    first, last = _year_now()
    clock = app.extensions["pledgebank.clock"]
    clock.advance(datetime.combine(last + timedelta(days=2), time(10), tzinfo=LONDON) - clock.now())
    _go(page, place, "Statements", f"Statements of {place}")
    page.get_by_role("link", name="Close a financial year").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Close a financial year")
    assert_accessible(page, "the year-end close page")
    page.get_by_label("Close the books through").fill(last.isoformat())
    page.get_by_role("button", name="Show what closing would move").click()
    moved = page.get_by_role("table", name=re.compile(f"up to {_day(last)}"))
    # The donation and the supplier payment are the general fund's; the card pledges paid into the pledge's
    # own restricted fund, less the refund and the card fees.
    expect(moved.get_by_role("row", name=re.compile("^General fund"))).to_contain_text("£200.00")
    expect(moved).to_contain_text("£16.80")
    assert_accessible(page, "the confirmation of a year-end close")
    page.get_by_role("button", name=f"Close the books through {_day(last)}").click()
    expect(page.get_by_text(f"The books are closed through {_day(last)}.")).to_be_visible()
    assert_accessible(page, "the statements page after the close")

    page.get_by_label("Balances at the end of").fill(last.isoformat())
    page.get_by_role("button", name="Show the trial balance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Trial balance at the end of {_day(last)}")
    assert_accessible(page, "the trial balance at the year end")
    held = _cash_in_trial_balance(page)
    assert held == {code: balance(app, code) for code in CASH_PLACES}

    page.get_by_role("link", name="Other statements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Statements of {place}")
    assert_accessible(page, "the statements page again")
    page.get_by_label("Financial year starting in").fill(str(first.year))
    with page.expect_download() as download:
        page.get_by_role("region", name="Receipts and payments").get_by_role(
            "button", name="Download as CSV"
        ).click()
    assert download.value.suggested_filename == f"{slug}-receipts-and-payments-{first.isoformat()}.csv"
    download.value.save_as(tmp_path / "account.csv")
    rows = _csv_rows(tmp_path / "account.csv")

    page.get_by_role("button", name="Show receipts and payments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Receipts and payments, {_day(first)} to {_day(last)}"
    )
    assert_accessible(page, "the receipts and payments account")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as spreadsheet (ODS)").click()
    download.value.save_as(tmp_path / "account.ods")
    assert _ods_rows(tmp_path / "account.ods") == rows

    figures = _this_year(rows)
    cash_funds = sum(held.values())
    assert figures[("A3 Cash funds", "Cash funds at the end of the year")] == cash_funds
    assert figures[("B1 Cash funds", "Total cash funds")] == cash_funds
    assert figures[("B1 Cash funds", "Bank")] == held["assets:bank"]
    assert figures[("B1 Cash funds", "Cash held by the treasurer")] == held["assets:cash"]
    assert (
        figures[("B1 Cash funds", "Stripe (card payments not yet paid out)")]
        == held["assets:stripe-clearing"]
    )
    assert figures[("A1 Receipts", "Donations")] == 80_000
    assert figures[("A2 Payments", "Repairs")] == 60_000
    # The two £10 card payments less the £2.50 given back.
    assert figures[("A1 Receipts", "Pledges")] == 2 * 1_000 - 250
    assert figures[("A2 Payments", "Payment processing fees")] == fees
    assert_books_ok(app)
