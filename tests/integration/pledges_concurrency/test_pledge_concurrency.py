"""Many people pledging at once, and run-due running twice at once, on PostgreSQL with real threads (each
with its own connection) against the Stripe emulator: one activation, one hold and one capture each."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from pledgebank.db import unit_of_work
from pledgebank.jobs import run_due
from pledgebank.pledges.models import Pledge, PledgeSignup
from tests.factories.pledges import (
    assert_books_ok,
    assert_ledger_matches_stripe,
    card_payments_by_signup,
    intents,
    make_pledge,
    many_residents,
    neighbourhood_with,
    sign,
    stripe_client,
    use_card,
)

pytestmark = pytest.mark.postgres

PLEDGERS = 200
TARGET = 100
ITS_ON = "It's on: the target is met: Mend the playground fence"


def errors(outcomes) -> list[BaseException]:
    """What the threads raised."""
    return [outcome.error for outcome in outcomes if outcome.error is not None]


def signups(app, pledge_id: int) -> list[PledgeSignup]:
    """Every signup of the pledge, as stored now."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return list(session.scalars(select(PledgeSignup).where(PledgeSignup.pledge_id == pledge_id)))


def intents_per_signup(app) -> Counter[int]:
    """How many PaymentIntents the emulator holds for each signup."""
    return Counter(int(pi.metadata["signup"]) for pi in intents(app))


def twice_at_once(app, together) -> list[dict]:
    """run-due in two threads released together; what each did."""
    outcomes = together(2, lambda _: dict(run_due(app)))
    assert errors(outcomes) == []
    return [outcome.value for outcome in outcomes]


def test_many_pledges_activate_once_and_collect_once(app, sessions, outbox, together, clock):
    slug, chair, _ = neighbourhood_with(sessions, residents=0)
    people = many_residents(sessions, slug, PLEDGERS)
    pledge = make_pledge(app, slug, chair, target_pledgers=TARGET)

    signed = together(PLEDGERS, lambda i: sign(app, pledge, people[i]))
    assert errors(signed) == []
    ids = [outcome.value for outcome in signed]
    assert sorted(ids) == sorted(s.id for s in signups(app, pledge))  # every accepted pledge is there

    saved = together(PLEDGERS, lambda i: use_card(app, ids[i], people[i]).status)
    assert errors(saved) == [] and {outcome.value for outcome in saved} == {"saved"}
    with unit_of_work(sessions) as session:
        activated = session.get(Pledge, pledge)
        assert (activated.status, activated.activated_at) == ("collecting", clock.now())
        assert activated.collection_ends_at == clock.now() + timedelta(hours=72)
    states = Counter(s.status for s in signups(app, pledge))
    assert states["held"] >= PLEDGERS - TARGET + 1  # the one that activated, and every card saved after
    assert states["held"] + states["card_saved"] == PLEDGERS
    told = Counter(mail.to for mail in outbox.all() if mail.subject == ITS_ON)
    assert told == {f"neighbour{n}@example.org": 1 for n in range(PLEDGERS)}  # activated exactly once

    done = twice_at_once(app, together)
    assert sum(d.get("holds placed", 0) for d in done) == states["card_saved"]
    assert {s.status for s in signups(app, pledge)} == {"held"}
    per_signup = intents_per_signup(app)
    assert per_signup == dict.fromkeys(ids, 1)  # no double hold
    assert {pi.status for pi in intents(app)} == {"requires_capture"}

    clock.advance(timedelta(hours=73))
    done = twice_at_once(app, together)
    assert sum(d.get("collections ended", 0) for d in done) == 1
    assert sum(d.get("payments captured", 0) for d in done) == PLEDGERS
    assert {s.status for s in signups(app, pledge)} == {"captured"}
    assert card_payments_by_signup(app) == dict.fromkeys(ids, 1)  # no double capture in the books
    assert intents_per_signup(app) == per_signup and {pi.status for pi in intents(app)} == {"succeeded"}
    charges = stripe_client(app).v1.balance_transactions.list(params={"limit": 100}).auto_paging_iter()
    assert sum(1 for t in charges if t.type == "charge") == PLEDGERS  # one capture each in Stripe
    assert assert_ledger_matches_stripe(app) == PLEDGERS * 1000
    assert_books_ok(app)
