"""`run-due` puts an application deferred to a date back under review on that date, once; one deferred to
the next round waits for the chair."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from pledgebank.db import unit_of_work
from pledgebank.grants import amendments, applications, reviews
from pledgebank.grants.decisions import QuorumNotMet
from pledgebank.jobs import run_due
from tests.factories.grants import (
    apply,
    clock_now,
    decide,
    declare,
    give_fund,
    make_round,
    reviewed,
    score,
    status,
    world,
)
from tests.factories.pledges import assert_books_ok


def test_a_deferral_to_a_date_ends_on_that_date(app, sessions, clock, outbox):
    w = world(sessions)
    give_fund(app, w.slug, 50_000)
    round_id = make_round(app, w)
    dated = apply(app, round_id, w.residents[0], 10_000)
    next_round = apply(app, round_id, w.residents[1], 10_000, title="A new bench")
    for grant in (dated, next_round):
        reviewed(app, grant, w.members)
        declare(app, grant, w.chair)
    decide(app, dated, w.chair, "defer", defer_until=date(2026, 3, 5), reason="After the council meets.")
    decide(app, next_round, w.chair, "defer", defer_to_next_round=True)
    assert 'has deferred its decision on "Bulbs for the verges" until 5 March 2026.' in (
        outbox.last("resident0@example.org").body
    )

    clock.advance(timedelta(days=2))  # 4 March
    assert run_due(app).get("deferred grants back under review", 0) == 0
    assert status(app, dated) == "deferred"
    clock.advance(timedelta(days=1))  # 5 March
    assert run_due(app)["deferred grants back under review"] == 1
    assert run_due(app).get("deferred grants back under review", 0) == 0
    assert (status(app, dated), status(app, next_round)) == ("under_review", "deferred")
    decide(app, dated, w.chair, "award")  # the reviews still count: the chair can decide at once
    assert status(app, dated) == "awarded"
    assert_books_ok(app)


def test_an_application_deferred_to_the_next_round_is_reviewed_afresh_there(app, sessions):
    w = world(sessions)
    give_fund(app, w.slug, 50_000)
    grant = apply(app, make_round(app, w), w.residents[0], 10_000)
    reviewed(app, grant, w.members)
    declare(app, grant, w.chair)
    decide(app, grant, w.chair, "defer", defer_to_next_round=True)
    autumn = make_round(app, w, title="Autumn small grants")
    with unit_of_work(sessions) as session:
        amendments.reconsider(
            session, actor_id=w.chair, application_id=grant, round_id=autumn, now=clock_now(app)
        )
    with unit_of_work(sessions) as session:
        moved = applications.get_application(session, grant)
        assert (moved.status, moved.round_id) == ("under_review", autumn)
        quorum = reviews.quorum_of(session, moved)
        assert (quorum.counted, quorum.needed) == (0, 2)  # the old round's scores are gone; declarations stay
        assert reviews.visible_reviews(session, moved, w.chair) == []
    with pytest.raises(QuorumNotMet):
        decide(app, grant, w.chair, "award")
    score(app, grant, w.members[0])
    score(app, grant, w.chair)
    decide(app, grant, w.chair, "award")
    assert status(app, grant) == "awarded"
    assert_books_ok(app)
