"""Household addresses past keeping: the retention job's rule for the one personal detail a household holds.

A household's address names where people live. Its levy charges are financial records and stay, so the
household row stays too; but once nobody lives there any more, none of its charges is unpaid, and none
falls in the financial years still kept (the same cut-off as the other financial records), its address is
replaced by "Former household #<id>" and the card details saved for it go. A later resident at the same
address starts a new household. Households already renamed are left alone, so the daily run changes
nothing twice.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import exists, or_, select, update
from sqlalchemy.orm import Session

from pledgebank.levies.models import Household, HouseholdResident, LevyCharge
from pledgebank.levies.states import UNPAID

FORMER_KEY_PREFIX = "#former-household-"


def former_household(household_id: int) -> str:
    """The address an emptied household is shown by once its records are past keeping."""
    return f"Former household #{household_id}"


def former_key(household_id: int) -> str:
    """Its address key: "#" never survives normalising a typed address, so nobody joins it by typing."""
    return f"{FORMER_KEY_PREFIX}{household_id}"


def households_past_keeping(session: Session, *, cutoff: date, zone: str) -> list[int]:
    """Households nobody lives in, created before `cutoff`, with no unpaid charge and none dated from
    `cutoff` on (by the start of its period, or its last change), whose address is not replaced yet."""
    before = datetime.combine(cutoff, time.min, tzinfo=ZoneInfo(zone))
    lived_in = exists().where(HouseholdResident.household_id == Household.id)
    still_kept = exists().where(
        LevyCharge.household_id == Household.id,
        or_(
            LevyCharge.status.in_([status.value for status in UNPAID]),
            LevyCharge.period_start >= cutoff,
            LevyCharge.updated_at >= before,
        ),
    )
    return list(
        session.scalars(
            select(Household.id)
            .where(
                Household.created_at < before,
                ~Household.address_key.startswith(FORMER_KEY_PREFIX, autoescape=True),
                ~lived_in,
                ~still_kept,
            )
            .order_by(Household.id)
            # Locked, so a household being joined or charged at this moment is either kept or renamed whole.
            .with_for_update(skip_locked=True)
        )
    )


def forget_household_addresses(session: Session, *, cutoff: date, zone: str) -> int:
    """Replace the addresses of the households past keeping; return how many."""
    ids = households_past_keeping(session, cutoff=cutoff, zone=zone)
    for household_id in ids:
        session.execute(
            update(Household)
            .where(Household.id == household_id)
            .values(
                address=former_household(household_id),
                address_key=former_key(household_id),
                payment_method_id=None,
                card_brand=None,
                card_last4=None,
                card_decline_code=None,
            )
            .execution_options(synchronize_session=False)
        )
    return len(ids)
