"""The JSON API holds the same bounds as the pages, and says so: money and counts beyond what the database
holds, dates thousands of years away and over-long lists are 422s naming the field with nothing written, and
the OpenAPI document gives every number, list and string in a request its bounds."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pledgebank.db import unit_of_work
from pledgebank.grants.models import GrantApplication, GrantRound
from pledgebank.levies.models import Levy
from pledgebank.pledges.models import Pledge, PledgeSignup
from tests.factories.grants import give_fund, make_round, world
from tests.factories.levies import levy_world
from tests.factories.pledges import make_pledge
from tests.helpers.pledge_api import token
from tests.helpers.pledge_pages import people

TOO_BIG = 2**63
FAR_FUTURE = "9999-12-31T23:59:59-01:00"
LONG_AGO = "0001-01-01T00:00:00+01:00"


def count(sessions, model) -> int:
    """Rows of a model."""
    with unit_of_work(sessions) as session:
        return session.scalar(select(func.count()).select_from(model))


def refused(response, field: str) -> None:
    """A 422 whose messages name the field."""
    assert response.status_code == 422, response.get_data(as_text=True)
    assert any(name.split(".")[0] == field for name in response.get_json()["fields"]), response.get_json()


PLEDGE = {
    "title": "Mend the playground fence",
    "description": "New posts and panels along the north side of the playground.",
    "amount_kind": "minimum",
    "amount": 1000,
    "target_pledgers": 40,
    "deadline": "2026-03-20T18:00:00+00:00",
}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", TOO_BIG),
        ("amount", 1_000_000_001),
        ("amount", 0),
        ("target_amount", TOO_BIG),
        ("target_pledgers", TOO_BIG),
        ("target_pledgers", 0),
        ("cap", TOO_BIG),
        ("cap", 1_000_001),
        ("deadline", FAR_FUTURE),
        ("deadline", LONG_AGO),
        ("fund", "x" * 41),
    ],
)
def test_a_pledge_beyond_the_bounds_is_refused(app, sessions, field, value):
    w = people(sessions, "ann")
    response = app.test_client().post(
        f"/api/v1/neighbourhoods/{w.slug}/pledges",
        json={**PLEDGE, field: value},
        headers=token(sessions, w.ids["ann"]),
    )
    refused(response, field)
    assert count(sessions, Pledge) == 0


def test_pledging_more_than_the_money_bound_is_refused(app, sessions):
    w = people(sessions, "ann", "ben")
    pledge_id = make_pledge(app, w.slug, w.ids["ann"], amount_kind="minimum", amount=500)
    response = app.test_client().post(
        f"/api/v1/pledges/{pledge_id}/signups",
        json={"method": "cash", "amount": TOO_BIG},
        headers=token(sessions, w.ids["ben"]),
    )
    refused(response, "amount")
    assert count(sessions, PledgeSignup) == 0


ROUND = {
    "fund": "general",
    "title": "Summer small grants",
    "description": "Money for street parties and planting this summer.",
    "budget": 100_000,
    "max_award": 25_000,
    "opens_at": "2026-03-02T00:00:00+00:00",
    "closes_at": "2026-04-01T00:00:00+01:00",
    "criteria": [{"name": "Benefit to the neighbourhood", "weight": 3}],
}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("closes_at", "9999-12-31T00:00:00+00:00"),
        ("closes_at", FAR_FUTURE),
        ("opens_at", LONG_AGO),
        ("opens_at", "0001-01-01T00:00:00+00:00"),
        ("budget", TOO_BIG),
        ("max_award", TOO_BIG),
        ("quorum_minimum", TOO_BIG),
        ("criteria", [{"name": f"Criterion {n}", "weight": 1} for n in range(51)]),
        ("criteria", []),
    ],
)
def test_a_round_beyond_the_bounds_is_refused(app, sessions, field, value):
    w = world(sessions)
    response = app.test_client().post(
        f"/api/v1/neighbourhoods/{w.slug}/grant-rounds",
        json={**ROUND, field: value},
        headers=token(sessions, w.chair),
    )
    refused(response, field)
    assert count(sessions, GrantRound) == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount_requested", TOO_BIG),
        ("budget_lines", [{"description": "Bulbs", "amount": TOO_BIG}]),
        ("budget_lines", [{"description": f"Item {n}", "amount": 1} for n in range(51)]),
        ("group_name", "x" * 121),
    ],
)
def test_an_application_beyond_the_bounds_is_refused(app, sessions, field, value):
    w = world(sessions)
    give_fund(app, w.slug, 100_000)
    round_id = make_round(app, w)
    application = {
        "title": "Bulbs for the verges",
        "summary": "Crocus bulbs along Victoria Road, planted by volunteers in October.",
        "amount_requested": 12_000,
        "budget_lines": [{"description": "Bulbs", "amount": 12_000}],
        field: value,
    }
    response = app.test_client().post(
        f"/api/v1/grant-rounds/{round_id}/applications",
        json=application,
        headers=token(sessions, w.residents[0]),
    )
    refused(response, field)
    assert count(sessions, GrantApplication) == 0


LEVY = {
    "fund": "general",
    "name": "Garden square upkeep",
    "purpose": "Mowing, bulbs and a new bench for the garden square.",
    "basis": "flat",
    "amount": 450,
    "period": "quarterly",
    "starts_on": "2026-04-01",
    "voluntary": True,
}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("starts_on", "9999-12-31"),
        ("starts_on", "0001-01-01"),
        ("ends_on", "9999-12-31"),
        ("amount", TOO_BIG),
        ("threshold", TOO_BIG),
    ],
)
def test_a_levy_beyond_the_bounds_is_refused(app, sessions, field, value):
    slug, _, member, _ = levy_world(sessions)
    response = app.test_client().post(
        f"/api/v1/neighbourhoods/{slug}/levies", json={**LEVY, field: value}, headers=token(sessions, member)
    )
    refused(response, field)
    assert count(sessions, Levy) == 0


@pytest.mark.parametrize("page", [2**63 - 1, 2**63, 100_001, 0])
def test_ledger_pages_beyond_the_bound_are_refused(app, sessions, page):
    w = people(sessions)
    url = f"/api/v1/neighbourhoods/{w.slug}/ledger/transactions?page={page}"
    refused(app.test_client().get(url, headers=token(sessions, w.ids["chair"], "read")), "page")


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _unbounded(spec: dict, schema: dict, where: str) -> list[str]:
    """Where a request schema leaves a number, list or string without its bounds."""
    schema = _resolve(spec, schema)
    if schema.get("readOnly"):
        return []
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return [
            problem
            for name, part in schema.get("properties", {}).items()
            for problem in _unbounded(spec, part, f"{where}.{name}")
        ]
    if kind == "integer":
        return (
            [] if {"minimum", "maximum"} <= schema.keys() else [f"{where}: integer without minimum/maximum"]
        )
    if kind == "array":
        own = [] if "maxItems" in schema else [f"{where}: array without maxItems"]
        return own + _unbounded(spec, schema.get("items", {}), f"{where}[]")
    if kind == "string":
        bounded = "maxLength" in schema or "enum" in schema or schema.get("format") in ("date", "date-time")
        return [] if bounded else [f"{where}: string without maxLength"]
    return []


def test_the_openapi_document_bounds_every_request_number_list_and_string(app):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    problems, seen = [], 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if not isinstance(operation, dict):
                continue
            for parameter in [*operations.get("parameters", []), *operation.get("parameters", [])]:
                if parameter["in"] == "path" and parameter["schema"].get("type") == "string":
                    continue  # names in paths (slugs) are matched against stored rows, never stored
                seen += 1
                problems += _unbounded(spec, parameter["schema"], f"{method} {path} ?{parameter['name']}")
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                seen += 1
                problems += _unbounded(spec, body["schema"], f"{method} {path} body")
    assert seen >= 15, "the walk reaches the parameters and bodies"
    assert problems == []
