"""Leaving a neighbourhood asks first, and says what happens to the household's levies and saved card: the
levies carry on, and the leaver's permission for the card to pay them ends (nothing more is taken from it)."""

from __future__ import annotations

from pledgebank.db import unit_of_work
from pledgebank.levies.models import LevyCardConsent
from pledgebank.neighbourhoods.models import Membership
from tests.factories.levies import active_levy, charges_of, join_with_card, levy_world
from tests.factories.pledges import assert_books_ok, captured_in_stripe, due
from tests.helpers.foundation import signed_in_client
from tests.helpers.pledge_pages import text_of


def _consents(app) -> list[str | None]:
    """Why each consent for a card to pay a levy ended (None: it stands)."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return [c.ended_because for c in session.query(LevyCardConsent).order_by(LevyCardConsent.id)]


def _member(app, user_id: int) -> bool:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return session.query(Membership).filter_by(user_id=user_id).one_or_none() is not None


def test_leaving_says_the_levies_carry_on_the_cards_consent_ends_and_waits_for_the_second_press(
    app, sessions, outbox
):
    slug, chair, member, (ann, ben, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member)
    join_with_card(app, levy, ann, "1 Elm Road")
    client = signed_in_client(app, sessions, ann)
    asked = client.post(f"/n/{slug}/leave")
    assert asked.status_code == 200
    page = text_of(asked)
    assert "does not take your household at 1 Elm Road out of its levies (Street lighting)" in page
    assert "Your permission for the card ending 4242 to pay Street lighting ends when you leave" in page
    assert _member(app, ann), "the first press changes nothing"
    assert _consents(app) == [None]
    assert client.post(f"/n/{slug}/leave", {"confirm": "yes"}).status_code == 302
    assert not _member(app, ann)
    assert _consents(app) == ["left"]
    due(app)  # the household still owes the levy, but the card is no longer taken from
    charge = charges_of(app, levy)[0]
    assert (charge.status, charge.paid_via, charge.attempts) == ("due", None, 1)
    assert outbox.last("resident0@example.org").subject == "Due now: Street lighting"
    assert captured_in_stripe(app)[0] == 0
    assert_books_ok(app)

    lone = text_of(signed_in_client(app, sessions, ben).post(f"/n/{slug}/leave"))
    assert "Your household is in no levy here, so nothing will be charged after you leave." in lone
    assert "card ending" not in lone
