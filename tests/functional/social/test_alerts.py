"""Alerts about new pledges: double opt-in (never confirmed without the owner's click), one email per
immediate subscriber when a pledge opens, one-click unsubscribe in every alert (and the List-Unsubscribe
header), a weekly digest sent once per week, rate-limited sign-ups, and erasure and retention."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pledgebank.accounts.erasure import pseudonymise_user
from pledgebank.alerts.models import AlertSubscription
from pledgebank.jobs import run_due
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.pledges.services import approve_pledge, get_pledge
from tests.factories.pledges import make_pledge, neighbourhood_with, quick_user
from tests.helpers.app import WHEN, make_neighbourhood
from tests.helpers.social import headers_of_last, in_session, text_of

VISITOR = "visitor@example.org"


def _ask(web, **form):
    return web.post("/alerts", {"email": VISITOR, "frequency": "immediate", **form})


def _confirm(web, outbox, address: str = VISITOR):
    link = outbox.last(address).path("/alerts/confirm/")
    assert web.get(link).status_code == 200
    return web.post(link, {})


def _subscriptions(sessions) -> list[tuple[str, str, bool]]:
    return in_session(
        sessions,
        lambda s: [
            (a.email, a.scope, a.confirmed_at is not None)
            for a in s.scalars(select(AlertSubscription).order_by(AlertSubscription.id))
        ],
    )


def test_a_visitor_asks_confirms_by_clicking_and_hears_once_about_a_new_pledge(app, web, sessions, outbox):
    slug, chair, _ = neighbourhood_with(sessions, residents=0)
    assert _ask(web, district="se15").status_code == 302
    assert _ask(web, neighbourhood=slug).status_code == 302  # the neighbourhood is in SE15 too
    assert [confirmed for _, _, confirmed in _subscriptions(sessions)] == [False, False]

    # Opening the link shows a button; only pressing it confirms (a mail scanner's visit does not).
    link = outbox.last(VISITOR).path("/alerts/confirm/")
    assert "Start your alerts?" in text_of(web.get(link))
    make_pledge(app, slug, chair)
    assert not [m for m in outbox.to(VISITOR) if m.subject.startswith("A new pledge")]
    assert web.post(link, {}).status_code == 302
    first = next(m for m in outbox.to(VISITOR) if "/alerts/confirm/" in m.body).path("/alerts/confirm/")
    assert web.post(first, {}).status_code == 302
    assert [confirmed for _, _, confirmed in _subscriptions(sessions)] == [True, True]

    pledge = make_pledge(app, slug, chair, title="Plant bulbs on the green")
    alerts = [m for m in outbox.to(VISITOR) if "Plant bulbs" in m.subject]
    assert len(alerts) == 1, "one email, though the address follows both the neighbourhood and its district"
    assert alerts[0].path("/p/") == f"/p/{pledge}"
    unsubscribe = alerts[0].path("/alerts/unsubscribe/")
    message = headers_of_last(app, VISITOR)
    assert message["List-Unsubscribe"] == f"<http://localhost{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_forged_or_stale_confirm_link_confirms_nothing(app, web, sessions, outbox, clock):
    neighbourhood_with(sessions, residents=0)
    _ask(web, district="SE15")
    link = outbox.last(VISITOR).path("/alerts/confirm/")
    assert web.post(link[:-3] + "abc", {}).status_code == 404
    clock.advance(timedelta(days=8))
    assert web.get(link).status_code == 404
    assert web.post(link, {}).status_code == 404
    assert _subscriptions(sessions) == [(VISITOR, "d:SE15", False)]


def test_one_click_unsubscribe_needs_no_page_or_token_and_forgets_the_address(app, web, sessions, outbox):
    slug, chair, _ = neighbourhood_with(sessions, residents=0)
    _ask(web, district="SE15")
    _confirm(web, outbox)
    make_pledge(app, slug, chair)
    link = outbox.last(VISITOR).path("/alerts/unsubscribe/")
    assert "Stop these alerts?" in text_of(web.get(link))
    # What a mail program sends for List-Unsubscribe-Post: a bare POST, no CSRF token.
    response = web.post(link, {"List-Unsubscribe": "One-Click"}, csrf=False)
    assert response.status_code == 200 and "Alerts stopped" in text_of(response)
    assert _subscriptions(sessions) == []
    before = len(outbox.to(VISITOR))
    make_pledge(app, slug, chair, title="Plant bulbs on the green")
    assert len(outbox.to(VISITOR)) == before
    assert web.post(link, {}, csrf=False).status_code == 200, "a second click is harmless"


def test_bad_sign_ups_are_refused_beside_the_field(app, web, sessions):
    for form, field in (
        ({"email": "not-an-address", "district": "SE15"}, "email"),
        ({"district": "Peckham"}, "district"),
        ({"district": ""}, "district"),
        ({"district": "SE15", "frequency": "hourly"}, "frequency"),
    ):
        response = web.post("/alerts", {"email": VISITOR, "frequency": "weekly", **form})
        assert response.status_code == 422, form
        assert f'id="{field}-error"' in response.get_data(as_text=True), form
    assert _subscriptions(sessions) == []


def test_the_weekly_digest_is_sent_once_a_week_with_the_new_pledges(app, web, sessions, outbox, clock):
    slug, chair, _ = neighbourhood_with(sessions, residents=0)
    web.post("/alerts", {"email": VISITOR, "frequency": "weekly", "district": "SE15"})
    _confirm(web, outbox)
    elsewhere = quick_user(sessions, "far@example.org", "Far Away")
    make_neighbourhood(sessions, elsewhere, name="Hill Top", district="N1")
    make_pledge(app, slug, chair)
    make_pledge(app, "hill-top", elsewhere, title="Fix the N1 fountain")
    assert not any("Mend the playground" in m.body for m in outbox.to(VISITOR)), "no immediate alert"

    run_due(app)
    run_due(app)
    digests = [m for m in outbox.to(VISITOR) if "this week" in m.subject]
    assert len(digests) == 1
    assert "Mend the playground fence" in digests[0].body and "N1 fountain" not in digests[0].body
    assert "/alerts/unsubscribe/" in digests[0].body

    clock.advance(timedelta(days=7))
    run_due(app)
    assert len([m for m in outbox.to(VISITOR) if "this week" in m.subject]) == 1, "no new pledges: no digest"
    clock.advance(timedelta(hours=1))
    make_pledge(app, slug, chair, title="Plant bulbs on the green")
    run_due(app)
    assert len([m for m in outbox.to(VISITOR) if "this week" in m.subject]) == 1, "this week's was claimed"
    clock.advance(timedelta(days=7))
    run_due(app)
    digests = [m for m in outbox.to(VISITOR) if "this week" in m.subject]
    assert len(digests) == 2 and "Plant bulbs" in digests[-1].body


def test_closing_an_account_deletes_its_alerts_and_retention_deletes_unconfirmed_sign_ups(
    app, web, sessions, outbox, clock
):
    neighbourhood_with(sessions, residents=0)
    person = quick_user(sessions, "resident@example.org", "Rosa Resident")
    web.post("/alerts", {"email": "Resident@Example.org", "frequency": "weekly", "district": "SE15"})
    _confirm(web, outbox, "resident@example.org")
    _ask(web, district="SE15")  # never confirmed
    in_session(sessions, lambda s: pseudonymise_user(s, person, now=WHEN))
    assert _subscriptions(sessions) == [(VISITOR, "d:SE15", False)]
    clock.advance(timedelta(days=8))
    run_due(app)
    assert in_session(sessions, lambda s: s.scalar(select(func.count()).select_from(AlertSubscription))) == 0


def test_the_same_answer_whether_or_not_the_address_already_has_alerts(app, web, sessions, outbox):
    neighbourhood_with(sessions, residents=0)
    first = _ask(web, district="SE15")
    _confirm(web, outbox)
    sent = len(outbox.to(VISITOR))
    again = _ask(web, district="SE15")
    assert first.headers["Location"] == again.headers["Location"]
    assert len(outbox.to(VISITOR)) == sent, "a confirmed address is not sent another link"


class TestRateLimit:
    @pytest.fixture
    def app_config(self, app_config):
        """A low limit, so that the test needs only a few posts."""
        return {**app_config, "RATELIMIT_ALERTS": "2 per minute"}

    def test_sign_ups_are_limited_per_client(self, app, web, sessions):
        neighbourhood_with(sessions, residents=0)
        statuses = [
            web.post(
                "/alerts", {"email": f"n{n}@example.org", "frequency": "weekly", "district": "SE15"}
            ).status_code
            for n in range(3)
        ]
        assert statuses == [302, 302, 429]
        assert len(_subscriptions(sessions)) == 2


def test_a_pledge_that_waited_for_approval_is_in_the_digest_of_the_week_it_opened(
    app, web, sessions, outbox, clock
):
    slug, chair, (resident,) = neighbourhood_with(sessions, residents=1)
    in_session(sessions, lambda s: setattr(get_neighbourhood(s, slug), "pledges_need_approval", True))
    web.post("/alerts", {"email": VISITOR, "frequency": "weekly", "district": "SE15"})
    _confirm(web, outbox)
    waiting = make_pledge(app, slug, resident, title="Paint the bus shelter")
    run_due(app)
    assert not [m for m in outbox.to(VISITOR) if "this week" in m.subject], "a draft is not news"
    clock.advance(timedelta(days=7, hours=1))
    in_session(
        sessions, lambda s: approve_pledge(s, actor_id=chair, pledge=get_pledge(s, waiting), now=clock.now())
    )
    run_due(app)
    (digest,) = [m for m in outbox.to(VISITOR) if "this week" in m.subject]
    assert "Paint the bus shelter" in digest.body


def test_an_immediate_alert_goes_when_the_committee_approves_a_waiting_pledge(
    app, web, sessions, outbox, clock
):
    slug, chair, (resident,) = neighbourhood_with(sessions, residents=1)
    in_session(sessions, lambda s: setattr(get_neighbourhood(s, slug), "pledges_need_approval", True))
    _ask(web, neighbourhood=slug)
    _confirm(web, outbox)
    waiting = make_pledge(app, slug, resident, title="Paint the bus shelter")
    assert not [m for m in outbox.to(VISITOR) if "Paint the bus shelter" in m.subject]
    in_session(
        sessions, lambda s: approve_pledge(s, actor_id=chair, pledge=get_pledge(s, waiting), now=clock.now())
    )
    assert len([m for m in outbox.to(VISITOR) if "Paint the bus shelter" in m.subject]) == 1
