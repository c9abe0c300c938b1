"""The committee's rules with a real database: conflicts and the quorum, an applicant on the committee, who
decides, the caps on an award (request, round budget, fund), and the second approver of large payments."""

from __future__ import annotations

import pytest

from pledgebank.books.services import InsufficientFunds
from pledgebank.db import unit_of_work
from pledgebank.errors import Conflict, Forbidden, InvalidInput
from pledgebank.grants import applications, decisions, reviews
from pledgebank.grants.decisions import AwardTooLarge, QuorumNotMet
from pledgebank.neighbourhoods.roles import grant_role
from pledgebank.neighbourhoods.services import get_neighbourhood
from tests.factories.grants import (
    apply,
    approve,
    decide,
    declare,
    give_fund,
    make_round,
    pay,
    reviewed,
    score,
    status,
    transactions,
    world,
)
from tests.factories.pledges import assert_books_ok


def quorum(app, application_id):
    """(committee, conflicted, eligible, needed, counted, met) for the application now."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        q = reviews.quorum_of(session, applications.get_application(session, application_id))
        return q.committee, q.conflicted, q.eligible, q.needed, q.counted, q.met


def test_conflicts_leave_the_pool_and_the_decision_waits_for_the_quorum(app, sessions):
    w = world(sessions, members=4)  # a committee of five: the chair and four members
    give_fund(app, w.slug, 100_000)
    grant = apply(app, make_round(app, w), w.residents[0])
    assert status(app, grant) == "submitted"
    assert quorum(app, grant) == (5, 0, 5, 3, 0, False)

    declare(app, grant, w.members[0], "conflict", "She is my sister.")
    assert status(app, grant) == "under_review"  # the first declaration starts the review
    declare(app, grant, w.members[1], "conflict", "I run the group's allotment.")
    assert quorum(app, grant) == (5, 2, 3, 2, 0, False)
    with pytest.raises(Forbidden, match="declared a conflict"):
        score(app, grant, w.members[0])
    with pytest.raises(Forbidden, match="Declare your interest"):
        score(app, grant, w.members[2])  # not declared yet

    reviewed(app, grant, [w.members[2]])
    declare(app, grant, w.chair)
    with pytest.raises(QuorumNotMet):
        decide(app, grant, w.chair)
    assert status(app, grant) == "under_review"
    reviewed(app, grant, [w.members[3]])
    assert quorum(app, grant) == (5, 2, 3, 2, 2, True)
    decide(app, grant, w.chair)
    assert status(app, grant) == "awarded"
    assert_books_ok(app)


def test_a_conflict_declared_after_scoring_stops_the_review_counting(app, sessions):
    w = world(sessions, members=3)
    grant = apply(app, make_round(app, w), w.residents[0])
    reviewed(app, grant, w.members[:2])
    assert quorum(app, grant) == (4, 0, 4, 3, 2, False)
    declare(app, grant, w.members[0], "conflict", "I found out I am a member of the group.")
    assert quorum(app, grant) == (4, 1, 3, 2, 1, False)
    with pytest.raises(Conflict, match="already declared"):
        declare(app, grant, w.members[0], "none")


def test_an_applicant_on_the_committee_is_conflicted_automatically(app, sessions):
    w = world(sessions, members=3)
    give_fund(app, w.slug, 100_000)
    mine = apply(app, make_round(app, w), w.members[0], 10_000)
    assert quorum(app, mine) == (4, 1, 3, 2, 0, False)
    with pytest.raises(Forbidden, match="You applied"):
        declare(app, mine, w.members[0], "none")
    with pytest.raises(Forbidden, match="You applied"):
        score(app, mine, w.members[0])
    reviewed(app, mine, w.members[1:])
    with pytest.raises(Forbidden, match="Declare your interest"):
        decide(app, mine, w.chair)

    chairs_own = apply(app, make_round(app, w, title="Autumn grants"), w.chair, 10_000)
    reviewed(app, chairs_own, w.members)
    with pytest.raises(Forbidden, match="You applied"):
        decide(app, chairs_own, w.chair)
    with pytest.raises(Forbidden, match="Only the chair"):
        decide(app, chairs_own, w.members[1])
    # The chair names a member without a conflict to decide; never a conflicted one.
    with pytest.raises(InvalidInput, match="conflict of interest"), unit_of_work(sessions) as session:
        decisions.name_decider(
            session, actor_id=w.chair, application_id=chairs_own, member_id=w.chair, now=w_now(app)
        )
    with unit_of_work(sessions) as session:
        decisions.name_decider(
            session, actor_id=w.chair, application_id=chairs_own, member_id=w.members[1], now=w_now(app)
        )
    decide(app, chairs_own, w.members[1], "part_award", amount=5_000, reason="Half now, half next year.")
    assert status(app, chairs_own) == "part_awarded"
    assert_books_ok(app)


def w_now(app):
    """The app clock's time."""
    return app.extensions["pledgebank.clock"].now()


def test_an_award_never_exceeds_the_request_the_budget_or_the_fund(app, sessions):
    w = world(sessions)
    give_fund(app, w.slug, 25_000)
    round_id = make_round(app, w, budget=40_000, max_award=30_000)
    first, second, third = (
        apply(app, round_id, w.residents[0], 30_000),
        apply(app, round_id, w.residents[1], 20_000, title="Street party"),
        apply(app, round_id, w.members[0], 5_000, title="Noticeboard"),
    )
    for grant in (first, second):
        reviewed(app, grant, w.members)
        declare(app, grant, w.chair)
    reviewed(app, third, [w.members[1]])
    declare(app, third, w.chair)
    score(app, third, w.chair)

    with pytest.raises(AwardTooLarge, match="asked for"):
        decide(app, first, w.chair, "part_award", amount=30_001, reason="Too much.")
    with pytest.raises(InsufficientFunds, match="fund does not have"):
        decide(app, first, w.chair, "award")  # £300 asked, £250 in the fund
    decide(app, first, w.chair, "part_award", amount=25_000, reason="All the fund has.")
    with pytest.raises(InsufficientFunds):
        decide(app, second, w.chair, "part_award", amount=1, reason="Anything at all.")
    give_fund(app, w.slug, 100_000, key="second-gift")
    with pytest.raises(AwardTooLarge, match="round's budget"):
        decide(app, second, w.chair, "award")  # £150 left of the £400 budget
    decide(app, second, w.chair, "part_award", amount=15_000, reason="What the round has left.")
    with pytest.raises(AwardTooLarge, match="round's budget"):
        decide(app, third, w.chair, "award")
    assert [t.kind for t in transactions(app)].count("grant_awarded") == 2
    assert_books_ok(app)


def test_large_payments_wait_for_a_second_member_who_is_not_the_recording_treasurer(app, sessions):
    w = world(sessions, members=3)
    give_fund(app, w.slug, 200_000)
    round_id = make_round(app, w, budget=200_000, max_award=100_000)
    big = apply(app, round_id, w.residents[0], 60_000)
    reviewed(app, big, [w.chair, *w.members[:2]])  # three of the four
    decide(app, big, w.chair)
    with unit_of_work(sessions) as session:  # the treasurer also sits on the committee in this neighbourhood
        grant_role(
            session,
            actor_id=w.chair,
            neighbourhood=get_neighbourhood(session, w.slug),
            user_id=w.treasurer,
            role="committee",
            now=w_now(app),
        )
    declare(app, big, w.treasurer)
    declare(app, big, w.members[2], "conflict", "My partner wrote the application.")

    assert pay(app, big, w.treasurer) == "awaiting_approval"
    assert status(app, big) == "awarded"
    assert transactions(app, "grant_paid") == []
    with pytest.raises(Forbidden, match="not the treasurer who recorded"):
        approve(app, big, w.treasurer)
    with pytest.raises(Forbidden, match="declared a conflict"):
        approve(app, big, w.members[2])
    with pytest.raises(Forbidden):
        approve(app, big, w.residents[0])  # the applicant, and not on the committee either way
    assert approve(app, big, w.members[0]) == "paid"
    assert status(app, big) == "paid"
    [paid] = transactions(app, "grant_paid")
    with pytest.raises(Conflict, match="no payment"):
        approve(app, big, w.members[1])

    small = apply(app, round_id, w.residents[1], 50_000, title="Exactly the threshold")
    reviewed(app, small, [w.chair, *w.members[:2]])
    declare(app, small, w.treasurer)
    score(app, small, w.treasurer)  # three of five is a majority
    decide(app, small, w.chair)
    assert pay(app, small, w.treasurer) == "paid"  # not above the threshold: no second approval
    assert len(transactions(app, "grant_paid")) == 2 and paid.source["grant_application"] == str(big)
    assert_books_ok(app)


def test_a_payment_cannot_take_the_bank_below_zero(app, sessions):
    w = world(sessions)
    give_fund(app, w.slug, 40_000)
    grant = apply(app, make_round(app, w), w.residents[0], 30_000)
    reviewed(app, grant, w.members)
    declare(app, grant, w.chair)
    decide(app, grant, w.chair)
    with pytest.raises(InsufficientFunds, match="Cash held by treasurer"):
        pay(app, grant, w.treasurer, method="cash")  # the money is in the bank, not in cash
    assert status(app, grant) == "awarded"
    assert pay(app, grant, w.treasurer) == "paid"
    assert_books_ok(app)
