"""Gift Aid through the JSON API: a declaration with no address, a claim naming a gift twice and a claim
overlapping a submitted claim are each refused with the field named, and nothing is stored twice."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from pledgebank.db import unit_of_work
from pledgebank.giftaid.models import GiftAidClaim, GiftAidClaimLine, GiftAidDeclaration
from tests.factories.giftaid import charity_with_gifts, today
from tests.helpers.pledge_api import token

DONOR = {
    "scope": "past-four-years",
    "first_name": "Ann",
    "last_name": "Jones",
    "house": "12",
    "postcode": "S19 2BD",
}


def count(sessions, model) -> int:
    with unit_of_work(sessions) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def refused(response, *names: str, status: int = 422) -> dict:
    body = response.get_json()
    assert response.status_code == status, body
    assert set(names) <= {name.split(".")[0] for name in body["fields"]}, body
    return body


def test_declarations_and_claims_through_the_api(app, sessions):
    c = charity_with_gifts(app, sessions)
    client = app.test_client()
    base = f"/api/v1/neighbourhoods/{c.w.slug}/gift-aid"
    donor = token(sessions, c.w.residents[0])
    refused(
        client.post(f"{base}/declarations", json={**DONOR, "house": "", "postcode": ""}, headers=donor),
        "house",
        "postcode",
    )
    refused(
        client.post(f"{base}/declarations", json={**DONOR, "postcode": "nowhere"}, headers=donor), "postcode"
    )
    refused(
        client.post(
            f"{base}/declarations", json={**DONOR, "scope": "this-gift", "gift": c.signups[1]}, headers=donor
        ),
        "gift",
    )
    assert count(sessions, GiftAidDeclaration) == 0
    made = client.post(f"{base}/declarations", json=DONOR, headers=donor)
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["wording_sha256"] and "past 4 years" in made.get_json()["wording"]

    treasurer = token(sessions, c.w.treasurer)
    day = today(app)
    period = {"period_start": (day - timedelta(days=9)).isoformat(), "period_end": day.isoformat()}
    body = refused(
        client.post(f"{base}/claims", json={**period, "gifts": [c.refs[0], c.refs[0]]}, headers=treasurer),
        "gifts",
    )
    assert "twice" in body["fields"]["gifts"][0]
    refused(client.post(f"{base}/claims", json={**period, "gifts": ["x" * 41]}, headers=treasurer), "gifts")
    refused(
        client.post(f"{base}/claims", json={**period, "period_end": "9999-12-31"}, headers=treasurer),
        "period_end",
    )
    assert client.post(f"{base}/claims", json=period, headers=donor).status_code == 403
    claim = client.post(f"{base}/claims", json=period, headers=treasurer)
    assert claim.status_code == 201, claim.get_json()
    assert (claim.get_json()["gifts"], claim.get_json()["gift_aid"]) == ([c.refs[0]], 250)
    body = refused(client.post(f"{base}/claims", json=period, headers=treasurer), "period_start", status=409)
    assert "overlaps" in body["fields"]["period_start"][0]
    assert (count(sessions, GiftAidClaim), count(sessions, GiftAidClaimLine)) == (1, 1)
