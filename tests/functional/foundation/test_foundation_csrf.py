"""Every HTML form POST without a valid CSRF token is refused with 400 and changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from pledgebank.accounts.api_tokens import create_api_token
from pledgebank.accounts.models import ApiToken, User
from pledgebank.books.models import AuditEvent
from pledgebank.db import unit_of_work
from pledgebank.neighbourhoods.models import Fund, Membership, MembershipRole, Neighbourhood
from tests.helpers.app import PASSWORD, WHEN, add_member, make_neighbourhood, make_user
from tests.helpers.foundation import new_client, signed_in_client, visible_text


def _counts(sessions) -> dict[str, int]:
    with unit_of_work(sessions) as session:
        return {
            model.__name__: session.scalar(select(func.count()).select_from(model))
            for model in (User, ApiToken, Neighbourhood, Membership, MembershipRole, Fund, AuditEvent)
        }


def test_signed_out_forms_refuse_posts_without_a_token(app, sessions, outbox):
    make_user(sessions, "someone@example.org")
    before = _counts(sessions)
    client = new_client(app)
    client.get("/login")  # a session exists, so only the token is missing
    posts = {
        "/login": {"email": "someone@example.org", "password": PASSWORD},
        "/register": {
            "email": "new@example.org",
            "display_name": "New",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
        "/password/forgot": {"email": "someone@example.org"},
    }
    for path, form in posts.items():
        for token in (None, "forged-token", client.csrf_token() + "x"):
            data = form if token is None else {**form, "csrf_token": token}
            response = client.post(path, data, csrf=False)
            assert response.status_code == 400, f"{path} with token {token!r}: {response.status_code}"
            assert "This form has expired" in visible_text(response.get_data(as_text=True))
    assert client.get("/account").status_code == 302, "nobody was signed in"
    assert _counts(sessions) == before
    assert outbox.all() == []


def test_token_from_another_session_is_refused(app, sessions):
    make_user(sessions, "someone@example.org")
    attacker = new_client(app)
    stolen = attacker.csrf_token()
    victim = new_client(app)
    victim.get("/login")
    response = victim.post(
        "/login", {"email": "someone@example.org", "password": PASSWORD, "csrf_token": stolen}, csrf=False
    )
    assert response.status_code == 400


def test_signed_in_forms_refuse_posts_without_a_token(app, sessions):
    chair = make_user(sessions, "chair@example.org", "Chair")
    resident = make_user(sessions, "resident@example.org", "Resident")
    joiner = make_user(sessions, "joiner@example.org", "Joiner")
    slug = make_neighbourhood(sessions, chair)
    add_member(sessions, slug, resident)
    with unit_of_work(sessions) as session:
        token, _secret = create_api_token(session, user_id=chair, name="sync", scope="read", now=WHEN)
    token_id = token.id
    before = _counts(sessions)
    as_chair = signed_in_client(app, sessions, chair)
    as_joiner = signed_in_client(app, sessions, joiner)
    as_resident = signed_in_client(app, sessions, resident)
    attempts = [
        (as_joiner, f"/n/{slug}/join", {}),
        (as_resident, f"/n/{slug}/leave", {}),
        (as_chair, f"/n/{slug}/members/{resident}/roles", {"role": "committee", "change": "grant"}),
        (as_chair, f"/n/{slug}/members/{resident}/remove", {"reason": "testing"}),
        (as_chair, f"/n/{slug}/funds", {"name": "Playground"}),
        (as_chair, "/neighbourhoods/new", {"name": "Another Place", "postcode_district": "SE16"}),
        (
            as_chair,
            "/account/password",
            {"current_password": PASSWORD, "new_password": "x" * 12, "confirm": "x" * 12},
        ),
        (as_chair, "/account/tokens", {"name": "sneaky", "scope": "read-write"}),
        (as_chair, f"/account/tokens/{token_id}/revoke", {}),
        (as_chair, "/verify/resend", {}),
        (as_chair, "/logout", {}),
    ]
    for client, path, form in attempts:
        response = client.post(path, form, csrf=False)
        assert response.status_code == 400, f"{path}: {response.status_code}"
    assert _counts(sessions) == before
    with unit_of_work(sessions) as session:
        assert session.get(ApiToken, token_id).revoked_at is None
    assert as_chair.get("/account").status_code == 200, "the refused sign-out left the chair signed in"
    assert as_chair.post("/logout").status_code == 302, "with the token the same post works"
