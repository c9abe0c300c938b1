"""A refund that fails after it was made (the card was closed): Stripe puts the money back and says so with
`charge.refund.updated` and `refund.failed`. The books post the money coming back once (refund_failed),
whether the events come in order, reordered, twice or replayed, whether the refund was first seen made or
only failed; the payment can be refunded again; `reconcile stripe` still agrees and `ledger verify` passes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pledgebank.cli import main
from pledgebank.db import unit_of_work
from pledgebank.payments.emulator import stripe_fee
from pledgebank.payments.models import PaymentAttempt
from tests.factories.pledges import assert_books_ok, balance, due, stripe_client
from tests.helpers.app import with_stripe
from tests.helpers.attempts import start_attempt
from tests.helpers.refunds import _charge_of, _emulator, fail, paid_pledge, refund
from tests.helpers.webhooks import deliver, event, fingerprint

FEE = stripe_fee(1000)


@pytest.fixture
def app_config(app_config: dict, stripe_api: str) -> dict:
    """The test app, pointed at a freshly emptied emulator."""
    return with_stripe(app_config, stripe_api)


def _kinds(app, slug: str) -> list[str]:
    return [kind for kind, _ in fingerprint(app, slug)[1]]


def test_a_refund_that_fails_puts_the_money_back_once_however_its_events_come(app, sessions):
    slug, chair, (first, _) = paid_pledge(app, sessions)
    made = refund(app, chair, first, 700)
    told = fail(app, made.id)
    for payload in told:
        assert deliver(app, payload).status_code == 200
    in_order = fingerprint(app, slug)
    assert _kinds(app, slug).count("refund") == 1 and _kinds(app, slug).count("refund_failed") == 1
    assert balance(app, "income") == -2000  # the whole of both payments is kept again
    assert balance(app, "assets:stripe-clearing") == 2 * (1000 - FEE)

    # Another payment, refunded in the dashboard and failed before any of its webhooks arrived.
    other, _, (intent, _) = paid_pledge(app, sessions, name="Oak Row", prefix="oak-")
    behind = stripe_client(app).v1.refunds.create(params={"payment_intent": intent, "amount": 700})
    late = fail(app, behind.id)
    for payload in [*reversed(late), late[1], *late]:
        assert deliver(app, payload).status_code == 200
    assert fingerprint(app, other) == in_order

    # What failed can be refunded again, in full.
    assert refund(app, chair, first, 1000).status == "succeeded"
    assert balance(app, "income") == -(4000 - 1000)
    result = app.test_cli_runner().invoke(main, ["reconcile", "stripe", "--since", "2026-03-01"])
    assert result.exit_code == 0, result.output
    assert "0 missing in ledger, 0 missing in Stripe, 0 amount mismatch" in result.output
    assert_books_ok(app)


def test_a_refund_that_failed_before_run_due_recovered_it_is_booked_and_put_back(app, sessions):
    # The process that asked Stripe died before recording the refund, which then failed.
    slug, _, (first, _) = paid_pledge(app, sessions)
    key = f"refund:{first}:a-died-process-filled-this-in:400"
    start_attempt(app, key, "refund", f"refund:{first}")
    made = stripe_client(app).v1.refunds.create(
        params={"payment_intent": first, "amount": 400, "metadata": {"attempt": key}}
    )
    _emulator(app, "post", f"/v1/_test/refunds/{made.id}/fail")
    assert due(app, minutes=10)["refunds recovered"] == 1
    assert due(app, minutes=10).get("refunds recovered", 0) == 0
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        row = session.scalar(select(PaymentAttempt).where(PaymentAttempt.key == key))
        assert (row.status, row.stripe_id, row.outcome) == ("finished", made.id, "failed")
    assert _kinds(app, slug).count("refund") == 1 and _kinds(app, slug).count("refund_failed") == 1
    assert balance(app, "income") == -2000
    charge = {"object": "charge", "id": _charge_of(stripe_client(app), first)}
    assert deliver(app, event("charge.refunded", charge)).status_code == 200
    assert _kinds(app, slug).count("refund_failed") == 1
    assert_books_ok(app)


def test_a_refund_reason_stripe_does_not_know_is_refused_by_the_emulator_as_by_stripe(app, sessions):
    _, _, (first, _) = paid_pledge(app, sessions)
    client = stripe_client(app)
    made = client.v1.refunds.create(params={"payment_intent": first, "amount": 100, "reason": "duplicate"})
    assert made.reason == "duplicate"
    with pytest.raises(Exception, match="reason"):
        client.v1.refunds.create(params={"payment_intent": first, "amount": 100, "reason": "because"})
    _emulator(app, "post", f"/v1/_test/refunds/{made.id}/fail")
    with pytest.raises(Exception, match="already failed"):
        _emulator(app, "post", f"/v1/_test/refunds/{made.id}/fail")
