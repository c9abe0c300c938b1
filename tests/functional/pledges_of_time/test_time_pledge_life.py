"""A pledge of time through its whole life, by the real services and run-due: made, signed, the target met
(every signer gets what happens next), a late signer, and one that fails at its deadline; never a ledger
transaction, and the books still verify."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pledgebank.books.models import LedgerTransaction
from pledgebank.db import unit_of_work
from pledgebank.errors import Conflict, InvalidInput
from pledgebank.pledges.models import Pledge, PledgeSignup
from pledgebank.pledges.services import cancel_pledge, get_pledge
from tests.factories.pledges import (
    assert_books_ok,
    due,
    make_pledge,
    neighbourhood_with,
    pledge_state,
    sign,
    signup_state,
    subjects,
    withdraw,
)
from tests.factories.time_pledges import NEXT_STEPS, TITLE, time_pledge


def ledger_transactions(app) -> int:
    """Every transaction in every book."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return session.scalar(select(func.count()).select_from(LedgerTransaction)) or 0


def sign_time(app, pledge_id: int, user_id: int) -> int:
    return sign(app, pledge_id, user_id, method="time")


def test_a_pledge_of_time_succeeds_when_its_target_is_met_and_tells_everyone_what_happens_next(
    app, sessions, outbox
):
    slug, chair, people = neighbourhood_with(sessions, residents=4)
    before = ledger_transactions(app)
    pledge_id = time_pledge(app, slug, chair)
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        pledge = session.get_one(Pledge, pledge_id)
        assert (pledge.kind, pledge.amount, pledge.fund_id, pledge.allow_cash) == ("time", 0, None, False)

    first, second = (sign_time(app, pledge_id, person) for person in people[:2])
    assert pledge_state(app, pledge_id) == "open"
    assert signup_state(app, first) == "signed"
    assert "You've signed up: " + TITLE in subjects(outbox, "resident0@example.org")
    assert not any(NEXT_STEPS in mail.body for mail in outbox.all())  # not before success

    sign_time(app, pledge_id, people[2])  # the third: the target is met, it succeeds there and then
    assert pledge_state(app, pledge_id) == "succeeded"
    for n in range(3):
        success = outbox.last(f"resident{n}@example.org")
        assert success.subject.strip() == f"It's on: what happens next: {TITLE}"
        assert NEXT_STEPS in success.body
        assert "£" not in success.body

    late = sign_time(app, pledge_id, people[3])  # still open for sign-ups until the deadline
    assert signup_state(app, late) == "signed"
    assert NEXT_STEPS in outbox.last("resident3@example.org").body

    done = due(app, days=11)  # past the deadline: nothing to collect, capture or release
    assert not done
    assert pledge_state(app, pledge_id) == "succeeded"
    assert {signup_state(app, s) for s in (first, second, late)} == {"signed"}
    assert ledger_transactions(app) == before  # never a transaction, in its whole life
    assert_books_ok(app)


def test_a_pledge_of_time_that_misses_its_target_fails_at_the_deadline(app, sessions, outbox):
    slug, chair, people = neighbourhood_with(sessions, residents=3)
    before = ledger_transactions(app)
    pledge_id = time_pledge(app, slug, chair)
    signed = [sign_time(app, pledge_id, person) for person in people[:2]]
    withdraw(app, pledge_id, people[1])
    assert signup_state(app, signed[1]) == "withdrawn"
    assert "You are no longer signed up" in outbox.last("resident1@example.org").body
    again = sign_time(app, pledge_id, people[1])  # may sign again while open
    assert again == signed[1] and signup_state(app, again) == "signed"

    assert due(app, days=9) == {}
    assert pledge_state(app, pledge_id) == "open"
    done = due(app, days=2)
    assert done == {"pledges failed at deadline": 1, "pledges released": 2}
    assert pledge_state(app, pledge_id) == "failed"
    failed = outbox.last("resident0@example.org")
    assert failed.subject.strip() == f"Target not reached: it is off: {TITLE}"
    assert "Nobody is held to their word" in failed.body and "charged" not in failed.body
    assert NEXT_STEPS not in failed.body
    assert {signup_state(app, s) for s in signed} == {"released"}
    assert ledger_transactions(app) == before
    assert_books_ok(app)


def test_a_full_pledge_of_time_and_a_second_sign_up_are_refused(app, sessions):
    slug, chair, people = neighbourhood_with(sessions, residents=3)
    pledge_id = time_pledge(app, slug, chair, target_pledgers=1, cap=2)
    sign_time(app, pledge_id, people[0])
    with pytest.raises(Conflict, match="already signed up"):
        sign_time(app, pledge_id, people[0])
    sign_time(app, pledge_id, people[1])
    with pytest.raises(Conflict, match="full"):
        sign_time(app, pledge_id, people[2])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": 500}, "amount"),
        ({"target_amount": 10_000}, "target_amount"),
        ({"fund_slug": "general"}, "fund"),
        ({"next_steps": ""}, "next_steps"),
        ({"target_pledgers": None}, "target_pledgers"),
        ({"kind": "goods"}, "kind"),
    ],
)
def test_a_pledge_of_time_refuses_money_terms_field_by_field(app, sessions, changes, field):
    slug, chair, _ = neighbourhood_with(sessions, residents=0)
    before = ledger_transactions(app)
    with pytest.raises(InvalidInput) as refused:
        time_pledge(app, slug, chair, **changes)
    assert field in refused.value.fields
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        assert session.scalar(select(func.count()).select_from(Pledge)) == 0
        assert session.scalar(select(func.count()).select_from(PledgeSignup)) == 0
    assert ledger_transactions(app) == before


def test_a_money_pledge_may_not_carry_next_steps(app, sessions):
    slug, chair, _ = neighbourhood_with(sessions, residents=0)
    with pytest.raises(InvalidInput) as refused:
        make_pledge(app, slug, chair, next_steps="Meet at the gates.", deadline=_later(app))
    assert "next_steps" in refused.value.fields


def _later(app):
    return app.extensions["pledgebank.clock"].now() + timedelta(days=5)


def test_a_cancelled_pledge_of_time_tells_its_signers_without_talk_of_money(app, sessions, outbox):
    slug, chair, (ann,) = neighbourhood_with(sessions, residents=1)
    pledge_id = time_pledge(app, slug, chair)
    signed = sign_time(app, pledge_id, ann)
    now = app.extensions["pledgebank.clock"].now()
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        cancel_pledge(session, actor_id=chair, pledge=get_pledge(session, pledge_id), reason="Rain.", now=now)
    told = outbox.last("resident0@example.org")
    assert told.subject.strip() == f"Pledge cancelled: {TITLE}"
    assert "Rain." in told.body and "charged" not in told.body and "card" not in told.body
    assert due(app) == {"pledges released": 1}
    assert signup_state(app, signed) == "released"
    assert_books_ok(app)
