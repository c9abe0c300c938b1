"""Every levy email, sent through the real services to households in each state they can be in (a card saved
or not, a card already on file when joining a second levy, declined or needing the bank's check, paid in cash,
asking for hardship, leaving; the bank details and contact given or not), says only what is true of them."""

from __future__ import annotations

import pytest

from pledgebank.db import unit_of_work
from pledgebank.levies import consents, households
from pledgebank.payments.gateway import TestCard
from tests.factories.levies import (
    active_levy,
    ask_hardship,
    charges_of,
    check_card,
    decide,
    join,
    levy_world,
    now_of,
    record_cash,
    save_card,
)
from tests.factories.pledges import due
from tests.helpers.app import WebClient
from tests.helpers.email_claims import BANK, Recorder, check_all, give_contact
from tests.helpers.email_covers import LEVY_COVERS as COVERS

ANN, BEN, CAT, DAN, EVE = (f"resident{n}@example.org" for n in range(5))


def _pounds(pence: int) -> str:
    return f"£{pence // 100}.{pence % 100:02d}"


def use_card(app, levy_id: int, user_id: int) -> None:
    """The resident lets the household's card, saved for another levy, pay this one."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        consents.use_card_for_levy(
            session, levy_id=levy_id, user_id=user_id, now=app.extensions["pledgebank.clock"].now()
        )


def _charge(app, levy_id: int, user_household: int) -> int:
    return next(c.id for c in charges_of(app, levy_id) if c.household_id == user_household)


@pytest.mark.parametrize(
    ("bank", "contact"), [(BANK, True), ("", False)], ids=["bank details and contact", "neither"]
)
def test_each_household_is_told_what_is_true_of_it(app, sessions, recorder: Recorder, bank, contact):
    slug, chair, member, (ann, ben, cat, dan, eve) = levy_world(sessions, 5)
    give_contact(app, slug, chair, bank=bank, contact=contact)
    mail = recorder.be
    for address in (ANN, BEN, CAT, DAN, EVE):
        mail(address, "no card", slug=slug, bank=bank, contact=contact)
    lighting = active_levy(app, slug, chair, member, voluntary=True, threshold=2)
    ann_home = join(app, lighting, ann, "1 Elm Road")
    save_card(app, lighting, ann)
    mail(ANN, "card on file", card="4242")
    join(app, lighting, ben, "2 Elm Road")  # the second household: it starts

    bins = active_levy(app, slug, chair, member, name="Bin store", amount=1200)
    mail(ANN, "card for another levy", card=None, other_card="4242")
    join(app, bins, ann, "1 Elm Road")  # a second levy: the household's card pays it only once Ann agrees
    second = [s for s in recorder.of("levies/joined") if s.email.to == ANN and "Bin store" in s.body]
    assert len(second) == 1 and "card ending 4242 pays another levy" in second[0].body
    use_card(app, bins, ann)
    mail(ANN, "card on file", card="4242", other_card=None)
    join(app, bins, cat, "3 Elm Road")
    save_card(app, bins, cat, TestCard.DECLINES_AT_CHARGE)
    dan_home = join(app, bins, dan, "4 Elm Road")
    join(app, bins, eve, "5 Elm Road")
    save_card(app, bins, eve, TestCard.REQUIRES_AUTHENTICATION)
    check_card(app, bins, eve)
    mail(CAT, "card declining", card="0341")
    mail(EVE, "card needing the bank's check", card="3155")

    web = WebClient(app.test_client())
    web.login(ANN)
    page = web.get(f"/levies/{bins}").get_data(as_text=True)
    assert "Charges are taken from the card ending 4242" in page  # once agreed, the page says so too

    due(app)  # the first charges: Ann's cards pay, Cat's declines, Eve's asks for the check, Dan is told
    mail(DAN, "hardship approved in part")
    request = ask_hardship(app, _charge(app, bins, dan_home), dan, amount=500)
    decide(app, request, member, amount=500)
    mail(DAN, "no card")
    for days in (1, 2, 4):  # the retries and reminders, then arrears
        due(app, days=days)
    ben_home = next(c.household_id for c in charges_of(app, lighting) if c.household_id != ann_home)
    mail(BEN, "hardship refused")
    request = ask_hardship(app, _charge(app, lighting, ben_home), ben)
    decide(app, request, member, approve=False, note="Others on the street pay the same.")
    mail(BEN, "paid in cash")
    record_cash(app, _charge(app, lighting, ben_home), chair)
    with unit_of_work(sessions) as session:
        households.leave_levy(session, actor_id=ann, levy_id=lighting, now=now_of(app), zone="Europe/London")

    check_all(app, recorder)
    assert recorder.covered() == COVERS
    for charge in charges_of(app):  # each charge's emails name its amount (before or after a write-off)
        amounts = {_pounds(charge.amount), _pounds(charge.amount_due)}
        for sent in recorder.sent:
            if sent.email.context.get("charge_id") != charge.id:
                continue
            assert any(amount in sent.body for amount in amounts), sent.body
            if sent.email.template in ("levies/due", "levies/arrears", "levies/paid"):
                assert charge.period_start.strftime("from %-d %B %Y") in sent.body, sent.body
