"""A levy's periods raised and collected against the Stripe emulator: paid at once, declined and then paid
with a new card, asking for the bank's check, and falling into arrears after the last retry."""

from __future__ import annotations

from datetime import timedelta

from pledgebank.ledger import chart
from pledgebank.levies.payments import AUTHENTICATION_CODES
from pledgebank.payments.gateway import PaymentStatus, TestCard
from tests.factories.levies import (
    active_levy,
    authenticate,
    charge_of,
    charges_of,
    check_card,
    confirm_owed,
    household,
    intents_for,
    join,
    join_with_card,
    levy_world,
    owed_now,
    pay_now,
    raised_in_ledger,
    record_cash,
    save_card,
    sources,
)
from tests.factories.pledges import assert_books_ok, balance, captured_in_stripe, due, subjects

RECEIPT = "Receipt: Street lighting paid"
DECLINED = "Payment declined: Street lighting"
CONFIRM = "Confirm your payment: Street lighting"
ARREARS = "In arrears: Street lighting"


def test_a_banded_period_is_raised_and_collected_then_the_next(app, sessions, outbox, clock, stripe_api):
    slug, chair, member, (ann, ben, cat) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member, basis="banded", amount=1000)  # band D pays £10
    homes = {
        join_with_card(app, levy, ann, "1 Elm Road", "C"): 889,
        join_with_card(app, levy, ben, "2 Elm Road", "D"): 1000,
        join_with_card(app, levy, cat, "3 Elm Road", "H"): 2000,
    }

    done = due(app)
    assert done["levy charges raised"] == 3 and done["levy charges paid by card"] == 3
    paid = charges_of(app, levy)
    assert {c.household_id: (c.amount, c.status, c.paid_via) for c in paid} == {
        h: (amount, "paid", "card") for h, amount in homes.items()
    }
    assert {c.period_start for c in paid} == {clock.now().date()}
    assert [len(intents_for(app, c.id)) for c in paid] == [1, 1, 1]
    gross, fees = captured_in_stripe(app)
    assert gross == 3889 and fees > 0
    assert balance(app, chart.STRIPE_CLEARING) == gross - fees
    assert balance(app, "expenses:general:fees") == fees
    assert balance(app, "income:general:levies") == -3889
    assert balance(app, chart.RECEIVABLES) == 0 and balance(app, chart.DEFERRED_INCOME) == 0
    assert raised_in_ledger(app) == sum(c.amount for c in paid) == 3889
    for address in ("resident0@example.org", "resident1@example.org", "resident2@example.org"):
        assert subjects(outbox, address).count(RECEIPT) == 1

    assert due(app, days=20).get("levy charges raised") is None  # nothing new within the period
    done = due(app, days=11)  # 2 April: the second month
    assert done["levy charges raised"] == 3 and done["levy charges paid by card"] == 3
    assert len(charges_of(app, levy)) == 6
    assert raised_in_ledger(app) == sum(c.amount for c in charges_of(app, levy)) == 2 * 3889
    assert balance(app, "income:general:levies") == -2 * 3889
    assert_books_ok(app)


def test_a_decline_is_retried_on_schedule_and_paid_with_a_new_card(app, sessions, outbox, clock, stripe_api):
    slug, chair, member, (ann, _, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member)
    home = join_with_card(app, levy, ann, "1 Elm Road", card=TestCard.DECLINES_AT_CHARGE)
    start = clock.now()

    done = due(app)
    assert done["levy card payments declined"] == 1
    charge = charge_of(app, home)
    assert (charge.status, charge.attempts, charge.decline_code) == ("retrying", 1, "card_declined")
    assert charge.next_attempt_at == start + timedelta(days=1)
    mail = outbox.last("resident0@example.org")
    assert mail.subject == DECLINED and f"/levies/charges/{charge.id}/pay" in mail.body

    assert due(app, hours=23) == {}  # not yet
    done = due(app, hours=1)
    charge = charge_of(app, home)
    assert (charge.status, charge.attempts) == ("retrying", 2)
    assert charge.next_attempt_at == start + timedelta(days=3)
    assert subjects(outbox, "resident0@example.org").count(DECLINED) == 2

    clock.advance(timedelta(days=1))
    setup = save_card(app, levy, ann, TestCard.SUCCEEDS)  # saving the card takes nothing yet
    assert setup.status == "saved"
    assert charge_of(app, home).status == "retrying"
    assert [(c.levy_name, c.amount) for c in owed_now(app, home).charges] == [("Street lighting", 1000)]
    assert confirm_owed(app, home, ann).paid == 1  # the resident confirms the list: it is taken
    charge = charge_of(app, home)
    assert (charge.status, charge.paid_via, charge.attempts) == ("paid", "card", 3)
    assert household(app, home).card_last4 == "4242"
    assert [pi.status for pi in intents_for(app, charge.id)] == ["canceled", "canceled", "succeeded"]
    assert subjects(outbox, "resident0@example.org")[-1] == RECEIPT
    assert due(app, days=3) == {}  # the schedule is over: nothing more is tried
    assert len(intents_for(app, charge.id)) == 3
    gross, fees = captured_in_stripe(app)
    assert gross == 1000 and balance(app, chart.STRIPE_CLEARING) == 1000 - fees
    assert_books_ok(app)


def test_a_payment_needing_the_banks_check_emails_the_link_at_once(app, sessions, outbox, stripe_api):
    slug, chair, member, (ann, _, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member)
    home = join(app, levy, ann, "1 Elm Road")
    setup = save_card(app, levy, ann, TestCard.REQUIRES_AUTHENTICATION)
    assert setup.status == "needs_authentication"
    setup = check_card(app, levy, ann)
    assert setup.status == "saved" and household(app, home).card_last4 == "3155"

    due(app)
    charge = charge_of(app, home)
    assert charge.status == "retrying" and charge.decline_code in AUTHENTICATION_CODES
    mail = outbox.last("resident0@example.org")
    assert mail.subject == CONFIRM and f"/levies/charges/{charge.id}/pay" in mail.body
    assert [pi.status for pi in intents_for(app, charge.id)] == ["requires_action"]

    # A failed check kills that payment; the retry the next day asks for the check again.
    assert authenticate(app, charge.id, ann, succeed=False) == PaymentStatus.DECLINED
    assert charge_of(app, home).status == "retrying"
    due(app, days=1)
    assert subjects(outbox, "resident0@example.org")[-2:] == [CONFIRM, CONFIRM]
    assert authenticate(app, charge.id, ann) == PaymentStatus.SUCCEEDED
    charge = charge_of(app, home)
    assert (charge.status, charge.paid_via, charge.attempts) == ("paid", "card", 2)
    assert [pi.status for pi in intents_for(app, charge.id)] == ["canceled", "succeeded"]
    assert subjects(outbox, "resident0@example.org")[-1] == RECEIPT
    assert captured_in_stripe(app)[0] == 1000
    assert_books_ok(app)


def test_after_the_last_retry_the_charge_is_in_arrears_and_cash_settles_it(
    app, sessions, outbox, clock, stripe_api
):
    slug, chair, member, (ann, _, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member)
    home = join_with_card(app, levy, ann, "1 Elm Road", card=TestCard.DECLINES_AT_CHARGE)

    due(app)
    for day in (1, 2, 4):  # days 1, 3 and 7 after it fell due
        due(app, days=day)
    charge = charge_of(app, home)
    assert (charge.status, charge.attempts, charge.next_attempt_at) == ("arrears", 4, None)
    assert charge.arrears_at == clock.now()
    assert [pi.status for pi in intents_for(app, charge.id)] == ["canceled"] * 3 + ["requires_payment_method"]
    assert subjects(outbox, "resident0@example.org") == [
        "You have joined Street lighting",
        DECLINED,
        DECLINED,
        DECLINED,
        ARREARS,
    ]
    assert due(app, days=20) == {}  # nothing more is tried by itself (the next period is not yet)
    assert len(intents_for(app, charge.id)) == 4
    assert balance(app, chart.RECEIVABLES) == 1000

    assert pay_now(app, charge.id, ann) == "arrears"  # the same card, on the page: still declined
    assert charge_of(app, home).status == "arrears"
    record_cash(app, charge.id, chair)
    charge = charge_of(app, home)
    assert (charge.status, charge.paid_via, charge.recorded_by_id) == ("paid", "cash", chair)
    assert balance(app, chart.CASH) == 1000 and balance(app, chart.RECEIVABLES) == 0
    assert balance(app, "income:general:levies") == -1000
    assert sources(app, "receivable_settled")[0]["levy_charge"] == str(charge.id)
    assert captured_in_stripe(app) == (0, 0)
    assert_books_ok(app)
