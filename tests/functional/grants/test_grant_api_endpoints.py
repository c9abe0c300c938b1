"""The grants API: rounds (public; opened by the committee with a read-write token), applications (your own,
or all of them for the officers), decisions with their ledger sequence, awards and fund balances; and the
schemas in the OpenAPI document."""

from __future__ import annotations

from tests.factories.grants import apply, decide, declare, give_fund, make_round, reviewed, world
from tests.factories.pledges import assert_books_ok
from tests.helpers.grant_api import NEW_ROUND, token

NEW_APPLICATION = {
    "title": "Bulbs for the verges",
    "summary": "Crocus bulbs along Victoria Road, planted by volunteers in October.",
    "amount_requested": 12_000,
    "budget_lines": [{"description": "Bulbs", "amount": 9_000}, {"description": "Tools", "amount": 3_000}],
    "group_name": "Victoria Road Gardeners",
}


def test_rounds_are_public_and_opened_by_the_committee_with_a_read_write_token(app, sessions):
    w = world(sessions)
    client = app.test_client()
    base = f"/api/v1/neighbourhoods/{w.slug}/grant-rounds"
    assert client.get(base).get_json() == []
    assert client.post(base, json=NEW_ROUND).status_code == 401
    assert client.post(base, json=NEW_ROUND, headers=token(sessions, w.chair, "read")).status_code == 403
    assert client.post(base, json=NEW_ROUND, headers=token(sessions, w.residents[0])).status_code == 403
    wrong = client.post(base, json={**NEW_ROUND, "max_award": 200_000}, headers=token(sessions, w.chair))
    assert (wrong.status_code, list(wrong.get_json()["fields"])) == (422, ["max_award"])

    made = client.post(base, json=NEW_ROUND, headers=token(sessions, w.chair))
    assert made.status_code == 201
    body = made.get_json()
    assert (body["fund"], body["budget"], body["remaining"], body["currency"]) == (
        "general",
        100_000,
        100_000,
        "GBP",
    )
    assert body["criteria"] == NEW_ROUND["criteria"]
    assert body["closes_at"] == "2026-03-31T23:00:00+00:00"
    assert client.get(f"/api/v1/grant-rounds/{body['id']}").get_json()["title"] == "Summer small grants"
    assert [r["id"] for r in client.get(base).get_json()] == [body["id"]]


def test_applicants_see_their_own_applications_and_officers_see_all_with_decisions(app, sessions):
    w = world(sessions)
    give_fund(app, w.slug, 100_000)
    round_id = make_round(app, w)
    client = app.test_client()
    made = client.post(
        f"/api/v1/grant-rounds/{round_id}/applications",
        json=NEW_APPLICATION,
        headers=token(sessions, w.residents[0]),
    )
    assert made.status_code == 201 and made.get_json()["status"] == "draft"
    mine = made.get_json()["id"]
    unbalanced = {**NEW_APPLICATION, "amount_requested": 13_000}
    wrong = client.post(
        f"/api/v1/grant-rounds/{round_id}/applications",
        json=unbalanced,
        headers=token(sessions, w.residents[0]),
    )
    assert (wrong.status_code, list(wrong.get_json()["fields"])) == (422, ["budget_lines"])
    submitted = client.post(
        f"/api/v1/grant-applications/{mine}/submit", headers=token(sessions, w.residents[0])
    )
    assert submitted.get_json()["status"] == "submitted"
    theirs = apply(app, round_id, w.residents[1], 5_000, title="Book swap shelf")
    reviewed(app, mine, w.members)
    declare(app, mine, w.chair)
    decide(app, mine, w.chair, "part_award", amount=10_000, reason="Tools can be borrowed.")

    listing = f"/api/v1/neighbourhoods/{w.slug}/grant-applications"
    resident = token(sessions, w.residents[0], "read")
    assert [a["id"] for a in client.get(listing, headers=resident).get_json()] == [mine]
    officer = token(sessions, w.treasurer, "read")
    assert [a["id"] for a in client.get(listing, headers=officer).get_json()] == [mine, theirs]
    assert client.get(listing).status_code == 401
    assert client.get(f"/api/v1/grant-applications/{theirs}", headers=resident).status_code == 404

    detail = client.get(f"/api/v1/grant-applications/{mine}", headers=resident).get_json()
    assert (detail["status"], detail["awarded_amount"], detail["group_name"]) == (
        "part_awarded",
        10_000,
        "Victoria Road Gardeners",
    )
    [decision] = detail["decisions"]
    assert (decision["outcome"], decision["amount"], decision["ledger_sequence"]) == ("part_award", 10_000, 2)
    assert decision["reason"] == "Tools can be borrowed."
    decisions = f"/api/v1/neighbourhoods/{w.slug}/grant-decisions"
    assert [d["id"] for d in client.get(decisions, headers=resident).get_json()] == [decision["id"]]
    other = token(sessions, w.residents[1], "read")
    assert client.get(decisions, headers=other).get_json() == []
    assert_books_ok(app)


def test_awards_and_fund_balances_are_public_and_never_name_an_individual(app, sessions):
    w = world(sessions)
    give_fund(app, w.slug, 50_000)
    round_id = make_round(app, w)
    alone = apply(app, round_id, w.residents[0], 10_000, title="Hanging baskets")
    reviewed(app, alone, w.members)
    declare(app, alone, w.chair)
    decide(app, alone, w.chair)
    client = app.test_client()
    [award] = client.get(f"/api/v1/neighbourhoods/{w.slug}/grant-awards").get_json()
    assert award == {
        "application_id": alone,
        "title": "Hanging baskets",
        "amount": 10_000,
        "currency": "GBP",
        "awarded_on": "2026-03-02",
        "fund": "General fund",
        "round_title": "Spring small grants",
        "recipient": "Individual recipient",
    }
    [general] = client.get(f"/api/v1/neighbourhoods/{w.slug}/fund-balances").get_json()
    assert general == {
        "slug": "general",
        "name": "General fund",
        "currency": "GBP",
        "received": 50_000,
        "committed": 10_000,
        "paid_out": 0,
        "fees": 0,
        "available": 40_000,
        "fund_type": "unrestricted",
        "held": 0,
    }
    assert_books_ok(app)


def test_the_openapi_document_describes_the_grant_endpoints(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    paths = document["paths"]
    for path in (
        "/api/v1/neighbourhoods/{slug}/grant-rounds",
        "/api/v1/grant-rounds/{round_id}/applications",
        "/api/v1/neighbourhoods/{slug}/grant-applications",
        "/api/v1/neighbourhoods/{slug}/grant-decisions",
        "/api/v1/neighbourhoods/{slug}/grant-awards",
        "/api/v1/neighbourhoods/{slug}/fund-balances",
    ):
        assert path in paths, path
    schemas = document["components"]["schemas"]
    for name in (
        "Round",
        "RoundCreate",
        "Application",
        "ApplicationCreate",
        "Decision",
        "Award",
        "FundMoney",
    ):
        assert name in schemas, name
    assert "available" in schemas["FundMoney"]["properties"]
