"""Gift Aid claims: the eligible gifts of a period not claimed before, each claimed once, booked as a
receivable from HMRC; and HMRC's payment of a claim into the bank.

A gift is claimed once, ever: its reference is unique across every claim's lines, so two claims made at once
cannot both take it (the second is refused). Claims are made one at a time per charity (its registration row
is locked), and a claim's period may not overlap another claim's.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from pledgebank.books.models import LedgerTransaction
from pledgebank.books.services import book_of, open_missing_account, post
from pledgebank.errors import Conflict, InvalidInput, NotFound
from pledgebank.giftaid.declarations import NotACharity, cover_of
from pledgebank.giftaid.eligibility import Reason, covers, decide
from pledgebank.giftaid.gifts import Received, gifts_received
from pledgebank.giftaid.models import GiftAidCharity, GiftAidClaim, GiftAidClaimLine, GiftAidDeclaration
from pledgebank.ledger import chart, rules
from pledgebank.ledger.money import Money
from pledgebank.neighbourhoods.models import Fund, Neighbourhood
from pledgebank.text import _t

SUBMITTED, PAID = "submitted", "paid"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A gift of the period: whether it may be claimed, the declaration covering it, any claim it is in."""

    received: Received
    reason: Reason
    declaration_id: int | None
    claimed_in: int | None

    @property
    def claimable(self) -> bool:
        """Eligible and not claimed before."""
        return self.reason == Reason.ELIGIBLE and self.claimed_in is None


def candidates(session: Session, *, neighbourhood_id: int, start: date, end: date) -> list[Candidate]:
    """Every gift of the period with its verdict, oldest first."""
    received = gifts_received(session, neighbourhood_id=neighbourhood_id, start=start, end=end)
    donors = {r.gift.donor_id for r in received if r.gift.donor_id is not None}
    declarations = session.scalars(
        select(GiftAidDeclaration)
        .where(
            GiftAidDeclaration.neighbourhood_id == neighbourhood_id,
            GiftAidDeclaration.user_id.in_(list(donors)),
        )
        .options(selectinload(GiftAidDeclaration.cancellation))  # read by cover_of, one query for all
    ).all()
    held = [(d.id, cover_of(d)) for d in declarations]
    claimed = dict(
        session.execute(
            select(GiftAidClaimLine.gift_ref, GiftAidClaimLine.claim_id).where(
                GiftAidClaimLine.gift_ref.in_([r.gift.ref for r in received])
            )
        ).all()
    )
    result = []
    for r in received:
        reason = decide(r.gift, [cover for _id, cover in held])
        covering = next((i for i, cover in held if covers(cover, r.gift)), None)
        result.append(Candidate(r, reason, covering, claimed.get(r.gift.ref)))
    return result


def _period(start: date | None, end: date | None, today: date) -> tuple[date, date]:
    fields: dict[str, list[str]] = {}
    if start is None:
        fields["period_start"] = [_t("Give the first day of the period.")]
    if end is None:
        fields["period_end"] = [_t("Give the last day of the period.")]
    elif end > today:
        fields["period_end"] = [
            _t("A claim can only be for gifts already received: end the period today or before.")
        ]
    if start is not None and end is not None and end < start:
        fields["period_end"] = [_t("The period must end on or after the day it starts.")]
    if fields:
        raise InvalidInput(_t("The claim's period is not valid."), fields=fields)
    assert start is not None and end is not None
    return start, end


def _overlapping(session: Session, neighbourhood_id: int, start: date, end: date) -> GiftAidClaim | None:
    return session.scalar(
        select(GiftAidClaim).where(
            GiftAidClaim.neighbourhood_id == neighbourhood_id,
            GiftAidClaim.period_start <= end,
            GiftAidClaim.period_end >= start,
        )
    )


def _chosen(found: list[Candidate], gift_refs: list[str] | None) -> list[Candidate]:
    """The candidates the claim takes: every claimable one, or those named (each once, each claimable)."""
    if gift_refs is None:
        return [c for c in found if c.claimable]
    twice = sorted({ref for ref in gift_refs if gift_refs.count(ref) > 1})
    if twice:
        raise InvalidInput.field(
            "gifts", _t("A gift can be claimed only once; listed twice: %(gifts)s.", gifts=", ".join(twice))
        )
    by_ref = {c.received.gift.ref: c for c in found}
    wrong = [ref for ref in gift_refs if ref not in by_ref or not by_ref[ref].claimable]
    if wrong:
        raise InvalidInput.field(
            "gifts",
            _t(
                "These are not eligible gifts of the period, or were claimed before: %(gifts)s.",
                gifts=", ".join(wrong),
            ),
        )
    return [by_ref[ref] for ref in gift_refs]


def make_claim(
    session: Session,
    *,
    actor_id: int,
    neighbourhood: Neighbourhood,
    start: date | None,
    end: date | None,
    now: datetime,
    today: date,
    gift_refs: list[str] | None = None,
) -> GiftAidClaim:
    """Claim the period's eligible gifts not claimed before (or those named), and book the receivable.

    Raises InvalidInput for a bad period, a gift named twice or not claimable, or a period with nothing to
    claim; Conflict (beside the period) when it overlaps another claim; NotACharity without a reference.
    """
    start, end = _period(start, end, today)
    charity = session.scalar(
        select(GiftAidCharity).where(GiftAidCharity.neighbourhood_id == neighbourhood.id).with_for_update()
    )
    if charity is None:
        raise NotACharity()
    clash = _overlapping(session, neighbourhood.id, start, end)
    if clash is not None:
        message = _t(
            "This period overlaps the claim already made for %(start)s to %(end)s: start after it ends.",
            start=clash.period_start.isoformat(),
            end=clash.period_end.isoformat(),
        )
        raise Conflict(message, fields={"period_start": [message]})
    chosen = _chosen(candidates(session, neighbourhood_id=neighbourhood.id, start=start, end=end), gift_refs)
    if not chosen:
        raise InvalidInput.field(
            "period_start", _t("No eligible gifts in this period are waiting to be claimed.")
        )
    currency = chosen[0].received.currency
    total = sum(c.received.gift.amount for c in chosen)
    by_fund = _gift_aid_by_fund(
        session, [(c.received.fund_id, c.received.gift.amount) for c in chosen], currency
    )
    if not by_fund:  # a quarter of a few pence rounds down to nothing: there is nothing to book or claim
        raise InvalidInput.field(
            "period_start",
            _t("These gifts come to too little for Gift Aid: a quarter of them is under a penny."),
        )
    claim = GiftAidClaim(
        neighbourhood_id=neighbourhood.id,
        period_start=start,
        period_end=end,
        status=SUBMITTED,
        currency=currency,
        gifts_total=total,
        gift_aid=sum(m.amount for m in by_fund.values()),
        made_by_id=actor_id,
        made_at=now,
    )
    claim.lines = [
        GiftAidClaimLine(
            gift_ref=c.received.gift.ref,
            declaration_id=c.declaration_id,
            fund_id=c.received.fund_id,
            amount=c.received.gift.amount,
            gift_date=c.received.gift.on,
        )
        for c in chosen
    ]
    book = book_of(session, neighbourhood.id)
    session.add(claim)
    session.flush()  # the claim's id names its ledger key; a gift claimed at once elsewhere trips here
    entry = rules.gift_aid_claimed(
        by_fund=by_fund,
        key=f"giftaid-claim:{claim.id}",
        on=today,
        source={"neighbourhood": neighbourhood.id, "giftaid_claim": claim.id},
        actor_id=actor_id,
    )
    claim.transaction_id = post(session, book=book, entry=entry, now=now).transaction.id
    return claim


def _gift_aid_by_fund(session: Session, gifts: list[tuple[int, int]], currency: str) -> dict[str, Money]:
    per_fund: dict[int, int] = defaultdict(int)
    for fund_id, amount in gifts:
        per_fund[fund_id] += amount
    slugs = dict(session.execute(select(Fund.id, Fund.slug).where(Fund.id.in_(list(per_fund)))).all())
    shares = rules.gift_aid_on({slugs[i]: Money(amount, currency) for i, amount in per_fund.items()})
    return {slug: money for slug, money in shares.items() if money.amount}


def claim_of(session: Session, *, neighbourhood_id: int, claim_id: int) -> GiftAidClaim:
    """One of the neighbourhood's claims; NotFound otherwise."""
    claim = session.get(GiftAidClaim, claim_id)
    if claim is None or claim.neighbourhood_id != neighbourhood_id:
        raise NotFound()
    return claim


def claims_of(session: Session, *, neighbourhood_id: int) -> list[GiftAidClaim]:
    """The neighbourhood's claims, newest period first."""
    return list(
        session.scalars(
            select(GiftAidClaim)
            .where(GiftAidClaim.neighbourhood_id == neighbourhood_id)
            .order_by(GiftAidClaim.period_start.desc())
        )
    )


def record_payment(
    session: Session,
    *,
    actor_id: int,
    neighbourhood: Neighbourhood,
    claim_id: int,
    paid_on: date | None,
    now: datetime,
    today: date,
) -> GiftAidClaim:
    """Record HMRC's payment of a claim into the bank: the receivable settled, each fund's Gift Aid income.

    Raises InvalidInput for a missing or future day, or one before the claim; Conflict when already paid.
    """
    claim = session.scalar(
        select(GiftAidClaim)
        .where(GiftAidClaim.id == claim_id, GiftAidClaim.neighbourhood_id == neighbourhood.id)
        .with_for_update()
    )
    if claim is None:
        raise NotFound()
    if claim.status == PAID:
        raise Conflict(_t("HMRC's payment of this claim is already recorded."))
    claimed_on = session.scalar(
        select(LedgerTransaction.effective_date).where(LedgerTransaction.id == claim.transaction_id)
    )
    earliest = max(claim.period_end, claimed_on or claim.period_end)
    if paid_on is None or paid_on > today or paid_on < earliest:
        raise InvalidInput.field(
            "paid_on",
            _t(
                "Give the day HMRC's payment reached the bank: not before the claim was made, "
                "not after today."
            ),
        )
    by_fund = _gift_aid_by_fund(
        session, [(line.fund_id, line.amount) for line in claim.lines], claim.currency
    )
    book = book_of(session, neighbourhood.id)
    funds = session.scalars(
        select(Fund).where(Fund.neighbourhood_id == neighbourhood.id, Fund.slug.in_(by_fund))
    )
    for fund in funds:
        open_missing_account(session, book=book, fund=fund, spec=chart.gift_aid_account(fund.slug, fund.name))
    entry = rules.gift_aid_received(
        by_fund=by_fund,
        key=f"giftaid-claim:{claim.id}:paid",
        on=paid_on,
        source={"neighbourhood": neighbourhood.id, "giftaid_claim": claim.id},
        actor_id=actor_id,
    )
    claim.paid_transaction_id = post(session, book=book, entry=entry, now=now).transaction.id
    claim.status, claim.paid_on, claim.paid_by_id = PAID, paid_on, actor_id
    return claim
