"""Defining levies, approving them (the chair plus one committee member), starting them, and reading them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pledgebank import money_words
from pledgebank.accounts.models import User
from pledgebank.books.audit import record_event
from pledgebank.clock import local_date
from pledgebank.errors import Conflict, InvalidInput, NotFound
from pledgebank.levies.bands import Band, Basis, Period, band_amount
from pledgebank.levies.models import (
    Household,
    HouseholdResident,
    Levy,
    LevyApproval,
    LevyCardConsent,
    LevyHousehold,
)
from pledgebank.levies.states import (
    LevyAction,
    LevyStatus,
    next_levy_status,
    parse_retry_days,
    quorum_met,
)
from pledgebank.neighbourhoods.models import Fund, Neighbourhood
from pledgebank.neighbourhoods.reach import reach
from pledgebank.outbox import Email, send_after_commit
from pledgebank.policy import Action, can, require, roles_of
from pledgebank.text import _t

MAX_AMOUNT = 1_000_000  # minor units: 10,000 in major units per household per period
MAX_THRESHOLD = 100_000


@dataclass(frozen=True, slots=True)
class LevyTerms:
    """What a levy charges, as entered (amounts in minor units; for a banded levy, band D's amount)."""

    fund_slug: str
    name: str
    purpose: str
    basis: str
    amount: int
    period: str
    starts_on: date
    ends_on: date | None = None
    voluntary: bool = False
    threshold: int | None = None
    prorate: bool = True


def _check_terms(terms: LevyTerms, today: date, currency: str) -> None:
    errors: dict[str, list[str]] = {}
    if not 3 <= len(terms.name.strip()) <= 120:
        errors["name"] = ["Give the levy a name of 3 to 120 characters."]
    if not 10 <= len(terms.purpose.strip()) <= 4000:
        errors["purpose"] = ["Say what the levy pays for, in 10 to 4000 characters."]
    if terms.basis not in Basis.__members__.values():
        errors["basis"] = ["Choose a flat amount or council-tax bands."]
    if terms.period not in Period.__members__.values():
        errors["period"] = ["Choose monthly, quarterly or annual."]
    if not 0 < terms.amount <= MAX_AMOUNT:
        least, most = money_words.short(1, currency), money_words.short(MAX_AMOUNT, currency)
        errors["amount"] = [f"Charge between {least} and {most} a period."]
    elif terms.basis == Basis.BANDED and band_amount(terms.amount, Band.A) < 1:
        errors["amount"] = ["Band D's amount is too small to share out between the bands."]
    if terms.starts_on < today:
        errors["starts_on"] = ["The first period cannot start in the past."]
    elif terms.starts_on > today + timedelta(days=366):
        errors["starts_on"] = ["Start the first period within a year."]
    if terms.ends_on is not None and terms.ends_on <= terms.starts_on:
        errors["ends_on"] = ["The levy must end after its first period starts."]
    if terms.threshold is not None and not terms.voluntary:
        errors["threshold"] = ["Only a voluntary levy waits for enough households to join."]
    elif terms.threshold is not None and not 1 <= terms.threshold <= MAX_THRESHOLD:
        errors["threshold"] = [f"Ask for between 1 and {MAX_THRESHOLD:,} households."]
    if errors:
        raise InvalidInput(fields=errors)


def create_levy(
    session: Session,
    *,
    actor_id: int,
    neighbourhood: Neighbourhood,
    terms: LevyTerms,
    retry_days: str,
    now: datetime,
    zone: str,
) -> Levy:
    """Define a levy (committee); it charges nobody until the chair and a committee member approve it."""
    require(session, actor_id, neighbourhood.id, Action.MANAGE_LEVIES)
    _check_terms(terms, local_date(now, zone), neighbourhood.currency)
    fund = session.scalar(
        select(Fund).where(Fund.neighbourhood_id == neighbourhood.id, Fund.slug == terms.fund_slug)
    )
    if fund is None:
        raise InvalidInput.field("fund", "Choose one of the neighbourhood's funds.")
    levy = Levy(
        neighbourhood_id=neighbourhood.id,
        fund_id=fund.id,
        created_by_id=actor_id,
        name=terms.name.strip(),
        purpose=terms.purpose.strip(),
        basis=terms.basis,
        amount=terms.amount,
        currency=neighbourhood.currency,
        period=terms.period,
        starts_on=terms.starts_on,
        ends_on=terms.ends_on,
        voluntary=terms.voluntary,
        threshold=terms.threshold,
        prorate=terms.prorate,
        retry_days=",".join(str(day) for day in parse_retry_days(retry_days)),
        status=LevyStatus.DRAFT.value,
        created_at=now,
    )
    session.add(levy)
    session.flush()  # an id for the audit event
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=neighbourhood.id,
        action="levy.created",
        subject=("levy", levy.id),
        now=now,
        after={"name": levy.name, "basis": levy.basis, "amount": levy.amount, "period": levy.period},
    )
    return levy


def lock_household(session: Session, household_id: int) -> Household:
    """The household, locked for update and read afresh: one card, one consent, one confirmation at a time."""
    return session.scalars(
        select(Household)
        .where(Household.id == household_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def get_levy(session: Session, levy_id: int, *, lock: bool = False) -> Levy:
    """The levy, optionally locked for update; NotFound otherwise."""
    statement = select(Levy).where(Levy.id == levy_id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    levy = session.scalar(statement)
    if levy is None:
        raise NotFound("There is no such levy.")
    return levy


def visible_to(session: Session, levy: Levy, user_id: int | None) -> bool:
    """Drafts are seen by the committee only."""
    return levy.status != LevyStatus.DRAFT or can(
        session, user_id, levy.neighbourhood_id, Action.MANAGE_LEVIES
    )


def list_levies(session: Session, *, neighbourhood_id: int, user_id: int | None) -> list[Levy]:
    """The neighbourhood's levies that the user may see, newest first."""
    levies = session.scalars(
        select(Levy).where(Levy.neighbourhood_id == neighbourhood_id).order_by(Levy.id.desc())
    )
    return [levy for levy in levies if visible_to(session, levy, user_id)]


def approve_levy(session: Session, *, actor_id: int, levy_id: int, now: datetime, zone: str) -> Levy:
    """Record a committee member's approval; with the chair's and another's, the levy is decided and opens.

    Each approval and the decision land in the audit log.
    """
    levy = get_levy(session, levy_id, lock=True)
    require(session, actor_id, levy.neighbourhood_id, Action.MANAGE_LEVIES)
    if levy.status != LevyStatus.DRAFT:
        raise Conflict("This levy has already been decided.")
    if any(approval.user_id == actor_id for approval in levy.approvals):
        raise Conflict("You have already approved this levy; it needs another committee member.")
    roles = sorted(roles_of(session, actor_id, levy.neighbourhood_id) or ())
    session.add(LevyApproval(levy=levy, user_id=actor_id, roles=",".join(roles), approved_at=now))
    session.flush()
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=levy.neighbourhood_id,
        action="levy.approved",
        subject=("levy", levy.id),
        now=now,
        after={"roles": roles},
    )
    if quorum_met(frozenset(a.roles.split(",")) for a in levy.approvals):
        levy.status = next_levy_status(levy.status, LevyAction.APPROVE)
        record_event(
            session,
            actor_id=actor_id,
            neighbourhood_id=levy.neighbourhood_id,
            action="levy.decided",
            subject=("levy", levy.id),
            now=now,
            before={"status": LevyStatus.DRAFT.value},
            after={"status": levy.status, "approved_by": [a.user_id for a in levy.approvals]},
            reason="approved by the chair and a committee member",
        )
        maybe_start(session, levy, now=now, zone=zone)
    return levy


def household_count(session: Session, levy_id: int) -> int:
    """Households liable for the levy now (joined and not left)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(LevyHousehold)
            .where(LevyHousehold.levy_id == levy_id, LevyHousehold.left_on.is_(None))
        )
        or 0
    )


def maybe_start(session: Session, levy: Levy, *, now: datetime, zone: str) -> bool:
    """Start an open levy once it has enough households (at once when it asks for none), under its lock."""
    if levy.status != LevyStatus.OPEN:
        return False
    session.flush()
    if levy.threshold is not None and household_count(session, levy.id) < levy.threshold:
        return False
    levy.status = next_levy_status(levy.status, LevyAction.START)
    levy.activated_on = local_date(now, zone)
    record_event(
        session,
        actor_id=None,
        neighbourhood_id=levy.neighbourhood_id,
        action="levy.started",
        subject=("levy", levy.id),
        now=now,
        before={"status": LevyStatus.OPEN.value},
        after={"status": levy.status, "households": household_count(session, levy.id)},
    )
    for household_id in session.scalars(
        select(LevyHousehold.household_id).where(
            LevyHousehold.levy_id == levy.id, LevyHousehold.left_on.is_(None)
        )
    ):
        tell_household(
            session, household_id, _t("%(levy)s has started", levy=levy.name), "levies/started", about(levy)
        )
    return True


def band_table(levy: Levy) -> list[tuple[str, int]]:
    """Each band with its charge per period, for a banded levy (none for a flat one)."""
    if levy.basis == Basis.FLAT:
        return []
    return [(band.value, band_amount(levy.amount, band)) for band in Band]


def about(levy: Levy) -> dict:
    """What every levy email says about its levy (plain values: emails are written after commit)."""
    return {"levy_id": levy.id, "levy_name": levy.name, "currency": levy.currency, "period": levy.period}


def tell_household(
    session: Session, household_id: int, subject: str, template: str, context: dict | None = None
) -> None:
    """Email every resident of a household (after commit), with what it may say about the household."""
    people = session.execute(
        select(User.email, User.display_name)
        .join(HouseholdResident, HouseholdResident.user_id == User.id)
        .where(HouseholdResident.household_id == household_id)
    ).all()
    facts = household_facts(session, household_id, (context or {}).get("levy_id"))
    for email, name in people:
        send_after_commit(
            session,
            Email(
                email,
                subject,
                template,
                {"name": name, **facts, **(context or {})},
            ),
        )


def active_consent(session: Session, *, levy_id: int, household: Household) -> LevyCardConsent | None:
    """The standing consent for the household's current card to pay this levy, if any."""
    if household.payment_method_id is None:
        return None
    return session.scalar(
        select(LevyCardConsent)
        .where(
            LevyCardConsent.levy_id == levy_id,
            LevyCardConsent.household_id == household.id,
            LevyCardConsent.payment_method_id == household.payment_method_id,
            LevyCardConsent.ended_at.is_(None),
        )
        .order_by(LevyCardConsent.id.desc())
        .limit(1)
    )


def card_paying(session: Session, household: Household, levy_id: int | None) -> str | None:
    """The last four digits of the saved card that pays the household's charges of this levy (None when
    none does): a card pays a levy only while its payer's consent for that levy stands."""
    if levy_id is None or active_consent(session, levy_id=levy_id, household=household) is None:
        return None
    return household.card_last4


def household_facts(session: Session, household_id: int, levy_id: int | None) -> dict:
    """What an email to a household may say about it, read when the email is asked for: the card that pays
    this levy's charges, and how to reach the neighbourhood and pay its treasurer."""
    household = session.get_one(Household, household_id)
    paying = card_paying(session, household, levy_id)
    return {
        "card_last4": paying,
        # a card saved for another levy, not (yet) allowed to pay this one: the levy's page asks
        "other_card_last4": household.card_last4 if household.payment_method_id and paying is None else None,
        "reach": reach(session, household.neighbourhood_id),
    }
