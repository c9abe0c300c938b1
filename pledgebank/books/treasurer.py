"""Recording the treasurer's everyday entries, each posted by its ledger rule under a one-time key.

A supplier payment above the second-approval threshold waits, unposted, for a second committee member, as a
grant payment does. A correction reverses a sealed transaction; the reversal names the original and the
original is found reversed by it, so each points at the other.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TypedDict

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session

from pledgebank.books import treasurer_checks as checks
from pledgebank.books.audit import record_event
from pledgebank.books.categories import category_problem, ensure_category_account
from pledgebank.books.models import Book, LedgerTransaction
from pledgebank.books.services import (
    AlreadyReversed,
    InsufficientFunds,
    Posted,
    book_of,
    check_open,
    post,
    reverse,
)
from pledgebank.books.treasurer_checks import EntryTerms
from pledgebank.books.treasurer_models import TreasurerEntry
from pledgebank.errors import Conflict, Forbidden, InvalidInput, NotFound
from pledgebank.grants.funds import lock_fund, money_of
from pledgebank.ledger import kinds, transfers
from pledgebank.ledger import treasurer as rules
from pledgebank.ledger.entries import JournalEntry
from pledgebank.ledger.money import Money
from pledgebank.neighbourhoods.models import Fund
from pledgebank.policy import Action, require

AWAITING_APPROVAL = "awaiting_approval"
POSTED = "posted"
# What a correction may reverse: the entries recorded here. A card payment is put right by refunding it, a
# grant or a pledge on its own page (reversing theirs would leave those records, and Stripe, out of step
# with the books), and a year's close only by the year itself.
_CORRECTABLE = (*kinds.TREASURER_KINDS, kinds.CASH_BANKED)


def record_entry(
    session: Session,
    *,
    actor_id: int,
    neighbourhood_id: int,
    terms: EntryTerms,
    form_key: str,
    threshold: int,
    now: datetime,
    today: date,
) -> TreasurerEntry:
    """Record one entry and post it, or find the one this form already recorded; raises InvalidInput."""
    require(session, actor_id, neighbourhood_id, Action.RECORD_MONEY)
    if not isinstance(form_key, str) or not checks.FORM_KEY.fullmatch(form_key):
        raise InvalidInput(
            fields={"form_key": ["This form has expired: reload the page and fill it in again."]}
        )
    book = book_of(session, neighbourhood_id)
    existing = _by_form_key(session, book, form_key)
    if existing is not None:
        return _same(existing, terms)
    problem = (
        category_problem(session, neighbourhood_id=neighbourhood_id, slug=terms.category)
        if terms.kind == checks.SUPPLIER_PAYMENT
        else None
    )
    checks.check_terms(terms, today, problem)
    assert terms.on is not None  # check_terms refused an entry without a date
    check_open(session, book, terms.on, field="on")
    if terms.kind == checks.CORRECTION:
        return _correct(session, book, terms, form_key, actor_id, now)
    fund = _fund_for(session, book, neighbourhood_id, terms)
    waits = terms.kind == checks.SUPPLIER_PAYMENT and (terms.amount or 0) > threshold
    entry = _new_entry(book, fund, terms, form_key, actor_id, now, waits=waits)
    found = _add(session, book, entry)
    if found is not entry:
        return _same(found, terms)
    _audit(session, entry, actor_id, now, "treasurer.entry_recorded")
    if not waits:
        _post(session, book, entry, fund, actor_id, now)
    return entry


def _fund_for(session: Session, book: Book, neighbourhood_id: int, terms: EntryTerms) -> Fund:
    """The entry's fund, once it may take the entry: one opening balance each; money enough for a payment
    (under the fund's lock); the place's share."""
    fund = checks.check_fund(
        session.scalar(
            select(Fund).where(Fund.neighbourhood_id == neighbourhood_id, Fund.slug == terms.fund)
        ),
        terms,
    )
    if terms.kind == checks.OPENING_BALANCE and _standing_opening(session, book, fund):
        message = (
            f"{fund.name}'s opening balances are already recorded; correct them by reversing that entry."
        )
        raise InvalidInput(fields={"fund": [message]})
    if terms.kind == checks.SUPPLIER_PAYMENT:
        lock_fund(session, fund.id)
        checks.check_money(session, book, fund, terms.amount or 0)
    checks.check_share(session, book, fund, terms)
    return fund


def _new_entry(
    book: Book, fund: Fund, terms: EntryTerms, form_key: str, actor_id: int, now: datetime, *, waits: bool
) -> TreasurerEntry:
    """The entry's row, with only the fields its kind has; awaiting a second member's approval if `waits`."""
    assert terms.on is not None  # check_terms refused an entry without a date
    return TreasurerEntry(
        book_id=book.id,
        form_key=form_key,
        kind=terms.kind,
        fund_id=fund.id,
        place=terms.place if terms.kind in (checks.DONATION, checks.SUPPLIER_PAYMENT) else "",
        amount=terms.amount or 0,
        cash_amount=(terms.cash_amount or 0) if terms.kind == checks.OPENING_BALANCE else 0,
        effective_date=terms.on,
        description=terms.description.strip(),
        donor=terms.donor.strip() if terms.kind == checks.DONATION else "",
        donor_public=bool(terms.donor_public and terms.kind == checks.DONATION),
        payee=terms.payee.strip() if terms.kind == checks.SUPPLIER_PAYMENT else "",
        category=terms.category if terms.kind == checks.SUPPLIER_PAYMENT else "",
        purpose=terms.purpose.strip() if terms.kind == checks.SUPPLIER_PAYMENT else "",
        status=AWAITING_APPROVAL if waits else POSTED,
        recorded_by_id=actor_id,
        recorded_at=now,
    )


def approve_entry(
    session: Session, *, actor_id: int, entry_id: int, now: datetime, neighbourhood_id: int | None = None
) -> TreasurerEntry:
    """A second committee member approves a payment above the threshold, and it posts.

    The same member approving again finds the payment they approved (a retried request posts once).
    With `neighbourhood_id`, an entry of another neighbourhood's book is NotFound.
    """
    entry = session.get(TreasurerEntry, entry_id)
    book = session.get(Book, entry.book_id) if entry is not None else None
    if book is not None and neighbourhood_id is not None and book.neighbourhood_id != neighbourhood_id:
        book = None
    if entry is None or book is None:
        raise NotFound("There is no such payment.")
    require(session, actor_id, book.neighbourhood_id, Action.APPROVE_PAYMENT)
    session.refresh(entry, with_for_update=True)
    if entry.status == POSTED and entry.approved_by_id == actor_id:
        return entry
    if entry.status != AWAITING_APPROVAL:
        raise Conflict("That payment is not waiting for approval.")
    if entry.recorded_by_id == actor_id:
        raise Forbidden("A second member must approve it: not the one who recorded the payment.")
    fund = entry.fund
    assert fund is not None  # only corrections name no fund, and they never wait for approval
    lock_fund(session, fund.id)
    checks.check_money(session, book, fund, entry.amount)
    checks.check_share(session, book, fund, _spent(entry))
    entry.approved_by_id, entry.approved_at = actor_id, now
    _post(session, book, entry, fund, actor_id, now)
    entry.status = POSTED
    _audit(session, entry, actor_id, now, "treasurer.payment_approved")
    return entry


def waiting(session: Session, book: Book) -> list[TreasurerEntry]:
    """Payments recorded above the threshold and not yet approved, oldest first."""
    return list(
        session.scalars(
            select(TreasurerEntry)
            .where(TreasurerEntry.book_id == book.id, TreasurerEntry.status == AWAITING_APPROVAL)
            .order_by(TreasurerEntry.id)
        )
    )


def recent(session: Session, book: Book, limit: int = 20) -> list[TreasurerEntry]:
    """The book's latest treasurer entries, newest first."""
    return list(
        session.scalars(
            select(TreasurerEntry)
            .where(TreasurerEntry.book_id == book.id)
            .order_by(TreasurerEntry.id.desc())
            .limit(limit)
        )
    )


class _RuleTerms(TypedDict):
    """What every treasurer rule takes besides its amounts."""

    fund: str
    on: date
    source: dict[str, str | int]
    actor_id: int | None
    key: str


def rule_entry(entry: TreasurerEntry, fund: Fund, currency: str, actor_id: int | None) -> JournalEntry:
    """The journal entry an approved treasurer entry posts."""
    common: _RuleTerms = {
        "fund": fund.slug,
        "on": entry.effective_date,
        "source": {"treasurer_entry": entry.id},
        "actor_id": actor_id,
        "key": f"treasurer-entry:{entry.id}",
    }
    amount = Money(entry.amount, currency)
    place = checks.PLACES.get(entry.place, "")
    if entry.kind == checks.DONATION:
        return rules.donation_received(amount=amount, into=place, **common)
    if entry.kind == checks.CASH_BANKED:
        return transfers.cash_banked(amount=amount, **common)
    if entry.kind == checks.SUPPLIER_PAYMENT:
        return rules.supplier_paid(amount=amount, category=entry.category, from_account=place, **common)
    if entry.kind == checks.BANK_CHARGES:
        return rules.bank_charges(amount=amount, **common)
    if entry.kind == checks.BANK_INTEREST:
        return rules.bank_interest(amount=amount, **common)
    common["key"] = _opening_key(object_session(entry), entry, fund)
    return rules.opening_balance(bank=amount, cash=Money(entry.cash_amount, currency), **common)


def _post(
    session: Session, book: Book, entry: TreasurerEntry, fund: Fund, actor_id: int, now: datetime
) -> None:
    if entry.kind == checks.SUPPLIER_PAYMENT:
        ensure_category_account(session, book=book, fund=fund, slug=entry.category)
    try:
        posted = post(session, book=book, entry=rule_entry(entry, fund, book.currency, actor_id), now=now)
    except InsufficientFunds as error:
        raise InvalidInput(error.message, fields={"amount": [error.message]}) from error
    if entry.kind == checks.SUPPLIER_PAYMENT and (own := money_of(session, fund.id)) < 0:
        # Read again under the chain-head lock posting holds until commit: nothing can have slipped in.
        raise InvalidInput.field("amount", checks.over_money(fund, own + entry.amount, book.currency))
    entry.transaction_id = posted.transaction.id


def _spent(entry: TreasurerEntry) -> EntryTerms:
    """A waiting payment's terms, as far as the share check reads them."""
    return EntryTerms(
        kind=entry.kind, on=entry.effective_date, description="", amount=entry.amount, place=entry.place
    )


def _correct(
    session: Session, book: Book, terms: EntryTerms, form_key: str, actor_id: int, now: datetime
) -> TreasurerEntry:
    original = session.scalar(
        select(LedgerTransaction).where(
            LedgerTransaction.book_id == book.id, LedgerTransaction.sequence == terms.transaction
        )
    )
    if original is None:
        raise InvalidInput(fields={"transaction": [f"There is no transaction number {terms.transaction}."]})
    if original.kind == kinds.YEAR_CLOSED:
        raise InvalidInput(fields={"transaction": ["A year's closing transaction cannot be reversed."]})
    if original.kind not in _CORRECTABLE:
        raise InvalidInput(
            fields={
                "transaction": [
                    "A correction reverses only the entries recorded here (donations, cash banked, payments, "
                    "bank charges and interest, opening balances). Put a card payment right by refunding it, "
                    "and a grant or a pledge on its own page."
                ]
            }
        )
    assert terms.on is not None  # check_terms refused an entry without a date
    try:
        posted: Posted = reverse(
            session,
            book=book,
            transaction_id=original.id,
            on=terms.on,
            actor_id=actor_id,
            reason_code="correction",
            now=now,
        )
    except AlreadyReversed as error:
        raise InvalidInput(fields={"transaction": ["That transaction is already reversed."]}) from error
    except InsufficientFunds as error:
        raise InvalidInput(fields={"transaction": [error.message]}) from error
    if not posted.created:
        raise InvalidInput(fields={"transaction": ["That transaction is already reversed."]})
    entry = TreasurerEntry(
        book_id=book.id,
        form_key=form_key,
        kind=checks.CORRECTION,
        effective_date=terms.on,
        description=terms.description.strip(),
        status=POSTED,
        recorded_by_id=actor_id,
        recorded_at=now,
        transaction_id=posted.transaction.id,
        corrects_id=original.id,
    )
    found = _add(session, book, entry)
    if found is entry:
        _audit(session, entry, actor_id, now, "treasurer.correction_recorded")
    return found


def _add(session: Session, book: Book, entry: TreasurerEntry) -> TreasurerEntry:
    """Insert the entry, or return the one a simultaneous submission of the same form inserted first."""
    try:
        with session.begin_nested():
            session.add(entry)
            session.flush()
    except IntegrityError:
        found = _by_form_key(session, book, entry.form_key)
        if found is None:
            raise
        return found
    return entry


def _same(existing: TreasurerEntry, terms: EntryTerms) -> TreasurerEntry:
    if existing.kind != terms.kind or (terms.amount is not None and existing.amount != terms.amount):
        raise Conflict("This form was already sent with other details; reload the page for a new form.")
    return existing


def _by_form_key(session: Session, book: Book, form_key: str) -> TreasurerEntry | None:
    return session.scalar(
        select(TreasurerEntry).where(TreasurerEntry.book_id == book.id, TreasurerEntry.form_key == form_key)
    )


def _openings(session: Session, book: Book, fund: Fund) -> tuple[list[int], set[int]]:
    """The ids of the fund's opening-balance transactions, and those of them a correction reversed."""
    base = f"opening-balance:{fund.slug}"
    t = LedgerTransaction
    keyed = (t.idempotency_key == base) | t.idempotency_key.startswith(f"{base}:", autoescape=True)
    ids = list(session.scalars(select(t.id).where(t.book_id == book.id, keyed)))
    return ids, set(session.scalars(select(t.reverses_id).where(t.reverses_id.in_(ids))))


def _standing_opening(session: Session, book: Book, fund: Fund) -> bool:
    """Whether the fund has an opening balance that no correction has reversed."""
    ids, reversed_ids = _openings(session, book, fund)
    return any(found not in reversed_ids for found in ids)


def _opening_key(session: Session | None, entry: TreasurerEntry, fund: Fund) -> str:
    # One key per standing opening balance: the first is opening-balance:<fund>, one recorded after a
    # correction reversed it opening-balance:<fund>:1, and so on; so two at once cannot both post.
    base = f"opening-balance:{fund.slug}"
    book = session.get(Book, entry.book_id) if session is not None else None
    replaced = len(_openings(session, book, fund)[1]) if session is not None and book is not None else 0
    return f"{base}:{replaced}" if replaced else base


def _audit(session: Session, entry: TreasurerEntry, actor_id: int, now: datetime, action: str) -> None:
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=session.get_one(Book, entry.book_id).neighbourhood_id,
        action=action,
        subject=("treasurer_entry", entry.id),
        now=now,
        after={"kind": entry.kind, "amount": entry.amount, "status": entry.status},
    )
