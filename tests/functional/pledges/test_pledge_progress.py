"""The pledge page's progress block in every state: the percentage, people and money, sponsors' offers as
their own segment, why pledges are not counting (each reason counted on its own), the final figures after
the end, and the history with its dates and figures."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete

from pledgebank.db import unit_of_work
from pledgebank.payments.gateway import TestCard
from pledgebank.pledges.extras import add_match_offer
from pledgebank.pledges.models import PledgeMilestone
from pledgebank.pledges.services import approve_pledge, cancel_pledge, get_pledge
from tests.factories.pledges import (
    assert_books_ok,
    authenticate_card,
    authenticate_hold,
    due,
    pledge_state,
    pledge_with_card,
    record_cash,
    sign,
    signup_state,
    use_card,
)
from tests.helpers.pledge_pages import (
    make_pledge,
    people,
    progress_text,
    set_neighbourhood,
    text_of,
)

LONDON = ZoneInfo("Europe/London")


def _page(web, pledge: int) -> tuple[str, str]:
    response = web.get(f"/p/{pledge}")
    assert response.status_code == 200
    return text_of(response), response.get_data(as_text=True)


def _offer(app, pledge: int, chair: int, ratio: str = "1:1", cap: int = 10_000) -> None:
    now = app.extensions["pledgebank.clock"].now()
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        add_match_offer(
            session,
            actor_id=chair,
            pledge=get_pledge(session, pledge),
            sponsor_name="Elm Park Bakery",
            ratio=ratio,
            cap=cap,
            now=now,
        )


def _bank_checked_card(app, pledge: int, user: int) -> int:
    """Pledge with the card that asks for the bank's check when saved (passed) and again when charged."""
    signup = sign(app, pledge, user)
    use_card(app, signup, user, TestCard.REQUIRES_AUTHENTICATION)
    authenticate_card(app, signup, user)
    return signup


def test_open_pledge_counts_each_reason_and_shows_a_sponsor_as_its_own_segment(app, sessions, web):
    world = people(sessions, "ann", "ben", "cat", "dan")
    ids = world.ids
    pledge = make_pledge(app, world.slug, ids["chair"], target_pledgers=4)
    _offer(app, pledge, ids["chair"], ratio="1:2", cap=5_000)
    pledge_with_card(app, pledge, ids["ann"])
    sign(app, pledge, ids["ben"])  # card not saved yet
    sign(app, pledge, ids["cat"], method="cash")  # cash not handed over yet
    refused = sign(app, pledge, ids["dan"])
    use_card(app, refused, ids["dan"], TestCard.DECLINED_AT_SETUP)

    page, html = _page(web, pledge)
    assert "25% of the target: 1 of 4 people, £10 pledged; + £20 from Elm Park Bakery if it succeeds." in page
    assert progress_text(html) == "25%: 1 of 4 people, £10 pledged"
    assert "Pledged: £10 from 1 person" in page
    # The sponsor's half of the £40 target, drawn after the pledges' quarter of the bar.
    assert '<rect class="bar-pledged" x="0" y="0" width="250"' in html
    assert '<rect class="bar-match" x="250" y="0" width="500"' in html
    assert "Not counting yet:" in page
    assert "1 card declined (£10): the pledger must use another card" in page
    assert "1 card not yet saved (£10)" in page
    assert "1 cash pledge not yet received (£10) by the treasurer" in page
    assert "waiting for a card to be saved or cash" not in page
    assert "opened for pledges." in page and "the deadline." in page


def test_collecting_pledge_counts_paid_reserved_and_each_reason_for_attention(app, sessions, web):
    world = people(sessions, "ann", "ben", "cat", "dan", "eve", "fay")
    ids = world.ids
    pledge = make_pledge(app, world.slug, ids["chair"], target_pledgers=4)
    record_cash(app, sign(app, pledge, ids["dan"], method="cash"), ids["chair"])
    pledge_with_card(app, pledge, ids["ann"])
    pledge_with_card(app, pledge, ids["cat"], TestCard.DECLINES_AT_CHARGE)
    ben = _bank_checked_card(app, pledge, ids["ben"])  # the fourth: the target is met
    assert pledge_state(app, pledge) == "collecting"
    sign(app, pledge, ids["eve"])  # after activation: card not saved yet
    sign(app, pledge, ids["fay"], method="cash")
    due(app)  # the saved cards' holds
    assert signup_state(app, ben) == "action_needed"

    page, html = _page(web, pledge)
    assert "Target met: collecting payments." in page
    # Those whose payments need attention still count as pledged: the bar does not go backwards.
    assert progress_text(html) == "100%: 4 of 4 people, £40 pledged"
    assert "with 4 people and £40 pledged." in page
    assert "1 paid (£10)" in page
    assert "1 reserved on a card (£10), taken when collection ends" in page
    assert "4 need attention (£40):" in page
    assert "1 needs a bank check (£10)" in page
    assert "1 card declined (£10)" in page
    assert "1 card not yet saved (£10)" in page
    assert "1 cash pledge not yet received (£10) by the treasurer" in page
    assert "3 days left, until" in page
    assert "target met with 4 people and £40 pledged; collecting payments began." in page

    authenticate_hold(app, ben, ids["ben"])
    page, html = _page(web, pledge)
    assert "2 reserved on cards (£20), taken when collection ends" in page
    assert "3 need attention (£30):" in page
    assert "needs a bank check" not in page
    assert progress_text(html) == "100%: 4 of 4 people, £40 pledged"


def test_succeeded_pledge_keeps_final_figures_sponsor_and_history(app, sessions, web):
    world = people(sessions, "ann", "ben", "cat")
    ids = world.ids
    pledge = make_pledge(app, world.slug, ids["chair"], target_pledgers=2)
    _offer(app, pledge, ids["chair"])
    pledge_with_card(app, pledge, ids["ann"])
    pledge_with_card(app, pledge, ids["ben"])
    cat = _bank_checked_card(app, pledge, ids["cat"])  # joins during collection, never confirms
    assert signup_state(app, cat) == "action_needed"
    due(app, hours=73)
    assert pledge_state(app, pledge) == "succeeded"

    page, html = _page(web, pledge)
    assert progress_text(html) == "100%: 2 of 2 people, £20 pledged"
    assert "+ £20 from Elm Park Bakery, promised" in page
    assert "Final figures" in page
    assert "2 people paid (£20)" in page
    assert "1 payment (£10) did not go through in time, so nothing was taken" in page
    assert "target met with 2 people and £20 pledged; collecting payments began." in page
    assert (
        "collection ended: payments from 2 people (£20) had gone through or were reserved, of 3 pledges."
    ) in page
    assert "succeeded: £20 collected from 2 people, and £20 from sponsors." in page
    assert_books_ok(app)


def test_failed_pledge_keeps_the_figures_it_reached_and_what_was_released(app, sessions, web):
    world = people(sessions, "ann", "ben", "cat")
    ids = world.ids
    pledge = make_pledge(app, world.slug, ids["chair"], target_pledgers=3, amount=10_000)
    pledge_with_card(app, pledge, ids["ann"])
    sign(app, pledge, ids["ben"])
    sign(app, pledge, ids["cat"], method="cash")
    due(app, days=11)
    assert pledge_state(app, pledge) == "failed"

    page, html = _page(web, pledge)
    assert "Did not reach its target: nobody was charged." in page
    assert progress_text(html) == "33%: 1 of 3 people, £100 pledged"
    assert "33% of the target when it ended: 1 of 3 people, £100 pledged." in page
    assert "0 of 3 people" not in page and "£0" not in page
    assert "Paid: nothing. Nobody was charged." in page
    assert "Released: 3 pledges (£300)" in page
    assert (
        "did not reach its target (1 person, £100): nobody was charged and 3 pledges were released."
    ) in page

    listing = text_of(web.get(f"/n/{world.slug}/pledges"))
    assert "1 of 3 people, £100 pledged" in listing


def test_pledge_failing_at_the_end_of_collection_shows_what_went_through(app, sessions, web):
    world = people(sessions, "ann", "ben")
    ids = world.ids
    pledge = make_pledge(app, world.slug, ids["chair"], target_pledgers=2)
    pledge_with_card(app, pledge, ids["ann"])
    pledge_with_card(app, pledge, ids["ben"], TestCard.DECLINES_AT_CHARGE)
    due(app)
    due(app, hours=73)
    assert pledge_state(app, pledge) == "failed"

    page, html = _page(web, pledge)
    assert progress_text(html) == "50%: 1 of 2 people, £10 pledged"
    assert "target met with 2 people and £20 pledged; collecting payments began." in page
    assert (
        "collection ended: payments from 1 person (£10) had gone through or were reserved, of 2 pledges."
    ) in page
    assert "did not reach its target (1 person, £10): nobody was charged and 2 pledges were released." in page
    assert "Released: 2 pledges (£20)" in page
    assert_books_ok(app)


def test_cancelled_pledge_keeps_its_figures(app, sessions, web):
    world = people(sessions, "ann", "ben")
    ids = world.ids
    pledge = make_pledge(app, world.slug, ids["chair"], target_pledgers=3)
    pledge_with_card(app, pledge, ids["ann"])
    record_cash(app, sign(app, pledge, ids["ben"], method="cash"), ids["chair"])
    now = app.extensions["pledgebank.clock"].now()
    with unit_of_work(sessions) as session:
        cancel_pledge(
            session,
            actor_id=ids["chair"],
            pledge=get_pledge(session, pledge),
            reason="The council fixed it.",
            now=now,
        )
    due(app)

    page, html = _page(web, pledge)
    assert "Cancelled: nobody was charged." in page
    assert progress_text(html) == "66%: 2 of 3 people, £20 pledged"
    assert "Released: 2 pledges (£20)" in page
    assert (
        "cancelled by the committee (2 people, £20): nobody was charged and 2 pledges were released."
    ) in page
    assert_books_ok(app)


def test_a_pledge_ended_before_its_history_was_recorded_says_so_rather_than_showing_zero(app, sessions, web):
    world = people(sessions, "ann")
    pledge = make_pledge(app, world.slug, world.ids["chair"], target_pledgers=3)
    pledge_with_card(app, pledge, world.ids["ann"])
    due(app, days=11)
    with unit_of_work(sessions) as session:
        session.execute(delete(PledgeMilestone).where(PledgeMilestone.pledge_id == pledge))

    page, _ = _page(web, pledge)
    assert "The figures of this pledge from before its history was recorded are not known." in page
    assert "0 of 3 people" not in page
    assert "opened for pledges." in page and "did not reach its target: nobody was charged." in page
    assert "Released: 1 pledge (£10)" in page


def test_a_pledge_waiting_for_approval_opens_when_the_committee_approves_it(app, sessions, web):
    world = people(sessions, "ann")
    set_neighbourhood(sessions, world.slug, pledges_need_approval=True)
    pledge = make_pledge(app, world.slug, world.ids["ann"])
    ann = world.client(app, sessions, "ann")
    assert "opened for pledges" not in text_of(ann.get(f"/p/{pledge}"))

    app.extensions["pledgebank.clock"].advance(timedelta(days=1))
    with unit_of_work(sessions) as session:
        approve_pledge(
            session, actor_id=world.ids["chair"], pledge=get_pledge(session, pledge), now=_now(app)
        )
    page, _ = _page(web, pledge)
    approved = f"{_now(app).astimezone(LONDON):%-d %B %Y, %H:%M}"
    assert re.search(rf"{approved} ?: opened for pledges\.", page), page


def _now(app):
    return app.extensions["pledgebank.clock"].now()
