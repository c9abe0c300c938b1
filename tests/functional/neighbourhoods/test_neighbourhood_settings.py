"""The chair's settings page: pledge settings change, are audited, and only the chair may change them."""

from __future__ import annotations

from sqlalchemy import select

from pledgebank.books.models import AuditEvent
from pledgebank.db import unit_of_work
from pledgebank.neighbourhoods.models import Neighbourhood
from tests.helpers.app import add_member, make_neighbourhood, make_user

SETTINGS = {
    "description": "Around the park.",
    "allow_cash_pledges": "",
    "pledges_need_approval": "y",
    "collection_window_hours": "48",
}


def _place(sessions):
    chair = make_user(sessions, "chair@example.org", "Chair Person")
    slug = make_neighbourhood(sessions, chair)
    member = make_user(sessions, "committee@example.org", "Committee Member")
    add_member(sessions, slug, member, "committee")
    return slug


def test_the_chair_changes_the_pledge_settings_and_the_change_is_audited(app, web, sessions):
    slug = _place(sessions)
    web.login("chair@example.org")
    assert web.get(f"/n/{slug}/settings").status_code == 200
    response = web.post(f"/n/{slug}/settings", SETTINGS)
    assert response.status_code == 302
    with unit_of_work(sessions) as session:
        place = session.scalar(select(Neighbourhood).where(Neighbourhood.slug == slug))
        assert (place.allow_cash_pledges, place.pledges_need_approval, place.collection_window_hours) == (
            False,
            True,
            48,
        )
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "settings.changed"))
        assert event.before["collection_window_hours"] == 72 and event.after["collection_window_hours"] == 48


def test_a_window_outside_a_card_holds_life_is_refused_beside_the_field(app, web, sessions):
    slug = _place(sessions)
    web.login("chair@example.org")
    response = web.post(f"/n/{slug}/settings", {**SETTINGS, "collection_window_hours": "200"})
    assert response.status_code == 422
    assert 'id="collection_window_hours-error"' in response.get_data(as_text=True)
    with unit_of_work(sessions) as session:
        assert (
            session.scalar(select(Neighbourhood.collection_window_hours).where(Neighbourhood.slug == slug))
            == 72
        )


def test_a_committee_member_cannot_change_the_settings(app, web, sessions):
    slug = _place(sessions)
    web.login("committee@example.org")
    assert web.get(f"/n/{slug}/settings").status_code == 403
    assert web.post(f"/n/{slug}/settings", SETTINGS).status_code == 403
