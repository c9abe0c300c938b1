"""The right of access through the API: GET /api/v1/me/data serves the same streamed document as the
/account/data.json download, to any valid token, read-only ones included; closing an account is not offered
there (it asks for the password, on the web)."""

from __future__ import annotations

import json

from pledgebank.accounts.api_tokens import create_api_token
from pledgebank.db import unit_of_work
from tests.factories.privacy import EMAIL, TOKEN_NAME, everything
from tests.helpers.app import PASSWORD, WebClient


def _read_token(app, sessions, user_id: int) -> str:
    with unit_of_work(sessions) as session:
        _token, secret = create_api_token(
            session,
            user_id=user_id,
            name="Phone app",
            scope="read",
            now=app.extensions["pledgebank.clock"].now(),
        )
    return secret


def test_a_read_token_downloads_the_same_document_as_the_web(app, sessions, web):
    done = everything(app, sessions)
    secret = _read_token(app, sessions, done.person)
    web.login(EMAIL)

    response = app.test_client().get("/api/v1/me/data", headers={"Authorization": f"Bearer {secret}"})
    # Read after the call, which marks the token used: both documents then describe the same moment.
    downloaded = json.loads(web.get("/account/data.json").get_data(as_text=True))
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "application/json" and response.headers["Cache-Control"] == "no-store"
    served = json.loads(response.get_data(as_text=True))
    assert served == downloaded  # the clock is frozen, so even generated_at agrees
    assert served["user_id"] == done.person
    assert served["sections"]["households"]["rows"] and served["sections"]["pledges_signed"]["rows"]
    token_names = {row["name"] for row in served["sections"]["api_tokens"]["rows"]}
    assert {TOKEN_NAME, "Phone app"} <= token_names
    assert secret not in response.get_data(as_text=True)


def test_without_a_valid_token_nothing_is_served(app, sessions):
    done = everything(app, sessions)
    client = app.test_client()
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic abc"}):
        response = client.get("/api/v1/me/data", headers=headers)
        assert response.status_code == 401, headers
        assert response.get_json()["error"] and EMAIL not in response.get_data(as_text=True)

    # A closed account's tokens are gone with it.
    bearer = {"Authorization": f"Bearer {done.token_secret}"}
    assert client.get("/api/v1/me/data", headers=bearer).status_code == 200
    browser = WebClient(app.test_client())
    browser.login(EMAIL)
    assert browser.post("/account/close", {"password": PASSWORD, "confirm": "y"}).status_code == 302
    assert client.get("/api/v1/me/data", headers=bearer).status_code == 401


def test_the_api_offers_only_reading_and_says_where_closing_is(app, sessions):
    done = everything(app, sessions)
    bearer = {"Authorization": f"Bearer {done.token_secret}"}  # read-write, even so
    client = app.test_client()
    for method in (client.post, client.delete, client.put):
        assert method("/api/v1/me/data", headers=bearer).status_code == 405
    operation = client.get("/api/v1/openapi.json").get_json()["paths"]["/api/v1/me/data"]
    assert set(operation) == {"get"}
    assert "/account/close" in operation["get"]["description"]
    assert operation["get"]["security"] == [{"bearerAuth": []}]
