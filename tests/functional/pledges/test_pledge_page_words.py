"""The pledge page says the rule and the progress in words, for eyes and for screen readers alike."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.factories.pledges import pledge_with_card, sign
from tests.helpers.pledge_pages import make_pledge, people, progress_text, text_of

DEADLINE = datetime(2026, 3, 14, 18, 0, tzinfo=UTC)


def test_fixed_pledge_by_people_reads_as_the_rule_and_counts_saved_cards(app, sessions, web):
    world = people(sessions, "ann", "ben")
    pledge = make_pledge(
        app, world.slug, world.ids["chair"], target_pledgers=40, amount=1000, deadline=DEADLINE
    )
    pledge_with_card(app, pledge, world.ids["ann"])
    sign(app, pledge, world.ids["ben"], method="cash")  # promised, not yet received: does not count

    response = web.get(f"/p/{pledge}")
    assert response.status_code == 200
    page = text_of(response)
    assert "Nobody pays unless 40 people pledge by 14 March; if they do, everyone's £10 is collected." in page
    assert "1 of 40 people, £10 pledged" in page
    assert progress_text(response.get_data(as_text=True)) == "2%: 1 of 40 people, £10 pledged"
    assert "Not counting yet: 1 cash pledge not yet received (£10) by the treasurer" in page
    assert "12 days and 8 hours left" in page
    assert "Open for pledges" in page
    assert "Sign in or register to pledge" in page

    listing = text_of(web.get(f"/n/{world.slug}/pledges"))
    assert "Mend the playground fence" in listing and "1 of 40 people, £10 pledged" in listing


def test_minimum_pledge_with_both_targets_reads_as_the_rule(app, sessions, web):
    world = people(sessions, "ann")
    pledge = make_pledge(
        app,
        world.slug,
        world.ids["chair"],
        amount_kind="minimum",
        amount=500,
        target_pledgers=10,
        target_amount=40_000,
        deadline=DEADLINE,
    )
    sign(app, pledge, world.ids["ann"], amount=2550)  # no card saved yet: does not count
    response = web.get(f"/p/{pledge}")
    page = text_of(response)
    assert (
        "Nobody pays unless 10 people pledge at least £5 each and the pledges add up to £400 by 14 March; "
        "if they do, every pledge is collected." in page
    )
    assert progress_text(response.get_data(as_text=True)) == "0%: 0 of 10 people, £0 of £400"


def test_money_target_only_and_the_progress_bar_value(app, sessions, web):
    world = people(sessions, "ann")
    pledge = make_pledge(
        app, world.slug, world.ids["chair"], target_pledgers=None, target_amount=4000, deadline=DEADLINE
    )
    pledge_with_card(app, pledge, world.ids["ann"])
    response = web.get(f"/p/{pledge}")
    assert (
        "Nobody pays unless pledges add up to £40 by 14 March; if they do, everyone's £10 is collected."
        in (text_of(response))
    )
    html = response.get_data(as_text=True)
    assert progress_text(html) == "25%: 1 person, £10 of £40"
    assert 'aria-valuenow="25"' in html and 'aria-valuemax="100"' in html
    assert '<rect class="bar-pledged" x="0" y="0" width="250"' in html


def test_your_pledges_on_the_account_page(app, sessions):
    world = people(sessions, "ann")
    pledge = make_pledge(app, world.slug, world.ids["chair"])
    ann = world.client(app, sessions, "ann")
    assert "You have not pledged to anything yet." in text_of(ann.get("/account"))
    pledge_with_card(app, pledge, world.ids["ann"])
    page = ann.get("/account").get_data(as_text=True)
    assert f'href="/p/{pledge}"' in page
    assert (
        "You have pledged £10 with your card ending 4242. Nothing is taken unless the pledge succeeds."
        in (text_of(ann.get("/account")))
    )
