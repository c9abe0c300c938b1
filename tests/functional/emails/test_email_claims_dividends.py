"""The community dividend invitation, sent to the body's signatory and verifier (apart, and one person who
does both), says only what is so: which of the two they are, and their link to the agreement."""

from __future__ import annotations

from tests.factories.dividends import SIGNATORY, VERIFIER, draft, fire_draft
from tests.factories.grants import world
from tests.helpers.email_claims import Recorder, check_all, give_contact
from tests.helpers.email_covers import DIVIDEND_COVERS as COVERS

BOTH = "both@council.example"


def test_the_invitations_say_who_signs_and_who_verifies(app, sessions, recorder: Recorder):
    w = world(sessions)
    recorder.be(SIGNATORY[1], "signatory", slug=w.slug)
    recorder.be(VERIFIER[1], "verifier", slug=w.slug)
    draft(app, w)
    give_contact(app, w.slug, w.chair, contact=True)
    recorder.be(BOTH, "signs and verifies", slug=w.slug, contact=True)
    draft(app, w, fire_draft(app, signatory_email=BOTH, verifier_email=BOTH, body_name="Elm Park Council"))

    signatory = recorder.one("dividends/invitation", SIGNATORY[1]).body
    assert "You are named as the person who signs it" in signatory and "verifier" not in signatory
    verifier = recorder.one("dividends/invitation", VERIFIER[1]).body
    assert "You are named as its verifier" in verifier and "person who signs" not in verifier
    both = recorder.one("dividends/invitation", BOTH)
    assert "person who signs" in both.body and "its verifier" in both.body
    assert both.path("/dividends/").startswith("/dividends/")
    assert recorder.covered() >= COVERS
    check_all(app, recorder)
