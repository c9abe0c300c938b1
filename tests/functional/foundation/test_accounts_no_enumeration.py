"""Nothing the service says reveals whether an email address has an account."""

from __future__ import annotations

from pledgebank.accounts.models import User
from pledgebank.db import unit_of_work
from tests.helpers.app import PASSWORD, make_user
from tests.helpers.foundation import comparable, new_client, user_row

KNOWN = "known@example.org"
UNKNOWN = "unknown@example.org"


def _follow(client, response) -> str:
    """The page a redirect lands on, with per-session details blanked."""
    assert response.status_code == 302, response.status_code
    return comparable(client.get(response.headers["Location"]).get_data(as_text=True))


def test_registering_a_taken_address_looks_the_same_and_emails_the_owner(app, sessions, outbox):
    make_user(sessions, KNOWN, "Known Person")
    hash_before = user_row(sessions, KNOWN).password_hash
    fresh, taken = new_client(app), new_client(app)
    form = {"display_name": "Somebody", "password": "a different password", "confirm": "a different password"}

    new_response = fresh.post("/register", {**form, "email": UNKNOWN})
    taken_response = taken.post("/register", {**form, "email": "Known@Example.org"})

    assert new_response.status_code == taken_response.status_code == 302
    assert new_response.headers["Location"] == taken_response.headers["Location"]
    assert _follow(fresh, new_response) == _follow(taken, taken_response)

    assert [mail.subject for mail in outbox.to(UNKNOWN)] == ["Confirm your email address"]
    owner_mail = outbox.to(KNOWN)
    assert [mail.subject for mail in owner_mail] == ["Someone tried to register with your address"]
    assert not any("/verify/" in link for link in owner_mail[0].links)
    assert user_row(sessions, KNOWN).password_hash == hash_before, "the existing account is untouched"
    with unit_of_work(sessions) as session:
        assert session.query(User).filter(User.email == KNOWN).count() == 1


def test_forgot_password_answers_the_same_for_known_and_unknown_addresses(app, sessions, outbox):
    make_user(sessions, KNOWN)
    first, second = new_client(app), new_client(app)

    known = first.post("/password/forgot", {"email": KNOWN})
    unknown = second.post("/password/forgot", {"email": UNKNOWN})

    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    known_page, unknown_page = _follow(first, known), _follow(second, unknown)
    assert known_page == unknown_page
    assert "If that address has an account" in known_page
    assert [mail.subject for mail in outbox.to(KNOWN)] == ["Reset your password"]
    assert outbox.to(UNKNOWN) == []


def test_forgot_password_for_a_deactivated_account_sends_nothing_and_looks_the_same(app, sessions, outbox):
    make_user(sessions, KNOWN)
    with unit_of_work(sessions) as session:
        session.query(User).filter(User.email == KNOWN).update({"is_active": False})
    first, second = new_client(app), new_client(app)
    assert _follow(first, first.post("/password/forgot", {"email": KNOWN})) == _follow(
        second, second.post("/password/forgot", {"email": UNKNOWN})
    )
    assert outbox.to(KNOWN) == []


def test_login_failure_reads_the_same_for_unknown_email_and_wrong_password(app, sessions):
    make_user(sessions, KNOWN)
    make_user(sessions, "gone@example.org")
    with unit_of_work(sessions) as session:
        session.query(User).filter(User.email == "gone@example.org").update({"is_active": False})

    pages = []
    for address, password in (
        (UNKNOWN, PASSWORD),
        (KNOWN, "not the right password"),
        ("gone@example.org", PASSWORD),
    ):
        client = new_client(app)
        response = client.post("/login", {"email": address, "password": password})
        assert response.status_code == 422, address
        pages.append(comparable(response.get_data(as_text=True)).replace(address, "ADDRESS"))
        assert client.get("/account").status_code == 302, f"{address} must not be signed in"
    assert pages[0] == pages[1] == pages[2]
    assert "That email address and password do not match an account." in pages[0]
