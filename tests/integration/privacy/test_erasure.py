"""Erasure: a person closes their own account; their personal data goes everywhere it is not needed, the books
keep ids and amounts, `ledger verify` still passes, and nothing shown or exported afterwards names them. Money
still owed or held stops it, with what must happen first; someone else's account, or a second request, is
refused."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import func, select

from pledgebank.accounts import erasure
from pledgebank.accounts.api_tokens import create_api_token
from pledgebank.accounts.models import ApiToken, User
from pledgebank.accounts.privacy_export import json_chunks
from pledgebank.books.models import AuditEvent, LedgerTransaction
from pledgebank.db import unit_of_work
from pledgebank.errors import Conflict, Forbidden, InvalidInput
from pledgebank.levies.models import Household, HouseholdResident
from pledgebank.neighbourhoods.models import Membership
from pledgebank.outbox import Email, send_after_commit
from pledgebank.pledges.models import PledgeSignup
from tests.factories.levies import active_levy, join
from tests.factories.pledges import assert_books_ok, due, make_pledge, quick_user, sign
from tests.factories.privacy import ADDRESS, EMAIL, NAME, TOKEN_NAME, everything
from tests.helpers.app import PASSWORD, WebClient, add_member

CLOSE = {"password": PASSWORD, "confirm": "y"}


def _user(sessions, user_id: int) -> User:
    with unit_of_work(sessions) as session:
        user = session.get(User, user_id)
        session.expunge(user)
        return user


def _close(app, actor_id: int, user_id: int, password: str = PASSWORD) -> None:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        erasure.close_account(
            session,
            actor_id=actor_id,
            user_id=user_id,
            password=password,
            now=app.extensions["pledgebank.clock"].now(),
        )


def _traces(text: str) -> list[str]:
    return [word for word in (EMAIL, NAME, "Rosa", "Marsh", TOKEN_NAME) if word.lower() in text.lower()]


def test_closing_erases_the_person_everywhere_and_leaves_the_books_verified(
    app, sessions, web, outbox, caplog
):
    done = everything(app, sessions)
    w = done.w
    with unit_of_work(sessions) as session:
        heads = [
            (t.sequence, t.hash)
            for t in session.scalars(select(LedgerTransaction).order_by(LedgerTransaction.id))
        ]
        _token, chair_secret = create_api_token(
            session, user_id=w.chair, name="chair", scope="read", now=app.extensions["pledgebank.clock"].now()
        )
    web.login(EMAIL)
    other_device = WebClient(app.test_client())
    other_device.login(EMAIL)
    bearer = {"Authorization": f"Bearer {done.token_secret}"}
    assert web.get("/api/v1/me", headers=bearer).status_code == 200

    page = web.get("/account/close")
    assert page.status_code == 200 and "What must happen first" not in page.get_data(as_text=True)
    caplog.set_level(logging.DEBUG)
    mails_before = len(outbox.all())
    response = web.post("/account/close", CLOSE)
    assert response.status_code == 302 and response.headers["Location"] == "/"

    # Sessions end on every device, tokens stop working, and the old password opens nothing.
    for client in (web, other_device):
        assert client.get("/account").status_code == 302
    assert web.get("/api/v1/me", headers=bearer).status_code == 401
    refused = web.post("/login", {"email": EMAIL, "password": PASSWORD})
    assert refused.status_code == 422

    person = _user(sessions, done.person)
    assert (person.email, person.display_name) == (
        f"former-member-{done.person}@erased.invalid",
        f"Former member #{done.person}",
    )
    assert not person.is_active and person.erased_at is not None and person.email_verified_at is None
    with unit_of_work(sessions) as session:
        for model, column in (
            (ApiToken, ApiToken.user_id),
            (Membership, Membership.user_id),
            (HouseholdResident, HouseholdResident.user_id),
        ):
            assert session.scalar(select(func.count()).select_from(model).where(column == done.person)) == 0
        signup = session.get(PledgeSignup, done.signup_id)
        assert (signup.status, signup.amount, signup.user_id) == ("cash_kept", 1000, done.person)
        assert session.get(Household, done.household_id).address == ADDRESS  # the dwelling's, for its charges
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "account.erased")).all()
        assert [(e.actor_id, e.subject_id, e.before, e.after, e.reason) for e in events] == [
            (done.person, str(done.person), None, None, "")
        ]
        after = [
            (t.sequence, t.hash)
            for t in session.scalars(select(LedgerTransaction).order_by(LedgerTransaction.id))
        ]
    assert after == heads  # the books are untouched
    assert_books_ok(app)

    # Nothing shown, served or exported afterwards names the person.
    chair = WebClient(app.test_client())
    chair.login("chair@example.org")
    pages = [
        f"/n/{w.slug}",
        f"/n/{w.slug}/members",
        f"/n/{w.slug}/audit",
        f"/n/{w.slug}/ledger",
        f"/n/{w.slug}/pledges",
        f"/p/{done.pledge_id}",
        f"/p/{done.own_pledge_id}",
        f"/n/{w.slug}/grants",
        f"/grants/applications/{done.application_id}",
        f"/n/{w.slug}/levies",
        f"/levies/{done.levy_id}",
        f"/levies/{done.levy_id}/households",
        f"/n/{w.slug}/levies/accounts",
    ]
    for url in pages:
        shown = chair.get(url)
        assert shown.status_code == 200, url
        assert not _traces(shown.get_data(as_text=True)), url
    assert f"Former member #{done.person}" in chair.get(f"/p/{done.own_pledge_id}").get_data(as_text=True)
    api = {"Authorization": f"Bearer {chair_secret}"}
    for url in (
        f"/api/v1/neighbourhoods/{w.slug}",
        f"/api/v1/neighbourhoods/{w.slug}/pledges",
        f"/api/v1/pledges/{done.pledge_id}",
        f"/api/v1/neighbourhoods/{w.slug}/grant-applications",
        f"/api/v1/neighbourhoods/{w.slug}/grant-awards",
        f"/api/v1/grant-applications/{done.application_id}",
        f"/api/v1/levies/{done.levy_id}/households",
        f"/api/v1/neighbourhoods/{w.slug}/ledger/transactions",
    ):
        served = chair.get(url, headers=api)
        assert served.status_code == 200, url
        assert not _traces(served.get_data(as_text=True)), url
    for fmt in ("csv", "jsonl", "beancount", "hledger", "360giving"):
        exported = chair.post(f"/n/{w.slug}/exports/download", {"format": fmt})
        assert exported.status_code == 200, fmt
        assert not _traces(exported.get_data(as_text=True)), fmt
    with unit_of_work(sessions) as session:
        held = "".join(
            json_chunks(session, user_id=done.person, now=app.extensions["pledgebank.clock"].now())
        )
    assert not _traces(held) and json.loads(held)["sections"]["profile"]["rows"][0]["display_name"]
    due(app, days=40)  # the levy's next charges and reminders go out; none to the person
    assert not [m for m in outbox.all()[mails_before:] if _traces(f"{m.to} {m.body}")]
    assert not _traces(caplog.text)
    assert_books_ok(app)


def test_money_owed_or_held_stops_the_closing_and_says_what_must_happen_first(app, sessions, web):
    chair = quick_user(sessions, "chair@example.org", "Chair Person")
    from tests.helpers.app import make_neighbourhood

    slug = make_neighbourhood(sessions, chair)
    member = quick_user(sessions, "member@example.org", "Member Person")
    add_member(sessions, slug, member, "committee")
    person = quick_user(sessions, EMAIL, NAME)
    add_member(sessions, slug, person)
    pledge = make_pledge(app, slug, chair, title="Mend the playground fence")
    sign(app, pledge, person, method="cash")
    levy = active_levy(app, slug, chair, member)
    join(app, levy, person, ADDRESS)
    due(app)

    web.login(EMAIL)
    page = web.get("/account/close").get_data(as_text=True)
    assert "What must happen first" in page and "Withdraw your pledge to “Mend the playground fence”." in page
    response = web.post("/account/close", CLOSE)
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "“Street lighting” charge" in text and "is unpaid" in text
    assert _user(sessions, person).email == EMAIL
    assert web.get("/account").status_code == 200  # still signed in: nothing was erased
    with pytest.raises(erasure.ErasureBlocked) as blocked:
        _close(app, person, person)
    assert len(blocked.value.reasons) == 2

    with pytest.raises(erasure.ErasureBlocked, match="only chair of Elm Park"):
        _close(app, chair, chair)


def test_someone_elses_account_a_wrong_password_and_a_second_request_are_refused(app, sessions, web):
    person = quick_user(sessions, EMAIL, NAME)
    other = quick_user(sessions, "other@example.org", "Other Person")
    with pytest.raises(Forbidden):
        _close(app, other, person)
    with pytest.raises(InvalidInput) as wrong:
        _close(app, person, person, password="not the password at all")
    assert wrong.value.fields == {"password": ["That is not your password."]}
    assert _user(sessions, person).email == EMAIL

    web.login(EMAIL)
    bad = web.post("/account/close", {"password": "not the password at all", "confirm": "y"})
    assert bad.status_code == 422 and "That is not your password." in bad.get_data(as_text=True)
    unticked = web.post("/account/close", {"password": PASSWORD})
    assert unticked.status_code == 422 and "Tick the box" in unticked.get_data(as_text=True)
    assert _user(sessions, person).erased_at is None

    _close(app, person, person)
    with pytest.raises(Conflict, match="already closed"):
        _close(app, person, person)
    with unit_of_work(sessions) as session:
        erased = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "account.erased")
        assert session.scalar(erased) == 1
    assert _user(sessions, other).email == "other@example.org"


def test_no_email_is_ever_sent_to_a_closed_account(app, sessions, outbox):
    person = quick_user(sessions, EMAIL, NAME)
    _close(app, person, person)
    with unit_of_work(sessions) as session:
        send_after_commit(session, Email(erasure.erased_email(person), "News", "accounts/password_changed"))
        send_after_commit(session, Email("other@example.org", "News", "accounts/password_changed"))
    assert [mail.to for mail in outbox.all()] == ["other@example.org"]
