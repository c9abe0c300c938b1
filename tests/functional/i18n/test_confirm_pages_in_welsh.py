"""The pages that ask before doing something (withdrawing a pledge, leaving a neighbourhood) say what will
happen in the page's language, with the pledge's title, the address and the card's ending in the sentences."""

from __future__ import annotations

import pytest

from tests.factories.levies import active_levy, join_with_card, levy_world
from tests.factories.pledges import pledge_with_card
from tests.helpers.foundation import signed_in_client
from tests.helpers.pledge_pages import make_pledge, people, text_of

pytestmark = pytest.mark.stripe


def test_withdrawing_asks_in_welsh(app, sessions):
    world = people(sessions, "ann")
    pledge = make_pledge(app, world.slug, world.ids["chair"], target_pledgers=3)
    pledge_with_card(app, pledge, world.ids["ann"])
    page = text_of(world.client(app, sessions, "ann").post(f"/p/{pledge}/withdraw?lang=cy"))
    assert "Tynnu eich addewid yn ôl?" in page
    assert "Does dim wedi'i gymryd o'ch cerdyn, ac ni fydd dim." in page
    assert "Ie, tynnu fy addewid yn ôl" in page and "Na, cadw fy addewid" in page
    assert "Withdraw your pledge?" not in page and "Nothing has been taken" not in page


def test_leaving_asks_in_welsh(app, sessions):
    slug, chair, member, (ann, _ben, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member)
    join_with_card(app, levy, ann, "1 Elm Road")
    page = text_of(signed_in_client(app, sessions, ann).post(f"/n/{slug}/leave?lang=cy"))
    assert "Nid yw gadael yn tynnu eich aelwyd yn 1 Elm Road allan o'i hardollau (Street lighting)" in page
    assert "Daw eich caniatâd i'r cerdyn sy'n gorffen â 4242 dalu Street lighting i ben" in page
    assert "Na, aros yn aelod" in page
    assert "does not take your household" not in page and "Your permission" not in page
