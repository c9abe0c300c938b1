"""Leaving a neighbourhood asks first, and says what happens to the household's levies and saved card."""

from __future__ import annotations

from pledgebank.db import unit_of_work
from pledgebank.neighbourhoods.models import Membership
from tests.factories.levies import active_levy, join_with_card, levy_world
from tests.helpers.foundation import signed_in_client
from tests.helpers.pledge_pages import text_of


def _member(app, user_id: int) -> bool:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return session.query(Membership).filter_by(user_id=user_id).one_or_none() is not None


def test_leaving_says_the_levies_and_card_carry_on_and_waits_for_the_second_press(app, sessions):
    slug, chair, member, (ann, ben, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member)
    join_with_card(app, levy, ann, "1 Elm Road")
    client = signed_in_client(app, sessions, ann)
    asked = client.post(f"/n/{slug}/leave")
    assert asked.status_code == 200
    page = text_of(asked)
    assert "does not take your household at 1 Elm Road out of its levies (Street lighting)" in page
    assert "Your saved card ending 4242 stays on file for your household" in page
    assert _member(app, ann), "the first press changes nothing"
    assert client.post(f"/n/{slug}/leave", {"confirm": "yes"}).status_code == 302
    assert not _member(app, ann)

    lone = text_of(signed_in_client(app, sessions, ben).post(f"/n/{slug}/leave"))
    assert "Your household is in no levy here, so nothing will be charged after you leave." in lone
    assert "card ending" not in lone
