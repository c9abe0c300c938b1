"""API: refunds of a neighbourhood's card payments (listed by its officers, made by its treasurer or chair
with a read-write token)."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_smorest import Blueprint

from pledgebank.api.auth import api_user_id
from pledgebank.errors import InvalidInput, NotFound
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.payments.context import payments_context
from pledgebank.payments.refund_books import CardPayment
from pledgebank.payments.refund_listing import booked_refunds
from pledgebank.payments.refunds import made_by, refund_payment, refundable
from pledgebank.payments.web.refund_schemas import (
    BookedRefundSchema,
    PaymentRefundsSchema,
    RefundCreateSchema,
)
from pledgebank.policy import Action, require
from pledgebank.web.session import now, this_app, transaction

blp = Blueprint(
    "refunds_api",
    __name__,
    url_prefix="/api/v1/neighbourhoods/<slug>/card-payments",
    description="Refunds of card payments, through Stripe",
)


def _payment(session, slug: str, payment_intent_id: str, user_id: int, action: Action) -> CardPayment:
    neighbourhood = get_neighbourhood(session, slug)
    require(session, user_id, neighbourhood.id, action)
    payment = refundable(session, payment_intent_id)
    if payment.book.neighbourhood_id != neighbourhood.id:
        raise NotFound("There is no card payment with that reference in the books.")
    return payment


@blp.get("/<payment_intent_id>/refunds")
@blp.response(200, PaymentRefundsSchema)
@blp.doc(security=[{"bearerAuth": []}])
def list_refunds(slug: str, payment_intent_id: str):
    """A card payment, what is left of it to refund, and its refunds as the books hold them."""
    user_id = api_user_id()
    with transaction() as session:
        payment = _payment(session, slug, payment_intent_id, user_id, Action.VIEW_LEDGER)
        return {
            "payment_intent": payment.payment_intent_id,
            "gross": payment.gross,
            "left": payment.left,
            "currency": payment.currency,
            "refunds": booked_refunds(session, payment),
        }


def _request_key(data: dict[str, Any]) -> str:
    header = request.headers.get("Idempotency-Key")
    key = data.get("idempotency_key")
    if header is not None and key is not None and header != key:
        raise InvalidInput.field(
            "idempotency_key", "The key in the body and the Idempotency-Key header differ."
        )
    found = key if key is not None else header
    if found is None:
        raise InvalidInput.field(
            "idempotency_key", "Send a key you make once per refund, here or as the Idempotency-Key header."
        )
    return str(found)


@blp.post("/<payment_intent_id>/refunds")
@blp.arguments(RefundCreateSchema)
@blp.response(201, BookedRefundSchema)
@blp.alt_response(200, schema=BookedRefundSchema, description="This key's refund, made before")
@blp.doc(security=[{"bearerAuth": []}])
def create(data: dict[str, Any], slug: str, payment_intent_id: str):
    """Refund part (or, without an amount, all that is left) of a card payment; the same key sent again
    answers with the refund it made."""
    user_id = api_user_id(write=True)
    key = _request_key(data)
    with transaction() as session:
        neighbourhood_id = get_neighbourhood(session, slug).id
    made = refund_payment(
        payments_context(this_app()),
        actor_id=user_id,
        payment_intent_id=payment_intent_id,
        amount=data["amount"],
        request_key=key,
        now=now(),
        reason=data["reason"],
        neighbourhood_id=neighbourhood_id,
        key_field="idempotency_key",
    )
    with transaction() as session:
        attempt = made_by(session, payment_intent_id, key)
        assert attempt is not None  # refund_payment recorded the attempt before it returned
        payment = refundable(session, payment_intent_id)
        found: object = {r.id: r for r in booked_refunds(session, payment)}.get(attempt.stripe_id or "")
        if found is None:  # not booked (yet): Stripe has it pending, or the attempt waits for run-due
            amount = int(attempt.key.rpartition(":")[2])
            found = {
                "id": attempt.stripe_id,
                "amount": amount,
                "currency": payment.currency,
                "status": attempt.outcome or "pending",
            }
    return found, 201 if made is not None else 200
