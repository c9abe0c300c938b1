"""The retention job on a clock-advanced database: exactly the records past their period go, recent ones stay,
each run's counts (and nothing about who) go to the audit log, and the books still verify."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from pledgebank.accounts.api_tokens import create_api_token, revoke_api_token
from pledgebank.accounts.models import ApiToken, SignedOutSession, User
from pledgebank.accounts.services import create_user
from pledgebank.accounts.sessions import SessionId, sign_out
from pledgebank.books.audit import record_event
from pledgebank.books.models import AuditEvent
from pledgebank.db import unit_of_work
from pledgebank.grants import applications
from pledgebank.grants.models import GrantApplication, GrantDecision, GrantReview
from pledgebank.jobs import run_due
from pledgebank.payments.models import RejectedWebhook
from pledgebank.payments.webhooks import record_rejected_webhook
from pledgebank.privacy.enforce import ACTION
from tests.factories.grants import (
    apply,
    clock_now,
    decide,
    declare,
    give_fund,
    make_round,
    pay,
    reviewed,
    world,
)
from tests.factories.pledges import assert_books_ok, quick_user
from tests.helpers.app import PASSWORD


def _unconfirmed(app, address: str) -> int:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return create_user(
            session, email=address, display_name="Never Confirmed", password=PASSWORD, now=clock_now(app)
        ).id


def _leftovers(app, tag: str, user_id: int) -> tuple[int, int]:
    """A refused webhook body, a sign-out record and a revoked token, all made now; returns (user, token)."""
    now = clock_now(app)
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        record_rejected_webhook(session, body=f'{{"tag": "{tag}"}}'.encode(), reason="not an event", now=now)
        user = session.get(User, user_id)
        sign_out(session, SessionId(user_id, "fp", user.session_generation, f"key-{tag}"), now=now)
        token, _secret = create_api_token(
            session, user_id=user_id, name=f"script {tag}", scope="read", now=now
        )
        session.flush()  # the token's id, to revoke it
        revoke_api_token(session, user_id=user_id, token_id=token.id, now=now)
        return user_id, token.id


def _rejected(app, w, round_id: int, applicant: int, title: str) -> int:
    grant = apply(app, round_id, applicant, 10_000, title=title)
    reviewed(app, grant, w.members)
    declare(app, grant, w.chair)
    decide(app, grant, w.chair, "reject", reason="Another group is doing this already.")
    return grant


def _ids(session, column) -> set:
    return set(session.scalars(select(column)))


def test_the_job_removes_exactly_what_is_past_its_period(app, sessions, clock):
    # Day 0: a grant round with one application not funded, one withdrawn and one awarded and paid.
    w = world(sessions, residents=3)
    give_fund(app, w.slug, 50_000)
    spring = make_round(app, w)
    old_rejected = _rejected(app, w, spring, w.residents[0], "A mural")
    old_withdrawn = apply(app, spring, w.residents[1], 10_000, title="A bench")
    with unit_of_work(sessions) as session:
        withdrawn = applications.get_application(session, old_withdrawn)
        applications.withdraw_application(
            session, actor_id=w.residents[1], application=withdrawn, now=clock_now(app)
        )
    awarded = apply(app, spring, w.residents[2], 10_000, title="Bulbs")
    reviewed(app, awarded, w.members)
    declare(app, awarded, w.chair)
    decide(app, awarded, w.chair, "award")
    pay(app, awarded, w.treasurer)
    unconfirmed_day0 = _unconfirmed(app, "day0@example.org")
    named_elsewhere = _unconfirmed(app, "named@example.org")
    with unit_of_work(sessions) as session:
        record_event(
            session,
            actor_id=named_elsewhere,
            neighbourhood_id=None,
            action="test.named",
            subject=("user", named_elsewhere),
            now=clock_now(app),
        )
    confirmed = quick_user(sessions, "confirmed@example.org", "Confirmed Person")
    with unit_of_work(sessions) as session:
        kept_active, _secret = create_api_token(
            session, user_id=confirmed, name="kept", scope="read", now=clock_now(app)
        )
        session.flush()
        old_active_token = kept_active.id
    gone_signout_owner = quick_user(sessions, "gone@example.org", "Signed Out Long Ago")
    kept_signout_owner = quick_user(sessions, "kept@example.org", "Signed Out Lately")

    # The job runs on day 731. Day 640: 91 days before it. Day 642: 89 days before it.
    clock.advance(timedelta(days=640))
    unconfirmed_91 = _unconfirmed(app, "day640@example.org")
    _owner, gone_token = _leftovers(app, "old", gone_signout_owner)
    clock.advance(timedelta(days=2))
    _owner, kept_token = _leftovers(app, "new", kept_signout_owner)
    clock.advance(timedelta(days=60))  # day 702: 29 days before the run
    unconfirmed_29 = _unconfirmed(app, "day702@example.org")
    autumn = make_round(app, w, title="Autumn small grants")
    recent_rejected = _rejected(app, w, autumn, w.residents[0], "A mural again")
    with unit_of_work(sessions) as session:
        generations = {u.id: u.session_generation for u in session.scalars(select(User))}
    clock.advance(timedelta(days=29))

    done = run_due(app)

    assert done["retention: unverified accounts deleted"] == 2
    assert done["retention: declined grant applications deleted"] == 2
    assert done["retention: refused webhook bodies deleted"] == 1
    assert done["retention: sign-out records deleted"] == 1
    assert done["retention: revoked API tokens deleted"] == 1
    with unit_of_work(sessions) as session:
        users = _ids(session, User.id)
        assert unconfirmed_day0 not in users and unconfirmed_91 not in users
        assert {named_elsewhere, unconfirmed_29, confirmed, gone_signout_owner} <= users
        assert _ids(session, GrantApplication.id) >= {awarded, recent_rejected}
        assert not _ids(session, GrantApplication.id) & {old_rejected, old_withdrawn}
        assert not {d.application_id for d in session.scalars(select(GrantDecision))} & {old_rejected}
        assert not {r.application_id for r in session.scalars(select(GrantReview))} & {old_rejected}
        assert [b.body for b in session.scalars(select(RejectedWebhook))] == [b'{"tag": "new"}']
        assert {s.user_id for s in session.scalars(select(SignedOutSession))} == {kept_signout_owner}
        assert _ids(session, ApiToken.id) >= {old_active_token, kept_token}
        assert gone_token not in _ids(session, ApiToken.id)
        # The owner of the dropped record is signed out everywhere, so the dropped record's cookie stays dead.
        after = {u.id: u.session_generation for u in session.scalars(select(User))}
        assert after[gone_signout_owner] == generations[gone_signout_owner] + 1
        assert after[kept_signout_owner] == generations[kept_signout_owner]
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.action == ACTION)))
    assert len(events) == 1
    assert events[0].actor_id is None and events[0].neighbourhood_id is None
    assert events[0].after["unverified accounts deleted"] == 2
    assert all(isinstance(count, int) for count in events[0].after.values()), "counts only, no personal data"
    assert_books_ok(app)


def test_the_job_runs_once_a_day_and_logs_every_run(app, sessions, clock):
    _unconfirmed(app, "early@example.org")
    clock.advance(timedelta(days=31))
    assert run_due(app)["retention: unverified accounts deleted"] == 1
    _unconfirmed(app, "later@example.org")
    clock.advance(timedelta(days=31))
    _unconfirmed(app, "latest@example.org")
    first = run_due(app)
    assert first["retention: unverified accounts deleted"] == 1
    assert not any(key.startswith("retention") for key in run_due(app)), "a second run that day does nothing"
    clock.advance(timedelta(days=1))
    assert not any(key.startswith("retention") for key in run_due(app)), "nothing more is due"
    with unit_of_work(sessions) as session:
        runs = session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == ACTION))
        assert runs == 3
        assert session.scalar(select(func.count()).select_from(User)) == 1
