"""The statement pages (officers only) in the browser and as CSV, and the public chart of money in and out."""

from __future__ import annotations

import csv
import io
import re

from tests.helpers.export_pages import place_with_money


def _csv(response) -> list[list[str]]:
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def test_an_officer_reads_the_trial_balance_on_the_page_and_as_csv(app, sessions, web):
    place = place_with_money(sessions)
    web.login("committee@example.org")
    index = web.get(f"/n/{place.slug}/statements")
    assert index.status_code == 200
    assert 'value="2026-03-02"' in index.get_data(as_text=True)
    assert 'value="2025"' in index.get_data(as_text=True)

    page = web.get(f"/n/{place.slug}/statements/trial-balance?on=2026-01-20").get_data(as_text=True)
    assert "Trial balance at the end of 20 January 2026" in page
    assert re.search(
        r"Bank</th><td><code>assets:bank:general</code></td>\s*<td class=\"num\">£100.00</td>", page
    )
    assert re.search(r"Total</th>\s*<td class=\"num\">£195.00</td><td class=\"num\">£195.00</td>", page)

    rows = _csv(web.get(f"/n/{place.slug}/statements/trial-balance?on=2026-03-02&as=csv"))
    assert rows[0] == ["account", "name", "type", "fund", "debit", "credit", "currency"]
    balances = {row[0]: (row[4], row[5]) for row in rows[1:-1]}
    assert balances["assets:bank:general"] == ("25.00", "")
    assert balances["assets:stripe-clearing:playground-fund"] == ("24.42", "")
    assert balances["income:playground-fund:pledges"] == ("", "25.00")
    assert rows[-1] == ["total", "", "", "", "145.00", "145.00", "GBP"]


def test_receipts_and_payments_per_fund_type_for_a_financial_year(app, sessions, web):
    place = place_with_money(sessions)
    web.login("treasurer@example.org")
    page = web.get(f"/n/{place.slug}/statements/receipts-and-payments?year=2025").get_data(as_text=True)
    assert "Receipts and payments, 1 April 2025 to 31 March 2026" in page
    assert "Section B: statement of assets and liabilities at 31 March 2026" in page
    rows = _csv(web.get(f"/n/{place.slug}/statements/receipts-and-payments?year=2025&as=csv"))
    assert rows[0] == [
        "Section",
        "Line",
        "Unrestricted funds",
        "Restricted funds",
        "Endowment funds",
        "Total this year",
        "Total last year",
    ]
    lines = {(row[0], row[1]): row[2:] for row in rows[1:]}
    assert lines[("A1 Receipts", "Pledges")] == ["25.00", "0.00", "0.00", "25.00", "0.00"]
    assert lines[("A1 Receipts", "Donations")] == ["120.00", "0.00", "0.00", "120.00", "0.00"]
    assert lines[("A1 Receipts", "Total receipts")] == ["145.00", "0.00", "0.00", "145.00", "0.00"]
    assert lines[("A2 Payments", "Grants paid")] == ["75.00", "0.00", "0.00", "75.00", "0.00"]
    assert lines[("A2 Payments", "Payment processing fees")] == ["0.58", "0.00", "0.00", "0.58", "0.00"]
    start, end = (
        ("A3 Cash funds", "Cash funds at the start of the year"),
        ("A3 Cash funds", "Cash funds at the end of the year"),
    )
    assert lines[start] == ["0.00", "0.00", "0.00", "0.00", "0.00"]
    assert lines[end] == ["69.42", "0.00", "0.00", "69.42", "0.00"]
    assert lines[("B1 Cash funds", "Bank")] == ["25.00", "0.00", "0.00", "25.00", ""]
    assert lines[("B1 Cash funds", "Cash held by the treasurer")] == ["20.00", "0.00", "0.00", "20.00", ""]
    assert lines[("B1 Cash funds", "Total cash funds")] == ["69.42", "0.00", "0.00", "69.42", ""]

    following = _csv(web.get(f"/n/{place.slug}/statements/receipts-and-payments?year=2026&as=csv"))
    carried = {(row[0], row[1]): row[2:] for row in following[1:]}
    assert carried[start] == ["69.42", "0.00", "0.00", "69.42", "0.00"]
    assert carried[end] == ["69.42", "0.00", "0.00", "69.42", "69.42"]
    assert carried[("A1 Receipts", "Pledges")] == ["0.00", "0.00", "0.00", "0.00", "25.00"]


def test_statements_need_an_officer_and_a_valid_date(app, sessions, web):
    place = place_with_money(sessions)
    web.login("resident@example.org")
    assert web.get(f"/n/{place.slug}/statements").status_code == 403
    assert web.get(f"/n/{place.slug}/statements/trial-balance?on=2026-03-02").status_code == 403
    web.logout()
    web.login("chair@example.org")
    bad = web.get(f"/n/{place.slug}/statements/trial-balance?on=someday")
    assert bad.status_code == 422
    assert "There is a problem" in bad.get_data(as_text=True)
    assert web.get(f"/n/{place.slug}/statements/receipts-and-payments?year=99").status_code == 422


def test_the_public_page_shows_money_in_and_out_per_month_per_fund(app, sessions, web):
    place = place_with_money(sessions)
    page = web.get(f"/n/{place.slug}").get_data(as_text=True)
    assert 'role="img" aria-labelledby="money-chart-svg-title money-chart-svg-desc"' in page
    assert "Money in and out per month for each fund of Elm Park, April 2025 to March 2026" in page
    general = page[page.index("General fund: money in and out per month") :]
    general = general[: general.index("</table>")]
    assert re.search(r"December 2025</th><td class=\"num\">£120.00</td><td class=\"num\">£0.00</td>", general)
    assert re.search(r"January 2026</th><td class=\"num\">£0.00</td><td class=\"num\">£75.00</td>", general)
    playground = page[page.index("Playground fund: money in and out per month") :]
    assert re.search(r"March 2026</th><td class=\"num\">£25.00</td><td class=\"num\">£0.58</td>", playground)
    solid = re.findall(
        r'<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" fill="#00703c"/>', page
    )
    legend, *bars = solid
    assert legend == ("10", "14")
    assert sorted(float(height) for _y, height in bars) == [55.0, 66.0]
