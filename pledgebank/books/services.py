"""Opening books and posting journal entries to them: sequenced, hash-chained, idempotent and guarded."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pledgebank import metrics
from pledgebank.books import posting_pg
from pledgebank.books.models import (
    Book,
    ChainHead,
    ClosedPeriod,
    LedgerAccount,
    LedgerPosting,
    LedgerSeal,
    LedgerTransaction,
)

# Posting's outcome and errors, importable from here as before.
from pledgebank.books.posting_types import AlreadyReversed as AlreadyReversed
from pledgebank.books.posting_types import IdempotencyConflict as IdempotencyConflict
from pledgebank.books.posting_types import InsufficientFunds as InsufficientFunds
from pledgebank.books.posting_types import PeriodClosed as PeriodClosed
from pledgebank.books.posting_types import Posted as Posted
from pledgebank.books.posting_types import UnknownAccount as UnknownAccount
from pledgebank.books.treasurer_models import DEFAULT_CATEGORIES, ExpenseCategory
from pledgebank.db import after_commit
from pledgebank.errors import NotFound
from pledgebank.ledger import canonical, chart, rules
from pledgebank.ledger.entries import JournalEntry, Posting
from pledgebank.ledger.money import Money
from pledgebank.neighbourhoods.models import Fund, Neighbourhood


def open_book(session: Session, *, neighbourhood: Neighbourhood, now: datetime) -> Book:
    """Create the neighbourhood's book with its chain head, book-level accounts and expense categories."""
    book = Book(
        neighbourhood_id=neighbourhood.id,
        slug=neighbourhood.slug,
        currency=neighbourhood.currency,
        created_at=now,
    )
    session.add(book)
    session.flush()  # the head and the accounts refer to the book's id
    session.add(ChainHead(book_id=book.id, sequence=0, hash=canonical.GENESIS_HASH))
    _add_accounts(session, book, chart.book_accounts(), fund_id=None)
    session.add_all(
        ExpenseCategory(
            neighbourhood_id=neighbourhood.id, slug=slug, name=name, retired=False, created_at=now
        )
        for slug, name in DEFAULT_CATEGORIES
    )
    session.flush()  # the general fund, opened next, reads them
    return book


def open_fund_accounts(session: Session, *, book: Book, fund: Fund) -> None:
    """Create a fund's accounts in the book, with an expense account for each of the book's categories."""
    categories = session.execute(
        select(ExpenseCategory.slug, ExpenseCategory.name)
        .where(ExpenseCategory.neighbourhood_id == book.neighbourhood_id)
        .order_by(ExpenseCategory.id)
    )
    specs = chart.fund_accounts(fund.slug, fund.name, [(slug, name) for slug, name in categories])
    _add_accounts(session, book, specs, fund_id=fund.id)


def open_category_account(session: Session, *, book: Book, fund: Fund, slug: str, name: str) -> None:
    """Create a fund's expense account for one category."""
    _add_accounts(session, book, [chart.category_account(fund.slug, fund.name, slug, name)], fund_id=fund.id)


def open_missing_account(session: Session, *, book: Book, fund: Fund, spec: chart.AccountSpec) -> None:
    """Create one of a fund's accounts that is opened only when first needed (Gift Aid income), unless the
    book has it already."""
    found = session.scalar(
        select(LedgerAccount.id).where(LedgerAccount.book_id == book.id, LedgerAccount.code == spec.code)
    )
    if found is None:
        _add_accounts(session, book, [spec], fund_id=fund.id)


def _add_accounts(session: Session, book: Book, specs: list[chart.AccountSpec], fund_id: int | None) -> None:
    for spec in specs:
        session.add(
            LedgerAccount(
                book_id=book.id,
                code=spec.code,
                name=spec.name,
                type=spec.type.value,
                normal_sign=chart.normal_sign(spec.type),
                fund_id=fund_id,
                currency=book.currency,
                must_not_go_negative=spec.must_not_go_negative,
                balance=0,
            )
        )
    session.flush()


def book_of(session: Session, neighbourhood_id: int) -> Book:
    """Return the neighbourhood's book."""
    book = session.scalar(select(Book).where(Book.neighbourhood_id == neighbourhood_id))
    if book is None:
        raise NotFound("This neighbourhood has no book.")
    return book


def book_by_slug(session: Session, slug: str) -> Book:
    """Return the book with this slug or raise NotFound."""
    book = session.scalar(select(Book).where(Book.slug == slug))
    if book is None:
        raise NotFound(f"There is no book called {slug!r}.")
    return book


def closed_through(session: Session, book_id: int) -> date | None:
    """The last day of the book's latest closed period, or None while no year has been closed."""
    return session.scalar(
        select(func.max(ClosedPeriod.closed_through)).where(ClosedPeriod.book_id == book_id)
    )


def check_open(session: Session, book: Book, day: date, *, field: str = "effective_date") -> None:
    """Raise PeriodClosed, naming `field`, if `day` is on or before the book's latest close."""
    closed = closed_through(session, book.id)
    if closed is not None and day <= closed:
        raise PeriodClosed.on(day, closed, field)


def post(session: Session, *, book: Book, entry: JournalEntry, now: datetime) -> Posted:
    """Seal entry as the book's next transaction, or return the one already posted under its key.

    Raises IdempotencyConflict when the key was used for a different entry, InsufficientFunds when a guarded
    account would go below zero, AlreadyReversed when the reversed transaction was reversed before,
    PeriodClosed when the entry is dated inside a closed financial year (the database refuses it too).
    On PostgreSQL the whole post is one call of a stored function (books/posting_pg.py).
    """
    if _in_one_call(session):
        posted = posting_pg.post_one(session, book, entry, now)
        if posted.created:
            _count_posts(session, [entry])
        return posted
    return post_through_orm(session, book=book, entry=entry, now=now)


def post_through_orm(session: Session, *, book: Book, entry: JournalEntry, now: datetime) -> Posted:
    """`post` on any database, through the ORM: SQLite's path, and the reference PostgreSQL's call matches."""
    # Writers on one book take turns on the chain head row; this is what keeps the sequence gapless.
    head = session.execute(
        select(ChainHead.sequence, ChainHead.hash).where(ChainHead.book_id == book.id).with_for_update()
    ).one()
    existing = _by_key(session, book.id, entry.idempotency_key)
    if existing is not None:
        if (
            canonical.canonical_bytes(book_id=book.id, sequence=existing.sequence, entry=entry)
            != existing.canonical
        ):
            raise IdempotencyConflict()
        return Posted(existing, created=False)
    # Read under the chain-head lock, which a year-end close holds too, so the close cannot slip past.
    check_open(session, book, entry.effective_date)
    accounts = _accounts_for(session, book, entry)
    # A second reversal is AlreadyReversed whatever the balances would allow.
    reverses_id = _reversed_id(session, book, entry)
    _check_guards(accounts, entry)
    sequence = head.sequence + 1
    data = canonical.canonical_bytes(book_id=book.id, sequence=sequence, entry=entry)
    transaction = LedgerTransaction(
        book_id=book.id,
        sequence=sequence,
        effective_date=entry.effective_date,
        kind=entry.kind,
        memo=entry.memo,
        source=entry.source_dict(),
        actor_id=entry.actor_id,
        idempotency_key=entry.idempotency_key,
        reverses_id=reverses_id,
        format_version=canonical.FORMAT_VERSION,
        canonical=data,
        prev_hash=bytes(head.hash),
        hash=canonical.chain_hash(bytes(head.hash), data),
        recorded_at=now,
    )
    try:
        with session.begin_nested():
            session.add(transaction)
            session.flush()  # the postings and the seal refer to the transaction's id
            session.execute(
                insert(LedgerPosting),
                [
                    {
                        "transaction_id": transaction.id,
                        "book_id": book.id,
                        "line": line,
                        "account_id": accounts[p.account].id,
                        "amount": p.amount.amount,
                        "currency": p.amount.currency,
                    }
                    for line, p in enumerate(entry.postings, start=1)
                ],
            )
            session.execute(insert(LedgerSeal).values(transaction_id=transaction.id))
    except IntegrityError as exc:
        if "guard" in str(exc.orig):
            raise InsufficientFunds() from exc
        if "the period is closed" in str(exc.orig):
            raise PeriodClosed() from exc
        raise
    for account in accounts.values():
        session.expire(account, ["balance"])
    _count_posts(session, [entry])
    return Posted(transaction, created=True)


def post_many(
    session: Session, *, book: Book, entries: Sequence[JournalEntry], now: datetime
) -> list[Posted]:
    """Seal entries in order as the book's next transactions, in the caller's database transaction.

    Each entry is posted as `post` would post it (idempotent under its own key, the same errors), and the
    first refusal refuses the lot. On PostgreSQL the whole batch is one call of a stored function.
    """
    if not _in_one_call(session):
        return [post(session, book=book, entry=entry, now=now) for entry in entries]
    posted = posting_pg.post_many(session, book, entries, now)
    _count_posts(session, [entry for entry, p in zip(entries, posted, strict=True) if p.created])
    return posted


def _in_one_call(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _count_posts(session: Session, entries: Sequence[JournalEntry]) -> None:
    kinds = [str(entry.kind) for entry in entries]

    def count() -> None:
        for kind in kinds:
            metrics.LEDGER_POSTS.labels(kind=kind).inc()

    after_commit(session, count)


def _by_key(session: Session, book_id: int, key: str) -> LedgerTransaction | None:
    return session.scalar(
        select(LedgerTransaction).where(
            LedgerTransaction.book_id == book_id, LedgerTransaction.idempotency_key == key
        )
    )


def _accounts_for(session: Session, book: Book, entry: JournalEntry) -> dict[str, LedgerAccount]:
    codes = set(entry.accounts())
    rows = session.scalars(
        select(LedgerAccount)
        .where(LedgerAccount.book_id == book.id, LedgerAccount.code.in_(codes))
        .execution_options(populate_existing=True)
    ).all()
    found = {account.code: account for account in rows}
    missing = sorted(codes - found.keys())
    if missing:
        raise UnknownAccount(f"The book {book.slug} has no account {', '.join(missing)}.")
    return found


def _check_guards(accounts: dict[str, LedgerAccount], entry: JournalEntry) -> None:
    deltas: dict[str, int] = defaultdict(int)
    for p in entry.postings:
        deltas[p.account] += p.amount.amount
    for code, delta in deltas.items():
        account = accounts[code]
        if account.must_not_go_negative and (account.balance + delta) * account.normal_sign < 0:
            raise InsufficientFunds(f"{account.name} holds too little for that.")


def _reversed_id(session: Session, book: Book, entry: JournalEntry) -> int | None:
    if entry.reverses_key is None:
        return None
    original = _by_key(session, book.id, entry.reverses_key)
    if original is None:
        raise NotFound("The transaction to reverse does not exist.")
    if (
        session.scalar(select(LedgerTransaction.id).where(LedgerTransaction.reverses_id == original.id))
        is not None
    ):
        raise AlreadyReversed()
    return original.id


def entry_of(transaction: LedgerTransaction) -> JournalEntry:
    """Rebuild the journal entry sealed in a transaction's canonical bytes."""
    doc = canonical.decode(transaction.canonical)
    return JournalEntry(
        kind=doc["kind"],
        effective_date=date.fromisoformat(doc["date"]),
        memo=doc["memo"],
        idempotency_key=doc["key"],
        source=tuple(sorted(doc["source"].items())),
        actor_id=doc["actor"],
        reverses_key=doc["reverses"],
        postings=tuple(
            Posting(account, Money(amount, currency)) for account, amount, currency in doc["postings"]
        ),
    )


def reverse(
    session: Session,
    *,
    book: Book,
    transaction_id: int,
    on: date,
    actor_id: int | None,
    reason_code: str,
    now: datetime,
) -> Posted:
    """Post the reversal of a transaction (idempotent: its key derives from the original's)."""
    original = session.get(LedgerTransaction, transaction_id)
    if original is None or original.book_id != book.id:
        raise NotFound("No such transaction in this book.")
    entry = rules.reversal(
        entry_of(original),
        key=f"reversal:{original.idempotency_key}",
        on=on,
        actor_id=actor_id,
        reason_code=reason_code,
    )
    existing = _by_key(session, book.id, entry.idempotency_key)
    if existing is not None and existing.reverses_id == original.id:
        return Posted(existing, created=False)
    return post(session, book=book, entry=entry, now=now)
