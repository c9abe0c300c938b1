"""The small things a person notices: words that add up, dates that say the day meant, one deadline per
pledge, no '£0.01' scale on an empty chart, statements that open without a date, bank details where a
transfer is offered, the site's own 404, 405 and 500 pages, a favicon, and members with the same name told
apart without showing residents anyone's email address."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.factories.grants import apply, make_round, reviewed, world
from tests.factories.pledges import make_pledge, quick_user
from tests.helpers.app import add_member
from tests.helpers.foundation import new_client, signed_in_client
from tests.helpers.pledge_pages import text_of

LONDON = ZoneInfo("Europe/London")


def test_reviews_beyond_the_quorum_and_a_name_ending_in_a_full_stop(app, sessions):
    w = world(sessions, members=2, residents=1)
    round_id = make_round(app, w, closes_at=datetime(2026, 4, 1, tzinfo=LONDON))
    application = apply(app, round_id, w.residents[0], group="Food Share.")
    reviewed(app, application, w.committee)
    page = text_of(signed_in_client(app, sessions, w.chair).get(f"/grants/applications/{application}"))
    assert "3 reviews in (2 needed)" in page and "3 of 2" not in page
    own = text_of(signed_in_client(app, sessions, w.residents[0]).get(f"/grants/applications/{application}"))
    assert "requested for Food Share." in own and "Food Share.." not in own
    shown = text_of(new_client(app).get(f"/grants/rounds/{round_id}"))
    assert "Open for applications until the end of 31 March 2026" in shown
    assert "1 April 2026, 00:00" not in shown


def test_the_pledge_list_gives_the_deadline_once(app, sessions):
    chair = quick_user(sessions, "chair@example.org", "Chair Person")
    slug = _place(sessions, chair)
    make_pledge(app, slug, chair)
    listed = text_of(new_client(app).get(f"/n/{slug}/pledges"))
    assert listed.count("12 March 2026") == 1, listed


def test_the_general_fund_is_named_once_and_an_empty_chart_has_no_penny_scale(app, sessions):
    chair = quick_user(sessions, "chair@example.org", "Chair Person")
    slug = _place(sessions, chair)
    funds = text_of(signed_in_client(app, sessions, chair).get(f"/n/{slug}/funds"))
    assert "General fund" in funds and "(general fund)" not in funds.lower()
    page = new_client(app).get(f"/n/{slug}").get_data(as_text=True)
    assert "£0.01" not in page and "No money in or out yet" in page


def test_the_statements_open_at_today_without_a_date(app, sessions):
    chair = quick_user(sessions, "chair@example.org", "Chair Person")
    slug = _place(sessions, chair)
    client = signed_in_client(app, sessions, chair)
    balance = client.get(f"/n/{slug}/statements/trial-balance")
    assert balance.status_code == 200 and "2 March 2026" in text_of(balance)
    year = client.get(f"/n/{slug}/statements/receipts-and-payments")
    assert year.status_code == 200
    assert client.get(f"/n/{slug}/statements/trial-balance?on=2026-02-30").status_code == 422


def test_bank_transfer_is_offered_only_with_the_bank_details(app, sessions):
    chair = quick_user(sessions, "chair@example.org", "Chair Person")
    slug = _place(sessions, chair)
    pledge = make_pledge(app, slug, chair, allow_cash=True)
    client = signed_in_client(app, sessions, chair)
    before = text_of(client.get(f"/p/{pledge}"))
    assert "You pay the treasurer in cash." in before and "bank transfer" not in before
    details = "Elm Park RA, sort code 12-34-56, account 12345678"
    settings = {"description": "", "collection_window_hours": "72", "bank_details": details}
    assert client.post(f"/n/{slug}/settings", settings).status_code == 302
    after = text_of(client.get(f"/p/{pledge}"))
    assert f"You pay the treasurer in cash or by bank transfer to: {details}." in after


def test_the_site_has_its_own_404_405_and_500_pages_and_a_favicon(app):
    app.add_url_rule("/_broken", "broken", _broken)
    client = new_client(app)
    missing = client.get("/p/abc", headers={"Accept": "text/html"})
    assert missing.status_code == 404
    page = missing.get_data(as_text=True)
    assert 'class="site-header"' in page and "Page not found" in page
    assert "There is no page at this address." in page and "requested URL was not found" not in page
    assert "Find your neighbourhood" in page
    wrong = client.get("/demo/advance")
    assert wrong.status_code == 405 and "This page cannot be used that way." in text_of(wrong)
    broken = client.get("/_broken")
    assert broken.status_code == 500
    assert 'class="site-header"' in broken.get_data(as_text=True)
    assert "nothing you sent was half-saved" in text_of(broken)
    assert 'rel="icon" href="/static/favicon.svg"' in client.get("/").get_data(as_text=True)
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert client.get("/api/v1/nothing-here").get_json()["error"] == "not_found", "the API still answers JSON"


def test_members_with_the_same_name_are_told_apart(app, sessions):
    chair = quick_user(sessions, "chair@example.org", "Chair Person")
    slug = _place(sessions, chair)
    sams = [
        quick_user(sessions, f"sam{n}.lee@{domain}", "Sam Lee")
        for n, domain in ((1, "example.org"), (2, "mail.example"), (3, "post.example"))
    ]
    for sam in sams:
        add_member(sessions, slug, sam)
    officer = text_of(signed_in_client(app, sessions, chair).get(f"/n/{slug}/members"))
    for shown in ("Sam Lee (sam…@ex…)", "Sam Lee (sam…@ma…)", "Sam Lee (sam…@po…)"):
        assert shown in officer
    resident = signed_in_client(app, sessions, sams[0]).get(f"/n/{slug}/members").get_data(as_text=True)
    assert "@" not in text_of_members(resident), "residents never see an address"
    assert "Sam Lee (joined 1 Mar 2026) (1 of 3)" in text_of_members(resident)
    assert "Chair Person" in text_of_members(resident) and "Chair Person (" not in text_of_members(resident)


def text_of_members(page: str) -> str:
    """The members table's text (the rest of the page has the signed-in person's own address)."""
    start = page.index("<table")
    return " ".join(page[start : page.index("</table>", start)].split())


def _broken():
    raise RuntimeError("a bug")


def _place(sessions, chair: int) -> str:
    from tests.helpers.app import make_neighbourhood

    return make_neighbourhood(sessions, chair)
