"""A card payment's refunds as the books hold them: each Stripe refund, its amount, whether it stands or
failed (its money came back), and the transactions that record it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.orm import Session

from pledgebank.ledger import kinds
from pledgebank.payments.refund_books import CardPayment, income_legs, recorded_about, source_of


@dataclass(frozen=True, slots=True)
class BookedRefund:
    """One Stripe refund of a payment, as posted: `failed` once a refund_failed entry put its money back."""

    id: str
    amount: int
    currency: str
    on: date
    transaction_sequence: int
    status: str = "succeeded"  # or "failed"
    failed_on: date | None = None
    failure_sequence: int | None = None


def booked_refunds(session: Session, payment: CardPayment) -> list[BookedRefund]:
    """Every refund of the payment the books hold, in the order they were posted."""
    made: dict[str, BookedRefund] = {}
    # In posting order, so a refund's own entry always comes before the one putting its money back.
    for transaction in recorded_about(
        session, payment.payment_intent_id, (kinds.REFUND, kinds.REFUND_FAILED)
    ):
        refund_id = str(source_of(transaction).get("refund") or "")
        if transaction.kind == kinds.REFUND:
            amount = sum(amount for _, amount in income_legs(session, transaction))
            made[refund_id] = BookedRefund(
                refund_id, amount, payment.currency, transaction.effective_date, transaction.sequence
            )
        elif refund_id in made:
            made[refund_id] = replace(
                made[refund_id],
                status="failed",
                failed_on=transaction.effective_date,
                failure_sequence=transaction.sequence,
            )
    return list(made.values())
