"""Every HTML form validates every field and shows the error beside it; hostile input never gives a 500."""

from __future__ import annotations

import pytest

from tests.helpers.app import PASSWORD, make_neighbourhood, make_user
from tests.helpers.foundation import (
    field_error,
    field_tag,
    new_client,
    signed_in_client,
    user_row,
)

SIGNED_OUT_FORMS = {
    "/register": ("email", "display_name", "password", "confirm"),
    "/login": ("email", "password"),
    "/password/forgot": ("email",),
}
SIGNED_IN_FORMS = {
    "/account/password": ("current_password", "new_password", "confirm"),
    "/account/tokens": ("name",),
    "/neighbourhoods/new": ("name", "postcode_district"),
    "/n/elm-park/funds": ("name",),
}


def _assert_fields_flagged(page: str, fields: tuple[str, ...], where: str) -> None:
    assert "There is a problem" in page, f"{where}: no error summary"
    for name in fields:
        assert field_error(page, name), f"{where}: no error beside {name}"
        assert f'href="#{name}"' in page, f"{where}: the summary does not link to {name}"
        assert 'aria-invalid="true"' in field_tag(page, name), f"{where}: {name} is not aria-invalid"


@pytest.fixture
def chair_client(app, sessions):
    """A signed-in, verified chair of Elm Park."""
    chair = make_user(sessions, "chair@example.org", "Chair")
    make_neighbourhood(sessions, chair)
    return signed_in_client(app, sessions, chair)


def test_empty_signed_out_forms_flag_every_field(app):
    for path, fields in SIGNED_OUT_FORMS.items():
        client = new_client(app)
        response = client.post(path, {})
        assert response.status_code == 422, path
        _assert_fields_flagged(response.get_data(as_text=True), fields, path)


def test_empty_signed_in_forms_flag_every_field(chair_client):
    for path, fields in SIGNED_IN_FORMS.items():
        response = chair_client.post(path, {"csrf_token": chair_client.csrf_token("/account")})
        assert response.status_code == 422, path
        _assert_fields_flagged(response.get_data(as_text=True), fields, path)


def test_reset_form_flags_every_field(app, sessions, outbox):
    make_user(sessions, "reset@example.org")
    client = new_client(app)
    client.post("/password/forgot", {"email": "reset@example.org"})
    link = outbox.last("reset@example.org").path("/password/reset/")
    response = client.post(link, {"csrf_token": client.csrf_token(link)})
    assert response.status_code == 422
    _assert_fields_flagged(response.get_data(as_text=True), ("password", "confirm"), link)


REGISTER_RULES = [
    ({"email": "not-an-address"}, "email", "Enter an email address like name@example.com."),
    ({"email": "a@b"}, "email", "Enter an email address like name@example.com."),
    ({"email": "x" * 250 + "@example.org"}, "email", "254"),
    ({"display_name": "n" * 81}, "display_name", "80"),
    ({"display_name": "   "}, "display_name", "Enter your name."),
    ({"password": "short", "confirm": "short"}, "password", "Use 10 to 128 characters."),
    ({"password": "p" * 129, "confirm": "p" * 129}, "password", "Use 10 to 128 characters."),
    ({"confirm": "something else entirely"}, "confirm", "The passwords do not match."),
]


def _assert_only(page: str, field: str, message: str, fields: tuple[str, ...], case: str) -> None:
    assert message in field_error(page, field), f"{case}: {field_error(page, field)!r}"
    assert 'aria-invalid="true"' in field_tag(page, field), case
    assert f'href="#{field}"' in page, case
    others = [name for name in fields if name != field and field_error(page, name)]
    assert others == [], f"{case}: only {field} is wrong, yet {others} are flagged"


def test_register_checks_each_field(app, sessions):
    valid = {"email": "fine@example.org", "display_name": "Fine", "password": PASSWORD, "confirm": PASSWORD}
    client = new_client(app)
    for form, field, message in REGISTER_RULES:
        response = client.post("/register", {**valid, **form})
        assert response.status_code == 422, form
        _assert_only(response.get_data(as_text=True), field, message, tuple(valid), str(form)[:50])
    assert user_row(sessions, "fine@example.org") is None


NEIGHBOURHOOD_RULES = [
    ({"name": "ab"}, "name", "between 3 and 120"),
    ({"name": "n" * 121}, "name", "between 3 and 120"),
    ({"name": "   \t  "}, "name", "Give the neighbourhood a name."),
    ({"postcode_district": "!!!"}, "postcode_district", "Enter a postcode district such as SE15"),
    ({"postcode_district": "SE15 4AB EXTRA"}, "postcode_district", "10"),
    ({"description": "d" * 2001}, "description", "2000"),
]


def test_signed_in_forms_check_each_field(chair_client):
    valid = {"name": "Victoria Road", "postcode_district": "SE16", "description": ""}
    for form, field, message in NEIGHBOURHOOD_RULES:
        response = chair_client.post("/neighbourhoods/new", {**valid, **form})
        assert response.status_code == 422, form
        _assert_only(response.get_data(as_text=True), field, message, tuple(valid), str(form)[:50])

    both = chair_client.post("/neighbourhoods/new", {"name": "", "postcode_district": "!!!"})
    assert both.status_code == 422
    page = both.get_data(as_text=True)
    assert field_error(page, "name") and field_error(page, "postcode_district"), "both errors at once"

    assert chair_client.post("/n/elm-park/funds", {"name": "Playground"}).status_code == 302
    duplicate = chair_client.post("/n/elm-park/funds", {"name": "  playground "})
    assert duplicate.status_code == 409, "a clash with a fund that exists, as the API answers it"
    message = "There is already a fund with that name."
    _assert_only(duplicate.get_data(as_text=True), "name", message, ("name", "description"), "duplicate fund")

    scope = chair_client.post("/account/tokens", {"name": "sync", "scope": "admin"})
    assert scope.status_code == 422
    assert field_error(scope.get_data(as_text=True), "scope")
    assert 'href="#scope' in scope.get_data(as_text=True)


HOSTILE = [
    "x" * 20_000,
    "\U0001f3e1 Ĉàfé \u202eevil\u202c 中文 \u0301",
    "\x00nul\x00",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\r\n\t",
    "%s%n{0}{{7*7}}",
]


def _check(response, where: str, allowed: tuple[int, ...], value: str) -> None:
    assert response.status_code in allowed, f"{where} with {value[:30]!r}: {response.status_code}"
    if "<script>" in value:
        assert value not in response.get_data(as_text=True), f"{where} echoed markup unescaped"


def test_hostile_values_never_break_a_signed_out_form(app, sessions, outbox):
    make_user(sessions, "reset@example.org")
    new_client(app).post("/password/forgot", {"email": "reset@example.org"})
    reset_link = outbox.last("reset@example.org").path("/password/reset/")
    for value in HOSTILE:
        posts = {
            "/register": {"email": value, "display_name": value, "password": value, "confirm": value},
            "/login": {"email": value, "password": value},
            "/password/forgot": {"email": value},
            reset_link: {"password": value, "confirm": value + "!"},
        }
        for path, form in posts.items():
            _check(new_client(app).post(path, form), path, (302, 422), value)
        for path in (f"/neighbourhoods?q={value[:2000]}", f"/n/{value[:200]}", f"/verify/{value[:2000]}"):
            _check(new_client(app).get(path), path, (200, 404, 422), value)


def test_hostile_values_never_break_a_signed_in_form(sessions, chair_client):
    chair = user_row(sessions, "chair@example.org").id
    for value in HOSTILE:
        posts = {
            "/neighbourhoods/new": {"name": value, "postcode_district": value, "description": value},
            "/n/elm-park/funds": {"name": value, "description": value},
            "/account/tokens": {"name": value, "scope": value},
            "/account/password": {"current_password": value, "new_password": value, "confirm": value},
            f"/n/elm-park/members/{chair}/roles": {"role": value, "change": value},
            f"/n/elm-park/members/{chair}/remove": {"reason": value},
        }
        for path, form in posts.items():
            _check(chair_client.post(path, form), path, (201, 302, 409, 422), value)
