"""Password reset by emailed link, and changing the password on the account page."""

from __future__ import annotations

from datetime import timedelta

from tests.helpers.app import PASSWORD, make_user
from tests.helpers.foundation import (
    field_error,
    field_tag,
    new_client,
    user_row,
    visible_text,
)

ADDRESS = "forgetful@example.org"
NEW_PASSWORD = "a brand new passphrase"


def _reset_link(web, outbox) -> str:
    assert web.post("/password/forgot", {"email": ADDRESS}).status_code == 302
    mail = outbox.last(ADDRESS)
    assert mail.subject == "Reset your password"
    return mail.path("/password/reset/")


def _login_status(app, password: str) -> int:
    return new_client(app).post("/login", {"email": ADDRESS, "password": password}).status_code


def test_password_reset_end_to_end(app, web, outbox, sessions):
    make_user(sessions, ADDRESS, verified=False)
    link = _reset_link(web, outbox)
    assert web.get(link).status_code == 200

    done = web.post(
        link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": web.csrf_token(link)}
    )
    assert done.status_code == 302
    assert done.headers["Location"] == "/login"
    assert "Your password is changed" in web.get("/login").get_data(as_text=True)
    assert outbox.last(ADDRESS).subject == "Your password was changed"
    assert user_row(sessions, ADDRESS).email_verified_at is not None, "the link proved the address"

    assert _login_status(app, PASSWORD) == 422, "the old password no longer works"
    assert _login_status(app, NEW_PASSWORD) == 302, "the new one does"

    again = web.get(link)
    assert again.status_code == 404, "a used link is dead"
    assert "has been used" in visible_text(again.get_data(as_text=True))
    reuse = web.post(link, {"password": "yet another passphrase", "confirm": "yet another passphrase"})
    assert reuse.status_code == 404
    assert _login_status(app, NEW_PASSWORD) == 302, "a refused reuse changed nothing"


def test_expired_reset_link_is_refused(web, outbox, sessions, clock):
    make_user(sessions, ADDRESS)
    link = _reset_link(web, outbox)
    clock.advance(timedelta(hours=1, seconds=1))
    assert web.get(link).status_code == 404
    posted = web.post(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert posted.status_code == 404
    assert "expired" in posted.get_data(as_text=True)
    assert user_row(sessions, ADDRESS).password_hash.startswith("$argon2id$")
    assert web.post("/login", {"email": ADDRESS, "password": NEW_PASSWORD}).status_code == 422


def test_tampered_reset_link_is_refused(web, outbox, sessions):
    make_user(sessions, ADDRESS)
    link = _reset_link(web, outbox)
    for bad in (
        link[:-3] + "xyz",
        link.replace("/password/reset/", "/password/reset/x"),
        "/password/reset/..",
    ):
        assert web.get(bad).status_code == 404, bad


def test_reset_link_checks_the_new_password(web, outbox, sessions):
    make_user(sessions, ADDRESS)
    link = _reset_link(web, outbox)
    response = web.post(link, {"password": "short", "confirm": "short", "csrf_token": web.csrf_token(link)})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="password-error"' in page
    assert 'href="#password"' in page
    mismatch = web.post(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "!"})
    assert mismatch.status_code == 422
    assert "The passwords do not match." in mismatch.get_data(as_text=True)
    assert web.get(link).status_code == 200, "a refused attempt leaves the link usable"


def test_change_password_with_a_wrong_current_password_is_refused_beside_the_field(web, sessions):
    make_user(sessions, ADDRESS)
    hash_before = user_row(sessions, ADDRESS).password_hash
    web.login(ADDRESS)
    response = web.post(
        "/account/password",
        {"current_password": "not my password", "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "That is not your current password." in field_error(page, "current_password")
    assert 'aria-invalid="true"' in field_tag(page, "current_password")
    assert 'aria-invalid="true"' not in field_tag(page, "new_password")
    assert 'href="#current_password"' in page
    assert user_row(sessions, ADDRESS).password_hash == hash_before


def test_changing_the_password_signs_out_other_sessions(app, web, sessions, outbox):
    make_user(sessions, ADDRESS)
    other_browser = new_client(app)
    web.login(ADDRESS)
    other_browser.login(ADDRESS)
    assert other_browser.get("/account").status_code == 200

    changed = web.post(
        "/account/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert web.get("/account").status_code == 200, "the session that changed it stays signed in"
    stale = other_browser.get("/account")
    assert stale.status_code == 302
    assert stale.headers["Location"].startswith("/login")
    assert outbox.last(ADDRESS).subject == "Your password was changed"
    assert _login_status(app, PASSWORD) == 422
    assert _login_status(app, NEW_PASSWORD) == 302
