"""Updates from the creator or committee, and sponsors' match offers."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.accounts.models import User
from pledgebank.books.audit import record_event
from pledgebank.books.services import book_of, post
from pledgebank.clock import local_date
from pledgebank.errors import Conflict, Forbidden, InvalidInput, NotFound
from pledgebank.ledger import chart, rules
from pledgebank.ledger.money import Money
from pledgebank.neighbourhoods.models import Fund
from pledgebank.pledges.models import MatchOffer, Pledge, PledgeUpdate
from pledgebank.pledges.services import tell_pledgers
from pledgebank.pledges.states import PledgeStatus
from pledgebank.pledges.terms import MAX_AMOUNT
from pledgebank.policy import Action, can, require
from pledgebank.text import _t

_RATIO = re.compile(r"^\s*([0-9]{1,3})\s*:\s*([0-9]{1,3})\s*$")


def post_update(session: Session, *, actor_id: int, pledge: Pledge, body: str, now: datetime) -> PledgeUpdate:
    """Post news on a pledge (its creator or the committee); every pledger is emailed it."""
    if actor_id != pledge.creator_id and not can(
        session, actor_id, pledge.neighbourhood_id, Action.MANAGE_PLEDGES
    ):
        raise Forbidden(_t("Only the pledge's creator and the committee can post updates."))
    text = (body or "").strip()
    if not 3 <= len(text) <= 4000:
        raise InvalidInput.field("body", _t("Write an update of 3 to 4000 characters."))
    update = PledgeUpdate(pledge_id=pledge.id, author_id=actor_id, body=text, created_at=now)
    session.add(update)
    author = session.get_one(User, actor_id).display_name
    tell_pledgers(session, pledge, _t("News"), "pledges/update", {"body": text, "author": author})
    return update


def parse_ratio(text: str) -> tuple[int, int]:
    """'1:1' or '1:2' (sponsor's pounds for every pledged pounds) as two positive integers."""
    match = _RATIO.match(text or "")
    if not match or int(match.group(1)) == 0 or int(match.group(2)) == 0:
        raise InvalidInput.field("ratio", _t("Write the ratio like 1:1 (a pound for every pound) or 1:2."))
    return int(match.group(1)), int(match.group(2))


def add_match_offer(
    session: Session,
    *,
    actor_id: int,
    pledge: Pledge,
    sponsor_name: str,
    ratio: str,
    cap: int | None,
    now: datetime,
) -> MatchOffer:
    """Record a sponsor's offer to match pledges, paid only if the pledge succeeds (committee)."""
    require(session, actor_id, pledge.neighbourhood_id, Action.MANAGE_PLEDGES)
    if pledge.of_time:
        raise Conflict(_t("A pledge of time takes no money, so it takes no sponsor's offer either."))
    if pledge.status not in (PledgeStatus.DRAFT, PledgeStatus.OPEN, PledgeStatus.COLLECTING):
        raise Conflict(_t("Offers can be added only before the pledge is decided."))
    name = " ".join((sponsor_name or "").split())
    if not 2 <= len(name) <= 120:
        raise InvalidInput.field("sponsor_name", _t("Give the sponsor's name (2 to 120 characters)."))
    sponsor_part, pledged_part = parse_ratio(ratio)
    if cap is None or not 0 < cap <= MAX_AMOUNT * 100:
        raise InvalidInput.field("cap", _t("Give the most the sponsor will pay, above zero."))
    offer = MatchOffer(
        pledge_id=pledge.id,
        sponsor_name=name,
        ratio_sponsor=sponsor_part,
        ratio_pledged=pledged_part,
        cap=cap,
        recorded_by_id=actor_id,
        created_at=now,
    )
    session.add(offer)
    session.flush()  # an id for the audit event
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=pledge.neighbourhood_id,
        action="match_offer.added",
        subject=("match_offer", offer.id),
        now=now,
        after={"pledge": pledge.id, "ratio": f"{sponsor_part}:{pledged_part}", "cap": cap},
    )
    return offer


def record_match_received(
    session: Session, *, actor_id: int, offer_id: int, into: str, now: datetime, zone: str
) -> MatchOffer:
    """The sponsor has paid what it owed (treasurer): the receivable is settled into the fund's income."""
    offer = session.scalar(select(MatchOffer).where(MatchOffer.id == offer_id).with_for_update())
    if offer is None:
        raise NotFound(_t("There is no such offer."))
    pledge = offer.pledge
    require(session, actor_id, pledge.neighbourhood_id, Action.RECORD_PAYMENT)
    if into not in (chart.BANK, chart.CASH):
        raise InvalidInput.field("into", _t("Choose bank or cash."))
    if offer.status != "owed":
        raise Conflict(_t("Only an offer the sponsor owes can be recorded as paid."))
    fund = session.execute(select(Fund.slug).where(Fund.id == pledge.fund_id)).scalar_one()
    assert offer.owed_amount is not None  # set when the offer became owed
    post(
        session,
        book=book_of(session, pledge.neighbourhood_id),
        entry=rules.match_received(
            amount=Money(offer.owed_amount, pledge.currency),
            fund=fund,
            into=into,
            key=f"match-offer:{offer.id}:received",
            on=local_date(now, zone),
            source={"pledge": pledge.id, "match_offer": offer.id},
            actor_id=actor_id,
        ),
        now=now,
    )
    offer.status, offer.settled_at = "received", now
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=pledge.neighbourhood_id,
        action="match_offer.received",
        subject=("match_offer", offer.id),
        now=now,
        before={"status": "owed"},
        after={"status": "received", "amount": offer.owed_amount},
    )
    return offer
