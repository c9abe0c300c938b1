"""Stripe reconciliation: every balance transaction matched to the ledger, and payouts posted once matched.

The ledger side is every transaction that moved a book's Stripe clearing account, keyed by the Stripe ids in
its source (balance transaction first, then refund, payout or charge); reversals share their original's
source, so a corrected payment nets to what Stripe holds. Stripe runs one account for every neighbourhood, so
a payout is split between the books whose money it carried, and posted to each (Dr bank, Cr Stripe clearing)
under a key made from the payout id, once every balance transaction it pays out is matched.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from pledgebank.books.models import Book, LedgerAccount, LedgerPosting, LedgerTransaction
from pledgebank.books.services import closed_through, post
from pledgebank.ledger import chart, rules
from pledgebank.ledger.legs import make_memo
from pledgebank.ledger.money import Money
from pledgebank.payments.gateway import BalanceTransaction, PaymentGateway, Payout

SOURCE_KEYS = ("balance_transaction", "refund", "payout", "charge")


class Status(StrEnum):
    """How one item compares between Stripe and the ledger."""

    MATCHED = "matched"
    MISSING_IN_LEDGER = "missing in ledger"
    MISSING_IN_STRIPE = "missing in Stripe"
    AMOUNT_MISMATCH = "amount mismatch"


@dataclass(frozen=True, slots=True)
class StripeActivity:
    """What Stripe reports: payouts with the balance transactions each paid out, and recent transactions."""

    payouts: list[tuple[Payout, list[BalanceTransaction]]]
    recent: list[BalanceTransaction]


@dataclass(frozen=True, slots=True)
class Movement:
    """A ledger transaction's effect on a book's Stripe clearing account."""

    book: str
    sequence: int
    effective_date: date
    kind: str
    key: str | None
    clearing: int
    currency: str


@dataclass(frozen=True, slots=True)
class Place:
    """Where a line sits in the books: the book, the transaction's sequence, and its clearing movement."""

    book: str
    sequence: int
    clearing: int


@dataclass(frozen=True, slots=True)
class Line:
    """One item of the report."""

    status: Status
    stripe_id: str | None
    stripe_type: str
    source_id: str | None
    stripe_net: int | None
    ledger_net: int | None
    currency: str
    places: tuple[Place, ...]
    payout_id: str | None = None


@dataclass(slots=True)
class PayoutOutcome:
    """A payout: whether all it paid out is matched, and where it is posted (book slug -> sequence)."""

    payout: Payout
    reconciled: bool
    posted: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class Report:
    """The reconciliation: every line, every payout, and each book's Stripe clearing against Stripe."""

    since: date
    lines: list[Line] = field(default_factory=list)
    payouts: list[PayoutOutcome] = field(default_factory=list)
    clearing: dict[str, tuple[int, str]] = field(default_factory=dict)
    unpaid: dict[str, int] = field(default_factory=dict)

    def count(self, status: Status) -> int:
        """How many lines have this status."""
        return sum(line.status == status for line in self.lines)

    @property
    def ok(self) -> bool:
        """True when everything is matched and every book's clearing equals what Stripe has not paid out."""
        matched = all(line.status == Status.MATCHED for line in self.lines)
        return matched and all(
            balance == self.unpaid.get(book, 0) for book, (balance, _currency) in self.clearing.items()
        )


def start_of(day: date, zone: str) -> int:
    """The Unix time of local midnight at the start of a day."""
    return int(datetime.combine(day, time(), tzinfo=ZoneInfo(zone)).timestamp())


def fetch_activity(gateway: PaymentGateway, *, since: date, zone: str) -> StripeActivity:
    """Ask Stripe for the payouts and balance transactions since a date."""
    after = start_of(since, zone)
    payouts = [(p, gateway.balance_transactions(payout_id=p.id)) for p in gateway.payouts(since=after)]
    return StripeActivity(payouts, gateway.balance_transactions(since=after))


def _stripe_key(source: dict[str, str]) -> str | None:
    return next((source[name] for name in SOURCE_KEYS if source.get(name)), None)


def ledger_movements(session: Session, *, since: date) -> list[Movement]:
    """Every transaction on or after a date that moved a Stripe clearing account, in every book."""
    t, p, a = LedgerTransaction, LedgerPosting, LedgerAccount
    rows = session.execute(
        select(Book.slug, t.sequence, t.effective_date, t.kind, cast(t.source, Text), p.amount, p.currency)
        .join(t, t.book_id == Book.id)
        .join(p, p.transaction_id == t.id)
        .join(a, a.id == p.account_id)
        .where(a.code == chart.STRIPE_CLEARING, t.effective_date >= since)
        .order_by(Book.slug, t.sequence, p.line)
    )
    found: dict[tuple[str, int], Movement] = {}
    for slug, sequence, day, kind, source, amount, currency in rows:
        earlier = found.get((slug, sequence))
        total = amount + (earlier.clearing if earlier else 0)
        key = _stripe_key(json.loads(source))
        found[(slug, sequence)] = Movement(slug, sequence, day, kind, key, total, currency)
    return list(found.values())


class _Matcher:
    """Matches balance transactions to ledger movements by Stripe id; each group of movements is used once."""

    def __init__(self, movements: list[Movement]) -> None:
        self.by_key: dict[str, list[Movement]] = defaultdict(list)
        for movement in movements:
            self.add(movement)
        self.used: set[str] = set()

    def add(self, movement: Movement) -> None:
        """Add a movement (one just posted, say)."""
        if movement.key:
            self.by_key[movement.key].append(movement)

    def match(self, bt: BalanceTransaction, payout_id: str | None) -> Line:
        """The line for one balance transaction; the movements it matched are used up."""
        key = bt.id if bt.id in self.by_key else bt.source_id
        group = [] if key is None or key in self.used else self.by_key.get(key, [])
        if key is not None and group:
            self.used.add(key)
        places = tuple(Place(m.book, m.sequence, m.clearing) for m in group)
        ledger = sum(place.clearing for place in places) if places else None
        if ledger is None:
            status = Status.MISSING_IN_LEDGER
        else:
            status = Status.MATCHED if ledger == bt.net else Status.AMOUNT_MISMATCH
        return Line(status, bt.id, bt.type, bt.source_id, bt.net, ledger, bt.currency, places, payout_id)

    def leftovers(self, since: date) -> list[Line]:
        """Ledger movements since the date that no balance transaction explains."""
        return [
            Line(
                Status.MISSING_IN_STRIPE,
                None,
                m.kind,
                m.key,
                None,
                m.clearing,
                m.currency,
                (Place(m.book, m.sequence, m.clearing),),
            )
            for key, group in self.by_key.items()
            if key not in self.used
            for m in group
            if m.effective_date >= since
        ]

    def unexplained(self, movements: list[Movement], since: date) -> list[Line]:
        """Lines for movements with no Stripe id at all (nothing in Stripe can explain them)."""
        return [
            Line(
                Status.MISSING_IN_STRIPE,
                None,
                m.kind,
                None,
                None,
                m.clearing,
                m.currency,
                (Place(m.book, m.sequence, m.clearing),),
            )
            for m in movements
            if m.key is None and m.effective_date >= since
        ]


def _post_payout(
    session: Session, payout: Payout, book: Book, amount: int, *, zone: str, now: datetime
) -> Movement | None:
    arrived = datetime.fromtimestamp(payout.arrival_date, UTC).astimezone(ZoneInfo(zone)).date()
    entry = rules.payout(
        amount=Money(amount, payout.currency),
        key=f"stripe-payout:{payout.id}",
        on=arrived,
        source={"payout": payout.id},
    )
    # A payout that arrived in a closed year is booked on the first open day, its memo saying when it arrived;
    # once posted it keeps that day, so a re-run after a later close finds it rather than a different entry.
    t = LedgerTransaction
    earlier = session.scalar(
        select(t).where(t.book_id == book.id, t.idempotency_key == entry.idempotency_key)
    )
    closed, on = closed_through(session, book.id), arrived
    if earlier is not None:
        on = earlier.effective_date
    elif closed is not None and arrived <= closed:
        on = closed + timedelta(days=1)
    if on != arrived:
        entry = replace(entry, effective_date=on, memo=make_memo(entry.kind, arrived=arrived.isoformat()))
    posted = post(session, book=book, entry=entry, now=now)
    sequence = posted.transaction.sequence
    if not posted.created:
        return None
    return Movement(book.slug, sequence, on, entry.kind, payout.id, -amount, payout.currency)


def _own_line(payout: Payout) -> BalanceTransaction:
    """The payout itself, as the balance transaction that takes its amount out of the Stripe balance."""
    return BalanceTransaction(
        payout.balance_transaction_id or payout.id,
        "payout",
        payout.id,
        -payout.amount,
        0,
        -payout.amount,
        payout.currency,
        payout.created,
    )


def _created(bt: BalanceTransaction, zone: str) -> date:
    return datetime.fromtimestamp(bt.created, UTC).astimezone(ZoneInfo(zone)).date()


def reconcile_stripe(
    session: Session,
    activity: StripeActivity,
    *,
    since: date,
    zone: str,
    now: datetime,
    post_payouts: bool = True,
) -> Report:
    """Match Stripe's activity to the books, post each fully matched payout, and report the differences."""
    report = Report(since)
    window = min([since, *(_created(bt, zone) for _payout, bts in activity.payouts for bt in bts)])
    movements = ledger_movements(session, since=window - timedelta(days=1))
    matcher = _Matcher(movements)
    books = {book.slug: book for book in session.scalars(select(Book))}
    paid_out: set[str] = set()
    for payout, transactions in activity.payouts:
        parts = [bt for bt in transactions if bt.type != "payout"]
        paid_out.update(bt.id for bt in parts)
        lines = [matcher.match(bt, payout.id) for bt in parts]
        shares: dict[str, int] = defaultdict(int)
        for place in (place for line in lines for place in line.places):
            shares[place.book] += place.clearing
        outcome = PayoutOutcome(
            payout,
            reconciled=payout.status == "paid"
            and all(line.status == Status.MATCHED for line in lines)
            and sum(bt.net for bt in parts) == payout.amount
            and all(amount > 0 for amount in shares.values()),
        )
        if outcome.reconciled and post_payouts:
            for slug, amount in sorted(shares.items()):
                movement = _post_payout(session, payout, books[slug], amount, zone=zone, now=now)
                if movement is not None:
                    matcher.add(movement)
        report.lines.extend([*lines, matcher.match(_own_line(payout), payout.id)])
        outcome.posted = {place.book: place.sequence for place in report.lines[-1].places}
        report.payouts.append(outcome)
    for bt in activity.recent:
        if bt.type == "payout" or bt.id in paid_out:
            continue
        line = matcher.match(bt, None)
        report.lines.append(line)
        if line.places:
            report.unpaid[line.places[0].book] = report.unpaid.get(line.places[0].book, 0) + bt.net
    report.lines.extend(matcher.leftovers(since))
    report.lines.extend(matcher.unexplained(movements, since))
    involved = {place.book for line in report.lines for place in line.places}
    for slug, balance, currency in session.execute(
        select(Book.slug, LedgerAccount.balance, LedgerAccount.currency)
        .join(LedgerAccount, LedgerAccount.book_id == Book.id)
        .where(LedgerAccount.code == chart.STRIPE_CLEARING)
    ):
        if balance or slug in report.unpaid or slug in involved:
            report.clearing[slug] = (balance, currency)
    return report
