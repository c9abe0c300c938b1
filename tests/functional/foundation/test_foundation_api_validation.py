"""Bad input to the API is a 4xx JSON error naming the fields; nothing a caller sends produces a 500."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from pledgebank.accounts.api_tokens import create_api_token
from pledgebank.db import unit_of_work
from pledgebank.neighbourhoods.models import Neighbourhood
from tests.helpers.app import WHEN, make_user

URL = "/api/v1/neighbourhoods"


@pytest.fixture
def headers(sessions) -> dict[str, str]:
    """A verified user's read-write token."""
    user = make_user(sessions, "api@example.org")
    with unit_of_work(sessions) as session:
        secret = create_api_token(session, user_id=user, name="script", scope="read-write", now=WHEN)[1]
    return {"Authorization": f"Bearer {secret}"}


def _count(sessions) -> int:
    with unit_of_work(sessions) as session:
        return session.scalar(select(func.count()).select_from(Neighbourhood))


def _error(response, status: int = 422) -> dict:
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error", "message", "fields"}, body
    assert isinstance(body["message"], str) and body["message"]
    assert all(isinstance(v, list) and all(isinstance(m, str) for m in v) for v in body["fields"].values())
    return body


def test_missing_name_and_bad_district_are_both_named(app, sessions, headers):
    body = _error(app.test_client().post(URL, json={"postcode_district": "!!"}, headers=headers))
    assert body["error"] == "invalid_input"
    assert set(body["fields"]) == {"name", "postcode_district"}, body["fields"]
    assert "Missing data" in body["fields"]["name"][0]
    assert "postcode district" in body["fields"]["postcode_district"][0]
    assert _count(sessions) == 0


BAD_PAYLOADS = [
    ({}, {"name", "postcode_district"}),
    ({"name": "", "postcode_district": ""}, {"name", "postcode_district"}),
    ({"name": "ab", "postcode_district": "SE15"}, {"name"}),
    ({"name": "n" * 121, "postcode_district": "SE15"}, {"name"}),
    ({"name": "   ", "postcode_district": "SE15"}, {"name"}),
    ({"name": "Elm Park", "postcode_district": "S"}, {"postcode_district"}),
    ({"name": "Elm Park", "postcode_district": "ABCDEFGHIJK"}, {"postcode_district"}),
    ({"name": "Elm Park", "postcode_district": "££"}, {"postcode_district"}),
    ({"name": "Elm Park", "postcode_district": "SE15", "description": "d" * 2001}, {"description"}),
    ({"name": 123, "postcode_district": ["SE15"]}, {"name", "postcode_district"}),
    ({"name": None, "postcode_district": {"a": 1}}, {"name", "postcode_district"}),
    (
        {"name": True, "postcode_district": 15.5, "description": 7},
        {"name", "postcode_district", "description"},
    ),
    ({"name": "Elm Park", "postcode_district": "SE15", "admin": True}, {"admin"}),
    ({"name": "Elm\x00Park", "postcode_district": "SE15"}, {"name"}),
    (
        {"name": "Elm Park", "postcode_district": "SE15", "description": ["a", {"b": "\x00"}]},
        {"description.1.b"},
    ),
]


def test_bad_payloads_name_the_fields(app, sessions, headers):
    client = app.test_client()
    wrong = []
    for payload, fields in BAD_PAYLOADS:
        body = _error(client.post(URL, json=payload, headers=headers))
        if set(body["fields"]) != fields:
            wrong.append(f"{str(payload)[:60]}: named {sorted(body['fields'])}, expected {sorted(fields)}")
    assert not wrong, "\n".join(wrong)
    assert _count(sessions) == 0


NOT_AN_OBJECT = [
    ("name=Elm+Park&postcode_district=SE15", "application/x-www-form-urlencoded"),
    ("not json at all", "application/json"),
    ('{"name": "Elm Park", ', "application/json"),
    ("[]", "application/json"),
    ('"just a string"', "application/json"),
    ("null", "application/json"),
    ("\xff\xfe garbage", "application/json"),
    ("", "application/json"),
    ("plain words", "text/plain"),
]


def test_bodies_that_are_not_a_json_object_are_refused(app, sessions, headers):
    client = app.test_client()
    for data, content_type in NOT_AN_OBJECT:
        response = client.post(URL, data=data.encode("latin-1"), content_type=content_type, headers=headers)
        assert 400 <= response.status_code < 500, (data, content_type, response.status_code)
        _error(response, response.status_code)
    assert _count(sessions) == 0


def test_a_body_over_the_size_limit_is_refused_as_json(app, headers):
    payload = json.dumps({"name": "Elm Park", "postcode_district": "SE15", "description": "x" * 3_000_000})
    response = app.test_client().post(URL, data=payload, content_type="application/json", headers=headers)
    assert _error(response, 413)["error"] == "too_large"


def test_unicode_and_markup_are_stored_as_given(app, sessions, headers):
    payload = {"name": "Ĉàfé Corner \U0001f3e1", "postcode_district": "sw1a 1aa", "description": "<b>hi</b>"}
    response = app.test_client().post(URL, json=payload, headers=headers)
    assert response.status_code == 201
    body = response.get_json()
    assert body["name"] == "Ĉàfé Corner \U0001f3e1"
    assert body["postcode_district"] == "SW1A"
    assert body["description"] == "<b>hi</b>"
    assert body["slug"] == "caf-corner" or body["slug"].isascii()


def test_bad_search_parameters_name_the_field(app):
    client = app.test_client()
    for query in ({"limit": 0}, {"limit": 101}, {"limit": "ten"}, {"q": "q" * 101}, {"limit": "1e9"}):
        body = _error(client.get(URL, query_string=query))
        assert set(body["fields"]) == set(query), (query, body["fields"])


def test_wrong_methods_and_paths_answer_in_json(app, headers):
    client = app.test_client()
    assert _error(client.delete(URL, headers=headers), 405)["error"] == "method_not_allowed"
    assert _error(client.put("/api/v1/me", headers=headers), 405)["error"] == "method_not_allowed"
    assert _error(client.get("/api/v1/neighbourhoods/" + "x" * 5000), 404)["error"] == "not_found"
    assert _error(client.get("/api/v1/neighbourhoods/%00"), 404)["error"] == "not_found"
