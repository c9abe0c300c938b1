"""The pledges API and pledges of time: the kind in the schema, money fields refused field by field, signing
with method "time", and what happens next shown only to signers once it succeeds."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pledgebank.accounts.api_tokens import create_api_token
from pledgebank.db import unit_of_work
from tests.factories.pledges import neighbourhood_with
from tests.helpers.app import WHEN


def token(sessions, user_id: int) -> dict[str, str]:
    with unit_of_work(sessions) as session:
        secret = create_api_token(session, user_id=user_id, name="token", scope="read-write", now=WHEN)[1]
    return {"Authorization": f"Bearer {secret}"}


def new_time_pledge(app, **changes) -> dict:
    deadline = app.extensions["pledgebank.clock"].now() + timedelta(days=10)
    return {
        "kind": "time",
        "title": "Volunteer two hours at the spring clean-up",
        "description": "Two hours clearing litter and weeding the beds.",
        "next_steps": "Meet at the park gates at 10:00; gloves provided.",
        "target_pledgers": 2,
        "deadline": deadline.isoformat(),
        **changes,
    }


@pytest.mark.parametrize(
    "money",
    [
        {"amount": 500},
        {"amount_kind": "fixed"},
        {"target_amount": 1000},
        {"fund": "general"},
        {"allow_cash": True},
    ],
    ids=lambda money: next(iter(money)),
)
def test_money_fields_are_refused_for_a_pledge_of_time_by_name(app, sessions, money):
    slug, chair, _ = neighbourhood_with(sessions, residents=0)
    client = app.test_client()
    answer = client.post(
        f"/api/v1/neighbourhoods/{slug}/pledges",
        json=new_time_pledge(app, **money),
        headers=token(sessions, chair),
    )
    assert answer.status_code == 422, answer.get_json()
    assert list(answer.get_json()["fields"]) == list(money)
    assert client.get(f"/api/v1/neighbourhoods/{slug}/pledges").get_json() == []


def test_a_money_pledge_still_needs_its_amount(app, sessions):
    slug, chair, _ = neighbourhood_with(sessions, residents=0)
    answer = app.test_client().post(
        f"/api/v1/neighbourhoods/{slug}/pledges",
        json=new_time_pledge(app, kind="money", next_steps=""),
        headers=token(sessions, chair),
    )
    assert answer.status_code == 422
    assert set(answer.get_json()["fields"]) == {"amount", "amount_kind"}


def test_a_pledge_of_time_by_the_api_signed_until_it_succeeds(app, sessions):
    slug, chair, (ann, ben, cat) = neighbourhood_with(sessions, residents=3)
    client = app.test_client()
    made = client.post(
        f"/api/v1/neighbourhoods/{slug}/pledges", json=new_time_pledge(app), headers=token(sessions, chair)
    )
    assert made.status_code == 201, made.get_json()
    pledge = made.get_json()
    assert (pledge["kind"], pledge["amount"], pledge["fund"], pledge["allow_cash"]) == (
        "time",
        0,
        None,
        False,
    )
    assert pledge["next_steps"].startswith("Meet at the park gates")  # the creator sees it

    cash = client.post(
        f"/api/v1/pledges/{pledge['id']}/signups", json={"method": "cash"}, headers=token(sessions, ann)
    )
    assert cash.status_code == 422 and list(cash.get_json()["fields"]) == ["method"]
    paid = client.post(
        f"/api/v1/pledges/{pledge['id']}/signups",
        json={"method": "time", "amount": 100},
        headers=token(sessions, ann),
    )
    assert paid.status_code == 422 and list(paid.get_json()["fields"]) == ["amount"]

    signed = client.post(
        f"/api/v1/pledges/{pledge['id']}/signups", json={"method": "time"}, headers=token(sessions, ann)
    )
    assert signed.status_code == 201
    assert signed.get_json()["signup"]["status"] == "signed" and signed.get_json()["card_setup"] is None
    ann_reads = client.get(f"/api/v1/pledges/{pledge['id']}", headers=token(sessions, ann)).get_json()
    assert ann_reads["next_steps"] is None  # not until it succeeds

    client.post(
        f"/api/v1/pledges/{pledge['id']}/signups", json={"method": "time"}, headers=token(sessions, ben)
    )
    ann_reads = client.get(f"/api/v1/pledges/{pledge['id']}", headers=token(sessions, ann)).get_json()
    assert ann_reads["status"] == "succeeded" and ann_reads["progress"]["pledgers"] == 2
    assert ann_reads["next_steps"].startswith("Meet at the park gates")
    assert (
        client.get(f"/api/v1/pledges/{pledge['id']}", headers=token(sessions, cat)).get_json()["next_steps"]
        is None
    )
    assert client.get(f"/api/v1/pledges/{pledge['id']}").get_json()["next_steps"] is None
