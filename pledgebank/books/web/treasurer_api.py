"""API: the treasurer's everyday entries (treasurer or chair, with a read-write token)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_smorest import Blueprint

from pledgebank.api.auth import api_user_id
from pledgebank.books import treasurer
from pledgebank.books.models import LedgerTransaction
from pledgebank.books.treasurer_checks import OPENING_BALANCE, EntryTerms
from pledgebank.books.web.treasurer_schemas import TreasurerEntryCreateSchema, TreasurerEntrySchema
from pledgebank.clock import local_date
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.web.session import now, transaction

blp = Blueprint(
    "treasurer_api",
    __name__,
    url_prefix="/api/v1/neighbourhoods/<slug>/treasurer-entries",
    description="Treasurer entries: donations, cash banked, supplier payments, bank charges and interest, "
    "opening balances and corrections",
)


@blp.post("")
@blp.arguments(TreasurerEntryCreateSchema)
@blp.response(201, TreasurerEntrySchema)
@blp.doc(security=[{"bearerAuth": []}])
def create(data: dict[str, Any], slug: str):
    """Record an entry; the same idempotency_key sent again returns the entry it recorded."""
    user_id = api_user_id(write=True)
    key = data.pop("idempotency_key")
    if data["kind"] == OPENING_BALANCE and data["amount"] is None:
        data["amount"] = 0
    moment = now()
    with transaction() as session:
        entry = treasurer.record_entry(
            session,
            actor_id=user_id,
            neighbourhood_id=get_neighbourhood(session, slug).id,
            terms=EntryTerms(**data),
            form_key=key,
            threshold=current_app.config["GRANT_SECOND_APPROVAL_ABOVE"],
            now=moment,
            today=local_date(moment, current_app.config["TIMEZONE"]),
        )
        return _shown(session, entry)


@blp.post("/<int:entry_id>/approve")
@blp.response(200, TreasurerEntrySchema)
@blp.doc(security=[{"bearerAuth": []}])
def approve(slug: str, entry_id: int):
    """A second committee member approves a supplier payment above the threshold, and it posts.

    Not the member who recorded it. Sent again by the same member, it returns the payment it posted.
    """
    user_id = api_user_id(write=True)
    moment = now()
    with transaction() as session:
        entry = treasurer.approve_entry(
            session,
            actor_id=user_id,
            entry_id=entry_id,
            now=moment,
            neighbourhood_id=get_neighbourhood(session, slug).id,
        )
        return _shown(session, entry)


def _shown(session, entry) -> dict[str, Any]:
    posted = session.get(LedgerTransaction, entry.transaction_id) if entry.transaction_id else None
    return {
        "id": entry.id,
        "kind": entry.kind,
        "status": entry.status,
        "amount": entry.amount,
        "cash_amount": entry.cash_amount,
        "effective_date": entry.effective_date,
        "description": entry.description,
        "transaction_sequence": posted.sequence if posted else None,
    }
