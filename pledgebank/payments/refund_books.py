"""Card payments as the books hold them, and the refunds and dispute movements Stripe reports, posted once.

A card payment is found by its PaymentIntent in the source of the transaction that received it (a pledge's
card payment or a levy charge's settlement); its income account names the fund and the income source that
a refund or dispute reverses. Every posting here is keyed by a Stripe id (the refund, or the dispute's
balance transaction) and dated by Stripe's own time, so the path that made a refund and the webhook that
reports it post the very same entry, whichever comes first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypedDict

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from pledgebank.books.models import Book, LedgerAccount, LedgerPosting, LedgerTransaction
from pledgebank.books.services import closed_through, post
from pledgebank.clock import local_date
from pledgebank.ledger import disputes, kinds, refund_failures, rules
from pledgebank.ledger.money import Money
from pledgebank.payments.gateway import BalanceTransaction, Dispute, Refund

RECEIVED = (kinds.CARD_PAYMENT_RECEIVED, kinds.RECEIVABLE_SETTLED)
# Transactions that take back part of a received card payment (signed by their effect on its income).
TAKEN_BACK = (
    kinds.REFUND,
    kinds.REFUND_FAILED,
    kinds.DISPUTE_FUNDS_WITHDRAWN,
    kinds.DISPUTE_FUNDS_REINSTATED,
)


@dataclass(frozen=True, slots=True)
class CardPayment:
    """A card payment received into a book: where its income went, and how much of it is still kept."""

    book: Book
    payment_intent_id: str
    charge_id: str
    fund: str
    income_source: str
    gross: int
    currency: str
    taken_back: int

    @property
    def left(self) -> int:
        """What is left of the payment to refund."""
        return self.gross - self.taken_back


def recorded_about(
    session: Session, payment_intent_id: str, kinds_: tuple[str, ...]
) -> list[LedgerTransaction]:
    """The transactions of these kinds about a PaymentIntent, in the order they were posted."""
    rows = session.scalars(
        select(LedgerTransaction)
        .where(
            LedgerTransaction.kind.in_(kinds_),
            cast(LedgerTransaction.source, Text).contains(f'"{payment_intent_id}"'),
        )
        .order_by(LedgerTransaction.id)
    )
    return [t for t in rows if source_of(t).get("payment_intent") == payment_intent_id]


class _DisputeTerms(TypedDict):
    """What both dispute rules take besides the amounts."""

    fund: str
    income_source: str
    key: str
    on: date
    source: dict[str, str | int]


def source_of(transaction: LedgerTransaction) -> dict[str, Any]:
    """A transaction's source references, as a dict."""
    source = transaction.source
    return json.loads(source) if isinstance(source, str) else dict(source)


def income_legs(session: Session, transaction: LedgerTransaction) -> list[tuple[str, int]]:
    """A transaction's postings to income accounts: (account code, amount)."""
    return [
        (code, amount)
        for code, amount in session.execute(
            select(LedgerAccount.code, LedgerPosting.amount)
            .join(LedgerPosting, LedgerPosting.account_id == LedgerAccount.id)
            .where(LedgerPosting.transaction_id == transaction.id, LedgerAccount.code.startswith("income:"))
        )
    ]


def card_payment(session: Session, payment_intent_id: str) -> CardPayment | None:
    """The card payment of this PaymentIntent in the books, or None if no book received it."""
    received = recorded_about(session, payment_intent_id, RECEIVED)
    if not received:
        return None
    first = received[0]
    (income, amount), *_ = income_legs(session, first)
    _, fund, income_source = income.split(":")
    taken_back = sum(
        amount
        for t in recorded_about(session, payment_intent_id, TAKEN_BACK)
        for _, amount in income_legs(session, t)
    )
    book = session.get_one(Book, first.book_id)
    return CardPayment(
        book,
        payment_intent_id,
        str(source_of(first).get("charge") or ""),
        fund,
        income_source,
        -amount,
        book.currency,
        taken_back,
    )


def _day(session: Session, payment: CardPayment, created: int, zone: str) -> date:
    """Stripe's date for a movement, or the first open day when that falls in a closed year."""
    day = local_date(datetime.fromtimestamp(created, UTC), zone)
    closed = closed_through(session, payment.book.id)
    return max(day, closed + timedelta(days=1)) if closed is not None else day


def _posted(session: Session, payment: CardPayment, key: str) -> bool:
    return (
        session.scalar(
            select(LedgerTransaction.id).where(
                LedgerTransaction.book_id == payment.book.id, LedgerTransaction.idempotency_key == key
            )
        )
        is not None
    )


def _made(refund: Refund) -> bool:
    """Whether the refund took money from the Stripe balance: it succeeded, or it failed after doing so."""
    return refund.status == "succeeded" or refund.failure_balance_transaction_id is not None


def post_refund(session: Session, payment: CardPayment, refund: Refund, *, now: datetime, zone: str) -> int:
    """Post a refund once (Dr income, Cr Stripe clearing) and, if it failed since, the money coming back
    (refund_failed); how many entries were posted.

    A refund first seen failed is posted and put back all the same, as Stripe's balance shows both, so the
    books end alike whether its webhooks told of it before it failed or only after.
    """
    posted = _post_refund_made(session, payment, refund, now=now, zone=zone)
    return posted + _post_refund_failed(session, payment, refund, now=now, zone=zone)


def _post_refund_made(
    session: Session, payment: CardPayment, refund: Refund, *, now: datetime, zone: str
) -> int:
    key = f"stripe-refund:{refund.id}"
    if not _made(refund) or _posted(session, payment, key):
        return 0
    entry = rules.refund(
        amount=Money(refund.amount, refund.currency),
        fund=payment.fund,
        income_source=payment.income_source,
        key=key,
        on=_day(session, payment, refund.created, zone),
        source={
            "payment_intent": payment.payment_intent_id,
            "charge": refund.charge_id,
            "refund": refund.id,
            "balance_transaction": refund.balance_transaction_id or "",
        },
    )
    post(session, book=payment.book, entry=entry, now=now)
    return 1


def _post_refund_failed(
    session: Session, payment: CardPayment, refund: Refund, *, now: datetime, zone: str
) -> int:
    failure = refund.failure_balance_transaction_id
    key = f"stripe-refund-failed:{refund.id}"
    if failure is None or _posted(session, payment, key):
        return 0
    entry = refund_failures.refund_failed(
        amount=Money(refund.amount, refund.currency),
        fund=payment.fund,
        income_source=payment.income_source,
        key=key,
        on=_day(session, payment, refund.failed_at or refund.created, zone),
        source={
            "payment_intent": payment.payment_intent_id,
            "charge": refund.charge_id,
            "refund": refund.id,
            "balance_transaction": failure,
        },
    )
    post(session, book=payment.book, entry=entry, now=now)
    return 1


def post_dispute_movement(
    session: Session,
    payment: CardPayment,
    dispute: Dispute,
    movement: BalanceTransaction,
    *,
    now: datetime,
    zone: str,
) -> bool:
    """Post one balance movement of a dispute once: a withdrawal with its fee, or a reinstatement."""
    key = f"stripe-dispute:{movement.id}"
    if movement.amount == 0 or _posted(session, payment, key):
        return False
    common: _DisputeTerms = {
        "fund": payment.fund,
        "income_source": payment.income_source,
        "key": key,
        "on": _day(session, payment, movement.created, zone),
        "source": {
            "payment_intent": payment.payment_intent_id,
            "charge": dispute.charge_id,
            "dispute": dispute.id,
            "balance_transaction": movement.id,
        },
    }
    if movement.amount < 0:
        entry = disputes.dispute_funds_withdrawn(
            amount=Money(-movement.amount, movement.currency),
            fee=Money(movement.fee, movement.currency),
            **common,
        )
    else:
        entry = disputes.dispute_funds_reinstated(amount=Money(movement.amount, movement.currency), **common)
    post(session, book=payment.book, entry=entry, now=now)
    return True


def card_payments(session: Session, book: Book) -> list[CardPayment]:
    """Every card payment a book received, newest first, with what is left of each to refund (one query)."""
    t, p, a = LedgerTransaction, LedgerPosting, LedgerAccount
    rows = session.execute(
        select(t.kind, t.source, a.code, p.amount)
        .join(p, p.transaction_id == t.id)
        .join(a, a.id == p.account_id)
        .where(
            t.book_id == book.id,
            p.book_id == book.id,
            t.kind.in_(RECEIVED + TAKEN_BACK),
            a.code.startswith("income:"),
        )
        .order_by(t.sequence.desc())
    )
    received: dict[str, tuple[str, str, int, str]] = {}
    taken_back: dict[str, int] = {}
    for kind, source, code, amount in rows:
        refs = json.loads(source) if isinstance(source, str) else dict(source)
        intent = refs.get("payment_intent")
        if not intent:
            continue
        if kind in RECEIVED:
            _, fund, income_source = code.split(":")
            received[intent] = (fund, income_source, -amount, str(refs.get("charge") or ""))
        else:
            taken_back[intent] = taken_back.get(intent, 0) + amount
    return [
        CardPayment(
            book, intent, charge, fund, income_source, gross, book.currency, taken_back.get(intent, 0)
        )
        for intent, (fund, income_source, gross, charge) in received.items()
    ]
