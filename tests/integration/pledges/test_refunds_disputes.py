"""Refunds and disputes of card payments, against the Stripe emulator through the real SDK: a treasurer's
refund (full or part) is posted once with its attempt finished; one larger than what is left is refused
beside the amount with nothing written; one whose Stripe call fails is finished by `run-due`; refunds and
disputes made at Stripe reach the books from their webhooks however often and in whatever order they come,
and `reconcile stripe` then matches everything."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pledgebank.cli import main
from pledgebank.db import unit_of_work
from pledgebank.errors import InvalidInput
from pledgebank.jobs import payments_context
from pledgebank.payments.emulator import stripe_fee
from pledgebank.payments.emulator_refunds import DISPUTE_FEE
from pledgebank.payments.gateway import GatewayUnavailable
from pledgebank.payments.models import PaymentAttempt
from pledgebank.payments.refunds import refund_payment
from pledgebank.payments.stripe_gateway import StripeGateway
from tests.factories.pledges import (
    assert_books_ok,
    balance,
    due,
    stripe_client,
)
from tests.helpers.app import STRIPE_TEST_KEY, STRIPE_WEBHOOK_SECRET, with_stripe
from tests.helpers.refunds import _charge_of, _emulator, counts, paid_pledge, refund, story_events
from tests.helpers.webhooks import deliver, event, fingerprint

FEE = stripe_fee(1000)


@pytest.fixture
def app_config(app_config: dict, stripe_api: str) -> dict:
    """The test app, pointed at a freshly emptied emulator."""
    return with_stripe(app_config, stripe_api)


def test_a_part_then_the_rest_refunded_reverse_income_and_leave_the_fee_spent(app, sessions):
    _, chair, (first, _) = paid_pledge(app, sessions)
    assert refund(app, chair, first, 300).amount == 300
    assert refund(app, chair, first, 300) is not None  # a second refund of the same amount is its own
    assert refund(app, chair, first, 400).status == "succeeded"
    assert balance(app, "income") == -1000  # only the second payment's income is left
    assert balance(app, "assets:stripe-clearing") == 2 * (1000 - FEE) - 1000
    assert balance(app, "expenses") == 2 * FEE  # Stripe keeps its fee on a refund
    before = counts(app)
    with pytest.raises(InvalidInput) as refused:
        refund(app, chair, first, 1)
    assert "amount" in refused.value.fields and "0.00 GBP" in refused.value.fields["amount"][0]
    assert counts(app) == before
    assert_books_ok(app)


@pytest.mark.parametrize("amount", [1001, 0, -5, "5", 2.5])
def test_a_refund_larger_than_the_payment_or_not_a_whole_amount_is_refused(app, sessions, amount):
    _, chair, (first, _) = paid_pledge(app, sessions)
    before = counts(app)
    with pytest.raises(InvalidInput) as refused:
        refund(app, chair, first, amount)
    assert "amount" in refused.value.fields
    assert counts(app) == before
    assert stripe_client(app).v1.refunds.list(params={"payment_intent": first}).data == []
    assert_books_ok(app)


def test_the_same_refund_form_sent_again_after_its_refund_was_booked_refunds_nothing_more(app, sessions):
    # A retry after a timeout: the first send refunded and booked £3; the second must not refund again.
    _, chair, (first, _) = paid_pledge(app, sessions)
    assert refund(app, chair, first, 300, request_key="one-filling-in-of-the-form").amount == 300
    before = counts(app)
    assert refund(app, chair, first, 300, request_key="one-filling-in-of-the-form") is None
    assert counts(app) == before
    assert len(stripe_client(app).v1.refunds.list({"payment_intent": first}).data) == 1
    assert balance(app, "income") == -(2 * 1000) + 300
    assert_books_ok(app)


def test_a_refund_whose_stripe_call_fails_is_finished_by_run_due(app, sessions):
    _, chair, (first, _) = paid_pledge(app, sessions)
    ctx = payments_context(app)
    dead = StripeGateway(
        secret_key=STRIPE_TEST_KEY,
        webhook_secret=STRIPE_WEBHOOK_SECRET,
        api_base="http://127.0.0.1:9",
        max_retries=0,
    )
    before = balance(app, "income")
    with pytest.raises(GatewayUnavailable):
        refund_payment(
            ctx.__class__(ctx.sessions, dead, ctx.zone, ctx.lease),
            actor_id=chair,
            payment_intent_id=first,
            amount=250,
            request_key="stripe-down-then-recovered",
            now=app.extensions["pledgebank.clock"].now(),
        )
    assert balance(app, "income") == before  # nothing half-posted
    assert due(app).get("refunds recovered", 0) == 0  # the attempt's lease has not run out
    assert due(app, minutes=10)["refunds recovered"] == 1
    assert due(app, minutes=10).get("refunds recovered", 0) == 0
    assert balance(app, "income") == before + 250
    assert [r.amount for r in stripe_client(app).v1.refunds.list(params={"payment_intent": first}).data] == [
        250
    ]
    assert_books_ok(app)


def test_refund_and_dispute_events_in_any_order_converge_and_reconcile(app, sessions):
    slug, _, intents = paid_pledge(app, sessions)
    told = story_events(app, intents)
    for payload in told:
        assert deliver(app, payload).status_code == 200
    in_order = fingerprint(app, slug)
    kinds = [kind for kind, _ in in_order[1]]
    assert kinds.count("refund") == 1
    assert kinds.count("dispute_funds_withdrawn") == 2 and kinds.count("dispute_funds_reinstated") == 1
    # 2 payments, less the refund (400) and the lost dispute (600); both dispute fees are spent.
    assert balance(app, "income") == -(2000 - 400 - 600)
    assert balance(app, "assets:stripe-clearing") == 2 * (1000 - FEE) - 400 - 600 - 2 * DISPUTE_FEE
    assert balance(app, "expenses") == 2 * FEE + 2 * DISPUTE_FEE

    other, _, other_intents = paid_pledge(app, sessions, name="Oak Row", prefix="oak-")
    told = story_events(app, other_intents)
    for payload in [*reversed(told), told[2], *told, told[0]]:  # reordered, duplicated, replayed
        assert deliver(app, payload).status_code == 200
    assert fingerprint(app, other) == in_order

    result = app.test_cli_runner().invoke(main, ["reconcile", "stripe", "--since", "2026-03-01"])
    assert result.exit_code == 0, result.output
    assert "0 missing in ledger, 0 missing in Stripe, 0 amount mismatch" in result.output
    assert result.output.count(": agrees") == 2, result.output
    assert_books_ok(app)


def test_a_payout_after_a_refund_and_disputes_is_matched_and_posted(app, sessions):
    _, _, intents = paid_pledge(app, sessions, amount=5000)
    for payload in story_events(app, intents):
        assert deliver(app, payload).status_code == 200
    client = stripe_client(app)
    history = client.v1.balance_transactions.list(params={"limit": 100}).data
    assert sorted(bt.type for bt in history) == ["adjustment"] * 3 + ["charge"] * 2 + ["refund"]
    held = sum(bt.net for bt in history)
    payout = client.v1.payouts.create(params={"amount": held, "currency": "gbp", "status": "paid"})
    paid_out = client.v1.balance_transactions.list(params={"payout": payout.id, "limit": 100}).data
    assert len(paid_out) == 7 and sum(bt.net for bt in paid_out) == 0  # the payout's own takes it all

    result = app.test_cli_runner().invoke(main, ["reconcile", "stripe", "--since", "2026-03-01"])
    assert result.exit_code == 0, result.output
    assert "0 missing in ledger, 0 missing in Stripe, 0 amount mismatch" in result.output
    assert balance(app, "assets:stripe-clearing") == 0
    assert balance(app, "assets:bank") == held
    assert_books_ok(app)


def test_a_refund_made_here_and_then_told_by_webhook_is_posted_once(app, sessions):
    slug, chair, (first, _) = paid_pledge(app, sessions)
    made = refund(app, chair, first, 700)
    before = fingerprint(app, slug)
    charge = {"object": "charge", "id": _charge_of(stripe_client(app), first)}
    told = [
        event("charge.refunded", charge),
        event("charge.refund.updated", {"object": "refund", "id": made.id}),
    ]
    for payload in [*told, told[0], *told]:
        assert deliver(app, payload).status_code == 200
    assert fingerprint(app, slug) == before
    assert [kind for kind, _ in before[1]].count("refund") == 1
    assert_books_ok(app)


def test_events_about_payments_of_no_book_are_stored_and_ignored(app, sessions):
    paid_pledge(app, sessions)
    client = stripe_client(app)
    customer = client.v1.customers.create(params={"email": "someone@example.org"})
    card = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2034, "cvc": "123"}
    method = client.v1.payment_methods.create(params={"type": "card", "card": card})
    intent = client.v1.payment_intents.create(
        params={"amount": 500, "currency": "gbp", "customer": customer.id}
    )
    client.v1.payment_intents.confirm(intent.id, params={"payment_method": method.id})
    dispute = _emulator(app, "post", "/v1/_test/disputes", payment_intent=intent.id)
    before = counts(app)
    for kind, obj in [
        ("charge.dispute.created", {"object": "dispute", "id": dispute["id"]}),
        ("charge.refunded", {"object": "charge", "id": dispute["charge"]}),
        ("charge.dispute.closed", {"object": "dispute", "id": "du_unknown"}),
    ]:
        response = deliver(app, event(kind, obj))
        assert response.status_code == 200 and response.get_json()["effect"] == "ignored"
    assert counts(app) == before
    assert_books_ok(app)


def test_a_failed_refund_that_stripe_then_refuses_is_closed_by_run_due_without_posting(app, sessions):
    _, chair, (first, _) = paid_pledge(app, sessions)
    ctx = payments_context(app)
    dead = StripeGateway(
        secret_key=STRIPE_TEST_KEY, webhook_secret=STRIPE_WEBHOOK_SECRET, api_base="http://127.0.0.1:9"
    )
    now = app.extensions["pledgebank.clock"].now()
    with pytest.raises(GatewayUnavailable):
        refund_payment(
            ctx.__class__(ctx.sessions, dead, ctx.zone, ctx.lease),
            actor_id=chair,
            payment_intent_id=first,
            amount=800,
            request_key="stripe-down-then-refused",
            now=now,
        )
    # Meanwhile the whole payment is refunded in Stripe's dashboard: the £8 can no longer be sent.
    stripe_client(app).v1.refunds.create(params={"payment_intent": first, "amount": 1000})
    done = due(app, minutes=10)
    assert done["refunds refused by Stripe"] == 1 and done.get("refunds recovered", 0) == 0
    assert due(app, minutes=10).get("refunds refused by Stripe", 0) == 0
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        assert session.scalar(select(PaymentAttempt.outcome).where(PaymentAttempt.operation == "refund")) == (
            "refused"
        )
    assert balance(app, "income") == -2000  # nothing posted: the dashboard refund comes by its webhook
    assert_books_ok(app)
