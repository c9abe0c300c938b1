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


def test_the_chair_enters_the_area_and_charity_number_for_published_grants_data(app, web, sessions):
    slug = _place(sessions)
    web.login("chair@example.org")
    page = web.get(f"/n/{slug}/settings").get_data(as_text=True)
    assert "Published grants data" in page and 'name="area_code"' in page
    fields = {"area_code": " e05013806", "area_name": "Peckham  ward", "charity_number": "1190001"}
    assert web.post(f"/n/{slug}/settings", {**SETTINGS, **fields}).status_code == 302
    with unit_of_work(sessions) as session:
        place = session.scalar(select(Neighbourhood).where(Neighbourhood.slug == slug))
        assert (place.area_code, place.area_name, place.charity_number) == (
            "E05013806",
            "Peckham ward",
            "1190001",
        )
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "settings.changed"))
        assert event.before["area_code"] == "" and event.after["area_code"] == "E05013806"


def test_a_malformed_area_code_or_charity_number_is_refused_beside_the_field(app, web, sessions):
    slug = _place(sessions)
    web.login("chair@example.org")
    bad = {"area_code": "SE15 4QL", "area_name": "Peckham", "charity_number": "12345"}
    response = web.post(f"/n/{slug}/settings", {**SETTINGS, **bad})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="area_code-error"' in page and 'id="charity_number-error"' in page
    assert "a letter and eight digits" in page
    response = web.post(f"/n/{slug}/settings", {**SETTINGS, "area_code": "E05013806"})
    assert response.status_code == 422
    assert 'id="area_name-error"' in response.get_data(as_text=True)
    with unit_of_work(sessions) as session:
        place = session.scalar(select(Neighbourhood).where(Neighbourhood.slug == slug))
        assert (place.area_code, place.charity_number, place.pledges_need_approval) == ("", "", False)
