"""The levies API: levies (listing, reading, defining with a read-write token), a levy's households for the
committee only, and a resident's own household's charges."""

from __future__ import annotations

from tests.factories.levies import active_levy, join, join_with_card, levy_world, make_levy
from tests.factories.pledges import assert_books_ok, due
from tests.helpers.pledge_api import token

NEW = {
    "fund": "general",
    "name": "Garden square upkeep",
    "purpose": "Mowing, bulbs and a new bench for the garden square.",
    "basis": "flat",
    "amount": 450,
    "period": "quarterly",
    "starts_on": "2026-04-01",
    "voluntary": True,
    "threshold": 10,
}


def test_levies_are_listed_and_read_with_their_band_amounts(app, sessions):
    slug, chair, member, (ann, _, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member, basis="banded", amount=1000)
    draft = make_levy(app, slug, member, name="Not yet decided")
    join(app, levy, ann, "1 Elm Road", "B")
    client = app.test_client()

    (item,) = client.get(f"/api/v1/neighbourhoods/{slug}/levies").get_json()  # the draft is hidden
    assert (item["id"], item["status"], item["basis"], item["amount"], item["households"]) == (
        levy,
        "active",
        "banded",
        1000,
        1,
    )
    assert item["bands"][0] == {"band": "A", "amount": 667} and item["bands"][-1] == {
        "band": "H",
        "amount": 2000,
    }
    assert item["url"].endswith(f"/levies/{levy}")
    committee = client.get(f"/api/v1/neighbourhoods/{slug}/levies", headers=token(sessions, member, "read"))
    assert [i["id"] for i in committee.get_json()] == [draft, levy]
    assert client.get(f"/api/v1/levies/{draft}").status_code == 404
    assert client.get(f"/api/v1/levies/{levy}").get_json()["starts_on"] == "2026-03-02"


def test_the_committee_defines_a_levy_with_a_read_write_token(app, sessions):
    slug, _, member, (ann, _, _) = levy_world(sessions)
    client = app.test_client()
    url = f"/api/v1/neighbourhoods/{slug}/levies"
    assert client.post(url, json=NEW, headers=token(sessions, member, "read")).status_code == 403
    assert client.post(url, json=NEW, headers=token(sessions, ann)).status_code == 403
    made = client.post(url, json=NEW, headers=token(sessions, member))
    assert made.status_code == 201
    body = made.get_json()
    assert (body["status"], body["period"], body["threshold"], body["bands"]) == (
        "draft",
        "quarterly",
        10,
        [],
    )
    wrong = client.post(url, json={**NEW, "voluntary": False}, headers=token(sessions, member))
    assert wrong.status_code == 422 and "threshold" in wrong.get_json()["fields"]


def test_households_are_for_the_committee_and_charges_for_their_household(app, sessions):
    slug, chair, member, (ann, ben, cat) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member)
    join_with_card(app, levy, ann, "1 Elm Road", "C")
    join(app, levy, ben, "1 elm road", "C")
    join(app, levy, cat, "2 Elm Road", "D")
    due(app)
    client = app.test_client()
    households = f"/api/v1/levies/{levy}/households"
    assert client.get(households).status_code == 401
    assert client.get(households, headers=token(sessions, ann, "read")).status_code == 403
    listing = client.get(households, headers=token(sessions, member, "read")).get_json()
    assert [(h["address"], h["band"], h["residents"], h["card_saved"]) for h in listing] == [
        ("1 Elm Road", "C", 2, True),
        ("2 Elm Road", "D", 1, False),
    ]

    mine = f"/api/v1/neighbourhoods/{slug}/levy-charges/mine"
    (paid,) = client.get(mine, headers=token(sessions, ben, "read")).get_json()  # the shared household's
    assert (paid["status"], paid["amount"], paid["amount_due"], paid["paid_via"]) == (
        "paid",
        1000,
        1000,
        "card",
    )
    assert paid["levy_name"] == "Street lighting" and paid["period_start"] == "2026-03-02"
    (due_now,) = client.get(mine, headers=token(sessions, cat, "read")).get_json()
    assert (due_now["status"], due_now["paid_at"]) == ("due", None)
    assert client.get(mine, headers=token(sessions, member, "read")).get_json() == []
    assert_books_ok(app)
