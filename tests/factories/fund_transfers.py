"""Helpers for fund-transfer tests: funds of each type, and proposing, approving and declining through the
real service."""

from __future__ import annotations

import secrets

from sqlalchemy import func, select

from pledgebank.books import fund_transfers
from pledgebank.books.fund_transfer_checks import TransferTerms
from pledgebank.books.fund_transfer_models import FundTransfer
from pledgebank.books.models import AuditEvent, LedgerTransaction
from pledgebank.books.services import book_of
from pledgebank.db import unit_of_work
from pledgebank.neighbourhoods.funds import create_fund
from pledgebank.neighbourhoods.models import FundType
from pledgebank.neighbourhoods.services import get_neighbourhood
from tests.factories.grants import clock_now
from tests.factories.treasurer import legs_of, today


def add_fund(app, slug: str, fund_slug: str, fund_type: FundType, purpose: str = "") -> None:
    """Add a fund of the given type (restricted ones need a purpose)."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        neighbourhood = get_neighbourhood(session, slug)
        create_fund(
            session,
            neighbourhood=neighbourhood,
            book=book_of(session, neighbourhood.id),
            name=fund_slug.replace("-", " ").capitalize(),
            slug=fund_slug,
            description="",
            is_general=False,
            now=clock_now(app),
            fund_type=fund_type,
            purpose=purpose,
        )


def terms(**values) -> TransferTerms:
    """Terms of £10 from the general fund's bank share, with a reason, unless told otherwise."""
    values.setdefault("from_fund", "general")
    values.setdefault("to_fund", "repairs")
    values.setdefault("amount", 1_000)
    values.setdefault("place", "bank")
    values.setdefault("reason", "Set aside for repairs")
    return TransferTerms(**values)


def propose(app, actor: int, slug: str, transfer_terms: TransferTerms, *, key: str | None = None) -> int:
    """Propose a transfer; return its id."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        transfer = fund_transfers.propose_transfer(
            session,
            actor_id=actor,
            neighbourhood_id=get_neighbourhood(session, slug).id,
            terms=transfer_terms,
            form_key=key or secrets.token_urlsafe(16),
            now=clock_now(app),
        )
        return transfer.id


def approve(app, actor: int, slug: str, transfer_id: int):
    """A second officer approves; return the status and the ledger legs."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        transfer = fund_transfers.approve_transfer(
            session,
            actor_id=actor,
            neighbourhood_id=get_neighbourhood(session, slug).id,
            transfer_id=transfer_id,
            now=clock_now(app),
            today=today(app),
        )
        return transfer.status, legs_of(session, transfer.transaction_id)


def decline(app, actor: int, slug: str, transfer_id: int) -> str:
    """An officer declines (or the proposer withdraws) a transfer; return its status."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return fund_transfers.decline_transfer(
            session,
            actor_id=actor,
            neighbourhood_id=get_neighbourhood(session, slug).id,
            transfer_id=transfer_id,
            now=clock_now(app),
        ).status


def counts(app) -> tuple[int, int, int]:
    """How many transfers, ledger transactions and audit events the database holds."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model))
            for model in (FundTransfer, LedgerTransaction, AuditEvent)
        )
