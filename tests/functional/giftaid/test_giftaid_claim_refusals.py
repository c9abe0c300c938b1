"""Claims refused rather than made wrong: a claim with every gift unticked, HMRC's payment dated before the
claim was made, and a period whose gifts come to too little for a penny of Gift Aid."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from pledgebank.db import unit_of_work
from pledgebank.giftaid.eligibility import Scope
from pledgebank.giftaid.models import GiftAidClaim
from tests.factories.giftaid import charity_with_gifts, declare, make_claim, today
from tests.factories.pledges import assert_books_ok
from tests.helpers.foundation import field_error, signed_in_client


def _claims(sessions) -> int:
    with unit_of_work(sessions) as session:
        return session.scalar(select(func.count()).select_from(GiftAidClaim))


def _declared(app, sessions, **gifts):
    c = charity_with_gifts(app, sessions, **gifts)
    for resident in c.w.residents:
        declare(app, c.w.slug, resident, Scope.PAST_FOUR_YEARS)
    return c


def test_a_claim_with_every_listed_gift_unticked_is_refused_beside_the_gifts(app, sessions):
    c = _declared(app, sessions)
    day = today(app).isoformat()
    treasurer = signed_in_client(app, sessions, c.w.treasurer)
    url = f"/n/{c.w.slug}/gift-aid/claims"
    refused = treasurer.post(url, {"period_start": day, "period_end": day, "gifts_listed": "1"})
    assert refused.status_code == 422
    assert "Tick" in field_error(refused.get_data(as_text=True), "gifts")
    assert _claims(sessions) == 0


def test_hmrc_s_payment_dated_before_the_claim_was_made_is_refused(app, sessions, clock):
    c = _declared(app, sessions)
    day = today(app)
    clock.advance(timedelta(days=5))  # the period ended five days before the claim is made
    claim_id = make_claim(app, c.w.slug, c.w.treasurer, day, day)
    treasurer = signed_in_client(app, sessions, c.w.treasurer)
    url = f"/n/{c.w.slug}/gift-aid/claims/{claim_id}"
    early = treasurer.post(url, {"paid_on": (day + timedelta(days=2)).isoformat()})
    assert early.status_code == 422
    assert "claim was made" in field_error(early.get_data(as_text=True), "paid_on")
    assert treasurer.post(url, {"paid_on": today(app).isoformat()}).status_code == 302
    assert_books_ok(app)


def test_gifts_too_small_for_a_penny_of_gift_aid_are_refused_beside_the_period(app, sessions):
    c = _declared(app, sessions, amount=1)
    day = today(app).isoformat()
    treasurer = signed_in_client(app, sessions, c.w.treasurer)
    refused = treasurer.post(f"/n/{c.w.slug}/gift-aid/claims", {"period_start": day, "period_end": day})
    assert refused.status_code == 422
    assert "too little" in field_error(refused.get_data(as_text=True), "period_start")
    assert _claims(sessions) == 0
    assert_books_ok(app)
