"""Each period's charges: raising them as receivables, settling them (card, cash or bank transfer) and
reading them. Every movement of money goes through the ledger rules, keyed by the charge it comes from."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pledgebank import money_words
from pledgebank.books.models import Book, ChainHead
from pledgebank.books.services import book_of, check_open, closed_through, post, post_many
from pledgebank.clock import local_date
from pledgebank.errors import Conflict, Forbidden, InvalidInput, NotFound
from pledgebank.ledger import chart, rules
from pledgebank.ledger.entries import JournalEntry
from pledgebank.ledger.legs import make_memo
from pledgebank.ledger.money import Money
from pledgebank.levies.bands import charge_for, full_amount, periods_started
from pledgebank.levies.households import is_resident
from pledgebank.levies.models import Household, Levy, LevyCharge, LevyHousehold
from pledgebank.levies.services import about, tell_household
from pledgebank.levies.states import UNPAID, ChargeAction, ChargeStatus, LevyStatus, next_charge_status
from pledgebank.neighbourhoods.models import Fund
from pledgebank.payments.models import AttemptStatus, PaymentAttempt
from pledgebank.policy import Action, require
from pledgebank.text import _t

PAID_INTO = {"card": chart.STRIPE_CLEARING, "cash": chart.CASH, "bank": chart.BANK}


def charge_key(charge_id: int, step: str) -> str:
    """The ledger and Stripe idempotency key of a step of a charge, e.g. levy-charge:12:raised."""
    return f"levy-charge:{charge_id}:{step}"


def get_charge(session: Session, charge_id: int, *, lock: bool = False) -> LevyCharge:
    """A charge by id (optionally locked); NotFound otherwise."""
    statement = select(LevyCharge).where(LevyCharge.id == charge_id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    charge = session.scalar(statement)
    if charge is None:
        raise NotFound("There is no such charge.")
    return charge


def _refs(charge: LevyCharge, **more: str | int) -> dict[str, str | int]:
    return {
        "levy": charge.levy_id,
        "levy_charge": charge.id,
        "household": charge.household_id,
        "period": charge.period_start.isoformat(),
        **more,
    }


def _first_open_day(session: Session, book: Book) -> date | None:
    """The day after the book's latest close (None while no year is closed), read under the chain-head lock
    that posting and closing take too, so no close can slip in before this unit of work posts."""
    session.execute(select(ChainHead.sequence).where(ChainHead.book_id == book.id).with_for_update())
    closed = closed_through(session, book.id)
    return closed + timedelta(days=1) if closed is not None else None


def raised_entry(charge: LevyCharge, *, fund: str, liable_from: date, open_from: date | None) -> JournalEntry:
    """The ledger entry raising a charge: dated on the first day of its period the household is liable for,
    or on the first open day when that day is inside a closed year (the memo then names the period).

    However late the sweep runs, a charge belongs to its period; the exports order entries by date.
    """
    on = max(charge.period_start, liable_from)
    entry = rules.receivable_raised(
        amount=Money(charge.amount, charge.currency),
        fund=fund,
        key=charge_key(charge.id, "raised"),
        on=on,
        source=_refs(charge),
    )
    if open_from is None or on >= open_from:
        return entry
    closed = (open_from - timedelta(days=1)).isoformat()
    memo = make_memo(entry.kind, period=charge.period_start.isoformat(), closed_through=closed)
    return replace(entry, effective_date=open_from, memo=memo)


def raise_charges(session: Session, levy: Levy, *, now: datetime, zone: str) -> int:
    """Raise every charge of the levy that has fallen due by today and is not raised yet; return how many.

    Each is dated on its period's first day (see raised_entry), not on the day the sweep runs. The caller
    holds the levy's row lock; the unique (levy, household, period) constraint backs it up, so a charge is
    raised once however many runners there are.
    """
    if levy.status != LevyStatus.ACTIVE:
        return 0
    today = local_date(now, zone)
    charge_from = max(levy.starts_on, levy.activated_on or levy.starts_on)
    spans = [
        span
        for span in periods_started(levy.starts_on, levy.period, charge_from, today)
        if levy.ends_on is None or span.start < levy.ends_on
    ]
    if not spans:
        return 0
    liable = session.execute(
        select(LevyHousehold, Household)
        .join(Household, Household.id == LevyHousehold.household_id)
        .where(LevyHousehold.levy_id == levy.id)
        .order_by(LevyHousehold.id)
    ).all()
    raised = {
        (household_id, start)
        for household_id, start in session.execute(
            select(LevyCharge.household_id, LevyCharge.period_start).where(
                LevyCharge.levy_id == levy.id, LevyCharge.period_start >= spans[0].start
            )
        )
    }
    book = book_of(session, levy.neighbourhood_id)
    fund = session.execute(select(Fund.slug).where(Fund.id == levy.fund_id)).scalar_one()
    open_from: date | None = None
    entries: list[JournalEntry] = []
    for span in spans:
        for liability, household in liable:
            if (household.id, span.start) in raised:
                continue
            if liability.left_on is not None and liability.left_on <= span.start:
                continue
            full = full_amount(levy.basis, levy.amount, household.band)
            liable_from = max(liability.joined_on, charge_from)
            amount = charge_for(
                full=full,
                span=span,
                liable_from=liable_from,
                liable_until=levy.ends_on,
                prorate_partial=levy.prorate,
            )
            if amount <= 0:
                continue
            charge = _new_charge(session, levy, household.id, span.start, span.end, full, amount, now)
            if charge is None:
                continue
            if not entries:  # only a sweep that posts takes the chain-head lock
                open_from = _first_open_day(session, book)
            entries.append(raised_entry(charge, fund=fund, liable_from=liable_from, open_from=open_from))
    # The run's charges are sealed together, in the order they were raised (one call on PostgreSQL).
    post_many(session, book=book, entries=entries, now=now)
    return len(entries)


def _new_charge(
    session: Session, levy: Levy, household_id: int, start: date, end: date, full: int, amount: int, now
) -> LevyCharge | None:
    charge = LevyCharge(
        levy_id=levy.id,
        household_id=household_id,
        period_start=start,
        period_end=end,
        full_amount=full,
        amount=amount,
        waived_amount=0,
        part_paid=0,
        currency=levy.currency,
        status=ChargeStatus.DUE.value,
        due_at=now,
        attempts=0,
        next_attempt_at=now,
        paused=False,
        created_at=now,
        updated_at=now,
    )
    try:
        with session.begin_nested():
            session.add(charge)
            session.flush()  # an id for the ledger key; trips the one-charge-per-period constraint
    except IntegrityError:
        return None  # raised by another runner in the meantime
    return charge


def attempt_in_flight(session: Session, charge_id: int) -> bool:
    """Whether a card payment for the charge has been started at Stripe and its outcome is not in yet."""
    return (
        session.scalar(
            select(PaymentAttempt.id).where(
                PaymentAttempt.subject == f"levy-charge:{charge_id}",
                PaymentAttempt.status == AttemptStatus.STARTED.value,
            )
        )
        is not None
    )


def settle(
    session: Session,
    charge: LevyCharge,
    *,
    via: str,
    now: datetime,
    zone: str,
    gross: int | None = None,
    fee: int = 0,
    actor_id: int | None = None,
    on: date | None = None,
    **refs: str,
) -> None:
    """Mark the charge paid and post the settlement of its receivable (with the card fee, for a card)."""
    levy = charge.levy
    charge.status = next_charge_status(charge.status, ChargeAction.PAY)
    charge.paid_via, charge.paid_at, charge.updated_at = via, now, now
    charge.next_attempt_at = None
    amount = charge.amount_due if gross is None else gross
    fund = session.execute(select(Fund.slug).where(Fund.id == levy.fund_id)).scalar_one()
    entry = rules.receivable_settled(
        amount=Money(amount, charge.currency),
        fund=fund,
        income_source="levies",
        into=PAID_INTO[via],
        fee=Money(fee, charge.currency) if fee else None,
        key=charge_key(charge.id, "paid"),
        on=on or local_date(now, zone),
        source=_refs(charge, **refs),
        actor_id=actor_id,
    )
    post(session, book=book_of(session, levy.neighbourhood_id), entry=entry, now=now)
    tell_household(
        session,
        charge.household_id,
        _t("Receipt: %(levy)s paid", levy=levy.name),
        "levies/paid",
        {
            **about(levy),
            "charge_id": charge.id,
            "amount": amount,
            "via": via,
            "period_start": charge.period_start,
        },
    )


def record_payment(
    session: Session,
    *,
    actor_id: int,
    charge_id: int,
    into: str,
    now: datetime,
    zone: str,
    amount: int | None = None,
    on: date | None = None,
    owed: int | None = None,
) -> LevyCharge:
    """The treasurer has money towards a charge, in cash or by bank transfer, received on `on` (today by
    default): all of what is owed (the charge is paid) or part of it (the rest is still owed).

    `owed` is what the treasurer's form said was owed: if it has changed since (the same form sent twice,
    or a payment recorded from another tab) nothing is recorded and Conflict says so.
    """
    charge = get_charge(session, charge_id, lock=True)
    require(session, actor_id, charge.levy.neighbourhood_id, Action.RECORD_PAYMENT)
    if into not in ("cash", "bank"):
        raise InvalidInput.field("into", "Choose cash or bank transfer.")
    if charge.status not in UNPAID:
        raise Conflict("This charge is not waiting for payment.")
    if charge.paused:
        raise Conflict("A hardship request on this charge is waiting for the committee; decide it first.")
    if attempt_in_flight(session, charge.id):
        raise Conflict("A card payment for this charge is going through; wait a minute and look again.")
    due = charge.amount_due
    if owed is not None and owed != due:
        now_owed = money_words.full(due, charge.currency)
        raise Conflict(
            f"This charge changed after the form was opened: {now_owed} is owed now. Nothing was recorded."
        )
    amount = due if amount is None else amount
    if not 0 < amount <= due:
        raise InvalidInput.field(
            "amount",
            f"Enter an amount above zero and at most the {money_words.full(due, charge.currency)} owed.",
        )
    today = local_date(now, zone)
    on = on or today
    if on > today:
        raise InvalidInput.field("received_on", "The day the money was received cannot be in the future.")
    book = book_of(session, charge.levy.neighbourhood_id)
    check_open(session, book, on, field="received_on")
    charge.recorded_by_id = actor_id
    if amount == due:
        settle(session, charge, via=into, now=now, zone=zone, actor_id=actor_id, on=on)
        return charge
    fund = session.scalars(select(Fund.slug).where(Fund.id == charge.levy.fund_id)).one()
    entry = rules.receivable_settled(
        amount=Money(amount, charge.currency),
        fund=fund,
        income_source="levies",
        into=PAID_INTO[into],
        key=charge_key(charge.id, f"part:{charge.part_paid}"),
        on=on,
        source=_refs(charge),
        actor_id=actor_id,
    )
    post(session, book=book, entry=entry, now=now)
    charge.part_paid += amount
    charge.updated_at = now
    return charge


def own_charge(session: Session, charge_id: int, user_id: int | None, *, lock: bool = False) -> LevyCharge:
    """A charge of the user's own household; Forbidden for anyone else's."""
    charge = get_charge(session, charge_id, lock=lock)
    if not is_resident(session, household_id=charge.household_id, user_id=user_id):
        raise Forbidden("That is not your household's charge.")
    return charge
