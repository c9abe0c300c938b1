"""The figures beside a round's measures count only what happened in the round's period: residents who
pledged (each once), and no money per household where the neighbourhood records no households."""

from __future__ import annotations

from datetime import timedelta

from pledgebank.db import unit_of_work
from pledgebank.pulse import related
from pledgebank.pulse.models import PulseRound
from tests.factories.documents import paid_world
from tests.factories.grants import world
from tests.factories.pledges import make_pledge, sign
from tests.factories.pulse import open_round
from tests.helpers.foundation import new_client, visible_text


def test_related_figures_count_the_rounds_period_only(app, sessions, clock):
    w = world(sessions)
    round_id = open_round(app, w, days=3)
    first = make_pledge(app, w.slug, w.chair)
    second = make_pledge(app, w.slug, w.chair, title="Planters for the square", target_pledgers=5)
    for person in w.residents:
        sign(app, first, person, method="cash")
    sign(app, second, w.residents[0], method="cash")  # the same resident again: counted once
    clock.advance(timedelta(days=5))
    sign(app, second, w.members[0], method="cash")  # after the round closed: not counted
    with unit_of_work(sessions) as session:
        found = related.figures(session, session.get_one(PulseRound, round_id))
    assert (found.pledgers, found.grant_applications, found.raised, found.households) == (2, 0, 0, 0)
    assert found.raised_per_household is None
    page = visible_text(new_client(app).get(f"/n/{w.slug}/pulse/{round_id}").get_data(as_text=True))
    assert "Residents who pledged 2" in page and "No households recorded" in page


def test_related_figures_give_the_grantees_reports_and_their_average_rating(app, sessions):
    paid = paid_world(app, sessions)  # one grant paid and reported on today, rated 4 of 5
    round_id = open_round(app, paid.w, days=3)
    with unit_of_work(sessions) as session:
        found = related.figures(session, session.get_one(PulseRound, round_id))
    assert (found.reports, found.rating_tenths) == (1, 40)
    slug = paid.w.slug
    page = visible_text(new_client(app).get(f"/n/{slug}/pulse/{round_id}").get_data(as_text=True))
    assert "Grantees' reports 1, rated 4.0 of 5 on average" in page


def test_no_average_rating_without_reports(app, sessions):
    w = world(sessions)
    round_id = open_round(app, w, days=3)
    with unit_of_work(sessions) as session:
        found = related.figures(session, session.get_one(PulseRound, round_id))
    assert (found.reports, found.rating_tenths) == (0, None)
