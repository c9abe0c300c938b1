"""The pledges API: list, read, create with a read-write token, pledge by card (a SetupIntent's client
secret for Stripe.js) or cash, withdraw; read-only tokens may not change anything."""

from __future__ import annotations

from tests.factories.pledges import pledge_with_card
from tests.helpers.pledge_api import NEW, token
from tests.helpers.pledge_pages import make_pledge, people, signup_of


def test_list_and_read_pledges_with_progress_in_minor_units(app, sessions):
    world = people(sessions, "ann")
    pledge = make_pledge(app, world.slug, world.ids["chair"], target_pledgers=40, amount=1000)
    pledge_with_card(app, pledge, world.ids["ann"])
    client = app.test_client()

    listing = client.get(f"/api/v1/neighbourhoods/{world.slug}/pledges")
    assert listing.status_code == 200
    (item,) = listing.get_json()
    assert item["id"] == pledge and item["status"] == "open"
    assert (item["amount"], item["currency"], item["target_pledgers"]) == (1000, "GBP", 40)
    none = {"people": 0, "amount": 0}
    assert item["progress"] == {
        "pledgers": 1,
        "amount": 1000,
        "percent": 2,
        "figures_known": True,
        "waiting": 0,
        "paid": none,
        "reserved": none,
        "attention": {
            "bank_check": none,
            "declined": none,
            "card_not_saved": none,
            "cash_not_received": none,
        },
        "released": none,
        "target_pledgers": 40,
        "target_amount": None,
        "met": False,
    }
    assert item["url"].endswith(f"/p/{pledge}")
    assert client.get("/api/v1/neighbourhoods/nowhere/pledges").status_code == 404

    anonymous = client.get(f"/api/v1/pledges/{pledge}").get_json()
    assert anonymous["my_signup"] is None and anonymous["title"] == "Mend the playground fence"
    mine = client.get(
        f"/api/v1/pledges/{pledge}", headers=token(sessions, world.ids["ann"], "read")
    ).get_json()
    assert mine["my_signup"]["status"] == "card_saved"
    assert (mine["my_signup"]["amount"], mine["my_signup"]["currency"]) == (1000, "GBP")
    assert mine["my_signup"]["card_last4"] == "4242"
    assert client.get("/api/v1/pledges/999999").get_json()["error"] == "not_found"


def test_create_needs_a_read_write_token_and_reports_bad_fields(app, sessions):
    world = people(sessions, "ann")
    client = app.test_client()
    url = f"/api/v1/neighbourhoods/{world.slug}/pledges"
    assert client.post(url, json=NEW).status_code == 401
    read_only = client.post(url, json=NEW, headers=token(sessions, world.ids["ann"], "read"))
    assert read_only.status_code == 403 and read_only.get_json()["error"] == "forbidden"

    write = token(sessions, world.ids["ann"])
    bad = client.post(url, json={**NEW, "amount": 0, "fund": "nope"}, headers=write)
    assert bad.status_code == 422
    body = bad.get_json()
    assert body["error"] == "invalid_input" and "amount" in body["fields"]
    missing = client.post(url, json={k: v for k, v in NEW.items() if k != "title"}, headers=write)
    assert missing.status_code == 422 and "title" in missing.get_json()["fields"]
    unknown_fund = client.post(url, json={**NEW, "fund": "nope"}, headers=write)
    assert unknown_fund.status_code == 422 and "fund" in unknown_fund.get_json()["fields"]

    created = client.post(url, json=NEW, headers=write)
    assert created.status_code == 201, created.get_json()
    pledge = created.get_json()
    assert pledge["status"] == "open" and pledge["amount_kind"] == "minimum"
    assert (pledge["amount"], pledge["target_amount"], pledge["target_pledgers"]) == (500, 30_000, None)
    assert pledge["deadline"].startswith("2026-04-01T16:00:00")
    assert pledge["fund"] == "plant-twenty-street-trees" and pledge["neighbourhood"] == world.slug
    assert pledge["fund_type"] == "restricted"
    assert pledge["fund_purpose"].startswith("Pledged for “Plant twenty street trees”: Twenty young limes")
    assert pledge["offers"] == [] and pledge["updates"] == [] and pledge["my_signup"] is None


def test_pledge_by_card_returns_the_setup_intents_client_secret_and_withdraw(app, sessions):
    world = people(sessions, "ann", "ben")
    pledge = make_pledge(app, world.slug, world.ids["chair"], amount_kind="minimum", amount=500)
    client = app.test_client()
    url = f"/api/v1/pledges/{pledge}/signups"
    read_only = client.post(url, json={"method": "card"}, headers=token(sessions, world.ids["ann"], "read"))
    assert read_only.status_code == 403
    write = token(sessions, world.ids["ann"])
    too_little = client.post(url, json={"method": "card", "amount": 499}, headers=write)
    assert too_little.status_code == 422 and "amount" in too_little.get_json()["fields"]

    created = client.post(url, json={"method": "card", "amount": 750}, headers=write)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["signup"]["status"] == "card_pending" and body["signup"]["amount"] == 750
    setup = body["card_setup"]
    assert setup["setup_intent_id"].startswith("seti_")
    assert setup["client_secret"].startswith(setup["setup_intent_id"] + "_secret")
    assert setup["publishable_key"] == app.config["STRIPE_PUBLISHABLE_KEY"]
    assert signup_of(sessions, pledge, world.ids["ann"]).setup_intent_id == setup["setup_intent_id"]
    again = client.post(url, json={"method": "card", "amount": 750}, headers=write)
    assert again.status_code == 409

    cash = client.post(url, json={"method": "cash", "amount": 500}, headers=token(sessions, world.ids["ben"]))
    assert cash.status_code == 201
    assert cash.get_json()["card_setup"] is None and cash.get_json()["signup"]["status"] == "cash_promised"

    mine = f"/api/v1/pledges/{pledge}/signups/mine"
    assert client.delete(mine, headers=token(sessions, world.ids["ann"], "read")).status_code == 403
    withdrawn = client.delete(mine, headers=write)
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
    assert signup_of(sessions, pledge, world.ids["ann"]).status == "withdrawn"
    assert client.delete(mine, headers=write).status_code == 404


def test_the_pledge_endpoints_are_in_the_openapi_document(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    paths = document["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/neighbourhoods/{slug}/pledges"])
    assert "get" in paths["/api/v1/pledges/{pledge_id}"]
    assert "post" in paths["/api/v1/pledges/{pledge_id}/signups"]
    assert "delete" in paths["/api/v1/pledges/{pledge_id}/signups/mine"]
    schemas = document["components"]["schemas"]
    assert {"PledgeCreate", "PledgeDetail", "SignupCreated", "Progress"} <= set(schemas)
