"""API: transfers between funds (committee members and the chair, writes with a read-write token)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_smorest import Blueprint
from sqlalchemy.orm import Session

from pledgebank.api.auth import api_user_id
from pledgebank.books import fund_transfers
from pledgebank.books.fund_transfer_checks import TransferTerms
from pledgebank.books.fund_transfer_models import FundTransfer
from pledgebank.books.models import Book, LedgerTransaction
from pledgebank.books.services import book_of
from pledgebank.books.web.fund_transfer_schemas import FundTransferCreateSchema, FundTransferSchema
from pledgebank.clock import local_date
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.policy import Action, require
from pledgebank.web.session import db_session, now, transaction

blp = Blueprint(
    "fund_transfers_api",
    __name__,
    url_prefix="/api/v1/neighbourhoods/<slug>/fund-transfers",
    description="Transfers between funds: proposed by one officer, posted when a second approves (one of the "
    "two the chair)",
)


def _view(session: Session, transfer: FundTransfer) -> dict[str, Any]:
    posted = session.get(LedgerTransaction, transfer.transaction_id) if transfer.transaction_id else None
    return {
        "id": transfer.id,
        "from_fund": transfer.from_fund.slug,
        "to_fund": transfer.to_fund.slug,
        "amount": transfer.amount,
        "currency": session.get_one(Book, transfer.book_id).currency,
        "place": transfer.place,
        "reason": transfer.reason,
        "basis": transfer.basis,
        "basis_note": transfer.basis_note,
        "status": transfer.status,
        "proposed_by": transfer.proposed_by_id,
        "decided_by": transfer.decided_by_id,
        "posted_on": transfer.posted_on,
        "transaction_sequence": posted.sequence if posted else None,
    }


@blp.get("")
@blp.response(200, FundTransferSchema(many=True))
@blp.doc(security=[{"bearerAuth": []}])
def index(slug: str):
    """The latest transfers, newest first (those waiting for approval among them)."""
    session = db_session()
    neighbourhood = get_neighbourhood(session, slug)
    require(session, api_user_id(), neighbourhood.id, Action.VIEW_LEDGER)
    book = book_of(session, neighbourhood.id)
    return [_view(session, transfer) for transfer in fund_transfers.recent(session, book, limit=100)]


@blp.post("")
@blp.arguments(FundTransferCreateSchema)
@blp.response(201, FundTransferSchema)
@blp.doc(security=[{"bearerAuth": []}])
def create(data: dict[str, Any], slug: str):
    """Propose a transfer; the same idempotency_key sent again returns the transfer it proposed."""
    user_id = api_user_id(write=True)
    key = data.pop("idempotency_key")
    data["basis"] = data["basis"] or ""
    with transaction() as session:
        transfer = fund_transfers.propose_transfer(
            session,
            actor_id=user_id,
            neighbourhood_id=get_neighbourhood(session, slug).id,
            terms=TransferTerms(**data),
            form_key=key,
            now=now(),
        )
        return _view(session, transfer)


@blp.post("/<int:transfer_id>/approve")
@blp.response(200, FundTransferSchema)
@blp.doc(security=[{"bearerAuth": []}])
def approve(slug: str, transfer_id: int):
    """Approve a transfer someone else proposed; it posts to the ledger. Approving again changes nothing."""
    user_id = api_user_id(write=True)
    moment = now()
    with transaction() as session:
        transfer = fund_transfers.approve_transfer(
            session,
            actor_id=user_id,
            neighbourhood_id=get_neighbourhood(session, slug).id,
            transfer_id=transfer_id,
            now=moment,
            today=local_date(moment, current_app.config["TIMEZONE"]),
        )
        return _view(session, transfer)


@blp.post("/<int:transfer_id>/decline")
@blp.response(200, FundTransferSchema)
@blp.doc(security=[{"bearerAuth": []}])
def decline(slug: str, transfer_id: int):
    """Decline a transfer (or withdraw your own); nothing is posted."""
    user_id = api_user_id(write=True)
    with transaction() as session:
        transfer = fund_transfers.decline_transfer(
            session,
            actor_id=user_id,
            neighbourhood_id=get_neighbourhood(session, slug).id,
            transfer_id=transfer_id,
            now=now(),
        )
        return _view(session, transfer)
