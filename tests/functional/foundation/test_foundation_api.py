"""The JSON API: bearer tokens and scopes, the calling user, neighbourhoods, and the OpenAPI document."""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import select

from pledgebank.accounts.api_tokens import create_api_token
from pledgebank.accounts.models import ApiToken
from pledgebank.db import unit_of_work
from tests.helpers.app import WHEN, add_member, make_neighbourhood, make_user
from tests.helpers.foundation import signed_in_client

_NEW_TOKEN = re.compile(r'<code class="token" id="new-token">([^<]+)</code>')


def make_token(sessions, user_id: int, scope: str = "read-write", name: str = "script") -> str:
    """A personal API token's secret, made through the real service."""
    with unit_of_work(sessions) as session:
        return create_api_token(session, user_id=user_id, name=name, scope=scope, now=WHEN)[1]


def bearer(secret: str) -> dict[str, str]:
    """The Authorization header for a token."""
    return {"Authorization": f"Bearer {secret}"}


def _assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error", "message", "fields"}
    assert body["error"] == code
    assert body["message"]
    return body


def test_me_needs_a_valid_unrevoked_token(app, sessions):
    user = make_user(sessions, "api@example.org", "Api User")
    client = app.test_client()
    _assert_error(client.get("/api/v1/me"), 401, "not_authenticated")
    secret = make_token(sessions, user, "read")
    for header in (
        f"Basic {secret}",
        "Bearer",
        "Bearer ",
        f"Bearer {secret}x",
        f"Bearer {secret[:-1]}",
        secret,
    ):
        _assert_error(client.get("/api/v1/me", headers={"Authorization": header}), 401, "not_authenticated")

    response = client.get("/api/v1/me", headers=bearer(secret))
    assert response.status_code == 200
    me = response.get_json()
    assert me["id"] == user
    assert me["email"] == "api@example.org"
    assert me["display_name"] == "Api User"
    assert me["email_verified"] is True
    assert "password_hash" not in me

    with unit_of_work(sessions) as session:
        token = session.scalar(select(ApiToken).where(ApiToken.user_id == user))
        assert token.last_used_at == app.extensions["pledgebank.clock"].now(), "use is recorded"
    web = signed_in_client(app, sessions, user)
    revoked = web.post(f"/account/tokens/{token.id}/revoke", {"csrf_token": web.csrf_token("/account")})
    assert revoked.status_code == 302
    _assert_error(client.get("/api/v1/me", headers=bearer(secret)), 401, "not_authenticated")


def test_token_made_on_the_account_page_is_shown_once_and_stored_as_a_sha256(app, sessions):
    user = make_user(sessions, "owner@example.org")
    web = signed_in_client(app, sessions, user)
    created = web.post("/account/tokens", {"name": "spreadsheet sync", "scope": "read-write"})
    assert created.status_code == 201
    match = _NEW_TOKEN.search(created.get_data(as_text=True))
    assert match, "the new secret is shown"
    secret = match.group(1)
    assert secret.startswith("pbk_") and len(secret) > 40

    later = web.get("/account").get_data(as_text=True)
    assert secret not in later, "the secret is shown only once"
    assert "spreadsheet sync" in later and secret[:12] in later, "the token is listed by name and prefix"

    with unit_of_work(sessions) as session:
        row = session.scalar(select(ApiToken).where(ApiToken.user_id == user))
        stored = {column.name: getattr(row, column.name) for column in ApiToken.__table__.columns}
    assert stored["token_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert stored["prefix"] == secret[:12]
    assert stored["scope"] == "read-write"
    assert not any(isinstance(value, str) and secret in value for value in stored.values())

    assert app.test_client().get("/api/v1/me", headers=bearer(secret)).get_json()["id"] == user


def test_read_tokens_read_and_read_write_tokens_write(app, sessions):
    founder = make_user(sessions, "founder@example.org", "Founder")
    joiner = make_user(sessions, "joiner@example.org", "Joiner")
    client = app.test_client()
    new = {"name": "Elm Park", "postcode_district": "se15 4ab", "description": "Our streets"}

    read_only = bearer(make_token(sessions, founder, "read"))
    _assert_error(client.post("/api/v1/neighbourhoods", json=new, headers=read_only), 403, "forbidden")
    assert client.get("/api/v1/neighbourhoods", headers=read_only).get_json() == []

    created = client.post("/api/v1/neighbourhoods", json=new, headers=bearer(make_token(sessions, founder)))
    assert created.status_code == 201
    body = created.get_json()
    assert body["slug"] == "elm-park"
    assert body["postcode_district"] == "SE15"
    assert body["my_roles"] == ["chair", "resident"]
    assert [(m["user_id"], m["roles"]) for m in body["members"]] == [(founder, ["chair", "resident"])]
    assert [fund["slug"] for fund in body["funds"]] == ["general"]

    joiner_read = bearer(make_token(sessions, joiner, "read"))
    _assert_error(
        client.post("/api/v1/neighbourhoods/elm-park/members", headers=joiner_read), 403, "forbidden"
    )
    joiner_write = bearer(make_token(sessions, joiner))
    joined = client.post("/api/v1/neighbourhoods/elm-park/members", headers=joiner_write)
    assert joined.status_code == 201
    assert joined.get_json()["user_id"] == joiner
    assert joined.get_json()["roles"] == ["resident"]
    _assert_error(
        client.post("/api/v1/neighbourhoods/elm-park/members", headers=joiner_write), 409, "conflict"
    )
    _assert_error(
        client.post("/api/v1/neighbourhoods/nowhere/members", headers=joiner_write), 404, "not_found"
    )
    _assert_error(client.post("/api/v1/neighbourhoods/elm-park/members"), 401, "not_authenticated")


def test_a_browser_session_can_read_the_api_but_not_write_to_it(app, sessions):
    user = make_user(sessions, "browser@example.org")
    web = signed_in_client(app, sessions, user)
    assert web.get("/api/v1/me").get_json()["id"] == user
    refused = web.client.post(
        "/api/v1/neighbourhoods", json={"name": "Elm Park", "postcode_district": "SE15"}
    )
    _assert_error(refused, 403, "forbidden")
    assert web.get("/api/v1/neighbourhoods").get_json() == []


def test_unverified_users_cannot_create_or_join_through_the_api(app, sessions):
    chair = make_user(sessions, "chair@example.org")
    make_neighbourhood(sessions, chair)
    unverified = make_user(sessions, "unverified@example.org", verified=False)
    headers = bearer(make_token(sessions, unverified))
    client = app.test_client()
    refused = client.post(
        "/api/v1/neighbourhoods", json={"name": "Oak Vale", "postcode_district": "N4"}, headers=headers
    )
    assert "verify your email" in _assert_error(refused, 403, "email_not_verified")["message"]
    _assert_error(
        client.post("/api/v1/neighbourhoods/elm-park/members", headers=headers), 403, "email_not_verified"
    )


def test_members_are_listed_only_to_members(app, sessions):
    chair = make_user(sessions, "chair@example.org", "Chair")
    resident = make_user(sessions, "resident@example.org", "Resident")
    outsider = make_user(sessions, "outsider@example.org", "Outsider")
    make_neighbourhood(sessions, chair)
    add_member(sessions, "elm-park", resident, "treasurer")
    client = app.test_client()

    for who, headers in (("signed out", {}), ("outsider", bearer(make_token(sessions, outsider, "read")))):
        body = client.get("/api/v1/neighbourhoods/elm-park", headers=headers).get_json()
        assert body["name"] == "Elm Park", who
        assert body["members"] is None, who
        assert body["my_roles"] is None, who
        assert [fund["slug"] for fund in body["funds"]] == ["general"], who

    body = client.get(
        "/api/v1/neighbourhoods/elm-park", headers=bearer(make_token(sessions, resident, "read"))
    )
    detail = body.get_json()
    assert detail["my_roles"] == ["resident", "treasurer"]
    assert {m["user_id"]: m["roles"] for m in detail["members"]} == {
        chair: ["chair", "resident"],
        resident: ["resident", "treasurer"],
    }
    assert {m["display_name"] for m in detail["members"]} == {"Chair", "Resident"}
    assert "email" not in detail["members"][0], "members see names and roles, not addresses"
    _assert_error(client.get("/api/v1/neighbourhoods/nowhere"), 404, "not_found")


def test_search_by_name_and_postcode_district(app, sessions):
    chair = make_user(sessions, "chair@example.org")
    make_neighbourhood(sessions, chair, "Elm Park", "SE15")
    make_neighbourhood(sessions, chair, "Oak Vale", "N4")
    make_neighbourhood(sessions, chair, "Peckham Rye", "SE15")
    client = app.test_client()

    def names(query: str) -> list[str]:
        response = client.get("/api/v1/neighbourhoods", query_string={"q": query})
        assert response.status_code == 200, query
        return [item["name"] for item in response.get_json()]

    assert names("") == ["Elm Park", "Oak Vale", "Peckham Rye"]
    assert names("elm") == ["Elm Park"]
    assert names("  OAK  vale ") == ["Oak Vale"]
    assert names("SE15") == ["Elm Park", "Peckham Rye"]
    assert names("se15 4ab") == ["Elm Park", "Peckham Rye"]
    assert names("SE154AB") == ["Elm Park", "Peckham Rye"]
    assert names("n4") == ["Oak Vale"]
    assert names("SE1") == []
    assert names("100%_") == []
    limited = client.get("/api/v1/neighbourhoods", query_string={"limit": 1}).get_json()
    assert [item["name"] for item in limited] == ["Elm Park"]
    assert set(limited[0]) == {"slug", "name", "postcode_district", "description", "currency", "created_at"}


def test_openapi_document_describes_the_paths_with_schemas(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    expected = {
        "/api/v1/me": {"get"},
        "/api/v1/neighbourhoods": {"get", "post"},
        "/api/v1/neighbourhoods/{slug}": {"get"},
        "/api/v1/neighbourhoods/{slug}/members": {"post"},
        "/api/v1/neighbourhoods/{slug}/ledger/balances": {"get"},
        "/api/v1/neighbourhoods/{slug}/ledger/transactions": {"get"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert methods <= set(paths[path]), f"{path}: {set(paths[path])}"
    schemas = document["components"]["schemas"]

    def schema_of(operation: dict, status: str) -> dict:
        content = operation["responses"][status]["content"]["application/json"]["schema"]
        ref = content.get("$ref") or content["items"]["$ref"]
        return schemas[ref.rsplit("/", 1)[1]]

    me = schema_of(paths["/api/v1/me"]["get"], "200")
    assert {"id", "email", "display_name", "email_verified"} <= set(me["properties"])
    detail = schema_of(paths["/api/v1/neighbourhoods/{slug}"]["get"], "200")
    assert {"slug", "name", "postcode_district", "funds", "members", "my_roles"} <= set(detail["properties"])
    listing = schema_of(paths["/api/v1/neighbourhoods"]["get"], "200")
    assert {"slug", "name", "postcode_district"} <= set(listing["properties"])
    create = paths["/api/v1/neighbourhoods"]["post"]
    body_ref = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = schemas[body_ref.rsplit("/", 1)[1]]
    assert {"name", "postcode_district"} <= set(body["required"])
    assert "422" in create["responses"]
    assert document["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}
    assert create["security"] == [{"bearerAuth": []}]
    error = schemas["Error"]["properties"]
    assert {"error", "message", "fields"} <= set(error)
