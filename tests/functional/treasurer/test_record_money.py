"""Recording money on the web, the API and the command line: each posts once, refuses bad input beside the
field, and leaves the books verifying."""

from __future__ import annotations

import re

from pledgebank.cli import main
from tests.factories.grants import THRESHOLD, give_fund, world
from tests.factories.pledges import assert_books_ok, balance
from tests.factories.treasurer import transaction_count
from tests.helpers.grant_api import token
from tests.helpers.treasurer_pages import _form


def test_the_treasurer_records_a_donation_once_however_often_the_form_is_sent(app, sessions, web):
    w = world(sessions)
    web.login("treasurer@example.org")
    assert "Record money" in web.get(f"/n/{w.slug}/ledger").get_data(as_text=True)
    data = {
        **_form(web, w.slug),
        "kind": "donation",
        "amount": "25.00",
        "place": "cash",
        "description": "Fete",
    }
    first = web.post(f"/n/{w.slug}/ledger/record", data)
    assert first.status_code == 302, first.get_data(as_text=True)[:3000]
    again = web.post(f"/n/{w.slug}/ledger/record", data)
    assert again.status_code == 302
    assert transaction_count(app) == 1 and balance(app, "assets:cash") == 2_500
    assert "Fete" in web.get(f"/n/{w.slug}/ledger/record").get_data(as_text=True)
    assert_books_ok(app)


def test_bad_amounts_and_a_missing_description_are_shown_beside_their_fields(app, sessions, web):
    w = world(sessions)
    web.login("treasurer@example.org")
    base = {**_form(web, w.slug), "kind": "donation", "place": "bank", "description": "Gift"}
    for amount in ("-5", "0", "1.234", "lots", "12,50"):
        page = web.post(f"/n/{w.slug}/ledger/record", {**base, "amount": amount})
        assert page.status_code == 422, amount
        assert 'id="amount-error"' in page.get_data(as_text=True), amount
    page = web.post(f"/n/{w.slug}/ledger/record", {**base, "amount": "5", "description": ""})
    assert page.status_code == 422 and 'id="description-error"' in page.get_data(as_text=True)
    page = web.post(f"/n/{w.slug}/ledger/record", {**base, "kind": "cash_banked", "amount": "5"})
    assert page.status_code == 422 and "holds only" in page.get_data(as_text=True)
    assert transaction_count(app) == 0
    assert_books_ok(app)


def test_a_supplier_payment_above_the_threshold_is_approved_by_a_second_member(app, sessions, web):
    w = world(sessions)
    give_fund(app, w.slug, 100_000)
    web.login("treasurer@example.org")
    data = {
        **_form(web, w.slug),
        "kind": "supplier_payment",
        "amount": f"{(THRESHOLD + 100) // 100}.00",
        "place": "bank",
        "description": "New fence panels",
        "payee": "Oak Fencing Ltd",
        "purpose": "Mend the fence",
        "category": "repairs",
    }
    assert web.post(f"/n/{w.slug}/ledger/record", data).status_code == 302
    assert balance(app, "expenses:general:repairs") == 0
    web.logout()
    web.login("member0@example.org")
    page = web.get(f"/n/{w.slug}/ledger/record").get_data(as_text=True)
    approve = re.search(r'action="(/n/[^"]+/approve)"', page)
    assert approve and "Oak Fencing Ltd" in page
    assert web.post(approve.group(1)).status_code == 302
    assert balance(app, "expenses:general:repairs") == THRESHOLD + 100
    assert_books_ok(app)


def test_the_api_records_an_entry_once_and_names_bad_fields(app, sessions):
    w = world(sessions)
    client, headers = app.test_client(), token(sessions, w.treasurer)
    url = f"/api/v1/neighbourhoods/{w.slug}/treasurer-entries"
    body = {
        "idempotency_key": "bank-interest-2026-03",
        "kind": "bank_interest",
        "on": "2026-03-01",
        "description": "Interest for February",
        "amount": 37,
    }
    first = client.post(url, json=body, headers=headers)
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["status"] == "posted" and first.get_json()["transaction_sequence"] == 1
    assert client.post(url, json=body, headers=headers).get_json()["id"] == first.get_json()["id"]
    for bad in ({"amount": -1}, {"amount": 0}, {"amount": 1.5}, {"amount": "ten"}, {"kind": "gift"}):
        refused = client.post(
            url, json={**body, "idempotency_key": "another-key-0001", **bad}, headers=headers
        )
        assert refused.status_code == 422, bad
        assert set(bad) <= set(refused.get_json()["fields"]) | set(
            refused.get_json()["fields"].get("json", {})
        ), refused.get_json()
    overdrawn = client.post(
        url,
        json={**body, "idempotency_key": "charges-0000000001", "kind": "bank_charges", "amount": 500},
        headers=headers,
    )
    assert overdrawn.status_code == 422 and "amount" in overdrawn.get_json()["fields"]
    assert transaction_count(app) == 1 and balance(app, "income:general:interest") == -37
    assert_books_ok(app)


def test_the_command_line_records_opening_balances_once(app, sessions):
    w = world(sessions)
    runner = app.test_cli_runner()
    args = [
        "ledger",
        "record",
        "opening_balance",
        "--neighbourhood",
        w.slug,
        "--by",
        "treasurer@example.org",
        "--on",
        "2026-03-01",
        "--description",
        "From the old spreadsheet",
        "--amount",
        "1200.00",
        "--cash",
        "30.00",
    ]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "recorded as transaction 1" in result.output
    again = runner.invoke(main, [*args[:-4], "--amount", "5.00"])
    assert again.exit_code == 1 and "already recorded" in again.output
    bad = runner.invoke(main, [*args[:-4], "--amount", "1.999"])
    assert bad.exit_code != 0 and "--amount" in bad.output
    assert balance(app, "assets:bank") == 120_000 and balance(app, "assets:cash") == 3_000
    assert_books_ok(app)


def test_a_correction_on_the_web_names_the_transaction_it_reverses_and_is_named_by_it(app, sessions, web):
    w = world(sessions)
    web.login("chair@example.org")
    gift = {
        **_form(web, w.slug),
        "kind": "donation",
        "amount": "40",
        "place": "bank",
        "description": "A gift",
    }
    assert web.post(f"/n/{w.slug}/ledger/record", gift).status_code == 302
    data = {**_form(web, w.slug), "kind": "correction", "transaction": "1", "description": "Gift typed twice"}
    del data["fund"]
    assert web.post(f"/n/{w.slug}/ledger/record", data).status_code == 302
    ledger = web.get(f"/n/{w.slug}/ledger").get_data(as_text=True)
    assert "reverses #1" in ledger and "reversed by #2" in ledger
    again = web.post(
        f"/n/{w.slug}/ledger/record",
        {**_form(web, w.slug), **{k: data[k] for k in ("kind", "transaction", "description")}},
    )
    assert again.status_code == 422 and 'id="transaction-error"' in again.get_data(as_text=True)
    assert balance(app, "assets:bank") == 0
    assert_books_ok(app)


def test_the_ledger_tells_officers_a_payment_waits_and_links_to_where_it_is_approved(app, sessions, web):
    w = world(sessions)
    give_fund(app, w.slug, 100_000)
    web.login("member0@example.org")
    assert "waits for a second committee member" not in web.get(f"/n/{w.slug}/ledger").get_data(as_text=True)
    web.logout()
    web.login("treasurer@example.org")
    data = {
        **_form(web, w.slug),
        "kind": "supplier_payment",
        "amount": f"{(THRESHOLD + 100) // 100}.00",
        "place": "bank",
        "description": "New fence panels",
        "payee": "Oak Fencing Ltd",
        "purpose": "Mend the fence",
        "category": "repairs",
    }
    assert web.post(f"/n/{w.slug}/ledger/record", data).status_code == 302
    web.logout()
    web.login("member0@example.org")
    ledger = " ".join(web.get(f"/n/{w.slug}/ledger").get_data(as_text=True).split())
    assert "1 payment waits for a second committee member to approve it" in ledger
    link = f'href="/n/{w.slug}/ledger/record#waiting-title">See the payment waiting for approval</a>'
    assert link in ledger
    page = web.get(f"/n/{w.slug}/ledger/record").get_data(as_text=True)
    assert 'id="waiting-title"' in page
    web.post(re.search(r'action="(/n/[^"]+/approve)"', page).group(1))
    assert "waits for a second committee member" not in web.get(f"/n/{w.slug}/ledger").get_data(as_text=True)
    assert_books_ok(app)
