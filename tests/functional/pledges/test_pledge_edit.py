"""Changing a pledge: its creator or the committee may, until the first person pledges; then it is frozen."""

from __future__ import annotations

from pledgebank.db import unit_of_work
from pledgebank.pledges.models import Pledge
from tests.factories.pledges import make_pledge, sign
from tests.helpers.pledge_pages import error_beside, people, text_of

CHANGED = {
    "fund": "+own",
    "title": "Mend the whole playground fence",
    "description": "New posts and panels all round the playground, not just the north side.",
    "amount_kind": "fixed",
    "amount": "12.50",
    "target_pledgers": "30",
    "target_amount": "",
    "deadline": "2026-03-20",
    "deadline_time": "18:00",
    "cap": "",
    "allow_cash": "y",
}


def test_the_creator_changes_the_pledge_before_anyone_pledges(app, sessions):
    world = people(sessions, "ann")
    pledge_id = make_pledge(app, world.slug, world.ids["ann"])
    ann = world.client(app, sessions, "ann")
    form = ann.get(f"/p/{pledge_id}/edit")
    assert form.status_code == 200
    assert "Mend the playground fence" in text_of(form)
    response = ann.post(f"/p/{pledge_id}/edit", CHANGED)
    assert response.status_code == 302
    with unit_of_work(sessions) as session:
        pledge = session.get(Pledge, pledge_id)
        assert (pledge.title, pledge.amount, pledge.target_pledgers) == (
            "Mend the whole playground fence",
            1250,
            30,
        )
    assert "everyone's £12.50 is collected" in text_of(ann.get(f"/p/{pledge_id}"))


def test_a_bad_change_is_shown_beside_the_field_and_changes_nothing(app, sessions):
    world = people(sessions, "ann")
    pledge_id = make_pledge(app, world.slug, world.ids["ann"])
    ann = world.client(app, sessions, "ann")
    response = ann.post(f"/p/{pledge_id}/edit", {**CHANGED, "amount": "ten pounds"})
    assert response.status_code == 422
    assert error_beside(response.get_data(as_text=True), "amount")
    with unit_of_work(sessions) as session:
        assert session.get(Pledge, pledge_id).amount == 1000


def test_wording_freezes_at_the_first_pledge(app, sessions):
    world = people(sessions, "ann", "ben")
    pledge_id = make_pledge(app, world.slug, world.ids["ann"])
    sign(app, pledge_id, world.ids["ben"], method="cash")
    ann = world.client(app, sessions, "ann")
    response = ann.post(f"/p/{pledge_id}/edit", CHANGED)
    assert response.status_code == 409
    assert "can no longer change" in text_of(response)
    assert "Change the pledge" not in text_of(ann.get(f"/p/{pledge_id}"))
    with unit_of_work(sessions) as session:
        assert session.get(Pledge, pledge_id).title == "Mend the playground fence"


def test_another_resident_cannot_change_someone_elses_pledge(app, sessions):
    world = people(sessions, "ann", "ben")
    pledge_id = make_pledge(app, world.slug, world.ids["ann"])
    response = world.client(app, sessions, "ben").post(f"/p/{pledge_id}/edit", CHANGED)
    assert response.status_code == 403
