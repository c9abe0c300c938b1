"""Where a pledge stands, for its page: the figures of the bar, why pledges are not counting yet, the
final figures once it has ended, and its history, each moment with its date and figures.

While collecting, the people and money pledged are those whose pledges counted when the target was met (a
payment that needs attention still counts as pledged: the bar does not go backwards); the breakdown says
how many are paid, reserved, or need attention and why. After the end, the figures come from the moment it
ended (the signups of a failed pledge are all released by then).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pledgebank.payments.card_charges import AUTHENTICATION_CODES
from pledgebank.pledges.jobs import match_amount
from pledgebank.pledges.milestones import Milestone, milestones_of
from pledgebank.pledges.models import Pledge, PledgeSignup
from pledgebank.pledges.services import Progress
from pledgebank.pledges.states import PledgeStatus
from pledgebank.pledges.states import SignupStatus as S

ENDED = (PledgeStatus.SUCCEEDED, PledgeStatus.FAILED, PledgeStatus.CANCELLED)


@dataclass(frozen=True, slots=True)
class Count:
    """Some pledges: how many, and their money."""

    people: int = 0
    amount: int = 0

    def __add__(self, other: Count) -> Count:
        return Count(self.people + other.people, self.amount + other.amount)


@dataclass(frozen=True, slots=True)
class Reasons:
    """Pledges by where their money is, with each reason a pledge is not (yet) paid counted separately."""

    paid: Count = Count()  # charged, or cash the treasurer has
    reserved: Count = Count()  # a hold on the card, taken when collection ends
    saved: Count = Count()  # a card saved, not yet reserved
    bank_check: Count = Count()  # the bank wants the pledger to confirm (3-D Secure)
    hold_declined: Count = Count()  # the card was declined when its payment was reserved
    setup_declined: Count = Count()  # the card was declined when it was being saved
    no_card: Count = Count()  # pledged by card, card not yet saved
    no_cash: Count = Count()  # pledged in cash, not yet received
    lapsed: Count = Count()  # did not go through in time: nothing taken
    released: Count = Count()  # released or given back: nothing taken

    @property
    def declined(self) -> Count:
        """Cards declined, whether when saved or when their payment was reserved."""
        return self.hold_declined + self.setup_declined

    @property
    def attention(self) -> Count:
        """Pledges waiting on their pledger (or the treasurer) before they can count."""
        return self.bank_check + self.declined + self.no_card + self.no_cash


@dataclass(frozen=True, slots=True)
class Moment:
    """One line of a pledge's history. `figures` is None where the moment predates their recording."""

    kind: str
    at: datetime
    figures: Count | None = None
    live: Count | None = None  # every live pledge at that moment (all released, after a failure)


@dataclass(frozen=True, slots=True)
class Standing:
    """Everything the progress block shows."""

    pledged: Count  # the people and money the bar shows
    known: bool  # False for an ended pledge whose figures were never recorded
    percent: int  # of the nearer-to-miss target, may exceed 100
    matches: list[tuple[str, int, str]]  # (sponsor, amount, status) added if it succeeds, or owed, or paid
    reasons: Reasons
    goal: int  # the money the target stands for (see goal_money)
    history: list[Moment] = field(default_factory=list)
    activated: Count | None = None  # the people and money when the target was met

    @property
    def matched(self) -> int:
        """Sponsors' money, shown beside the pledges."""
        return sum(amount for _, amount, _ in self.matches)

    def bar(self) -> Bar:
        """The bar's geometry in thousandths of its width: the pledges' segment, then one segment per
        sponsor (their money against the target's worth), and where the target falls once they overflow it."""
        pledged = self.percent * 10
        shares = [amount * 1000 // self.goal if self.goal else 0 for _, amount, _ in self.matches]
        scale = max(1000, pledged + sum(shares))
        segments, x = [], pledged * 1000 // scale
        for share in shares:
            width = share * 1000 // scale
            segments.append((x, width))
            x += width
        return Bar(pledged * 1000 // scale, segments, 1000 * 1000 // scale)


@dataclass(frozen=True, slots=True)
class Bar:
    """Widths and positions out of 1000: drawn as an SVG scaled to the column's width."""

    pledged: int
    matches: list[tuple[int, int]]  # (x, width) of each sponsor's segment
    target: int  # 1000 unless sponsors' money takes the bar past the target


def goal_money(pledge: Pledge) -> int:
    """The money the target stands for: the money target, or the people needed at the amount each."""
    if pledge.target_amount:
        return pledge.target_amount
    return (pledge.target_pledgers or 0) * pledge.amount


def percent_of(pledge: Pledge, pledged: Count) -> int:
    """Whole per cent of the nearer-to-miss target (rounded down, so 99.6% never reads as 100%)."""
    shares = []
    if pledge.target_pledgers:
        shares.append(pledged.people * 100 // pledge.target_pledgers)
    if pledge.target_amount:
        shares.append(pledged.amount * 100 // pledge.target_amount)
    return min(shares) if shares else 0


def reasons_of(session: Session, pledge: Pledge) -> Reasons:
    """Count the pledge's signups by where their money is, and why it is not there yet."""
    rows = session.execute(
        select(PledgeSignup.status, PledgeSignup.decline_code, func.count(), func.sum(PledgeSignup.amount))
        .where(PledgeSignup.pledge_id == pledge.id)
        .group_by(PledgeSignup.status, PledgeSignup.decline_code)
    ).all()
    buckets: Counter[str] = Counter()
    money: Counter[str] = Counter()
    for status, code, people, amount in rows:
        bucket = _bucket(S(status), code)
        if bucket:
            buckets[bucket] += people
            money[bucket] += int(amount or 0)
    return Reasons(**{name: Count(buckets[name], money[name]) for name in buckets})


def _bucket(state: S, code: str | None) -> str | None:
    if state in (S.CAPTURED, S.CASH_KEPT, S.CASH_RECEIVED):
        return "paid"
    if state == S.ACTION_NEEDED:
        return "bank_check" if code in AUTHENTICATION_CODES else "hold_declined"
    if state == S.CARD_PENDING:
        return "setup_declined" if code and code not in AUTHENTICATION_CODES else "no_card"
    return {
        S.HELD: "reserved",
        S.CARD_SAVED: "saved",
        S.CASH_PROMISED: "no_cash",
        S.LAPSED: "lapsed",
        S.RELEASED: "released",
        S.CASH_RETURNED: "released",
    }.get(state)


def _counting(pledge: Pledge, reasons: Reasons) -> Count:
    """The people and money the bar shows while the pledge is live."""
    secure = reasons.paid + reasons.reserved + reasons.saved  # before activation, "paid" is cash received
    if pledge.status == PledgeStatus.COLLECTING:
        # Everyone who counted when the target was met still counts as pledged while their payment waits
        # for them (the breakdown says why); pledges that never counted are not added.
        return secure + reasons.bank_check + reasons.hold_declined
    return secure


def _matches(pledge: Pledge, pledged: Count) -> list[tuple[str, int, str]]:
    """Sponsors' money: what each would add if it succeeds (at least the target's worth of pledges), or
    what they owe or have paid; lapsed offers are left out."""
    basis = max(pledged.amount, goal_money(pledge))
    found = []
    for offer in pledge.offers:
        if offer.status == "offered" and pledge.status not in ENDED:
            found.append((offer.sponsor_name, match_amount(offer, basis), "offered"))
        elif offer.status in ("owed", "received") and offer.owed_amount:
            found.append((offer.sponsor_name, offer.owed_amount, offer.status))
    return found


def standing(session: Session, pledge: Pledge) -> Standing:
    """Where the pledge stands now, with its history."""
    reasons = reasons_of(session, pledge)
    recorded = milestones_of(session, pledge.id)
    history = _history(pledge, recorded)
    known = True
    if pledge.status in (PledgeStatus.FAILED, PledgeStatus.CANCELLED):
        ending = recorded.get(Milestone(pledge.status))
        known = ending is not None
        pledged = Count(ending.pledgers, ending.amount) if ending else Count()
    else:
        pledged = _counting(pledge, reasons)
    activated = recorded.get(Milestone.ACTIVATED)
    return Standing(
        pledged=pledged,
        known=known,
        percent=percent_of(pledge, pledged),
        matches=_matches(pledge, pledged),
        reasons=reasons,
        goal=goal_money(pledge),
        history=history,
        activated=Count(activated.pledgers, activated.amount) if activated else None,
    )


def listed(session: Session, pledge: Pledge) -> Progress:
    """The figures a list of pledges shows: the same as the pledge's own page, in the shape of Progress."""
    found = standing(session, pledge)
    return Progress(
        found.pledged.people,
        found.pledged.amount,
        found.reasons.attention.people,
        pledge.target_pledgers,
        pledge.target_amount,
    )


def _history(pledge: Pledge, recorded: dict) -> list[Moment]:
    """The moments so far, oldest first: recorded ones with their figures, older ones from the pledge's
    own dates without figures."""
    moments = []
    opened = recorded.get(Milestone.OPENED)
    if opened is not None:
        moments.append(Moment("opened", opened.occurred_at))
    elif pledge.status != PledgeStatus.DRAFT:
        moments.append(Moment("opened", pledge.created_at))
    if pledge.activated_at is not None:
        moments.append(_moment("activated", pledge.activated_at, recorded.get(Milestone.ACTIVATED)))
    ended = recorded.get(Milestone.COLLECTION_ENDED)
    if ended is not None or (pledge.activated_at and pledge.status in ENDED and pledge.collection_ends_at):
        when = ended.occurred_at if ended else pledge.collection_ends_at
        assert when is not None
        moments.append(_moment("collection_ended", when, ended))
    if pledge.status in ENDED:
        ending = recorded.get(Milestone(pledge.status))
        when = ending.occurred_at if ending else pledge.closed_at or pledge.created_at
        moments.append(_moment(pledge.status, when, ending))
    return moments


def _moment(kind: str, at: datetime, row) -> Moment:
    if row is None:
        return Moment(kind, at)
    return Moment(kind, at, Count(row.pledgers, row.amount), Count(row.pledges, row.pledged))
