"""The card flow of `payments/` driven by a third payable, a test-only ticket
(tests/helpers/ticket_payable.py), against the Stripe emulator: saving a card, the bank's checks, an
off-session charge made once through its attempt row, holds captured or released, and the shared card and
fix pages at the ticket's own URLs."""

from __future__ import annotations

import pytest

from pledgebank.errors import Conflict
from pledgebank.jobs import payments_context
from pledgebank.payments import card_charges, card_saving
from pledgebank.payments.gateway import PaymentStatus, TestCard
from pledgebank.payments.sandbox import sandbox
from tests.factories.pledges import intents, quick_user
from tests.helpers.attempts import attempt
from tests.helpers.pledge_pages import text_of
from tests.helpers.ticket_payable import TICKETS, Ticket, TicketRecord, pay, with_ticket_pages

pytestmark = pytest.mark.stripe

RETURN_URL = "http://localhost/tickets/return"


def _ticket(app, sessions, price: int = 1500) -> Ticket:
    user = quick_user(sessions, f"buyer{len(TICKETS)}@example.org", "Buyer")
    record = TicketRecord(id=len(TICKETS) + 1, user_id=user, price=price)
    TICKETS[record.id] = record
    return Ticket(record)


@pytest.fixture(autouse=True)
def _no_tickets():
    TICKETS.clear()
    yield
    TICKETS.clear()


def _now(app):
    return app.extensions["pledgebank.clock"].now()


def _ticket_intents(app, ticket: Ticket) -> list:
    return [
        pi for pi in intents(app) if pi.to_dict().get("metadata", {}).get("ticket") == str(ticket.record.id)
    ]


def test_a_third_payable_saves_a_card_and_is_charged_once(app, sessions):
    ctx, ticket = payments_context(app), _ticket(app, sessions)
    setup = card_saving.use_test_card(
        ctx, ticket, card=TestCard.SUCCEEDS, return_url=RETURN_URL, now=_now(app)
    )
    assert setup.status == "saved" and ticket.record.status == "card_saved"

    assert pay(ctx, ticket, _now(app)) == "paid"
    assert pay(ctx, ticket, _now(app)) is None, "the attempt is finished: the card is not charged twice"
    assert [pi.amount for pi in _ticket_intents(app, ticket)] == [1500]
    assert attempt(app, "ticket:1:0:charge")[0::2] == ("finished", "succeeded")


def test_a_declined_card_is_shown_and_the_next_round_saves_another(app, sessions):
    ctx, ticket = payments_context(app), _ticket(app, sessions)
    declined = card_saving.use_test_card(
        ctx, ticket, card=TestCard.DECLINED_AT_SETUP, return_url=RETURN_URL, now=_now(app)
    )
    assert declined.status == "declined" and ticket.record.status == "card_pending"
    saved = card_saving.use_test_card(
        ctx, ticket, card=TestCard.SUCCEEDS, return_url=RETURN_URL, now=_now(app)
    )
    assert saved.status == "saved" and saved.setup_intent_id != declined.setup_intent_id
    assert ticket.record.round == 1


def test_the_bank_checks_while_saving_and_on_a_payment(app, sessions):
    ctx, ticket = payments_context(app), _ticket(app, sessions)
    setup = card_saving.use_test_card(
        ctx, ticket, card=TestCard.REQUIRES_AUTHENTICATION, return_url=RETURN_URL, now=_now(app)
    )
    assert setup.status == "needs_authentication" and ticket.record.status == "card_pending"
    assert card_saving.finish_test_authentication(ctx, ticket, succeed=True, now=_now(app)).status == "saved"

    assert pay(ctx, ticket, _now(app)) == "action_needed", "off-session, the bank asks to check again"
    assert (
        card_saving.authenticate_payment(ctx, ticket, succeed=True, now=_now(app)) == PaymentStatus.SUCCEEDED
    )
    assert ticket.record.status == "paid"
    with pytest.raises(Conflict):
        card_saving.authenticate_payment(ctx, ticket, succeed=True, now=_now(app))


def test_a_payment_whose_amount_changed_is_not_confirmed(app, sessions):
    ctx, ticket = payments_context(app), _ticket(app, sessions)
    card_saving.use_test_card(
        ctx, ticket, card=TestCard.REQUIRES_AUTHENTICATION, return_url=RETURN_URL, now=_now(app)
    )
    card_saving.finish_test_authentication(ctx, ticket, succeed=True, now=_now(app))
    pay(ctx, ticket, _now(app))
    ticket.record.price = 900  # a discount after the payment was made
    with pytest.raises(Conflict, match="amount due has changed"):
        card_saving.authenticate_payment(ctx, ticket, succeed=True, now=_now(app))
    assert ticket.record.status == "action_needed"


def test_a_hold_is_captured_once_and_another_released(app, sessions):
    ctx = payments_context(app)
    kept, let_go = _ticket(app, sessions), _ticket(app, sessions, price=700)
    for ticket in (kept, let_go):
        card_saving.use_test_card(ctx, ticket, card=TestCard.SUCCEEDS, return_url=RETURN_URL, now=_now(app))
    held = [
        card_charges.take(ctx, t.charge(ctx), now=_now(app), guard=lambda s: True, hold=True)
        for t in (kept, let_go)
    ]
    assert [h.status for h in held] == [PaymentStatus.AUTHORISED, PaymentStatus.AUTHORISED]

    def capture():
        return card_charges.capture(
            ctx,
            key="ticket:1:0:capture",
            subject="ticket:1",
            payment_intent_id=held[0].payment_intent_id,
            now=_now(app),
            guard=lambda s: True,
        )

    assert capture().status == PaymentStatus.SUCCEEDED
    assert capture() is None, "captured once"
    released = card_charges.release(
        ctx,
        key="ticket:2:0:cancel",
        subject="ticket:2",
        payment_intent_id=held[1].payment_intent_id,
        now=_now(app),
    )
    assert released.status == PaymentStatus.CANCELED
    assert [pi.status for pi in _ticket_intents(app, let_go)] == ["canceled"]


def test_a_card_saved_behind_the_pages_back_is_applied_by_refresh(app, sessions):
    ctx, ticket = payments_context(app), _ticket(app, sessions)
    setup = ticket.start_setup(ctx, _now(app))
    assert card_saving.refresh_card(ctx, ticket, now=_now(app)).status == "pending"
    sandbox(ctx.gateway).setup_with_test_card(
        setup_intent_id=setup.setup_intent_id, card=TestCard.SUCCEEDS, return_url=RETURN_URL
    )
    assert ticket.record.status == "card_pending"
    assert card_saving.refresh_card(ctx, ticket, now=_now(app)).status == "saved"
    assert ticket.record.status == "card_saved"


def test_the_shared_card_and_fix_pages_serve_the_ticket_at_its_own_urls(app, sessions, web):
    with_ticket_pages(app)
    ticket = _ticket(app, sessions)
    page = web.get("/tickets/1/card")
    assert page.status_code == 200
    text = text_of(page)
    assert "Save a card for your ticket" in text and "the card is charged as soon as it is saved" in text
    assert "Back to the ticket" in text

    wrong = web.post("/tickets/1/card", {})
    assert wrong.status_code == 422 and "Choose a test card." in text_of(wrong)
    assert (
        web.post("/tickets/1/card", {"card": "requires_authentication"}).headers["Location"]
        == "/tickets/1/card/check"
    )
    assert "Complete authentication" in text_of(web.get("/tickets/1/card/check"))
    assert web.post("/tickets/1/card/check", {"outcome": "complete"}).status_code == 302
    assert ticket.record.status == "action_needed"

    fix = text_of(web.get("/tickets/1/fix"))
    assert "Your bank wants to check that it is really you" in fix and "Complete authentication" in fix
    failed = web.post("/tickets/1/fix/authenticate", {"outcome": "fail"})
    assert failed.status_code == 422 and "the ticket is not paid" in text_of(failed)
    assert web.post("/tickets/1/fix/new-card").headers["Location"] == "/tickets/1/card"
    assert web.post("/tickets/1/card", {"card": "succeeds"}).status_code == 302
    assert ticket.record.status == "paid"
    assert "Your ticket is paid. There is nothing to fix." in text_of(web.get("/tickets/1/fix"))
