"""A household's card pays a levy's charges only with a resident's consent for that levy.

A card saved from a levy's page is authorised for that levy; a household already holding a card that joins
another levy is asked whether the same card may pay that one too. Each consent names the card and keeps the
words the resident was shown; it ends when the household's card is replaced or the resident leaves the
neighbourhood. Off-session charges (run-due, retries) take only a card consented for the charge's levy.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pledgebank import money_words
from pledgebank.errors import Conflict
from pledgebank.levies.bands import full_amount
from pledgebank.levies.households import household_of, liability_of
from pledgebank.levies.models import Household, Levy, LevyCardConsent, LevyCharge
from pledgebank.levies.services import active_consent, get_levy, lock_household
from pledgebank.text import _t

NOT_YOURS = _t(
    "The household's card was saved by someone else in your household: only they can agree that it pays this "
    "levy. You can save your own card for it instead."
)
PERIOD_WORDS = {"monthly": "each month", "quarterly": "each quarter", "annual": "each year"}


def wording(levy: Levy, household: Household) -> str:
    """The words a resident agrees to: which card pays which levy, how much and how often, until when."""
    amount = money_words.full(full_amount(levy.basis, levy.amount, household.band), levy.currency)
    card = f"the card ending {household.card_last4}" if household.card_last4 else "the household's saved card"
    return (
        f"I authorise {levy.name} to take {amount} {PERIOD_WORDS.get(levy.period, levy.period)} from {card} "
        f"for {household.address}, on the day each charge falls due and on the levy's retry days if it is "
        "declined. Anything already owed is listed for me to confirm before it is taken. I can stop this by "
        "saving another card, leaving the levy (if it is voluntary) or leaving the neighbourhood."
    )


def standing_consent(session: Session, charge: LevyCharge, household: Household) -> LevyCardConsent | None:
    """The consent under which the charge may be taken off-session (run-due, retries): one for its levy and
    the household's card, given no later than the charge was raised. A charge raised before the consent
    (arrears, a period already running) is taken only once the resident confirms it in a list."""
    consent = active_consent(session, levy_id=charge.levy_id, household=household)
    return consent if consent is not None and consent.given_at <= charge.created_at else None


def consented_levies(session: Session, household: Household) -> set[int]:
    """The levies the household's current card may pay."""
    if household.payment_method_id is None:
        return set()
    return set(
        session.scalars(
            select(LevyCardConsent.levy_id).where(
                LevyCardConsent.household_id == household.id,
                LevyCardConsent.payment_method_id == household.payment_method_id,
                LevyCardConsent.ended_at.is_(None),
            )
        )
    )


def give(
    session: Session, *, levy: Levy, household: Household, user_id: int, now: datetime
) -> LevyCardConsent:
    """Record the user's consent for the household's current card to pay the levy (the caller holds the
    household's row lock); an earlier consent for the same card and levy stands, and is returned."""
    assert household.payment_method_id is not None, "a consent names a saved card"
    existing = active_consent(session, levy_id=levy.id, household=household)
    if existing is not None:
        return existing
    consent = LevyCardConsent(
        levy_id=levy.id,
        household_id=household.id,
        user_id=user_id,
        payment_method_id=household.payment_method_id,
        card_last4=household.card_last4,
        wording=wording(levy, household),
        given_at=now,
    )
    session.add(consent)
    session.flush()
    return consent


def end_for_other_cards(session: Session, household: Household, *, now: datetime) -> int:
    """A new card replaces the household's old one: consents given for any other card end."""
    result = session.execute(
        update(LevyCardConsent)
        .where(
            LevyCardConsent.household_id == household.id,
            LevyCardConsent.payment_method_id != (household.payment_method_id or ""),
            LevyCardConsent.ended_at.is_(None),
        )
        .values(ended_at=now, ended_because="card replaced")
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def end_for_user(
    session: Session, *, neighbourhood_id: int, user_id: int, now: datetime, because: str
) -> int:
    """End every consent the user gave for a levy in the neighbourhood (they are leaving it); how many."""
    levies = select(Levy.id).where(Levy.neighbourhood_id == neighbourhood_id)
    result = session.execute(
        update(LevyCardConsent)
        .where(
            LevyCardConsent.user_id == user_id,
            LevyCardConsent.levy_id.in_(levies),
            LevyCardConsent.ended_at.is_(None),
        )
        .values(ended_at=now, ended_because=because)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def consents_of_user(
    session: Session, *, neighbourhood_id: int, user_id: int
) -> list[tuple[Levy, LevyCardConsent]]:
    """The standing consents the user gave here, with their levies, by levy name."""
    return [
        (levy, consent)
        for consent, levy in session.execute(
            select(LevyCardConsent, Levy)
            .join(Levy, Levy.id == LevyCardConsent.levy_id)
            .where(
                Levy.neighbourhood_id == neighbourhood_id,
                LevyCardConsent.user_id == user_id,
                LevyCardConsent.ended_at.is_(None),
            )
            .order_by(Levy.name)
        ).all()
    ]


def use_card_for_levy(session: Session, *, levy_id: int, user_id: int, now: datetime) -> LevyCardConsent:
    """The resident agrees that the household's saved card pays this levy too (it was saved for another)."""
    levy = get_levy(session, levy_id)
    found = household_of(session, neighbourhood_id=levy.neighbourhood_id, user_id=user_id)
    liability = None if found is None else liability_of(session, levy_id=levy.id, household_id=found.id)
    if found is None or liability is None or liability.left_on is not None:
        raise Conflict("Join the levy first: the card pays your household's charges.")
    household = lock_household(session, found.id)
    if household.payment_method_id is None:
        raise Conflict("Your household has no saved card: save one for this levy instead.")
    if household.payer_id != user_id:
        raise Conflict(NOT_YOURS)
    return give(session, levy=levy, household=household, user_id=user_id, now=now)
