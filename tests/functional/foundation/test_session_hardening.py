"""Verification links only verify; signing out ends sessions and remember-me cookies on the server."""

from __future__ import annotations

from sqlalchemy import func, select

from pledgebank.accounts.models import SignedOutSession
from pledgebank.db import unit_of_work
from tests.helpers.app import PASSWORD, make_user
from tests.helpers.foundation import new_client, user_row, visible_text

ADDRESS = "careful@example.org"
NEW_PASSWORD = "a brand new passphrase"
REMEMBER = "remember_token"


def _register(web, address: str = ADDRESS):
    form = {"email": address, "display_name": "Careful Person", "password": PASSWORD, "confirm": PASSWORD}
    assert web.post("/register", form).status_code == 302


def _signed_in(client) -> bool:
    response = client.get("/account")
    assert response.status_code in (200, 302), response.status_code
    return response.status_code == 200


def _copy_cookie(source, target, name: str) -> None:
    cookie = source.client.get_cookie(name)
    assert cookie is not None, f"no {name} cookie to copy"
    target.client.set_cookie(name, cookie.value)


def _login_remembered(client, address: str = ADDRESS):
    response = client.post("/login", {"email": address, "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302
    assert client.client.get_cookie(REMEMBER) is not None, "the remember-me cookie is set"


# Verification links


def test_verification_link_confirms_the_address_but_signs_nobody_in(app, web, outbox, sessions):
    _register(web)
    link = outbox.last(ADDRESS).path("/verify/")
    for attempt in range(3):
        browser = new_client(app)
        followed = browser.get(link)
        assert followed.status_code == 302, attempt
        assert followed.headers["Location"].startswith("/login"), "sent to sign in"
        assert not _signed_in(browser), f"fresh browser {attempt + 1} must not be signed in"
    assert user_row(sessions, ADDRESS).email_verified_at is not None
    page = visible_text(new_client(app).get(link, follow_redirects=True).get_data(as_text=True))
    assert "Your email address is confirmed. Sign in to continue." in page


def test_verification_link_signs_nobody_in_after_a_password_change(app, web, outbox, sessions):
    _register(web)
    link = outbox.last(ADDRESS).path("/verify/")
    web.login(ADDRESS)
    changed = web.post(
        "/account/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    stranger = new_client(app)
    assert stranger.get(link).status_code == 302
    assert not _signed_in(stranger)


def test_verification_link_in_the_signed_in_browser_confirms_and_keeps_the_session(web, outbox):
    _register(web)
    web.login(ADDRESS)
    followed = web.get(outbox.last(ADDRESS).path("/verify/"))
    assert followed.status_code == 302
    assert not followed.headers["Location"].startswith("/login")
    page = web.get("/account").get_data(as_text=True)
    assert "email confirmed" in page
    assert "Thank you: your email address is confirmed." in page


# Signing out


def test_logout_ends_a_copied_session_cookie(app, web, sessions):
    make_user(sessions, ADDRESS)
    web.login(ADDRESS)
    thief = new_client(app)
    _copy_cookie(web, thief, "session")
    assert _signed_in(thief), "a copied cookie works while the session lives"
    assert web.logout().status_code == 302
    assert not _signed_in(web)
    assert not _signed_in(thief), "signing out ends the session on the server, not only in this browser"


def test_logout_ends_a_copied_remember_me_cookie(app, web, sessions):
    make_user(sessions, ADDRESS)
    _login_remembered(web)
    thief = new_client(app)
    _copy_cookie(web, thief, REMEMBER)
    assert _signed_in(thief), "the remember-me cookie alone signs in"
    web.logout()
    late_thief = new_client(app)
    _copy_cookie(thief, late_thief, REMEMBER)
    assert not _signed_in(late_thief), "a copied remember-me cookie dies with the sign-out"
    assert not _signed_in(thief)


def test_logout_leaves_the_other_browsers_signed_in(app, web, sessions):
    make_user(sessions, ADDRESS)
    phone = new_client(app)
    web.login(ADDRESS)
    _login_remembered(phone)
    web.logout()
    assert _signed_in(phone)
    web.login(ADDRESS)
    assert _signed_in(web), "signing in again after signing out works"


def test_sign_out_everywhere_ends_every_session_and_remember_me_cookie(app, web, sessions):
    make_user(sessions, ADDRESS)
    make_user(sessions, "neighbour@example.org")
    laptop, phone, neighbour = web, new_client(app), new_client(app)
    laptop.login(ADDRESS)
    _login_remembered(phone)
    neighbour.login("neighbour@example.org")
    copied = new_client(app)
    _copy_cookie(phone, copied, REMEMBER)

    page = laptop.get("/account").get_data(as_text=True)
    assert "Sign out everywhere" in page
    assert laptop.post("/account/sign-out-everywhere", csrf=False).status_code == 400, "needs its CSRF token"
    assert _signed_in(laptop), "a refused request changes nothing"

    done = laptop.post("/account/sign-out-everywhere", {"csrf_token": laptop.csrf_token("/account")})
    assert done.status_code == 302
    assert done.headers["Location"].startswith("/login")
    text = visible_text(laptop.get("/login").get_data(as_text=True))
    assert "You are signed out on every device" in text
    for name, browser in (("laptop", laptop), ("phone", phone), ("copied remember-me cookie", copied)):
        assert not _signed_in(browser), name
    assert _signed_in(neighbour), "other people's sessions are untouched"
    laptop.login(ADDRESS)
    assert _signed_in(laptop)


def test_sign_out_everywhere_needs_a_signed_in_user(web):
    response = web.post("/account/sign-out-everywhere", {"csrf_token": web.csrf_token("/login")})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def _sign_out_records(sessions) -> int:
    with unit_of_work(sessions) as session:
        return session.scalar(select(func.count()).select_from(SignedOutSession))


def test_sign_out_records_are_dropped_once_a_new_password_or_generation_ends_them_anyway(app, web, sessions):
    make_user(sessions, ADDRESS)
    _login_remembered(web)
    kept = new_client(app)
    _copy_cookie(web, kept, REMEMBER)
    web.logout()
    assert _sign_out_records(sessions) == 1
    web.login(ADDRESS)
    web.post("/account/sign-out-everywhere", {"csrf_token": web.csrf_token("/account")})
    assert _sign_out_records(sessions) == 0
    assert not _signed_in(kept), "the copied cookie stays dead after its record is dropped"

    web.login(ADDRESS)
    web.logout()
    web.login(ADDRESS)
    assert _sign_out_records(sessions) == 1
    changed = web.post(
        "/account/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert _sign_out_records(sessions) == 0
