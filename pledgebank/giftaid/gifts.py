"""The gifts a neighbourhood received in a period, read from its books, each with what eligibility needs.

A pledge's money is a gift on the day it became the fund's: a card payment's capture, or the day the
treasurer's cash was kept because the pledge succeeded. Levy charges and sponsors' match funding are not
gifts and are not read here at all (eligibility refuses them too, should they ever be offered to it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.books.models import LedgerTransaction
from pledgebank.books.services import book_of
from pledgebank.giftaid.eligibility import Gift, GiftKind
from pledgebank.giftaid.models import GiftAidBenefit
from pledgebank.ledger import kinds
from pledgebank.pledges.models import Pledge, PledgeSignup
from pledgebank.pledges.states import SignupStatus

_PLEDGE_GIFTS = {
    kinds.CARD_PAYMENT_RECEIVED: GiftKind.PLEDGE_CARD,
    kinds.PLEDGE_CASH_RECOGNISED: GiftKind.PLEDGE_CASH,
}
_KEPT = (SignupStatus.CAPTURED, SignupStatus.CASH_KEPT)


def pledge_gift_ref(signup_id: int) -> str:
    """The reference of the gift a pledge's payment is (unique across claims)."""
    return f"pledge-signup:{signup_id}"


@dataclass(frozen=True, slots=True)
class Received:
    """A gift and the fund it was given to."""

    gift: Gift
    fund_id: int
    currency: str


def gifts_received(session: Session, *, neighbourhood_id: int, start: date, end: date) -> list[Received]:
    """Every pledge payment that became a fund's money from `start` through `end`, oldest first."""
    book = book_of(session, neighbourhood_id)
    rows = session.scalars(
        select(LedgerTransaction)
        .where(
            LedgerTransaction.book_id == book.id,
            LedgerTransaction.kind.in_(tuple(_PLEDGE_GIFTS)),
            LedgerTransaction.effective_date >= start,
            LedgerTransaction.effective_date <= end,
        )
        .order_by(LedgerTransaction.effective_date, LedgerTransaction.sequence)
    ).all()
    found = {int(row.source["signup"]): row for row in rows if "signup" in row.source}
    if not found:
        return []
    signups = session.execute(
        select(PledgeSignup, Pledge)
        .join(Pledge, Pledge.id == PledgeSignup.pledge_id)
        .where(PledgeSignup.id.in_(list(found)), Pledge.neighbourhood_id == neighbourhood_id)
    ).all()
    benefits = dict(
        session.execute(
            select(GiftAidBenefit.pledge_id, GiftAidBenefit.value).where(
                GiftAidBenefit.pledge_id.in_([pledge.id for _s, pledge in signups])
            )
        ).all()
    )
    result = []
    for signup, pledge in signups:
        if signup.status not in _KEPT or pledge.fund_id is None:
            continue  # refunded or given back since: no longer a gift
        row = found[signup.id]
        gift = Gift(
            ref=pledge_gift_ref(signup.id),
            kind=_PLEDGE_GIFTS[row.kind],
            donor_id=signup.user_id,
            amount=signup.amount,
            on=row.effective_date,
            benefit=benefits.get(pledge.id, 0),
        )
        result.append(Received(gift, pledge.fund_id, pledge.currency))
    return sorted(result, key=lambda received: (received.gift.on, received.gift.ref))
