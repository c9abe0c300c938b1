"""Stripe reconciliation: every balance transaction matched to the ledger, and payouts posted once matched.

The ledger side is every transaction that moved a book's Stripe clearing account, keyed by the Stripe ids in
its source (balance transaction first, then refund, payout or charge); reversals share their original's
source, so a corrected payment nets to what Stripe holds. Stripe runs one account for every neighbourhood, so
a payout is split between the books whose money it carried, and posted to each (Dr bank, Cr Stripe clearing)
under a key made from the payout id, once every balance transaction it pays out is matched. Within a book the
payout is split again between the funds whose clearing money it carried, each fund's share being the sum of
its legs in the transactions the payout's balance transactions matched.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pledgebank.books.models import Book, LedgerAccount, LedgerTransaction
from pledgebank.books.services import closed_through, post
from pledgebank.exports.clearing import Movement, Shares, is_clearing, ledger_movements
from pledgebank.exports.naming import major
from pledgebank.ledger import rules
from pledgebank.ledger.legs import make_memo
from pledgebank.ledger.money import Money
from pledgebank.payments.gateway import BalanceTransaction, PaymentGateway, Payout


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
class Place:
    """Where a line sits in the books: the book, the transaction's sequence, and its clearing movement.

    `funds` splits the movement between the funds' clearing accounts (None for the book-level account).
    """

    book: str
    sequence: int
    clearing: int
    funds: Shares = ()


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

    def unmatched(self, book: str | None = None) -> int:
        """How many lines are not matched: all of them, or those of one book and those found in no book."""
        return sum(
            line.status != Status.MATCHED
            and (book is None or not line.places or any(place.book == book for place in line.places))
            for line in self.lines
        )

    @property
    def ok(self) -> bool:
        """True when everything is matched and every book's clearing equals what Stripe has not paid out."""
        return not self.unmatched() and all(
            balance == self.unpaid.get(book, 0) for book, (balance, _currency) in self.clearing.items()
        )


def _items(count: int) -> str:
    return f"{count} item{'' if count == 1 else 's'} unmatched"


def verdict_lines(report: Report) -> list[str]:
    """Each book's clearing against what Stripe has not paid out, then the whole report's verdict.

    A book agrees only when the amounts are equal and no item that concerns it (or that no book claims) is
    left unmatched: equal totals with an unmatched refund listed are a coincidence, not agreement.
    """
    lines = []
    for book, (balance, currency) in sorted(report.clearing.items()):
        unpaid = report.unpaid.get(book, 0)
        left = report.unmatched(book)
        verdict = "agrees" if balance == unpaid and not left else "DIFFERS"
        if left:
            verdict += f" ({_items(left)})"
        lines.append(
            f"{book}: Stripe clearing holds {_money(balance, currency)}; Stripe has "
            f"{_money(unpaid, currency)} not yet paid out: {verdict}"
        )
    left = report.unmatched()
    if report.ok:
        lines.append("reconciled: every item matched")
    else:
        lines.append(f"NOT reconciled: {_items(left)}" if left else "NOT reconciled: the clearing differs")
    return lines


def _money(amount: int, currency: str) -> str:
    return f"{major(amount, currency)} {currency}"


def start_of(day: date, zone: str) -> int:
    """The Unix time of local midnight at the start of a day."""
    return int(datetime.combine(day, time(), tzinfo=ZoneInfo(zone)).timestamp())


def fetch_activity(gateway: PaymentGateway, *, since: date, zone: str) -> StripeActivity:
    """Ask Stripe for the payouts and balance transactions since a date."""
    after = start_of(since, zone)
    payouts = [(p, gateway.balance_transactions(payout_id=p.id)) for p in gateway.payouts(since=after)]
    return StripeActivity(payouts, gateway.balance_transactions(since=after))


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
        places = tuple(Place(m.book, m.sequence, m.clearing, m.funds) for m in group)
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
    session: Session, payout: Payout, book: Book, shares: dict[str | None, int], *, zone: str, now: datetime
) -> Movement | None:
    key = f"stripe-payout:{payout.id}"
    if session.scalar(
        select(LedgerTransaction.id).where(
            LedgerTransaction.book_id == book.id, LedgerTransaction.idempotency_key == key
        )
    ):
        return None  # posted before (perhaps split differently, before money was attributed to funds)
    arrived = datetime.fromtimestamp(payout.arrival_date, UTC).astimezone(ZoneInfo(zone)).date()
    entry = rules.payout(
        shares={fund: Money(amount, payout.currency) for fund, amount in shares.items() if amount},
        key=key,
        on=arrived,
        source={"payout": payout.id},
    )
    # A payout that arrived in a closed year is booked on the first open day, its memo saying when it arrived.
    closed = closed_through(session, book.id)
    on = closed + timedelta(days=1) if closed is not None and arrived <= closed else arrived
    if on != arrived:
        entry = replace(entry, effective_date=on, memo=make_memo(entry.kind, arrived=arrived.isoformat()))
    sequence = post(session, book=book, entry=entry, now=now).transaction.sequence
    funds = tuple((fund, -amount) for fund, amount in shares.items() if amount)
    total = sum(amount for _fund, amount in funds)
    return Movement(book.slug, sequence, on, entry.kind, payout.id, total, payout.currency, funds)


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
        shares: dict[str, dict[str | None, int]] = defaultdict(lambda: defaultdict(int))
        for place in (place for line in lines for place in line.places):
            for fund, amount in place.funds:
                shares[place.book][fund] += amount
        outcome = PayoutOutcome(
            payout,
            reconciled=payout.status == "paid"
            and all(line.status == Status.MATCHED for line in lines)
            and sum(bt.net for bt in parts) == payout.amount
            and all(sum(funds.values()) > 0 for funds in shares.values()),
        )
        if outcome.reconciled and post_payouts:
            for slug, funds in sorted(shares.items()):
                movement = _post_payout(session, payout, books[slug], dict(funds), zone=zone, now=now)
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
    # A book's Stripe clearing is the sum of its funds' clearing accounts and the book-level one.
    for slug, balance, currency in session.execute(
        select(Book.slug, func.sum(LedgerAccount.balance), LedgerAccount.currency)
        .join(LedgerAccount, LedgerAccount.book_id == Book.id)
        .where(is_clearing())
        .group_by(Book.slug, LedgerAccount.currency)
    ):
        balance = int(balance or 0)
        if balance or slug in report.unpaid or slug in involved:
            report.clearing[slug] = (balance, currency)
    return report
