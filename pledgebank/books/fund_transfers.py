"""Transfers between funds: one officer proposes, a second approves and it posts; the pair includes the chair.

Nothing reaches the ledger at proposal. At approval the source fund's money is checked again under its row
lock (which grant awards and supplier payments take too, in the order grants.funds.lock_fund sets out), the
transfer is posted under the book's chain-head lock (which every writer takes, so the bank and cash guards see
every earlier payment), and the fund's money is read once more before commit, so no concurrent payment or
award can leave it below zero. The ledger key is derived from the transfer's id: approving twice posts once.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pledgebank import money_words
from pledgebank.books import fund_transfer_checks as checks
from pledgebank.books.audit import record_event
from pledgebank.books.fund_transfer_checks import TransferTerms
from pledgebank.books.fund_transfer_models import CANCELLED, DECLINED, POSTED, PROPOSED, FundTransfer
from pledgebank.books.models import Book
from pledgebank.books.services import InsufficientFunds, book_of, check_open, post
from pledgebank.errors import Conflict, Forbidden, InvalidInput, NotFound
from pledgebank.grants.funds import lock_fund, money_of
from pledgebank.ledger.fund_transfers import fund_transfer, fund_transfer_key
from pledgebank.ledger.money import Money
from pledgebank.neighbourhoods.models import Role
from pledgebank.policy import Action, require, roles_of


def propose_transfer(
    session: Session,
    *,
    actor_id: int,
    neighbourhood_id: int,
    terms: TransferTerms,
    form_key: str,
    now: datetime,
) -> FundTransfer:
    """Record a proposed transfer (or find the one this form already proposed); raises InvalidInput."""
    require(session, actor_id, neighbourhood_id, Action.TRANSFER_FUNDS)
    if not isinstance(form_key, str) or not checks.FORM_KEY.fullmatch(form_key):
        raise InvalidInput(
            fields={"form_key": ["This form has expired: reload the page and fill it in again."]}
        )
    book = book_of(session, neighbourhood_id)
    existing = _by_form_key(session, book, form_key)
    if existing is not None:
        return _same(existing, terms)
    checks.check_terms(terms)
    source = checks.fund_named(session, neighbourhood_id, terms.from_fund, "from_fund")
    target = checks.fund_named(session, neighbourhood_id, terms.to_fund, "to_fund")
    checks.check_funds(source, target, terms)
    checks.check_money(session, book, source, terms.place, terms.amount or 0)
    transfer = FundTransfer(
        book_id=book.id,
        form_key=form_key,
        from_fund_id=source.id,
        to_fund_id=target.id,
        place=terms.place,
        amount=terms.amount,
        reason=terms.reason.strip(),
        basis=terms.basis,
        basis_note=terms.basis_note.strip(),
        status=PROPOSED,
        proposed_by_id=actor_id,
        proposed_at=now,
    )
    found = _add(session, book, transfer)
    if found is not transfer:
        return _same(found, terms)
    _audit(session, book, transfer, actor_id, now, "fund_transfer.proposed")
    return transfer


def approve_transfer(
    session: Session, *, actor_id: int, neighbourhood_id: int, transfer_id: int, now: datetime, today: date
) -> FundTransfer:
    """A second officer approves and the transfer posts, dated `today`; the same approver again does nothing.

    Raises Forbidden for the proposer, or when neither of the two is the chair; Conflict when the transfer is
    no longer waiting; InvalidInput beside the amount when the source fund no longer has the money.
    """
    require(session, actor_id, neighbourhood_id, Action.TRANSFER_FUNDS)
    book = book_of(session, neighbourhood_id)
    transfer = _locked(session, book, transfer_id)
    if transfer.status == POSTED and transfer.decided_by_id == actor_id:
        return transfer
    if transfer.status != PROPOSED:
        raise Conflict("That transfer is not waiting for approval.")
    if transfer.proposed_by_id == actor_id:
        raise Forbidden("A second member must approve the transfer: not the one who proposed it.")
    pair = (transfer.proposed_by_id, actor_id)
    if not any(Role.CHAIR in (roles_of(session, who, neighbourhood_id) or ()) for who in pair):
        raise Forbidden("The chair must propose or approve a transfer between funds.")
    check_open(session, book, today, field="amount")
    source = transfer.from_fund
    lock_fund(session, source.id)
    checks.check_money(session, book, source, transfer.place, transfer.amount)
    entry = fund_transfer(
        amount=Money(transfer.amount, book.currency),
        from_fund=source.slug,
        to_fund=transfer.to_fund.slug,
        place=checks.PLACES[transfer.place],
        key=fund_transfer_key(transfer.id),
        on=today,
        source={"fund_transfer": transfer.id},
        actor_id=actor_id,
    )
    try:
        posted = post(session, book=book, entry=entry, now=now)
    except InsufficientFunds as error:
        raise InvalidInput(error.message, fields={"amount": [error.message]}) from error
    # Read again under the chain-head lock posting holds until commit: nothing can have slipped in between.
    if money_of(session, source.id) < 0:
        message = f"{source.name} no longer has {money_words.full(transfer.amount, book.currency)} available."
        raise InvalidInput(message, fields={"amount": [message]})
    transfer.status, transfer.decided_by_id, transfer.decided_at = POSTED, actor_id, now
    transfer.posted_on, transfer.transaction_id = today, posted.transaction.id
    _audit(session, book, transfer, actor_id, now, "fund_transfer.approved")
    return transfer


def decline_transfer(
    session: Session, *, actor_id: int, neighbourhood_id: int, transfer_id: int, now: datetime
) -> FundTransfer:
    """The proposer withdraws the transfer (cancelled) or another officer declines it; nothing is posted."""
    require(session, actor_id, neighbourhood_id, Action.TRANSFER_FUNDS)
    book = book_of(session, neighbourhood_id)
    transfer = _locked(session, book, transfer_id)
    outcome = CANCELLED if transfer.proposed_by_id == actor_id else DECLINED
    if transfer.status == outcome and transfer.decided_by_id == actor_id:
        return transfer
    if transfer.status != PROPOSED:
        raise Conflict("That transfer is not waiting for approval.")
    transfer.status, transfer.decided_by_id, transfer.decided_at = outcome, actor_id, now
    _audit(session, book, transfer, actor_id, now, f"fund_transfer.{outcome}")
    return transfer


def pending(session: Session, book: Book) -> list[FundTransfer]:
    """Transfers waiting for a second officer, oldest first."""
    return list(
        session.scalars(
            select(FundTransfer)
            .where(FundTransfer.book_id == book.id, FundTransfer.status == PROPOSED)
            .order_by(FundTransfer.id)
        )
    )


def recent(session: Session, book: Book, limit: int = 20) -> list[FundTransfer]:
    """The book's latest transfers, whatever became of them, newest first."""
    return list(
        session.scalars(
            select(FundTransfer)
            .where(FundTransfer.book_id == book.id)
            .order_by(FundTransfer.id.desc())
            .limit(limit)
        )
    )


def _locked(session: Session, book: Book, transfer_id: int) -> FundTransfer:
    transfer = session.scalar(
        select(FundTransfer)
        .where(FundTransfer.id == transfer_id, FundTransfer.book_id == book.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if transfer is None:
        raise NotFound("There is no such transfer.")
    return transfer


def _add(session: Session, book: Book, transfer: FundTransfer) -> FundTransfer:
    """Insert the transfer, or return the one a simultaneous submission of the same form inserted first."""
    try:
        with session.begin_nested():
            session.add(transfer)
            session.flush()
    except IntegrityError:
        found = _by_form_key(session, book, transfer.form_key)
        if found is None:
            raise
        return found
    return transfer


def _same(existing: FundTransfer, terms: TransferTerms) -> FundTransfer:
    if existing.amount != terms.amount or existing.from_fund.slug != terms.from_fund:
        raise Conflict("This form was already sent with other details; reload the page for a new form.")
    return existing


def _by_form_key(session: Session, book: Book, form_key: str) -> FundTransfer | None:
    return session.scalar(
        select(FundTransfer).where(FundTransfer.book_id == book.id, FundTransfer.form_key == form_key)
    )


def _audit(
    session: Session, book: Book, transfer: FundTransfer, actor_id: int, now: datetime, action: str
) -> None:
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=book.neighbourhood_id,
        action=action,
        subject=("fund_transfer", transfer.id),
        now=now,
        after={
            "from": transfer.from_fund_id,
            "to": transfer.to_fund_id,
            "amount": transfer.amount,
            "place": transfer.place,
            "basis": transfer.basis,
            "status": transfer.status,
        },
        reason=transfer.reason,
    )
