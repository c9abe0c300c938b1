"""Helpers shared by several test files."""

from __future__ import annotations

from sqlalchemy import select

from pledgebank.db import unit_of_work
from pledgebank.levies.payments import attempt_key
from pledgebank.payments.gateway import TestCard
from pledgebank.payments.models import AttemptStatus, PaymentAttempt, PaymentCustomer
from tests.factories.levies import (
    active_levy,
    charge_of,
    household,
    join,
    levy_world,
    save_card,
)
from tests.factories.pledges import (
    due,
    make_pledge,
    neighbourhood_with,
    pledge_state,
    pledge_with_card,
    signup_state,
    stripe_client,
)
from tests.helpers.webhooks import deliver, event


def start_attempt(app, key: str, operation: str, subject: str) -> None:
    """What a run-due making the call (and dying before recording it) has committed: the attempt."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        session.add(
            PaymentAttempt(
                key=key,
                operation=operation,
                subject=subject,
                status=AttemptStatus.STARTED.value,
                started_at=app.extensions["pledgebank.clock"].now(),
            )
        )


def attempt(app, key: str) -> tuple[str, str | None, str | None]:
    """(status, Stripe id, outcome) of the attempt under this key."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        row = session.scalar(select(PaymentAttempt).where(PaymentAttempt.key == key))
        return row.status, row.stripe_id, row.outcome


def deliver_intent(app, kind: str, payment_intent_id: str):
    """Stripe's webhook about a PaymentIntent as it stands now, signed and posted."""
    intent = stripe_client(app).v1.payment_intents.retrieve(payment_intent_id).to_dict()
    return deliver(app, event(kind, intent)).get_json()["effect"]


def saved_not_held(app, sessions) -> tuple[int, int, int]:
    """A collecting pledge: Ben's card saved before activation and not held yet (run-due has listed it for
    a hold), Ann's and Cat's held, enough to succeed. (pledge, Ann's signup, Ben's signup)."""
    slug, chair, (ann, ben, cat) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    second = pledge_with_card(app, pledge, ben)  # open: saved, nothing held
    pledge_with_card(app, pledge, cat)  # activates; Cat's card is held at once
    first = pledge_with_card(app, pledge, ann)  # collecting: held at once
    assert pledge_state(app, pledge) == "collecting"
    assert (signup_state(app, first), signup_state(app, second)) == ("held", "card_saved")
    return pledge, first, second


def charge_dies_after_stripe(app, sessions, card: TestCard):
    """A charge raised before the household had a card; saving one starts attempt 1, whose call reaches
    Stripe and whose process dies before recording it. (household, attempt number, its key, the payment)."""
    slug, chair, member, (ann, _, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member, amount=1000)
    home = join(app, levy, ann, "1 Elm Road")
    due(app)  # raised; no card yet
    charge = charge_of(app, home)
    number = charge.attempts + 1  # the reminders sent so far are numbered attempts too
    key = attempt_key(charge.id, number)
    start_attempt(app, key, "charge", f"levy-charge:{charge.id}")  # the call is being made...
    save_card(app, levy, ann, card)  # ...so saving the card does not make it a second time
    with unit_of_work(sessions) as session:
        customer_id = session.get(PaymentCustomer, ann).customer_id
    payment = app.extensions["pledgebank.gateway"].charge(
        customer_id=customer_id,
        payment_method_id=household(app, home).payment_method_id,
        amount=1000,
        currency="GBP",
        metadata={"attempt": key, "levy": str(levy), "levy_charge": str(charge.id)},
        idempotency_key=key,
    )
    assert charge_of(app, home).attempts == number - 1  # nothing of the call is on record
    return home, number, key, payment
