"""Fund types (unrestricted, designated, restricted, endowment): who adds which, a restricted fund states its
purpose, and only funds whose terms allow it pay grant rounds, through the service, the pages and the API,
with every "available" figure honouring the restriction."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pledgebank.books.models import LedgerAccount
from pledgebank.db import unit_of_work
from pledgebank.errors import Forbidden, InvalidInput
from pledgebank.grants import funds as grant_funds
from pledgebank.grants import rounds
from pledgebank.neighbourhoods import funds
from pledgebank.neighbourhoods.models import Fund
from pledgebank.neighbourhoods.services import get_neighbourhood
from tests.factories.grants import clock_now, give_fund, round_terms, world
from tests.factories.pledges import assert_books_ok
from tests.helpers.foundation import field_error, signed_in_client, visible_text
from tests.helpers.grant_api import NEW_ROUND, token

TREES = "To plant twenty street trees on Elm Road, as the donors asked."


def add(
    app, w, actor: int, name: str, fund_type: str, purpose: str = "", may_fund_grants: bool = False
) -> Fund:
    """Add a fund through the service."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return funds.add_fund(
            session,
            actor_id=actor,
            neighbourhood=get_neighbourhood(session, w.slug),
            name=name,
            description="",
            fund_type=fund_type,
            purpose=purpose,
            may_fund_grants=may_fund_grants,
            now=clock_now(app),
        )


def open_round(app, w, fund: str):
    """Open a grant round from a fund, as the chair."""
    now = clock_now(app)
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return rounds.create_round(
            session,
            actor_id=w.chair,
            neighbourhood=get_neighbourhood(session, w.slug),
            terms=round_terms(now, fund_slug=fund),
            now=now,
        )


def test_every_fund_has_a_type_and_an_equity_account(app, sessions):
    w = world(sessions)
    trees = add(app, w, w.members[0], "Street trees", "restricted", TREES)
    with unit_of_work(sessions) as session:
        kinds = dict(session.execute(select(Fund.slug, Fund.fund_type)).all())
        equity = session.scalars(select(LedgerAccount.code).where(LedgerAccount.type == "equity")).all()
    assert kinds == {"general": "unrestricted", "street-trees": "restricted"}
    assert sorted(equity) == ["equity:general:balance", "equity:street-trees:balance"]
    assert (trees.purpose, trees.may_fund_grants) == (TREES, False)


def test_a_restricted_fund_needs_its_purpose_and_only_the_chair_adds_an_endowment(app, sessions):
    w = world(sessions)
    with pytest.raises(InvalidInput) as missing:
        add(app, w, w.chair, "Street trees", "restricted", "  ")
    assert list(missing.value.fields) == ["purpose"]
    with pytest.raises(InvalidInput) as general:
        add(app, w, w.chair, "Another general fund", "unrestricted")
    assert list(general.value.fields) == ["fund_type"]
    with pytest.raises(InvalidInput) as flag:
        add(app, w, w.chair, "Rainy day", "designated", may_fund_grants=True)
    assert list(flag.value.fields) == ["may_fund_grants"]
    with pytest.raises(Forbidden):
        add(app, w, w.members[0], "Hall endowment", "endowment")
    with pytest.raises(Forbidden):
        add(app, w, w.treasurer, "Rainy day", "designated")
    assert add(app, w, w.chair, "Hall endowment", "endowment").fund_type == "endowment"
    with unit_of_work(sessions) as session:
        assert session.scalar(select(Fund.id).where(Fund.slug == "street-trees")) is None


def test_a_restricted_fund_or_an_endowment_cannot_fund_a_grant_round_and_shows_nothing_available(
    app, sessions
):
    w = world(sessions)
    add(app, w, w.chair, "Street trees", "restricted", TREES)
    add(app, w, w.chair, "Hall endowment", "endowment")
    add(app, w, w.chair, "Small grants gift", "restricted", "Small grants to residents' groups", True)
    add(app, w, w.chair, "Rainy day", "designated")
    for fund in ("street-trees", "hall-endowment", "small-grants-gift", "rainy-day", "general"):
        give_fund(app, w.slug, 10_000, fund=fund, key=fund)
    for fund, words in (("street-trees", "restricted to its purpose"), ("hall-endowment", "endowment")):
        with pytest.raises(InvalidInput) as refused:
            open_round(app, w, fund)
        assert list(refused.value.fields) == ["fund"] and words in refused.value.fields["fund"][0]
    assert open_round(app, w, "small-grants-gift").id
    assert open_round(app, w, "rainy-day").id
    with unit_of_work(sessions) as session:
        money = {m.slug: m for m in grant_funds.fund_money(session, w.neighbourhood_id)}
        ids = dict(session.execute(select(Fund.slug, Fund.id)).all())
        assert grant_funds.available(session, ids["street-trees"]) == 0
        assert grant_funds.available(session, ids["small-grants-gift"]) == 10_000
    assert {slug: (m.available, m.held) for slug, m in money.items()} == {
        "general": (10_000, 0),
        "hall-endowment": (0, 10_000),
        "rainy-day": (10_000, 0),
        "small-grants-gift": (10_000, 0),
        "street-trees": (0, 10_000),
    }
    assert_books_ok(app)


def test_the_fund_pages_add_a_restricted_fund_and_the_round_form_refuses_it_beside_the_field(app, sessions):
    w = world(sessions)
    client = signed_in_client(app, sessions, w.members[0])
    page = client.get(f"/n/{w.slug}/funds").get_data(as_text=True)
    assert 'value="restricted"' in page and 'value="endowment"' not in page  # the chair adds endowments
    empty = client.post(f"/n/{w.slug}/funds", {"name": "Street trees", "fund_type": "restricted"})
    assert empty.status_code == 422
    assert "Say what the money was given for" in field_error(empty.get_data(as_text=True), "purpose")
    made = client.post(
        f"/n/{w.slug}/funds", {"name": "Street trees", "fund_type": "restricted", "purpose": TREES}
    )
    assert made.status_code == 302
    listed = visible_text(client.get(f"/n/{w.slug}/funds").get_data(as_text=True))
    assert f"Restricted: {TREES}" in listed

    form = client.get(f"/n/{w.slug}/grants/rounds/new").get_data(as_text=True)
    assert 'value="street-trees"' not in form and 'value="general"' in form
    round_form = {
        "fund": "street-trees",
        "title": "Summer small grants",
        "description": "Money for street parties and planting this summer.",
        "budget": "1,000",
        "max_award": "250",
        "opens_on": "2026-03-02",
        "closes_on": "2026-03-31",
        "criteria": "Benefit to the neighbourhood: 3",
        "quorum_rule": "majority",
        "quorum_minimum": "2",
    }
    refused = client.post(f"/n/{w.slug}/grants/rounds/new", round_form)
    assert refused.status_code == 422
    assert "cannot fund a grant round" in field_error(refused.get_data(as_text=True), "fund")


def test_the_api_adds_typed_funds_and_refuses_a_round_from_a_restricted_fund(app, sessions):
    w = world(sessions)
    client = app.test_client()
    base = f"/api/v1/neighbourhoods/{w.slug}/funds"
    restricted = {"name": "Street trees", "fund_type": "restricted", "purpose": TREES}
    assert client.post(base, json=restricted).status_code == 401
    assert client.post(base, json=restricted, headers=token(sessions, w.residents[0])).status_code == 403
    missing = client.post(base, json={**restricted, "purpose": ""}, headers=token(sessions, w.members[0]))
    assert (missing.status_code, list(missing.get_json()["fields"])) == (422, ["purpose"])
    wrong = client.post(base, json={**restricted, "fund_type": "secret"}, headers=token(sessions, w.chair))
    assert (wrong.status_code, list(wrong.get_json()["fields"])) == (422, ["fund_type"])
    made = client.post(base, json=restricted, headers=token(sessions, w.members[0]))
    assert made.status_code == 201
    assert made.get_json() == {
        "slug": "street-trees",
        "name": "Street trees",
        "description": "",
        "is_general": False,
        "fund_type": "restricted",
        "purpose": TREES,
        "may_fund_grants": False,
    }
    give_fund(app, w.slug, 20_000, fund="street-trees", key="trees")
    refused = client.post(
        f"/api/v1/neighbourhoods/{w.slug}/grant-rounds",
        json={**NEW_ROUND, "fund": "street-trees"},
        headers=token(sessions, w.chair),
    )
    assert (refused.status_code, list(refused.get_json()["fields"])) == (422, ["fund"])
    balances = client.get(f"/api/v1/neighbourhoods/{w.slug}/fund-balances").get_json()
    assert {b["slug"]: b["available"] for b in balances} == {"general": 0, "street-trees": 0}
    detail = client.get(f"/api/v1/neighbourhoods/{w.slug}").get_json()
    assert [(f["slug"], f["fund_type"]) for f in detail["funds"]] == [
        ("general", "unrestricted"),
        ("street-trees", "restricted"),
    ]
    assert_books_ok(app)
