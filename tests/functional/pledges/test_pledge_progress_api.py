"""The API tells a pledge's progress as the page does: each reason a pledge needs attention counted apart, and
an ended pledge's figures as they were when it ended (not its released signups)."""

from __future__ import annotations

from pledgebank.payments.gateway import TestCard
from tests.factories.pledges import due, pledge_state, pledge_with_card, record_cash, sign, signup_state
from tests.helpers.pledge_pages import make_pledge, people


def _progress(web, pledge: int) -> dict:
    response = web.get(f"/api/v1/pledges/{pledge}")
    assert response.status_code == 200
    return response.get_json()["progress"]


def test_the_api_counts_each_reason_for_attention_apart(app, sessions, web):
    world = people(sessions, "ann", "ben", "cat", "dan", "eve")
    ids = world.ids
    pledge = make_pledge(app, world.slug, ids["chair"], target_pledgers=3)
    record_cash(app, sign(app, pledge, ids["dan"], method="cash"), ids["chair"])
    pledge_with_card(app, pledge, ids["ann"])
    pledge_with_card(app, pledge, ids["cat"], TestCard.DECLINES_AT_CHARGE)
    assert pledge_state(app, pledge) == "collecting"
    sign(app, pledge, ids["eve"])  # after activation: card not saved yet
    sign(app, pledge, ids["ben"], method="cash")
    due(app)

    progress = _progress(web, pledge)
    assert (progress["pledgers"], progress["amount"], progress["percent"]) == (3, 3000, 100)
    assert progress["paid"] == {"people": 1, "amount": 1000}
    assert progress["reserved"] == {"people": 1, "amount": 1000}
    attention = progress["attention"]
    assert attention["declined"] == {"people": 1, "amount": 1000}
    assert attention["card_not_saved"] == {"people": 1, "amount": 1000}
    assert attention["cash_not_received"] == {"people": 1, "amount": 1000}
    assert attention["bank_check"] == {"people": 0, "amount": 0}
    assert progress["waiting"] == 3
    assert progress["figures_known"] is True


def test_a_failed_pledge_keeps_the_figures_it_reached_in_the_api(app, sessions, web):
    world = people(sessions, "ann", "ben", "cat")
    ids = world.ids
    pledge = make_pledge(app, world.slug, ids["chair"], target_pledgers=3, amount=10_000)
    pledge_with_card(app, pledge, ids["ann"])
    sign(app, pledge, ids["ben"])
    cash = sign(app, pledge, ids["cat"], method="cash")
    due(app, days=11)
    assert pledge_state(app, pledge) == "failed"
    assert signup_state(app, cash) == "released"

    progress = _progress(web, pledge)
    assert (progress["pledgers"], progress["amount"], progress["percent"]) == (1, 10_000, 33)
    assert progress["met"] is False
    assert progress["released"] == {"people": 3, "amount": 30_000}


def test_the_api_gives_the_pledge_sentence_and_its_short_link(app, sessions, web):
    world = people(sessions, "ann")
    pledge = make_pledge(app, world.slug, world.ids["chair"], target_pledgers=5, action="mend the fence")
    found = web.get(f"/api/v1/pledges/{pledge}").get_json()
    assert (
        found["sentence"]
        == "Chair Person will mend the fence with £10 a person, but only if 5 people will too."
    )
    code = found["short_url"].rsplit("/", 1)[1]
    assert found["short_url"] == f"{app.config['BASE_URL']}/p/{code}" and len(code) == 7
    assert web.get(f"/p/{code}").headers["Location"].endswith(f"/p/{pledge}")
    listed = web.get(f"/api/v1/neighbourhoods/{world.slug}/pledges").get_json()
    assert [item["sentence"] for item in listed] == [found["sentence"]]
