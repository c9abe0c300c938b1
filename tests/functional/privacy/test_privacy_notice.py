"""The privacy notice says who controls the data, what is held, why, for how long (the retention settings),
who it is shared with, and lists exactly the cookies a real sign-in sets."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from pledgebank.books.models import AuditEvent
from pledgebank.db import unit_of_work
from pledgebank.jobs import run_due
from pledgebank.neighbourhoods.models import Neighbourhood
from tests.helpers.app import PASSWORD, add_member, make_neighbourhood, make_user
from tests.helpers.foundation import new_client, visible_text

SETTINGS = {
    "description": "Around the park.",
    "allow_cash_pledges": "y",
    "pledges_need_approval": "",
    "collection_window_hours": "72",
}
_COOKIE_NAMES = re.compile(r"<tr><td><code>([^<]+)</code></td>")


@pytest.fixture
def app_config(app_config):
    """Settings a privacy notice is built from, some changed from their defaults."""
    return {
        **app_config,
        "RETAIN_UNVERIFIED_ACCOUNTS_DAYS": 14,
        "RETAIN_DECLINED_APPLICATIONS_DAYS": 365,
        "RETAIN_FINANCIAL_YEARS": 7,
        "PRIVACY_OPERATOR_NAME": "Southwark Community Tech CIC",
        "PRIVACY_OPERATOR_CONTACT": "data@communitytech.example.org",
        "MAIL_PROVIDER_NAME": "Postmark (ActiveCampaign)",
    }


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(visible_text(response.get_data(as_text=True)))


def test_the_service_notice_is_built_from_the_settings_and_linked_from_every_page(app, web):
    assert 'href="/privacy"' in web.get("/").get_data(as_text=True)
    page = _text(web.get("/privacy"))
    assert "Southwark Community Tech CIC runs this service" in page
    assert "data@communitytech.example.org" in page
    assert "is deleted after 14 days" in page
    assert "not funded or withdrawn: 1 year after the decision" in page
    assert "7 years after the end of the financial year" in page
    assert "Stripe Payments" in page and "Postmark (ActiveCampaign)" in page
    assert "legal obligation (UK GDPR article 6(1)(c))" in page


def test_a_neighbourhoods_notice_names_the_controller_the_chair_sets(app, web, sessions):
    chair = make_user(sessions, "chair@example.org", "Chair Person")
    slug = make_neighbourhood(sessions, chair)
    page = _text(web.get(f"/n/{slug}/privacy"))
    assert "Its chair has not yet named the group" in page
    assert f'href="/n/{slug}/privacy"' in web.get(f"/n/{slug}").get_data(as_text=True)

    web.login("chair@example.org")
    controller = {
        "controller_name": "Elm Park Residents' Association",
        "controller_contact": "data@elmpark.org",
    }
    assert web.post(f"/n/{slug}/settings", {**SETTINGS, **controller}).status_code == 302
    page = _text(new_client(app).get(f"/n/{slug}/privacy"))
    assert "Elm Park Residents' Association is the data controller for what Elm Park holds" in page
    assert "data@elmpark.org" in page
    with unit_of_work(sessions) as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "settings.changed"))
        assert (event.before["controller_name"], event.after["controller_name"]) == (
            "",
            "Elm Park Residents' Association",
        )
    assert web.get("/n/no-such-place/privacy").status_code == 404


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"controller_name": "", "controller_contact": "data@elmpark.org"}, "controller_name"),
        ({"controller_name": "Elm Park Residents", "controller_contact": " "}, "controller_contact"),
        ({"controller_name": "E" * 121, "controller_contact": "data@elmpark.org"}, "controller_name"),
    ],
)
def test_half_a_controller_is_refused_beside_the_field_and_nothing_changes(app, web, sessions, fields, field):
    chair = make_user(sessions, "chair@example.org", "Chair Person")
    slug = make_neighbourhood(sessions, chair)
    web.login("chair@example.org")
    response = web.post(f"/n/{slug}/settings", {**SETTINGS, **fields})
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    with unit_of_work(sessions) as session:
        place = session.scalar(select(Neighbourhood).where(Neighbourhood.slug == slug))
        assert (place.controller_name, place.controller_contact) == ("", "")
        assert session.scalar(select(AuditEvent).where(AuditEvent.action == "settings.changed")) is None


def test_only_the_chair_names_the_controller(app, web, sessions):
    chair = make_user(sessions, "chair@example.org", "Chair Person")
    slug = make_neighbourhood(sessions, chair)
    add_member(sessions, slug, make_user(sessions, "committee@example.org", "Committee Member"), "committee")
    web.login("committee@example.org")
    response = web.post(
        f"/n/{slug}/settings", {**SETTINGS, "controller_name": "Us", "controller_contact": "x@y.z"}
    )
    assert response.status_code == 403


def test_the_cookie_list_is_exactly_what_a_real_sign_in_sets(app, web, sessions):
    make_user(sessions, "resident@example.org", "Resident Person")
    listed = set(_COOKIE_NAMES.findall(web.get("/privacy").get_data(as_text=True)))
    assert listed, "the notice lists the cookies"
    browser = new_client(app)
    responses = [browser.get("/"), browser.get("/login")]
    responses.append(
        browser.post("/login", {"email": "resident@example.org", "password": PASSWORD, "remember": "y"})
    )
    responses += [browser.get("/account"), browser.get("/privacy"), browser.post("/logout")]
    set_names = {
        header.split("=", 1)[0] for response in responses for header in response.headers.getlist("Set-Cookie")
    }
    assert set_names == listed


def test_a_signed_out_cookie_stays_dead_once_its_record_is_dropped(app, web, sessions, clock):
    make_user(sessions, "resident@example.org", "Resident Person")
    phone, copy = new_client(app), new_client(app)
    phone.post("/login", {"email": "resident@example.org", "password": PASSWORD, "remember": "y"})
    remembered = phone.client.get_cookie("remember_token").value
    phone.logout()
    clock.advance(timedelta(days=91))
    assert run_due(app)["retention: sign-out records deleted"] == 1
    copy.client.set_cookie("remember_token", remembered)
    assert copy.get("/account").status_code == 302, "the copied remember-me cookie does not sign in"
