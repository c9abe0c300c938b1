"""The examiner's invitation, sent by the chair's page to someone with and without an account, says what
is so, and its link is the one the examiner accepts through."""

from __future__ import annotations

from tests.factories.grants import world
from tests.helpers.app import PASSWORD, WebClient, make_user
from tests.helpers.email_claims import Recorder, check_all, give_contact
from tests.helpers.email_covers import EXAMINER_COVERS


def test_the_invitation_names_the_year_and_leads_to_accepting_it(app, sessions, recorder: Recorder):
    w = world(sessions, members=1, residents=0)
    give_contact(app, w.slug, w.chair, bank="", contact=True)
    chair = WebClient(app.test_client())
    chair.login("chair@example.org")
    make_user(sessions, "helen@example.org", "Helen Marsh")
    for address, label in (("newcomer@example.org", "no account"), ("helen@example.org", "with an account")):
        recorder.be(address, f"invited, {label}", slug=w.slug, contact=True)
        sent = chair.post(f"/n/{w.slug}/examiners", {"name": "Helen Marsh", "email": address, "year": "2025"})
        assert sent.status_code == 302, sent.text

    check_all(app, recorder)
    assert recorder.covered() == EXAMINER_COVERS
    invitation = recorder.one("examiners/invited", "helen@example.org")
    assert "1 April 2025 to 31 March 2026" in invitation.body
    assert "Chair Person, the chair of Elm Park" in invitation.body
    examiner = WebClient(app.test_client())
    examiner.login("helen@example.org", PASSWORD)
    accepted = examiner.post(invitation.path("/examiner/invitation/"))
    assert accepted.status_code == 302
    assert "/checklist" in accepted.headers["Location"]
