"""A community dividend agreement's life through the real services: drafted, signed by the body and the chair
(each signature an audit event with the exact terms), evidenced, disputed, answered, verified, paid, closed;
a lapse past the deadline; an amendment as a new signed version."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from pledgebank.books.models import AuditEvent
from pledgebank.db import unit_of_work
from pledgebank.dividends import agreements, jobs
from pledgebank.dividends.agreements import signed_fields
from pledgebank.dividends.models import DividendAgreement, DividendReview
from pledgebank.dividends.terms import terms_hash
from pledgebank.state_tables import InvalidTransition
from tests.factories.dividends import (
    agreed,
    agreement,
    answer,
    body_signs,
    chair_signs,
    dispute,
    draft,
    evidence,
    fire_draft,
    pay,
    verify,
)
from tests.factories.grants import clock_now, today, world
from tests.factories.pledges import assert_books_ok


def events(app, action: str) -> list[AuditEvent]:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return list(
            session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
        )


def test_drafted_signed_disputed_answered_verified_paid_and_closed(app, sessions, outbox):
    w = world(sessions)
    agreement_id = draft(app, w)
    assert agreement(app, agreement_id).status == "draft"
    invited = [m for m in outbox.all() if "Community dividend to sign" in m.subject]
    assert sorted(m.to for m in invited) == ["dana.whitfield@fire.example", "sam.reed@fire.example"]

    body_signs(app, agreement_id)
    assert agreement(app, agreement_id).status == "draft"
    chair_signs(app, w, agreement_id)
    assert agreement(app, agreement_id).status == "agreed"
    signed = events(app, "dividend.signed")
    assert [e.after["party"] for e in signed] == ["body", "neighbourhood"]
    with unit_of_work(sessions) as session:
        stored = session.get_one(DividendAgreement, agreement_id)
        assert terms_hash(signed_fields(stored)) == stored.terms_hash
        assert all(e.after["terms_hash"] == stored.terms_hash for e in signed)
        assert signed[0].after["terms"] == signed_fields(stored)

    evidence(app, w, agreement_id, 33)
    dispute(app, agreement_id)
    assert agreement(app, agreement_id).status == "disputed"
    with pytest.raises(InvalidTransition):
        verify(app, agreement_id)
    answer(app, w, agreement_id)
    assert agreement(app, agreement_id).status == "answered"
    evidence(app, w, agreement_id, 29, period="April to June 2027")
    verify(app, agreement_id)
    done = agreement(app, agreement_id)
    assert (done.status, done.outcome_value, done.earned_amount) == ("earned", 29, 500_000)
    with unit_of_work(sessions) as session:
        decisions = list(session.scalars(select(DividendReview.decision).order_by(DividendReview.id)))
    assert decisions == ["disputed", "answered", "verified"]

    pay(app, w, agreement_id)
    assert agreement(app, agreement_id).status == "paid"
    with unit_of_work(sessions) as session:
        from pledgebank.dividends import outcomes

        outcomes.close(session, actor_id=w.members[0], agreement_id=agreement_id, now=clock_now(app))
    assert agreement(app, agreement_id).status == "closed"
    assert_books_ok(app)


def test_an_outcome_short_of_the_target_earns_nothing_and_closes(app, sessions):
    w = world(sessions)
    agreement_id = agreed(app, w)
    evidence(app, w, agreement_id, 35)
    verify(app, agreement_id)
    found = agreement(app, agreement_id)
    assert (found.status, found.earned_amount, found.earned_transaction_id) == ("closed", 0, None)


def test_past_its_deadline_without_verification_an_agreement_lapses(app, sessions, clock):
    w = world(sessions)
    short = agreed(app, w, fire_draft(app, deadline=today(app) + timedelta(days=10)))
    later = agreed(app, w, fire_draft(app, title="Fewer fires, later"))
    evidence(app, w, short, 29)
    assert jobs.run_due(sessions, now=clock_now(app), zone="Europe/London")["dividends_lapsed"] == 0
    clock.advance(timedelta(days=11))
    assert jobs.run_due(sessions, now=clock_now(app), zone="Europe/London")["dividends_lapsed"] == 1
    assert jobs.run_due(sessions, now=clock_now(app), zone="Europe/London")["dividends_lapsed"] == 0
    assert (agreement(app, short).status, agreement(app, later).status) == ("lapsed", "agreed")
    with pytest.raises(InvalidTransition):
        verify(app, short)
    assert [e.after["status"] for e in events(app, "dividend.lapsed")] == ["lapsed"]


def test_an_amendment_is_a_new_signed_version_and_the_old_holds_until_it_is_agreed(app, sessions):
    w = world(sessions)
    first = agreed(app, w)
    with unit_of_work(sessions) as session:
        second = agreements.amend(
            session,
            actor_id=w.members[0],
            agreement_id=first,
            draft=fire_draft(app, target_value=32),
            signer=app.extensions["pledgebank.signer"],
            now=clock_now(app),
            today=today(app),
        ).id
    new = agreement(app, second)
    assert (new.version, new.previous_id, new.status, new.target_value) == (2, first, "draft", 32)
    assert new.terms_hash != agreement(app, first).terms_hash
    assert (agreement(app, first).status, agreement(app, first).target_value) == ("agreed", 30)
    body_signs(app, second)
    chair_signs(app, w, second)
    assert (agreement(app, first).status, agreement(app, second).status) == ("superseded", "agreed")
    assert [e.action for e in events(app, "dividend.amended")] == ["dividend.amended"]
