"""Whatever a client sends (deep JSON, lone surrogates, NUL characters in JSON, forms, query strings, headers
or an uploaded file), the answer is a 4xx naming what is wrong, never a 500, and nothing is written."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from pledgebank.accounts.api_tokens import create_api_token
from pledgebank.db import unit_of_work
from pledgebank.levies.models import Household
from pledgebank.neighbourhoods.models import Neighbourhood
from tests.factories.levies import active_levy, levy_world
from tests.helpers.app import WHEN, WebClient, make_user
from tests.helpers.foundation import signed_in_client

URL = "/api/v1/neighbourhoods"
VALID = '"name": "Elm Park", "postcode_district": "SE15"'


@pytest.fixture
def headers(sessions) -> dict[str, str]:
    """A verified user's read-write token."""
    user = make_user(sessions, "api@example.org")
    with unit_of_work(sessions) as session:
        secret = create_api_token(session, user_id=user, name="script", scope="read-write", now=WHEN)[1]
    return {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}


def _count(sessions, model) -> int:
    with unit_of_work(sessions) as session:
        return session.scalar(select(func.count()).select_from(model))


def _api_error(response, statuses: tuple[int, ...] = (400, 422)) -> dict:
    """The API's error body, checked for its shape and a 4xx status."""
    assert response.status_code in statuses, (response.status_code, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error", "message", "fields"}, body
    assert isinstance(body["message"], str) and body["message"]
    return body


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    ("where", "body"),
    [
        ("a list 5,000 deep", f'{{{VALID}, "description": {_nested(5000)}}}'),
        ("an object 5,000 deep", '{"a":' * 5000 + "1" + "}" * 5000),
        ("a list 100 deep", f'{{{VALID}, "description": {_nested(100)}}}'),
        ("a bare list 100,000 deep", _nested(100_000)),
    ],
)
def test_deeply_nested_json_is_refused_before_it_is_read(app, sessions, headers, where, body):
    response = app.test_client().post(URL, data=body, headers=headers)
    error = _api_error(response, (400,))
    assert error["error"] == "bad_request", where
    assert "nested" in error["message"], error
    assert _count(sessions, Neighbourhood) == 0


def test_json_nested_within_the_limit_is_read_as_usual(app, sessions, headers):
    body = f'{{{VALID}, "description": {_nested(20)}}}'
    error = _api_error(app.test_client().post(URL, data=body, headers=headers), (422,))
    assert set(error["fields"]) == {"description"}  # the schema's own complaint: not a string


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"name": "Elm \\ud800 Park", "postcode_district": "SE15"}', "name"),
        ('{"name": "Elm Park", "postcode_district": "SE15\\udfff"}', "postcode_district"),
        (
            '{"name": "Elm Park", "postcode_district": "SE15", "description": ["a", {"b": "\\udc00"}]}',
            "description.1.b",
        ),
        ('{"name\\ud83d": "Elm Park", "postcode_district": "SE15"}', "name\\ud83d"),
        ('{"name": "Elm Park", "postcode_district": "SE15", "x\\u0000": 1}', "x\\u0000"),
        (b'{"name": "Elm \xed\xa0\x80 Park", "postcode_district": "SE15"}', None),
    ],
)
def test_lone_surrogates_and_nul_in_json_are_refused_naming_the_field(app, sessions, headers, body, field):
    error = _api_error(app.test_client().post(URL, data=body, headers=headers))
    if field is not None:
        assert len(error["fields"]) == 1, error
        assert ("surrogate" in error["message"]) or ("NUL" in error["message"]), error
    assert _count(sessions, Neighbourhood) == 0


def test_a_paired_surrogate_is_an_ordinary_character(app, sessions, headers):
    body = '{"name": "Elm Park \\ud83c\\udfe1", "postcode_district": "SE15"}'
    response = app.test_client().post(URL, data=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["name"] == "Elm Park \U0001f3e1"


def test_nul_in_a_query_string_or_header_is_refused(app, sessions, headers):
    client = app.test_client()
    error = _api_error(client.get(f"{URL}?page=1%00"), (400, 422))
    assert set(error["fields"]) == {"page"}
    token = headers["Authorization"]
    error = _api_error(client.get(URL, headers={"Authorization": token + "\x00"}), (400,))
    assert "Authorization" in error["fields"], error
    page = client.get("/", headers={"X-Anything": "a\x00b", "Accept": "text/html"})
    assert page.status_code == 400 and page.mimetype == "text/html"
    assert "NUL" in page.get_data(as_text=True)


def test_a_form_field_with_nul_is_refused_on_an_html_page(app, sessions):
    client = WebClient(app.test_client())
    response = client.post(
        "/register",
        {"email": "a@example.org", "display_name": "A\x00", "password": "x" * 12, "confirm": "x" * 12},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="display_name-error"' in page and "NUL" in page


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"address,band\n1 Elm Road\x00,A\n", "NUL"),
        (b"address,band\n1 Elm Road,A\n\x002 Elm Road,B\n", "NUL"),
        (b"address,band\n1 Elm \xed\xa0\x80 Road,A\n", "UTF-8"),
    ],
)
def test_an_uploaded_register_with_nul_bytes_is_refused_and_nothing_imported(app, sessions, content, message):
    slug, chair, member, _ = levy_world(sessions)
    levy = active_levy(app, slug, chair, member)
    committee = signed_in_client(app, sessions, member)
    url = f"/levies/{levy}/households"
    form = {"csrf_token": committee.csrf_token(url), "file": (io.BytesIO(content), "register.csv")}
    response = committee.client.post(url, data=form, content_type="multipart/form-data")
    assert response.status_code == 422, response.status_code
    assert message in response.get_data(as_text=True)
    assert _count(sessions, Household) == 0


@pytest.mark.parametrize(
    ("method", "url", "accept", "allowed"),
    [
        ("POST", "/", "text/html", {"GET"}),
        ("DELETE", "/login", "text/html", {"GET", "POST"}),
        ("PUT", URL, "application/json", {"GET", "POST"}),
        ("GET", "/stripe/webhook", "application/json", {"POST"}),
    ],
)
def test_a_wrong_method_is_answered_405_with_the_allowed_methods(app, method, url, accept, allowed):
    response = app.test_client().open(url, method=method, headers={"Accept": accept})
    assert response.status_code == 405
    assert allowed <= {m.strip() for m in response.headers.get("Allow", "").split(",")}, response.headers
    assert response.mimetype == ("application/json" if "json" in accept else "text/html")


@pytest.mark.parametrize(
    "number", [2**63 - 1, 2**63, 10**20, 10**400], ids=["2^63-1", "2^63", "1e20", "1e400"]
)
@pytest.mark.parametrize(
    ("pattern", "accept"),
    [("/p/{}", "text/html"), ("/levies/{}", "text/html"), ("/api/v1/pledges/{}", "application/json")],
)
def test_an_id_in_the_address_too_large_for_any_row_is_not_found(app, sessions, pattern, accept, number):
    user = make_user(sessions, "reader@example.org")
    client = signed_in_client(app, sessions, user)
    response = client.get(pattern.format(number), headers={"Accept": accept})
    assert response.status_code == 404, (pattern, number, response.status_code)
