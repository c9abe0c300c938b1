"""Where a pledge's money goes, on the pages and the API: a resident's pledge opens a restricted fund of its
own; the committee or the chair may pick an existing fund, each offered with its type and purpose."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from pledgebank.db import unit_of_work
from pledgebank.neighbourhoods import funds
from pledgebank.neighbourhoods.models import Fund
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.pledges.models import Pledge
from tests.helpers.app import WHEN
from tests.helpers.pledge_api import NEW, token
from tests.helpers.pledge_forms import VALID
from tests.helpers.pledge_pages import error_beside, people, pledge_row, text_of

TREES = "Planting and watering street trees along Victoria Road."


def add_funds(sessions, world) -> None:
    """The chair adds a restricted fund, a designated fund and an endowment."""
    with unit_of_work(sessions) as session:
        place = get_neighbourhood(session, world.slug)
        for name, kind, purpose in (
            ("Street trees", "restricted", TREES),
            ("Playground fund", "designated", ""),
            ("Hall capital", "endowment", ""),
        ):
            funds.add_fund(
                session,
                actor_id=world.ids["chair"],
                neighbourhood=place,
                name=name,
                description="",
                fund_type=kind,
                purpose=purpose,
                now=WHEN,
            )


def fund_values(page: str) -> list[str]:
    """The values of the fund choices offered."""
    return re.findall(r'<input[^>]*name="fund"[^>]*value="([^"]*)"', page) or re.findall(
        r'<input[^>]*value="([^"]*)"[^>]*name="fund"', page
    )


def counts(sessions) -> tuple[int, int]:
    """How many pledges and funds there are."""
    with unit_of_work(sessions) as session:
        return (
            session.scalar(select(func.count()).select_from(Pledge)),
            session.scalar(select(func.count()).select_from(Fund)),
        )


def test_a_resident_is_offered_only_a_new_restricted_fund_and_may_not_pick_another(app, sessions):
    world = people(sessions, "ann")
    add_funds(sessions, world)
    ann = world.client(app, sessions, "ann")
    page = ann.get(f"/n/{world.slug}/pledges/new").get_data(as_text=True)
    assert fund_values(page) == ["+own"]
    assert "A new restricted fund for this pledge" in text_of(ann.get(f"/n/{world.slug}/pledges/new"))

    before = counts(sessions)
    for fund in ("general", "street-trees"):
        refused = ann.post(f"/n/{world.slug}/pledges/new", {**VALID, "fund": fund})
        assert refused.status_code == 422
        assert "Choose one of the funds offered." in error_beside(refused.get_data(as_text=True), "fund")
    assert counts(sessions) == before, "nothing is written"

    made = ann.post(f"/n/{world.slug}/pledges/new", {k: v for k, v in VALID.items() if k != "fund"})
    assert made.status_code == 302, "the pledge's own fund is the default"
    pledge = pledge_row(sessions, int(made.headers["Location"].rsplit("/", 1)[1]))
    assert pledge.own_fund is True
    shown = text_of(ann.get(made.headers["Location"]))
    assert "a restricted fund: it may be spent only on what this pledge says" in shown


def test_the_chair_picks_an_existing_fund_shown_with_its_type_and_purpose(app, sessions):
    world = people(sessions)
    add_funds(sessions, world)
    chair = world.client(app, sessions, "chair")
    response = chair.get(f"/n/{world.slug}/pledges/new")
    assert fund_values(response.get_data(as_text=True)) == [
        "+own",
        "general",
        "playground-fund",
        "street-trees",
    ]
    page = text_of(response)
    assert f"Street trees (restricted to: {TREES})" in page
    assert "General fund (unrestricted" in page and "Playground fund (designated" in page
    assert "Hall capital" not in page, "an endowment takes no pledges"

    refused = chair.post(f"/n/{world.slug}/pledges/new", {**VALID, "fund": "hall-capital"})
    assert refused.status_code == 422 and error_beside(refused.get_data(as_text=True), "fund")

    made = chair.post(f"/n/{world.slug}/pledges/new", {**VALID, "fund": "street-trees"})
    assert made.status_code == 302
    pledge = pledge_row(sessions, int(made.headers["Location"].rsplit("/", 1)[1]))
    assert pledge.own_fund is False
    assert f"it may be spent only on “{TREES}”" in text_of(chair.get(made.headers["Location"]))
    edit = chair.get(f"/p/{pledge.id}/edit").get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*value="street-trees"|value="street-trees"[^>]*checked', edit)


def test_the_api_opens_an_own_fund_unless_an_officer_names_one(app, sessions):
    world = people(sessions, "ann")
    add_funds(sessions, world)
    client, url = app.test_client(), f"/api/v1/neighbourhoods/{world.slug}/pledges"
    ann, chair = token(sessions, world.ids["ann"]), token(sessions, world.ids["chair"])
    before = counts(sessions)
    refused = client.post(url, json={**NEW, "fund": "general"}, headers=ann)
    assert refused.status_code == 422
    assert "Only the committee or the chair" in refused.get_json()["fields"]["fund"][0]
    endowment = client.post(url, json={**NEW, "fund": "hall-capital"}, headers=chair)
    assert endowment.status_code == 422 and "endowment" in endowment.get_json()["fields"]["fund"][0]
    assert counts(sessions) == before

    own = client.post(url, json={**NEW, "fund": None}, headers=ann)
    assert own.status_code == 201 and own.get_json()["fund_type"] == "restricted"
    general = client.post(url, json={**NEW, "fund": "general"}, headers=chair)
    assert general.status_code == 201
    assert (general.get_json()["fund"], general.get_json()["fund_type"]) == ("general", "unrestricted")


def test_the_levy_form_shows_each_funds_type_and_purpose(app, sessions):
    world = people(sessions)
    add_funds(sessions, world)
    page = text_of(world.client(app, sessions, "chair").get(f"/n/{world.slug}/levies/new"))
    assert f"Street trees (restricted to: {TREES})" in page
    assert "General fund (unrestricted" in page and "Playground fund (designated" in page
