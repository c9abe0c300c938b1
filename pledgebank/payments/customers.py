"""Each user's Stripe customer, created once on first use."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from pledgebank.accounts.models import User
from pledgebank.db import unit_of_work
from pledgebank.payments.gateway import PaymentGateway
from pledgebank.payments.models import PaymentCustomer


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
