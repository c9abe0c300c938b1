"""Emails are written in the recipient's language: the one they chose, else the default of the neighbourhood
the email is about, else English; the queued job carries it and the worker renders under it."""

from sqlalchemy import select

from pledgebank.accounts.models import User
from pledgebank.db import unit_of_work
from pledgebank.outbox import Email, email_from, email_payload, send_after_commit
from pledgebank.tasks.payloads import dumps, loads
from pledgebank.text import _t
from tests.helpers.app import PASSWORD, make_neighbourhood, make_user, neighbourhood

NEW_PASSWORD = "a different horse battery staple"


def _choose(sessions, address: str, language: str) -> None:
    with unit_of_work(sessions) as session:
        session.scalars(select(User).where(User.email == address)).one().language = language


def _change_password(web, address: str):
    web.login(address)
    form = {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    changed = web.post("/account/password", form)
    assert changed.status_code == 302


def test_a_person_who_chose_welsh_gets_their_email_in_welsh(web, sessions, outbox):
    make_user(sessions, "eira@example.org", "Eira")
    _choose(sessions, "eira@example.org", "cy")
    _change_password(web, "eira@example.org")
    assert outbox.last("eira@example.org").subject == "Newidiwyd eich cyfrinair"


def test_a_person_who_did_not_choose_gets_english_even_from_a_welsh_page(web, sessions, outbox):
    make_user(sessions, "sam@example.org", "Sam")
    web.get("/?lang=cy")  # the browser's choice, not the person's
    web.client.delete_cookie("pledgebank_language")
    _change_password(web, "sam@example.org")
    assert outbox.last("sam@example.org").subject == "Your password was changed"


def test_the_neighbourhoods_default_is_used_for_someone_who_did_not_choose(app, sessions, outbox):
    chair = make_user(sessions, "chair@example.org", "Chair")
    slug = make_neighbourhood(sessions, chair)
    with unit_of_work(sessions) as session:
        place = neighbourhood(session, slug)
        place.default_language = "cy"
        send_after_commit(
            session,
            Email(
                "visitor@example.org",
                _t("Your password was changed"),
                "accounts/password_changed",
                neighbourhood_id=place.id,
            ),
        )
    assert outbox.last("visitor@example.org").subject == "Newidiwyd eich cyfrinair"


def test_the_job_carries_the_language_and_the_subjects_msgid_as_plain_json():
    email = Email("eira@example.org", _t("Welcome, %(name)s", name="Eira"), "accounts/verify", language="cy")
    payload = loads(dumps(email_payload(email)))
    assert payload["language"] == "cy"
    assert payload["subject"] == {"msgid": "Welcome, %(name)s", "values": {"name": "Eira"}}
    back = email_from(payload)
    assert back.language == "cy" and back.subject == "Welcome, Eira"


def test_many_emails_about_one_neighbourhood_read_its_language_once(app, sessions):
    from sqlalchemy import event

    chair = make_user(sessions, "chair@example.org", "Chair")
    slug = make_neighbourhood(sessions, chair)
    with unit_of_work(sessions) as session:
        place_id = neighbourhood(session, slug).id
    seen: list[str] = []

    def note(_conn, _cursor, statement, _parameters, _context, _many):
        seen.append(statement)

    engine = app.extensions["pledgebank.engine"]
    event.listen(engine, "before_cursor_execute", note)
    try:
        with unit_of_work(sessions) as session:
            for n in range(5):
                email = Email(f"r{n}@example.org", "Hello", "accounts/reset", {}, neighbourhood_id=place_id)
                send_after_commit(session, email)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert sum("default_language" in statement for statement in seen) == 1
    assert all("lower(" not in statement for statement in seen if "users.language" in statement)
