"""Hardship: a resident asks for a charge to be waived or reduced, with a reason; the committee decides,
and an approved amount is written off through the ledger, referencing the decision."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank import money_words
from pledgebank.books.audit import record_event
from pledgebank.books.services import book_of, post
from pledgebank.clock import local_date
from pledgebank.errors import Conflict, InvalidInput, NotFound
from pledgebank.ledger import rules
from pledgebank.ledger.money import Money
from pledgebank.levies.charges import attempt_in_flight, get_charge, own_charge
from pledgebank.levies.households import is_resident
from pledgebank.levies.models import HardshipRequest, Levy, LevyCharge
from pledgebank.levies.services import about, tell_household
from pledgebank.levies.states import UNPAID, ChargeAction, next_charge_status
from pledgebank.neighbourhoods.models import Fund
from pledgebank.policy import Action, require
from pledgebank.text import _t

PENDING, APPROVED, REFUSED = "pending", "approved", "refused"


def pending_request(session: Session, charge_id: int) -> HardshipRequest | None:
    """The charge's request still waiting for the committee, if any."""
    return session.scalar(
        select(HardshipRequest).where(
            HardshipRequest.charge_id == charge_id, HardshipRequest.status == PENDING
        )
    )


def request_hardship(
    session: Session, *, actor_id: int, charge_id: int, reason: str, amount: int | None, now: datetime
) -> HardshipRequest:
    """Ask the committee to waive a charge (amount None) or reduce it by an amount; collection pauses."""
    charge = own_charge(session, charge_id, actor_id, lock=True)
    require(session, actor_id, charge.levy.neighbourhood_id, Action.JOIN_LEVY)
    if charge.status not in UNPAID:
        raise Conflict("This charge is not waiting for payment.")
    if pending_request(session, charge.id) is not None:
        raise Conflict("A request about this charge is already with the committee.")
    if attempt_in_flight(session, charge.id):
        # Pausing now would leave that payment's outcome unrecorded until run-due sweeps it up.
        raise Conflict("A card payment for this charge is going through; wait a minute and look again.")
    clean = " ".join((reason or "").split())
    if not 10 <= len(clean) <= 2000:
        raise InvalidInput.field("reason", "Tell the committee why, in 10 to 2000 characters.")
    if amount is not None and not 0 < amount <= charge.amount_due:
        least = money_words.short(1, charge.currency)
        raise InvalidInput.field("amount", f"Ask for a reduction between {least} and what is due.")
    request = HardshipRequest(
        charge_id=charge.id,
        requested_by_id=actor_id,
        reason=clean,
        requested_amount=amount,
        status=PENDING,
        decision_note="",
        created_at=now,
    )
    session.add(request)
    charge.paused, charge.updated_at = True, now
    session.flush()
    return request


def decide_hardship(
    session: Session,
    *,
    actor_id: int,
    request_id: int,
    approve: bool,
    amount: int | None,
    note: str,
    now: datetime,
    zone: str,
) -> HardshipRequest:
    """Approve (all or part of what is due is written off) or refuse a request; collection resumes.

    Nobody decides on their own household's request.
    """
    request = session.get(HardshipRequest, request_id)
    if request is None:
        raise NotFound("There is no such request.")
    charge = get_charge(session, request.charge_id, lock=True)
    levy = charge.levy
    require(session, actor_id, levy.neighbourhood_id, Action.MANAGE_LEVIES)
    if request.status != PENDING:
        raise Conflict("This request has already been decided.")
    if is_resident(session, household_id=charge.household_id, user_id=actor_id):
        raise Conflict("This is your own household's request: another committee member must decide it.")
    if charge.status not in UNPAID:
        raise Conflict("This charge is no longer waiting for payment.")
    if attempt_in_flight(session, charge.id):
        raise Conflict("A card payment for this charge is going through; wait a minute and look again.")
    clean = " ".join((note or "").split())
    if approve:
        amount = amount if amount is not None else (request.requested_amount or charge.amount_due)
        if not 0 < amount <= charge.amount_due:
            least = money_words.short(1, charge.currency)
            raise InvalidInput.field("amount", f"Write off between {least} and what is due.")
        _write_off(session, levy, charge, request, amount, actor_id, now, zone)
    elif not clean:
        raise InvalidInput.field("note", "Say why the request is refused; the household is told.")
    request.status = APPROVED if approve else REFUSED
    request.approved_amount = amount if approve else None
    request.decided_by_id, request.decided_at, request.decision_note = actor_id, now, clean[:2000]
    charge.paused, charge.updated_at = False, now
    written_off = amount if approve and amount is not None else 0
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=levy.neighbourhood_id,
        action="levy.hardship_decided",
        subject=("hardship_request", request.id),
        now=now,
        before={"status": PENDING, "amount_due": charge.amount_due + written_off},
        after={"status": request.status, "written_off": written_off, "charge": charge.id},
        reason=request.decision_note,
    )
    tell_household(
        session,
        charge.household_id,
        _t("Your hardship request: %(levy)s", levy=levy.name),
        "levies/hardship_decided",
        {
            **about(levy),
            "charge_id": charge.id,
            "approved": approve,
            "written_off": amount if approve else 0,
            "amount_due": charge.amount_due,
            "note": request.decision_note,
        },
    )
    return request


def _write_off(
    session: Session,
    levy: Levy,
    charge: LevyCharge,
    request: HardshipRequest,
    amount: int,
    actor_id: int,
    now: datetime,
    zone: str,
) -> None:
    full = amount == charge.amount_due
    charge.waived_amount += amount
    if full:
        charge.status = next_charge_status(charge.status, ChargeAction.WAIVE)
        charge.next_attempt_at = None
    entry = rules.receivable_written_off(
        amount=Money(amount, charge.currency),
        fund=session.execute(select(Fund.slug).where(Fund.id == levy.fund_id)).scalar_one(),
        key=f"hardship:{request.id}:written-off",
        on=local_date(now, zone),
        source={"levy": levy.id, "levy_charge": charge.id, "hardship_request": request.id},
        actor_id=actor_id,
    )
    post(session, book=book_of(session, levy.neighbourhood_id), entry=entry, now=now)


def pending_requests(session: Session, *, neighbourhood_id: int) -> list[HardshipRequest]:
    """Requests waiting for the committee, oldest first."""
    return list(
        session.scalars(
            select(HardshipRequest)
            .join(LevyCharge, LevyCharge.id == HardshipRequest.charge_id)
            .join(Levy, Levy.id == LevyCharge.levy_id)
            .where(Levy.neighbourhood_id == neighbourhood_id, HardshipRequest.status == PENDING)
            .order_by(HardshipRequest.id)
        )
    )
