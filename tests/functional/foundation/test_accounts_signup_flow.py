"""Register, verify, sign in and out through the HTML forms; verification links that are stale or forged."""

from __future__ import annotations

from datetime import timedelta

from tests.helpers.app import PASSWORD, make_user
from tests.helpers.foundation import user_row, visible_text

ADDRESS = "newcomer@example.org"


def _register(web, address: str = ADDRESS, name: str = "New Comer"):
    return web.post(
        "/register", {"email": address, "display_name": name, "password": PASSWORD, "confirm": PASSWORD}
    )


def test_register_verify_login_logout(web, outbox, sessions):
    response = _register(web, "NewComer@Example.org")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")
    assert "Check your email" in web.get("/login").get_data(as_text=True)

    stored = user_row(sessions, ADDRESS)
    assert stored is not None, "the address is stored lower-cased"
    assert stored.email_verified_at is None
    mail = outbox.last(ADDRESS)
    assert mail.subject == "Confirm your email address"
    assert any(url.startswith("http://localhost/verify/") for url in mail.links), "an absolute link"
    link = mail.path("/verify/")
    token = link.rsplit("/", 1)[1]
    assert token.count(".") == 1 and len(token) > 20, "the link carries a signed token"

    followed = web.get(link)
    assert followed.status_code == 302
    assert followed.headers["Location"] == "/login", "the link confirms the address, then asks to sign in"
    assert user_row(sessions, ADDRESS).email_verified_at is not None
    assert web.get("/account").status_code == 302, "following the link signs nobody in"
    web.login(ADDRESS)
    account = web.get("/account")
    assert "email confirmed" in account.get_data(as_text=True)

    assert web.get("/logout").status_code == 405, "signing out needs a POST"
    assert web.post("/logout", csrf=False).status_code == 400, "and its CSRF token"
    assert web.get("/account").status_code == 200, "a refused sign-out leaves the session alone"
    signed_out = web.logout()
    assert signed_out.status_code == 302
    assert web.get("/account").headers["Location"].startswith("/login")

    web.login(ADDRESS)
    assert web.get("/account").status_code == 200


def test_unverified_user_can_sign_in_and_is_asked_to_confirm(web, outbox):
    _register(web)
    web.login(ADDRESS)
    page = web.get("/account").get_data(as_text=True)
    assert "Please confirm your email address" in page
    assert "email confirmed" not in page

    resent = web.post("/verify/resend", {"csrf_token": web.csrf_token("/account")})
    assert resent.status_code == 302
    assert len(outbox.to(ADDRESS)) == 2, "a fresh link is sent on request"
    assert web.get(outbox.last(ADDRESS).path("/verify/")).status_code == 302
    assert "email confirmed" in web.get("/account").get_data(as_text=True)


def test_expired_verification_link_is_refused(web, outbox, clock, sessions):
    _register(web)
    link = outbox.last(ADDRESS).path("/verify/")
    clock.advance(timedelta(hours=48, seconds=1))
    response = web.get(link)
    assert response.status_code == 404
    text = visible_text(response.get_data(as_text=True))
    assert "not valid or has expired" in text
    assert user_row(sessions, ADDRESS).email_verified_at is None
    assert web.get("/account").status_code == 302, "a refused link signs nobody in"


def test_verification_link_just_inside_48_hours_still_works(web, outbox, clock, sessions):
    _register(web)
    link = outbox.last(ADDRESS).path("/verify/")
    clock.advance(timedelta(hours=47, minutes=59))
    assert web.get(link).status_code == 302
    assert user_row(sessions, ADDRESS).email_verified_at is not None


def test_tampered_verification_links_are_refused(web, outbox, sessions):
    _register(web)
    link = outbox.last(ADDRESS).path("/verify/")
    payload, signature = link.rsplit("/", 1)[1].split(".")
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    other_id = make_user(sessions, "someone@example.org", verified=False)
    forged = [
        f"/verify/{payload}.{flipped}",
        f"/verify/{payload[:-2]}.{signature}",
        f"/verify/{payload}",
        "/verify/not-a-token",
        f"/verify/{other_id}.{signature}",
        "/verify/" + "A" * 3000,
    ]
    for path in forged:
        response = web.get(path)
        assert response.status_code == 404, f"{path[:60]} gave {response.status_code}"
        assert "not valid or has expired" in response.get_data(as_text=True)
    assert user_row(sessions, ADDRESS).email_verified_at is None
    assert user_row(sessions, "someone@example.org").email_verified_at is None


def test_verification_link_from_another_secret_is_refused(app, outbox, sessions, web):
    from pledgebank.accounts.tokens import VERIFY_PURPOSE, LinkSigner

    _register(web)
    user = user_row(sessions, ADDRESS)
    forged = LinkSigner("some-other-secret-key-of-enough-length-0000").sign(
        VERIFY_PURPOSE, {"u": user.id, "e": user.email}, app.extensions["pledgebank.clock"].now()
    )
    assert web.get(f"/verify/{forged}").status_code == 404
    assert user_row(sessions, ADDRESS).email_verified_at is None


def test_passwords_are_stored_as_argon2id_hashes(web, sessions):
    _register(web)
    stored = user_row(sessions, ADDRESS)
    assert stored.password_hash.startswith("$argon2id$")
    assert PASSWORD not in stored.password_hash
    make_user(sessions, "twin@example.org")
    assert user_row(sessions, "twin@example.org").password_hash != stored.password_hash, "hashes are salted"


def test_login_redirects_only_to_local_next(web, sessions):
    make_user(sessions, "local@example.org")
    local = web.post("/login?next=/neighbourhoods/new", {"email": "local@example.org", "password": PASSWORD})
    assert local.headers["Location"] == "/neighbourhoods/new"
    for target in ("https://evil.example/", "//evil.example/x"):
        response = web.post(f"/login?next={target}", {"email": "local@example.org", "password": PASSWORD})
        assert response.status_code == 302
        assert response.headers["Location"] == "/neighbourhoods", target
