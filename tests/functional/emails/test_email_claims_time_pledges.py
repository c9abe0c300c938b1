"""A pledge of time's emails, sent through the real services, say nothing of cards, cash or money owed: the
signers are told they have signed up, then what happens next once the target is met (see
tests/helpers/email_claims.py for the claims every email is checked for)."""

from __future__ import annotations

import pytest

from tests.factories.pledges import neighbourhood_with, sign
from tests.factories.time_pledges import NEXT_STEPS, time_pledge
from tests.helpers.email_claims import BANK, Recorder, check_all, give_contact
from tests.helpers.email_covers import TIME_PLEDGE_COVERS

SIGNED = "signed up to a pledge of time"


@pytest.mark.parametrize(
    ("bank", "contact"), [(BANK, True), ("", False)], ids=["bank details and contact", "neither"]
)
def test_signers_of_a_pledge_of_time_are_told_only_what_is_so(
    app, sessions, recorder: Recorder, bank, contact
):
    slug, chair, people = neighbourhood_with(sessions, residents=3)
    give_contact(app, slug, chair, bank=bank, contact=contact)
    for n in range(3):
        recorder.be(f"resident{n}@example.org", SIGNED, slug=slug, bank=bank, contact=contact)
    pledge_id = time_pledge(app, slug, chair)
    for person in people:
        sign(app, pledge_id, person, method="time")  # the third meets the target: it succeeds there and then

    check_all(app, recorder)
    assert recorder.covered() == TIME_PLEDGE_COVERS
    for n in range(3):
        told = recorder.one("pledges/time_succeeded", f"resident{n}@example.org").body
        assert NEXT_STEPS in told
        for money_word in ("£", "card", "cash", "charge"):
            assert money_word not in told.lower() or (money_word == "£" and "£" not in told), money_word
