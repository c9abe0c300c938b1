"""Financial records past their keeping period: never deleted (the ledger is append-only), but after the
period the links from them to the people they name are pseudonymised.

The ledger's hashed bytes hold ids only, so pseudonymising a person never touches the chain.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, union_all
from sqlalchemy.orm import Session

from pledgebank.books.models import LedgerTransaction
from pledgebank.grants.models import GrantApplication
from pledgebank.grants.states import WITH_AWARD
from pledgebank.levies.models import Household, LevyCharge
from pledgebank.pledges.models import PledgeSignup

# Replaces the person on the financial records that name them by a pseudonym ("Former member #812"), leaving
# their account alone (they may still be a member): (session, user id, now). Must be safe to repeat.
# Returns False when it left the person as they were (still a member, or erased already).
Pseudonymiser = Callable[[Session, int, datetime], bool | None]


def people_past_keeping(session: Session, *, cutoff: date, zone: str) -> list[int]:
    """The people named by financial records whose newest such record is dated before `cutoff` (local)."""
    before = datetime.combine(cutoff, time.min, tzinfo=ZoneInfo(zone))
    links = union_all(
        select(PledgeSignup.user_id.label("user_id"), PledgeSignup.updated_at.label("at")),
        select(GrantApplication.applicant_id, GrantApplication.updated_at).where(
            GrantApplication.status.in_([status.value for status in WITH_AWARD])
        ),
        select(Household.payer_id, LevyCharge.updated_at)
        .join(Household, Household.id == LevyCharge.household_id)
        .where(Household.payer_id.is_not(None)),
        select(LedgerTransaction.actor_id, LedgerTransaction.recorded_at).where(
            LedgerTransaction.actor_id.is_not(None)
        ),
    ).subquery()
    newest = (
        select(links.c.user_id)
        .group_by(links.c.user_id)
        .having(func.max(links.c.at) < before)
        .order_by(links.c.user_id)
    )
    return list(session.scalars(newest))


def pseudonymise_past_keeping(
    session: Session,
    *,
    cutoff: date,
    zone: str,
    now: datetime,
    pseudonymiser: Pseudonymiser | None = None,
) -> tuple[int, int]:
    """Pseudonymise the people whose financial records are all past keeping; return (due, done).

    The pseudonymiser is the one account erasure uses for financial records, passed in. Without one nothing
    is changed and the people due are only counted, so the audit log shows the work waiting rather than a
    partial rewrite of records.
    """
    due = people_past_keeping(session, cutoff=cutoff, zone=zone)
    if pseudonymiser is None:
        return len(due), 0
    done = sum(pseudonymiser(session, user_id, now) is not False for user_id in due)
    return len(due), done
