"""Every email about signers, comments and alerts, sent through the real pages and services, says only what
is true and ends with how to reach the neighbourhood (comments) or the service (alerts, which belong to an
address, not to a member)."""

from __future__ import annotations

from pledgebank.alerts import jobs as alert_jobs
from tests.factories.pledges import make_pledge, neighbourhood_with
from tests.helpers.app import PASSWORD, WebClient
from tests.helpers.email_claims import Recorder, check_all, give_contact
from tests.helpers.email_covers import SOCIAL_COVERS as COVERS

NOW, WEEKLY = "now@example.org", "weekly@example.org"


def test_comment_and_alert_emails_say_what_is_so(app, sessions, recorder: Recorder):
    slug, chair, (resident,) = neighbourhood_with(sessions, residents=1)
    give_contact(app, slug, chair, contact=True)
    web = WebClient(app.test_client())
    for address, frequency in ((NOW, "immediate"), (WEEKLY, "weekly")):
        recorder.be(address, "asking")
        assert (
            web.post("/alerts", {"email": address, "district": "SE15", "frequency": frequency}).status_code
            == 302
        )
        link = recorder.one("alerts/confirm", address).path("/alerts/confirm/")
        assert web.post(link, {}).status_code == 302
        recorder.be(address, "subscribed")
    pledge = make_pledge(app, slug, chair)
    alert_jobs.run_due(sessions, now=app.extensions["pledgebank.clock"].now(), zone=app.config["TIMEZONE"])

    recorder.be("chair@example.org", "creator", slug=slug, contact=True)
    recorder.be("resident0@example.org", "author", slug=slug, contact=True)
    resident_web = WebClient(app.test_client())
    resident_web.login("resident0@example.org", PASSWORD)
    assert resident_web.post(f"/p/{pledge}/comments", {"comment": "Which side first?"}).status_code == 302
    chair_web = WebClient(app.test_client())
    chair_web.login("chair@example.org", PASSWORD)
    comment = recorder.one("pledges/comment", "chair@example.org")
    assert "Which side first?" in comment.body
    from pledgebank.db import unit_of_work
    from pledgebank.pledges.comment_models import PledgeComment

    with unit_of_work(sessions) as session:
        comment_id = session.query(PledgeComment.id).scalar()
    hide = chair_web.post(f"/p/{pledge}/comments/{comment_id}/hide", {"reason": "Asked twice."})
    assert hide.status_code == 302
    assert recorder.covered() >= COVERS
    assert resident
    check_all(app, recorder)
