"""The pledge sentence, share links, Open Graph tags, the short link; links built from the base URL only."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from pledgebank.db import unit_of_work
from pledgebank.pledges.models import Pledge
from tests.factories.pledges import pledge_with_card
from tests.helpers.pledge_pages import (
    error_beside,
    make_pledge,
    people,
    pledge_row,
    text_of,
)

BASE = "http://localhost"


def meta(page: str, key: str) -> str:
    """The content of the <meta> named (or with the property) key."""
    match = re.search(rf'<meta (?:name|property)="{re.escape(key)}" content="([^"]*)"', page)
    assert match, f"no {key} meta tag"
    return html.unescape(match.group(1))


def set_action(sessions, pledge_id: int, action: str) -> None:
    with unit_of_work(sessions) as session:
        session.get_one(Pledge, pledge_id).action = action


@pytest.mark.parametrize(
    ("action", "changes", "expected"),
    [
        (
            "mend the playground fence",
            {"target_pledgers": 5, "amount": 1000},
            "Chair Person will mend the playground fence with £10 a person, but only if 5 people will too.",
        ),
        (
            "",
            {"target_pledgers": 1, "amount": 750},
            "Chair Person will put £7.50 towards “Mend the playground fence”, but only if 1 person will too.",
        ),
        (
            "plant twenty street trees",
            {"amount_kind": "minimum", "amount": 500, "target_pledgers": None, "target_amount": 30_000},
            "Chair Person will plant twenty street trees with at least £5 a person, but only if neighbours "
            "pledge £300 in all.",
        ),
        (
            "  paint the  hall. ",
            {"target_pledgers": 10, "target_amount": 40_000, "amount": 2000},
            "Chair Person will paint the hall with £20 a person, but only if 10 people will too and the "
            "pledges reach £400.",
        ),
    ],
)
def test_the_sentence_names_the_creator_on_the_page_in_the_list_and_in_meta_tags(
    app, sessions, web, action, changes, expected
):
    world = people(sessions)
    pledge = make_pledge(app, world.slug, world.ids["chair"], action=action, **changes)

    response = web.get(f"/p/{pledge}")
    page = response.get_data(as_text=True)
    assert expected in text_of(response)
    assert meta(page, "og:description").startswith(expected)
    assert meta(page, "twitter:description").startswith(expected)
    assert meta(page, "og:title") == meta(page, "twitter:title") == "Mend the playground fence"
    assert expected in text_of(web.get(f"/n/{world.slug}/pledges"))


TIME_PLEDGE = {
    "kind": "time",
    "title": "Volunteer two hours at the spring clean-up",
    "description": "Two hours clearing litter and weeding the beds along Elm Park Road.",
    "next_steps": "Meet at the park gates at 10:00 on 12 April.",
    "amount": 0,
    "target_pledgers": 20,
    "allow_cash": False,
}


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        (
            "volunteer two hours at the clean-up on 12 April",
            "Chair Person will volunteer two hours at the clean-up on 12 April, but only if 20 people "
            "will too.",
        ),
        (
            "",
            "Chair Person will give time to “Volunteer two hours at the spring clean-up”, but only if 20 "
            "people will too.",
        ),
    ],
)
def test_a_pledge_of_time_reads_without_money(app, sessions, web, action, expected):
    world = people(sessions)
    pledge = make_pledge(app, world.slug, world.ids["chair"], action=action, **TIME_PLEDGE)
    response = web.get(f"/p/{pledge}")
    assert expected in text_of(response)
    assert meta(response.get_data(as_text=True), "og:description").startswith(expected)
    assert expected in text_of(web.get(f"/n/{world.slug}/pledges"))
    flyer = text_of(web.get(f"/p/{pledge}/flyer"))
    assert expected in flyer and "£" not in flyer


def test_meta_tags_carry_the_progress_and_the_configured_address(app, sessions, web):
    world = people(sessions, "ann")
    pledge = make_pledge(app, world.slug, world.ids["chair"], target_pledgers=4)
    pledge_with_card(app, pledge, world.ids["ann"])
    page = web.get(f"/p/{pledge}").get_data(as_text=True)
    assert "1 of 4 people, £10 pledged." in meta(page, "og:description")
    assert "10 days left" in meta(page, "og:description")
    assert meta(page, "og:url") == f"{BASE}/p/{pledge}"
    code = pledge_row(sessions, pledge).short_code
    assert meta(page, "twitter:url") == f"{BASE}/p/{code}"


def test_share_links_are_plain_links_to_the_short_url_and_no_third_party_script(app, sessions, web):
    world = people(sessions)
    pledge = make_pledge(app, world.slug, world.ids["chair"], action="mend the playground fence")
    short = f"{BASE}/p/{pledge_row(sessions, pledge).short_code}"
    response = web.get(f"/p/{pledge}")
    page = response.get_data(as_text=True)

    assert re.search(rf'<input id="share-link" type="url" readonly value="{re.escape(short)}"', page)
    links = {html.unescape(h) for h in re.findall(r'<li><a href="([^"]+)" rel="noopener', page)}
    by_host = {urlsplit(link).netloc or urlsplit(link).scheme: link for link in links}
    assert set(by_host) == {
        "mailto",
        "wa.me",
        "www.facebook.com",
        "twitter.com",
        "bsky.app",
        "www.linkedin.com",
    }
    sentence = "Chair Person will mend the playground fence with £10 a person, but only if 2 people will too."
    mail = parse_qs(urlsplit(by_host["mailto"]).query)
    assert mail == {"subject": ["Mend the playground fence"], "body": [f"{sentence} {short}"]}
    assert parse_qs(urlsplit(by_host["www.facebook.com"]).query) == {"u": [short]}
    assert parse_qs(urlsplit(by_host["twitter.com"]).query) == {"text": [sentence], "url": [short]}
    assert parse_qs(urlsplit(by_host["wa.me"]).query) == {"text": [f"{sentence} {short}"]}

    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert scripts and all(src.startswith("/static/") for src in scripts)
    assert "script-src 'self';" in response.headers["Content-Security-Policy"]


def test_the_short_link_redirects_to_the_pledge_and_unknown_codes_are_404(app, sessions, web):
    world = people(sessions)
    pledge = make_pledge(app, world.slug, world.ids["chair"])
    code = pledge_row(sessions, pledge).short_code
    assert re.fullmatch(r"[a-z]{7}", code)

    response = web.get(f"/p/{code}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"{BASE}/p/{pledge}"
    assert web.get(f"/p/{code.upper()}").headers["Location"] == f"{BASE}/p/{pledge}"
    assert web.get(f"/p/{pledge}").status_code == 200  # pledge numbers still reach the page itself
    for wrong in ("zzzzzzz" if code != "zzzzzzz" else "yyyyyyy", "abc", "a-b_c", "9" * 40):
        assert web.get(f"/p/{wrong}").status_code == 404


def test_a_draft_is_not_reached_through_its_short_link(app, sessions, web):
    world = people(sessions)
    pledge = make_pledge(app, world.slug, world.ids["chair"])
    with unit_of_work(sessions) as session:
        row = session.get_one(Pledge, pledge)
        row.status = "draft"
        code = row.short_code
    assert web.get(f"/p/{code}").status_code == 404
    assert web.get(f"/p/{pledge}/flyer").status_code == 404
    creator = world.client(app, sessions, "chair")
    assert creator.get(f"/p/{code}").headers["Location"] == f"{BASE}/p/{pledge}"  # they can see it
    page = creator.get(f"/p/{pledge}").get_data(as_text=True)
    assert "Share this pledge" not in page and 'id="share-link"' not in page


def test_a_forged_host_header_never_reaches_a_share_link_the_short_url_or_the_flyer(app, sessions, web):
    world = people(sessions)
    pledge = make_pledge(app, world.slug, world.ids["chair"])
    code = pledge_row(sessions, pledge).short_code
    forged = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}

    for path in (f"/p/{pledge}", f"/p/{pledge}/flyer", f"/p/{pledge}/flyer?layout=a5", f"/p/{code}"):
        response = web.get(path, headers=forged)
        body = response.get_data(as_text=True)
        assert response.status_code in (200, 302), path
        assert "evil.example" not in body and "evil.example" not in response.headers.get("Location", "")
    assert web.get(f"/p/{code}", headers=forged).headers["Location"] == f"{BASE}/p/{pledge}"
    assert f'value="{BASE}/p/{code}"' in web.get(f"/p/{pledge}", headers=forged).get_data(as_text=True)


def test_the_creator_profile_lists_their_other_visible_pledges(app, sessions, web):
    world = people(sessions, "ann")
    first = make_pledge(app, world.slug, world.ids["chair"], title="Mend the playground fence")
    other = make_pledge(app, world.slug, world.ids["chair"], title="Paint the community hall")
    hidden = make_pledge(app, world.slug, world.ids["chair"], title="A draft nobody sees yet")
    with unit_of_work(sessions) as session:
        session.get_one(Pledge, hidden).status = "draft"
    annes = make_pledge(app, world.slug, world.ids["ann"], title="Ann's own pledge")

    page = text_of(web.get(f"/p/{first}"))
    assert "Who started it Chair Person , of Elm Park." in page
    assert "Paint the community hall" in page
    assert "A draft nobody sees yet" not in page and "Ann's own pledge" not in page
    assert f'href="/p/{other}"' in web.get(f"/p/{first}").get_data(as_text=True)
    assert "This is their first pledge." in text_of(web.get(f"/p/{annes}"))


def test_the_sentence_field_is_offered_kept_and_limited(app, sessions):
    world = people(sessions)
    client = world.client(app, sessions, "chair")
    assert 'name="action"' in client.get(f"/n/{world.slug}/pledges/new").get_data(as_text=True)
    form = {
        "fund": "+own",
        "title": "Mend the playground fence",
        "description": "New posts and panels along the north side.",
        "amount_kind": "fixed",
        "amount": "10",
        "target_pledgers": "5",
        "deadline": "2026-03-20",
        "deadline_time": "18:00",
        "allow_cash": "y",
    }
    too_long = client.post(f"/n/{world.slug}/pledges/new", {**form, "action": "x" * 201})
    assert too_long.status_code == 422
    assert error_beside(too_long.get_data(as_text=True), "action") == (
        "Error: Finish the sentence in at most 200 characters."
    )
    with unit_of_work(sessions) as session:
        assert session.query(Pledge).count() == 0

    made = client.post(f"/n/{world.slug}/pledges/new", {**form, "action": " mend the   fence "})
    assert made.status_code == 302
    pledge_id = int(made.headers["Location"].rsplit("/", 1)[1])
    assert pledge_row(sessions, pledge_id).action == "mend the fence"
    assert "Chair Person will mend the fence with £10 a person, but only if 5 people will too." in text_of(
        client.get(f"/p/{pledge_id}")
    )
    edit = client.get(f"/p/{pledge_id}/edit").get_data(as_text=True)
    assert re.search(
        r'name="action"[^>]*value="mend the fence"|value="mend the fence"[^>]*name="action"', edit
    )
