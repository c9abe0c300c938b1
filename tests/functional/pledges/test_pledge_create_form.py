"""Starting a pledge through the form: a valid one opens (or waits for approval), each bad field says why."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import func, select

from pledgebank.db import unit_of_work
from pledgebank.pledges.models import Pledge
from tests.helpers.pledge_forms import VALID
from tests.helpers.pledge_pages import (
    error_beside,
    people,
    pledge_row,
    set_neighbourhood,
    text_of,
)


def test_a_valid_pledge_opens_with_its_deadline_in_uk_time(app, sessions):
    world = people(sessions, "ann")
    ann = world.client(app, sessions, "ann")
    form_page = ann.get(f"/n/{world.slug}/pledges/new")
    assert form_page.status_code == 200
    assert re.search(r'<input[^>]*id="deadline"[^>]*type="date"', form_page.get_data(as_text=True))

    summer = {**VALID, "amount": "7.50", "deadline": "2026-06-14", "target_amount": "1,200"}
    response = ann.post(f"/n/{world.slug}/pledges/new", summer)
    assert response.status_code == 302, text_of(response)[:2000]
    pledge_id = int(response.headers["Location"].rsplit("/", 1)[1])
    pledge = pledge_row(sessions, pledge_id)
    assert pledge.status == "open"
    assert pledge.amount == 750 and pledge.target_pledgers == 40 and pledge.target_amount == 120_000
    assert pledge.deadline == datetime(2026, 6, 14, 17, 0, tzinfo=UTC)  # 18:00 British Summer Time
    assert pledge.allow_cash is True

    page = text_of(ann.get(response.headers["Location"]))
    assert "Your pledge is open" in page
    assert "Mend the playground fence" in page


BAD_FIELDS = [
    ("fund", "no-such-fund", "Choose one of the funds offered."),
    ("title", "", "Give the pledge a title."),
    ("title", "ab", "Give the pledge a title of 3 to 120 characters."),
    ("description", "", "Say what will happen if the pledge succeeds."),
    ("amount_kind", "", "Choose a fixed amount or a minimum."),
    ("amount", "ten", "Enter the amount as a number of pounds, like 10 or 7.50."),
    ("amount", "10.555", "Enter the amount as a number of pounds, like 10 or 7.50."),
    ("amount", "0", "Enter the amount above zero."),
    ("amount", "20000", "Ask for between £0.01 and £10,000 per person."),
    ("target_pledgers", "lots", "Enter the number of people as a whole number, like 40."),
    ("target_pledgers", "", "Set a number of people, an amount of money, or both."),
    ("target_amount", "-5", "Enter the money needed above zero."),
    ("deadline", "14/03/2026", "Enter the date like 2026-03-14."),
    ("deadline", "2026-03-01", "Set a deadline at least an hour from now."),
    ("deadline_time", "6pm", "Enter the time like 18:00."),
    ("cap", "5", "The limit on people cannot be below the number needed."),
]


def test_each_bad_field_is_shown_beside_it_and_nothing_is_created(app, sessions):
    world = people(sessions, "ann")
    ann = world.client(app, sessions, "ann")
    for field, value, message in BAD_FIELDS:
        response = ann.post(f"/n/{world.slug}/pledges/new", {**VALID, field: value})
        assert response.status_code == 422, (field, value)
        page = response.get_data(as_text=True)
        assert message in error_beside(page, field), (field, value, error_beside(page, field))
        links = re.findall(r'<a href="#([^"]+)">[^<]*</a>', page[page.index("error-summary") :])
        assert links and links[0].startswith(field), "the error summary links to the field"
        assert f'id="{links[0]}"' in page, "the summary's link leads somewhere on the page"
    with unit_of_work(sessions) as session:
        assert session.scalar(select(func.count()).select_from(Pledge)) == 0


def test_with_approval_required_a_residents_pledge_waits_for_the_committee(app, sessions, web):
    world = people(sessions, "ann", "ben")
    set_neighbourhood(sessions, world.slug, pledges_need_approval=True, allow_cash_pledges=False)
    ann = world.client(app, sessions, "ann")
    form_page = ann.get(f"/n/{world.slug}/pledges/new").get_data(as_text=True)
    assert 'name="allow_cash"' not in form_page, "cash is offered only where the neighbourhood allows it"
    response = ann.post(f"/n/{world.slug}/pledges/new", VALID)
    assert response.status_code == 302
    pledge_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert pledge_row(sessions, pledge_id).status == "draft"
    assert pledge_row(sessions, pledge_id).allow_cash is False
    assert "The committee must approve it" in text_of(ann.get(f"/p/{pledge_id}"))

    assert web.get(f"/p/{pledge_id}").status_code == 404, "a draft is hidden from others"
    assert "Mend the playground fence" not in text_of(web.get(f"/n/{world.slug}/pledges"))
    ben = world.client(app, sessions, "ben")
    assert ben.post(f"/p/{pledge_id}/approve").status_code == 403

    committee = world.client(app, sessions, "chair")
    assert committee.post(f"/p/{pledge_id}/approve").status_code == 302
    assert pledge_row(sessions, pledge_id).status == "open"
    assert web.get(f"/p/{pledge_id}").status_code == 200


def test_only_members_may_start_a_pledge(app, sessions, web):
    world = people(sessions)
    assert web.get(f"/n/{world.slug}/pledges/new").status_code == 302  # to sign in
    from tests.helpers.app import make_user
    from tests.helpers.foundation import signed_in_client

    outsider = signed_in_client(app, sessions, make_user(sessions, "outsider@example.org"))
    assert outsider.get(f"/n/{world.slug}/pledges/new").status_code == 403
    assert outsider.post(f"/n/{world.slug}/pledges/new", VALID).status_code == 403
