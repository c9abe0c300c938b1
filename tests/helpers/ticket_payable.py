"""A third payable for the card flow's tests: a ticket to an event, paid at once from a card saved for it.

This module is all a new payable writes: its `CardOwner` and `Payable` (the ticket's rules: a declined
card starts the next round of keys; money taken makes it paid), its card and fix pages' words and links
(`TicketCardFlow`, `TicketFix`), and thin routes with one wording template each
(`tests/helpers/ticket_templates/`). Saving the card, the bank's checks, the off-session charge through an
attempt row, and the pages come from `payments/`. A ticket is kept in a plain record instead of a table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import Blueprint, Flask, flash, redirect, request, url_for
from sqlalchemy.orm import Session

from pledgebank.db import unit_of_work
from pledgebank.errors import Conflict
from pledgebank.jobs import payments_context
from pledgebank.payments import card_charges
from pledgebank.payments.attempts import finish_attempt
from pledgebank.payments.card_charges import CardCharge
from pledgebank.payments.card_saving import new_setup
from pledgebank.payments.context import Payments
from pledgebank.payments.gateway import CardSetup, Payment, PaymentStatus
from pledgebank.payments.models import PaymentCustomer
from pledgebank.payments.payable import Also, WaitingPayment
from pledgebank.payments.web import card_flow, fix_flow
from pledgebank.payments.web.card_flow import CardPage
from pledgebank.payments.web.fix_flow import FixPage
from pledgebank.web.session import this_app


@dataclass
class TicketRecord:
    """What a ticket's table would hold."""

    id: int
    user_id: int
    price: int
    currency: str = "GBP"
    status: str = "card_pending"  # card_pending, card_saved, paid, action_needed, declined
    round: int = 0
    setup_intent_id: str | None = None
    payment_method_id: str | None = None
    payment_intent_id: str | None = None
    decline_code: str | None = None


@dataclass(frozen=True)
class Ticket:
    """A ticket as the card flow's card owner and payable."""

    record: TicketRecord

    def setup_intent_id(self, session: Session) -> str | None:
        return self.record.setup_intent_id

    def start_setup(self, ctx: Payments, now: datetime) -> CardSetup:
        ticket = self.record
        if ticket.setup_intent_id:
            setup = ctx.gateway.card_setup(ticket.setup_intent_id)
            if setup.status != "declined":
                return setup
            ticket.round += 1
        setup = new_setup(
            ctx,
            user_id=ticket.user_id,
            metadata={"ticket": str(ticket.id)},
            idempotency_key=f"ticket:{ticket.id}:{ticket.round}:setup",
            now=now,
        )
        ticket.setup_intent_id = setup.setup_intent_id
        return setup

    def apply_setup(self, ctx: Payments, setup: CardSetup, now: datetime, also: Also = None) -> CardSetup:
        ticket = self.record
        if also is not None:
            with unit_of_work(ctx.sessions) as session:
                also(session)
        if setup.setup_intent_id == ticket.setup_intent_id and setup.status == "saved" and setup.card:
            ticket.payment_method_id, ticket.status = setup.card.payment_method_id, "card_saved"
        return setup

    def waiting_payment(self, session: Session) -> WaitingPayment:
        ticket = self.record
        if ticket.status != "action_needed" or ticket.payment_intent_id is None:
            raise Conflict("This ticket has no payment waiting for a check.")
        return WaitingPayment(ticket.payment_intent_id, amount=ticket.price)

    def apply_payment(self, ctx: Payments, payment: Payment, now: datetime) -> str:
        ticket = self.record
        ticket.payment_intent_id = payment.payment_intent_id
        if payment.status != PaymentStatus.SUCCEEDED:
            ticket.decline_code = payment.decline_code or payment.status.value
        ticket.status = {
            PaymentStatus.SUCCEEDED: "paid",
            PaymentStatus.NEEDS_AUTHENTICATION: "action_needed",
            PaymentStatus.DECLINED: "declined",
        }.get(payment.status, ticket.status)
        return ticket.status

    def charge(self, ctx: Payments) -> CardCharge:
        """The one payment for the ticket, from its saved card."""
        ticket = self.record
        with unit_of_work(ctx.sessions) as session:
            customer = session.get_one(PaymentCustomer, ticket.user_id)
            customer_id = customer.customer_id
        key = f"ticket:{ticket.id}:{ticket.round}:charge"
        assert ticket.payment_method_id is not None
        return CardCharge(
            key=key,
            subject=f"ticket:{ticket.id}",
            customer_id=customer_id,
            payment_method_id=ticket.payment_method_id,
            amount=ticket.price,
            currency=ticket.currency,
            metadata={"attempt": key, "ticket": str(ticket.id)},
        )


def pay(ctx: Payments, ticket: Ticket, now: datetime) -> str | None:
    """Charge the ticket's saved card off-session, once; None when it was charged already."""
    charge = ticket.charge(ctx)
    payment = card_charges.take(ctx, charge, now=now, guard=lambda session: True)
    if payment is None:
        return None
    with unit_of_work(ctx.sessions) as session:  # with the ticket's own outcome, were it in a table
        finish_attempt(
            session,
            key=charge.key,
            stripe_id=payment.payment_intent_id,
            outcome=payment.status.value,
            now=now,
        )
    return ticket.apply_payment(ctx, payment, now)


# The pages: the ticket's words and links, and its routes.
TICKETS: dict[int, TicketRecord] = {}


@dataclass(frozen=True)
class TicketCardFlow:
    """A ticket on the shared card pages."""

    record: TicketRecord

    @property
    def owner(self) -> Ticket:
        return Ticket(self.record)

    def page(self) -> CardPage:
        ticket_id = self.record.id
        return CardPage(
            heading="Save a card for your ticket",
            name=f"Ticket {ticket_id}",
            about="tickets/_card_about.html",
            back_url=f"/tickets/{ticket_id}",
            back_label="Back to the ticket",
            card_url=url_for("tickets.card", ticket_id=ticket_id),
            choose_url=url_for("tickets.card", ticket_id=ticket_id),
            check_url=url_for("tickets.check", ticket_id=ticket_id),
            return_url=url_for("tickets.card", ticket_id=ticket_id, _external=True),
            words={"ticket": self.record},
        )

    def waiting(self) -> bool:
        return self.record.status == "card_pending"

    def setup_intent_id(self) -> str | None:
        return self.record.setup_intent_id

    def not_waiting(self):
        flash("Your ticket does not need a card now.", "info")
        return redirect(f"/tickets/{self.record.id}")

    def saved(self):
        pay(payments_context(this_app()), self.owner, this_app().extensions["pledgebank.clock"].now())
        flash(f"Card saved: your ticket is {self.record.status}.", "success")
        return redirect(f"/tickets/{self.record.id}")


@dataclass(frozen=True)
class TicketFix:
    """A ticket on the shared fix page."""

    record: TicketRecord

    @property
    def payable(self) -> Ticket:
        return Ticket(self.record)

    def page(self) -> FixPage:
        ticket_id = self.record.id
        return FixPage(
            name=f"Ticket {ticket_id}",
            explain="tickets/_fix_explain.html",
            settled="tickets/_fix_settled.html",
            another_card="Save a different card for this ticket.",
            check_failed="The check was not completed, so the ticket is not paid.",
            back_url=f"/tickets/{ticket_id}",
            back_label="Back to the ticket",
            card_url=url_for("tickets.card", ticket_id=ticket_id),
            authenticate_url=url_for("tickets.fix_authenticate", ticket_id=ticket_id),
            new_card_url=url_for("tickets.fix_new_card", ticket_id=ticket_id),
            words={"ticket": self.record},
        )

    def needed(self) -> bool:
        return self.record.status in ("action_needed", "declined")

    def decline(self) -> tuple[str | None, str | None]:
        return self.record.decline_code, self.record.payment_intent_id

    def replace_card(self, ctx: Payments) -> None:
        ticket = self.record
        ticket.status, ticket.round, ticket.setup_intent_id = "card_pending", ticket.round + 1, None


bp = Blueprint("tickets", __name__, template_folder=str(Path(__file__).parent / "ticket_templates"))


def _ctx() -> Payments:
    return payments_context(this_app())


@bp.route("/tickets/<int:ticket_id>/card", methods=["GET", "POST"])
def card(ticket_id: int):
    flow = TicketCardFlow(TICKETS[ticket_id])
    if request.method == "POST":
        return card_flow.choose_test_card(flow, _ctx())
    return card_flow.show_card(flow, _ctx())


@bp.route("/tickets/<int:ticket_id>/card/check", methods=["GET", "POST"])
def check(ticket_id: int):
    return card_flow.bank_check(TicketCardFlow(TICKETS[ticket_id]), _ctx())


@bp.get("/tickets/<int:ticket_id>/fix")
def fix(ticket_id: int):
    return fix_flow.fix_page(TicketFix(TICKETS[ticket_id]))


@bp.post("/tickets/<int:ticket_id>/fix/authenticate")
def fix_authenticate(ticket_id: int):
    return fix_flow.authenticate(lambda: TicketFix(TICKETS[ticket_id]), _ctx())


@bp.post("/tickets/<int:ticket_id>/fix/new-card")
def fix_new_card(ticket_id: int):
    return fix_flow.new_card(lambda: TicketFix(TICKETS[ticket_id]), _ctx())


def with_ticket_pages(app: Flask) -> None:
    """Add the ticket's pages to a test app (before its first request)."""
    app.register_blueprint(bp)
