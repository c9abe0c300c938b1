"""Each user's Stripe customer, created once on first use, and recorded for deletion when they are erased."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from pledgebank.accounts.models import User
from pledgebank.db import unit_of_work
from pledgebank.payments.gateway import PaymentGateway
from pledgebank.payments.models import AttemptStatus, PaymentAttempt, PaymentCustomer


def customer_id_for(
    sessions: sessionmaker[Session], gateway: PaymentGateway, *, user_id: int, now: datetime
) -> str:
    """The user's Stripe customer id, creating the customer on first use."""
    with unit_of_work(sessions) as session:
        existing = session.get(PaymentCustomer, user_id)
        if existing is not None:
            return existing.customer_id
        email = session.scalar(select(User.email).where(User.id == user_id))
    customer_id = gateway.create_customer(
        email=email or "", reference=f"user:{user_id}", idempotency_key=f"customer:user:{user_id}"
    )
    try:
        with unit_of_work(sessions) as session:
            session.add(PaymentCustomer(user_id=user_id, customer_id=customer_id, created_at=now))
    except IntegrityError:
        # Two requests raced: keep the customer that was stored first.
        with unit_of_work(sessions) as session:
            return session.execute(
                select(PaymentCustomer.customer_id).where(PaymentCustomer.user_id == user_id)
            ).scalar_one()
    return customer_id


DELETE_OPERATION = "delete_customer"
DELETE_KEY_PREFIX = "customer-delete:"


def deletion_subject(user_id: int) -> str:
    """The subject of the attempts that delete a person's Stripe customers."""
    return f"customer:user:{user_id}"


def forget_customers(session: Session, user_id: int, *, now: datetime) -> int:
    """Record that the person's Stripe customers are to be deleted, and drop the local link; return how many.

    Runs in the erasure's transaction: the deletion is a pending attempt (key customer-delete:<customer
    id>) made after that transaction commits (`pledgebank.payments.customer_deletion`), or by run-due if it
    is not. Nothing financial needs the link: the books name payments, never customers. A customer recorded
    for deletion before is not recorded twice.
    """
    customer_ids = list(
        session.scalars(select(PaymentCustomer.customer_id).where(PaymentCustomer.user_id == user_id))
    )
    for customer_id in customer_ids:
        key = DELETE_KEY_PREFIX + customer_id
        if session.scalar(select(PaymentAttempt.id).where(PaymentAttempt.key == key)) is None:
            session.add(
                PaymentAttempt(
                    key=key,
                    operation=DELETE_OPERATION,
                    subject=deletion_subject(user_id),
                    status=AttemptStatus.PENDING.value,
                    started_at=now,
                )
            )
    session.execute(
        delete(PaymentCustomer)
        .where(PaymentCustomer.user_id == user_id)
        .execution_options(synchronize_session=False)
    )
    return len(customer_ids)
