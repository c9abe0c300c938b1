"""A supplier payment beyond the fund's own money (grants awarded but unpaid are still in the bank) is refused
beside the amount on the web form, naming `amount` in the API's JSON, and on approval; nothing is written."""

from __future__ import annotations

from tests.factories.grants import give_fund, world
from tests.factories.pledges import assert_books_ok, balance
from tests.factories.treasurer import record, terms, transaction_count
from tests.helpers.grant_api import token
from tests.helpers.treasurer_books import award
from tests.helpers.treasurer_pages import _form

PAYMENT = {
    "kind": "supplier_payment",
    "place": "bank",
    "description": "New fence panels",
    "payee": "Oak Fencing Ltd",
    "purpose": "Mend the fence",
    "category": "repairs",
}
ONLY = "has only £20.00 to spend once the grants it has awarded are set aside"


def test_the_web_form_refuses_spending_money_awarded_to_grants_beside_the_amount(app, sessions, web):
    w = world(sessions)
    give_fund(app, w.slug, 10_000)
    award(app, w, 8_000)
    before = transaction_count(app)
    web.login("treasurer@example.org")
    page = web.post(f"/n/{w.slug}/ledger/record", {**_form(web, w.slug), **PAYMENT, "amount": "30.00"})
    html = " ".join(page.get_data(as_text=True).split())
    assert page.status_code == 422
    beside = html.find('id="amount-error"')
    assert beside > 0 and ONLY in html[beside : beside + 300], html[:3000]
    assert transaction_count(app) == before and balance(app, "expenses:general:repairs") == 0
    assert (
        web.post(
            f"/n/{w.slug}/ledger/record", {**_form(web, w.slug), **PAYMENT, "amount": "20.00"}
        ).status_code
        == 302
    )
    assert balance(app, "expenses:general:repairs") == 2_000
    assert_books_ok(app)


def test_the_api_names_the_amount_when_recording_and_approving(app, sessions):
    w = world(sessions)
    give_fund(app, w.slug, 10_000)
    client, headers = app.test_client(), token(sessions, w.treasurer)
    values = {k: v for k, v in PAYMENT.items() if k != "kind"}
    waiting, status, _legs = record(
        app, w.treasurer, w.slug, terms(app, "supplier_payment", amount=3_000, **values), threshold=0
    )
    assert status == "awaiting_approval"
    award(app, w, 8_000)
    before = transaction_count(app)
    body = {**PAYMENT, "idempotency_key": "fence-payment-000001", "on": "2026-03-02", "fund": "general"}
    refused = client.post(
        f"/api/v1/neighbourhoods/{w.slug}/treasurer-entries", json={**body, "amount": 3_000}, headers=headers
    )
    assert refused.status_code == 422, refused.get_json()
    assert list(refused.get_json()["fields"]) == ["amount"]
    assert ONLY in refused.get_json()["fields"]["amount"][0]
    approval = client.post(
        f"/api/v1/neighbourhoods/{w.slug}/treasurer-entries/{waiting}/approve",
        headers=token(sessions, w.members[0]),
    )
    assert approval.status_code == 422 and list(approval.get_json()["fields"]) == ["amount"]
    assert ONLY in approval.get_json()["fields"]["amount"][0]
    assert transaction_count(app) == before and balance(app, "expenses:general:repairs") == 0
    assert_books_ok(app)


def test_the_web_approval_says_why_it_was_refused(app, sessions, web):
    w = world(sessions)
    give_fund(app, w.slug, 10_000)
    values = {k: v for k, v in PAYMENT.items() if k != "kind"}
    waiting = record(
        app, w.treasurer, w.slug, terms(app, "supplier_payment", amount=3_000, **values), threshold=0
    )[0]
    award(app, w, 8_000)
    web.login("member0@example.org")
    page = web.post(f"/n/{w.slug}/ledger/record/{waiting}/approve")
    html = " ".join(page.get_data(as_text=True).split())
    assert page.status_code == 422 and ONLY in html, html[html.find("<main") :]
    assert balance(app, "expenses:general:repairs") == 0
    assert_books_ok(app)
