"""The expense categories page and API: the treasurer adds, renames and retires categories, the record-money
form offers exactly those not retired, and bad names come back beside the field (HTML) or naming it (JSON)."""

from __future__ import annotations

import re

from tests.factories.categories import accounts_ending, listed
from tests.factories.grants import give_fund, world
from tests.factories.pledges import assert_books_ok, balance
from tests.factories.treasurer import transaction_count
from tests.helpers.grant_api import token
from tests.helpers.treasurer_pages import _form

_OPTIONS = re.compile(r'<select id="category" name="category">(.*?)</select>', re.S)


def _offered(web, slug: str) -> list[str]:
    page = web.get(f"/n/{slug}/ledger/record").get_data(as_text=True)
    return re.findall(r'<option value="([^"]*)"', _OPTIONS.search(page).group(1))


def test_the_treasurer_keeps_the_categories_the_payment_form_offers(app, sessions, web):
    w = world(sessions)
    give_fund(app, w.slug, 10_000)
    web.login("treasurer@example.org")
    url = f"/n/{w.slug}/ledger/categories"
    assert "Hall hire" in web.get(url).get_data(as_text=True)
    assert web.post(url, {"name": "Garden supplies"}).status_code == 302
    assert "garden-supplies" in _offered(web, w.slug)
    renamed = web.post(f"{url}/garden-supplies/rename", {"name": "Plants and compost"})
    assert renamed.status_code == 302
    assert "Plants and compost" in web.get(url).get_data(as_text=True)
    assert web.post(f"{url}/events/retire").status_code == 302
    assert _offered(web, w.slug) == [
        "",
        "repairs",
        "materials",
        "insurance",
        "hall-hire",
        "other",
        "garden-supplies",
    ]
    payment = {
        **_form(web, w.slug),
        "kind": "supplier_payment",
        "amount": "12.00",
        "place": "bank",
        "description": "Compost for the planters",
        "payee": "Green Thumb",
        "purpose": "Compost",
    }
    assert (
        web.post(f"/n/{w.slug}/ledger/record", {**payment, "category": "garden-supplies"}).status_code == 302
    )
    assert balance(app, "expenses:general:garden-supplies") == 1_200
    retired = web.post(f"/n/{w.slug}/ledger/record", {**payment, **_form(web, w.slug), "category": "events"})
    assert retired.status_code == 422 and 'id="category-error"' in retired.get_data(as_text=True)
    assert "retired" in retired.get_data(as_text=True)
    assert transaction_count(app) == 2
    assert_books_ok(app)


def test_bad_names_are_shown_beside_the_field_and_nothing_changes(app, sessions, web):
    w = world(sessions)
    web.login("chair@example.org")
    url = f"/n/{w.slug}/ledger/categories"
    for name in ("", "Repairs", "x" * 200, "Grants", "%%%"):
        page = web.post(url, {"name": name})
        assert page.status_code == 422, name
        assert 'id="name-error"' in page.get_data(as_text=True), name
    page = web.post(f"{url}/repairs/rename", {"name": "Insurance"})
    assert page.status_code == 422 and 'id="name-repairs-error"' in page.get_data(as_text=True)
    assert web.post(f"{url}/no-such/rename", {"name": "Something"}).status_code == 404
    assert len(listed(app, w.slug)) == 6 and accounts_ending(app, "repairs") == {
        "expenses:general:repairs": "General fund: Repairs"
    }


def test_committee_members_see_the_categories_but_cannot_change_them(app, sessions, web):
    w = world(sessions)
    web.login("member0@example.org")
    url = f"/n/{w.slug}/ledger/categories"
    page = web.get(url)
    assert page.status_code == 200 and "Add a category" not in page.get_data(as_text=True)
    assert web.post(url, {"name": "Garden"}).status_code == 403
    assert web.post(f"{url}/repairs/retire").status_code == 403
    assert web.post(f"{url}/repairs/rename", {"name": "Fixes"}).status_code == 403
    web.logout()
    web.login("resident0@example.org")
    assert web.get(url).status_code == 403
    assert len(listed(app, w.slug)) == 6 and all(not retired for *_rest, retired in listed(app, w.slug))


def test_the_api_lists_adds_renames_and_retires_categories(app, sessions):
    w = world(sessions)
    client, headers = app.test_client(), token(sessions, w.treasurer)
    url = f"/api/v1/neighbourhoods/{w.slug}/expense-categories"
    listing = client.get(url, headers=token(sessions, w.members[0], "read"))
    assert listing.status_code == 200 and len(listing.get_json()) == 6
    made = client.post(url, json={"name": "Garden supplies"}, headers=headers)
    assert made.status_code == 201, made.get_json()
    assert made.get_json() == {"slug": "garden-supplies", "name": "Garden supplies", "retired": False}
    for bad, field in (
        ({"name": "Garden supplies"}, "name"),
        ({"name": "x"}, "name"),
        ({"name": "Fees"}, "name"),
        ({"name": 5}, "name"),
        ({}, "name"),
    ):
        refused = client.post(url, json=bad, headers=headers)
        assert refused.status_code == 422, bad
        fields = refused.get_json()["fields"]
        assert field in fields or field in fields.get("json", {}), refused.get_json()
    changed = client.patch(f"{url}/garden-supplies", json={"name": "Plants"}, headers=headers)
    assert changed.status_code == 200 and changed.get_json()["name"] == "Plants"
    refused = client.patch(f"{url}/garden-supplies", json={"retired": False}, headers=headers)
    assert refused.status_code == 422
    retired = client.patch(f"{url}/garden-supplies", json={"retired": True}, headers=headers)
    assert retired.status_code == 200 and retired.get_json()["retired"] is True
    assert client.patch(f"{url}/nothing", json={"name": "Plants"}, headers=headers).status_code == 404
    member = token(sessions, w.members[0])
    assert client.post(url, json={"name": "Lights"}, headers=member).status_code == 403
    payment = {
        "idempotency_key": "payment-into-retired-0001",
        "kind": "supplier_payment",
        "on": "2026-03-01",
        "description": "Bulbs",
        "amount": 100,
        "place": "bank",
        "payee": "Green Thumb",
        "purpose": "Bulbs",
        "category": "garden-supplies",
    }
    entries = f"/api/v1/neighbourhoods/{w.slug}/treasurer-entries"
    refused = client.post(entries, json=payment, headers=headers)
    assert refused.status_code == 422 and "retired" in refused.get_json()["fields"]["category"][0]
    assert transaction_count(app) == 0
    assert [slug for slug, *_rest in listed(app, w.slug)][-1] == "garden-supplies"
