"""The chair appoints an examiner by email; the examiner accepts through the link (making an account if they
need one), reads the books, and loses access when the chair ends the appointment or its period is over."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

from sqlalchemy import func, select

from pledgebank.books.models import AuditEvent
from pledgebank.db import unit_of_work
from pledgebank.examiners import jobs
from pledgebank.examiners.models import ExaminerAppointment
from tests.factories.examiners import appoint, invite
from tests.factories.grants import world
from tests.helpers.app import PASSWORD, WebClient, make_user
from tests.helpers.foundation import field_error, user_row, visible_text


def _appointment(sessions, appointment_id: int | None = None) -> ExaminerAppointment:
    with unit_of_work(sessions) as session:
        query = select(ExaminerAppointment).order_by(ExaminerAppointment.id.desc())
        if appointment_id is not None:
            query = query.where(ExaminerAppointment.id == appointment_id)
        found = session.scalars(query).first()
        session.expunge_all()
        return found


def _count(sessions, model=ExaminerAppointment) -> int:
    with unit_of_work(sessions) as session:
        return session.scalar(select(func.count()).select_from(model))


def _actions(sessions) -> list[str]:
    with unit_of_work(sessions) as session:
        return list(
            session.scalars(
                select(AuditEvent.action).where(AuditEvent.action.like("examiner.%")).order_by(AuditEvent.id)
            )
        )


def test_an_invited_examiner_makes_an_account_accepts_and_reads_the_books(app, sessions, outbox):
    w = world(sessions, members=1, residents=1)
    chair = WebClient(app.test_client())
    chair.login("chair@example.org")
    page = chair.get(f"/n/{w.slug}/examiners")
    assert page.status_code == 200 and "Invite an examiner" in page.text
    form = {"name": "Helen Marsh", "email": "Helen@Example.org", "year": "2025"}
    assert chair.post(f"/n/{w.slug}/examiners", form).status_code == 302
    link = outbox.last("helen@example.org").path("/examiner/invitation/")

    examiner = WebClient(app.test_client())
    signed_out = examiner.get(link)
    assert signed_out.status_code == 200 and "Sign in with helen@example.org" in visible_text(signed_out.text)
    registration = {"email": "helen@example.org", "display_name": "Helen Marsh", "password": PASSWORD}
    assert examiner.post("/register", {**registration, "confirm": PASSWORD}).status_code == 302
    assert examiner.get(f"/n/{w.slug}/ledger").status_code == 302  # signed out: to sign in
    examiner.login("helen@example.org")
    assert examiner.get(f"/n/{w.slug}/ledger").status_code == 403
    accepted = examiner.post(link)
    assert accepted.status_code == 302
    checklist = examiner.get(accepted.headers["Location"])
    assert checklist.status_code == 200 and "Examiner's checklist" in checklist.text
    assert examiner.get(f"/n/{w.slug}/ledger").status_code == 200
    assert examiner.get(f"/n/{w.slug}/audit").status_code == 200
    assert examiner.get(f"/n/{w.slug}/members").status_code == 403
    # The link reached the address, so accepting confirmed it.
    assert user_row(sessions, "helen@example.org").email_verified_at is not None
    appointment = _appointment(sessions)
    assert (
        appointment.status == "active" and appointment.user_id == user_row(sessions, "helen@example.org").id
    )
    assert _actions(sessions)[:2] == ["examiner.appointed", "examiner.accepted"]
    # A second acceptance of the same link is a clash, not a second appointment.
    assert examiner.post(link).status_code == 409


def test_only_the_invited_address_can_accept(app, sessions):
    w = world(sessions, members=1, residents=0)
    appointment_id, token = invite(app, w.chair, w.neighbourhood_id, "helen@example.org")
    make_user(sessions, "someone@example.org", "Someone Else")
    intruder = WebClient(app.test_client())
    intruder.login("someone@example.org")
    assert intruder.post(f"/examiner/invitation/{token}").status_code == 403
    assert intruder.post(f"/examiner/invitation/{token}x").status_code == 404
    assert intruder.get("/examiner/invitation/not-a-token").status_code == 404
    assert _appointment(sessions, appointment_id).status == "invited"
    assert intruder.get(f"/n/{w.slug}/ledger").status_code == 403


def test_the_chair_ends_an_appointment_and_access_stops_at_once(app, sessions):
    w = world(sessions, members=1, residents=0)
    examiner_id = make_user(sessions, "examiner@example.org", "Helen Marsh")
    appointment_id = appoint(app, w.chair, w.neighbourhood_id, examiner_id)
    examiner = WebClient(app.test_client())
    examiner.login("examiner@example.org")
    assert examiner.get(f"/n/{w.slug}/ledger").status_code == 200
    member = WebClient(app.test_client())
    member.login("member0@example.org")
    assert member.post(f"/n/{w.slug}/examiners/{appointment_id}/end").status_code == 403
    assert _appointment(sessions, appointment_id).status == "active"

    chair = WebClient(app.test_client())
    chair.login("chair@example.org")
    assert chair.post(f"/n/{w.slug}/examiners/{appointment_id}/end").status_code == 302
    assert _appointment(sessions, appointment_id).status == "ended"
    assert examiner.get(f"/n/{w.slug}/ledger").status_code == 403
    assert chair.post(f"/n/{w.slug}/examiners/{appointment_id}/end").status_code == 409
    assert chair.post(f"/n/{w.slug}/examiners/99999/end").status_code == 404
    assert "examiner.ended" in _actions(sessions)


def test_appointments_lapse_when_the_examination_period_is_over(app, sessions):
    w = world(sessions, members=1, residents=0)
    examiner_id = make_user(sessions, "examiner@example.org", "Helen Marsh")
    active = appoint(app, w.chair, w.neighbourhood_id, examiner_id)
    invited, token = invite(app, w.chair, w.neighbourhood_id, "other-examiner@example.org")
    examiner = WebClient(app.test_client())
    examiner.login("examiner@example.org")
    clock, zone = app.extensions["pledgebank.clock"], app.config["TIMEZONE"]
    lapses_on = _appointment(sessions, active).lapses_on
    clock.advance(timedelta(days=(lapses_on - clock.now().date()).days))
    assert jobs.run_due(sessions, now=clock.now(), zone=zone) == {}  # its last day: still in force
    assert examiner.get(f"/n/{w.slug}/ledger").status_code == 200

    clock.advance(timedelta(days=1))
    assert jobs.run_due(sessions, now=clock.now(), zone=zone) == {"examiner_appointments_lapsed": 2}
    assert jobs.run_due(sessions, now=clock.now(), zone=zone) == {}
    assert _appointment(sessions, active).status == "lapsed"
    assert _appointment(sessions, invited).status == "lapsed"
    assert examiner.get(f"/n/{w.slug}/ledger").status_code == 403
    make_user(sessions, "other-examiner@example.org", "Late Examiner")
    late = WebClient(app.test_client())
    late.login("other-examiner@example.org")
    assert late.post(f"/examiner/invitation/{token}").status_code in (404, 409)
    assert _actions(sessions).count("examiner.lapsed") == 2


def test_bad_appointments_are_refused_beside_their_fields_and_nothing_is_stored(app, sessions, outbox):
    w = world(sessions, members=1, residents=0)
    chair = WebClient(app.test_client())
    chair.login("chair@example.org")
    url = f"/n/{w.slug}/examiners"
    good = {"name": "Helen Marsh", "email": "helen@example.org", "year": "2025"}
    cases = [
        ({**good, "name": ""}, "name", "Enter the examiner's name."),
        ({**good, "name": "x" * 121}, "name", "120 characters"),
        ({**good, "email": "not an address"}, "email", "email"),
        ({**good, "email": ""}, "email", "Enter the examiner's email address."),
        ({**good, "year": "1999"}, "year", "Not a valid choice"),
        ({**good, "year": "next"}, "year", ""),
        # The year before last ended long enough ago that its examination period is over.
        ({**good, "year": "2023"}, "year", "examination period of that year ended"),
        # Independent: not a member of the group (CC32, Direction 2).
        ({**good, "email": "Member0@example.org"}, "email", "cannot be a member of the group"),
    ]
    for form, field, message in cases:
        answer = chair.post(url, form)
        assert answer.status_code == 422, (form, answer.status_code)
        assert message.lower() in unescape(field_error(answer.text, field)).lower(), (form, answer.text)
    assert _count(sessions) == 0
    assert chair.post(url, good).status_code == 302
    again = chair.post(url, good)
    assert again.status_code == 409 and "already the examiner" in field_error(again.text, "email")
    assert _count(sessions) == 1 and len(outbox.to("helen@example.org")) == 1
    member = WebClient(app.test_client())
    member.login("member0@example.org")
    assert member.post(url, {**good, "email": "x@example.org"}).status_code == 403
    assert member.get(url).status_code == 403
    assert _count(sessions) == 1
    assert chair.post(url, {**good, "email": "y@example.org"}, csrf=False).status_code == 400
    assert _count(sessions) == 1
