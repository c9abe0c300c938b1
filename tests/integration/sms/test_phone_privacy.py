"""A phone number is personal data: it is in the person's right-of-access export, and erasing the person
erases it and the record of their texts."""

from __future__ import annotations

from sqlalchemy import func, select

from pledgebank.accounts import privacy
from pledgebank.accounts.erasure import pseudonymise_user
from pledgebank.db import unit_of_work
from pledgebank.sms import account_phone, codes
from pledgebank.sms.models import SmsInbound, SmsPhone
from tests.helpers.sms import PHONE, pledge_by_text, text_world


def _verify_on_account(app, user_id: int) -> None:
    now = app.extensions["pledgebank.clock"].now()
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        phone = account_phone.start(session, user_id=user_id, number=PHONE, sender="+447700900000", now=now)
        code = codes.issue(phone, now=now, user_id=user_id)
        assert account_phone.confirm(session, user_id=user_id, code=code, now=now) == 1


def test_the_phone_and_its_texts_are_in_the_export_and_erased_with_the_person(app):
    world = text_world(app)
    pledge_by_text(app)
    person = world.residents[0]
    _verify_on_account(app, person)
    sessions = app.extensions["pledgebank.sessions"]
    with unit_of_work(sessions) as session:
        exported = {section.key: list(rows) for section, rows in privacy.personal_data(session, person)}
    [phone] = exported["phones"]
    assert phone["phone_number"] == PHONE and "code_digest" not in phone
    assert len(exported["texts_received"]) == 2
    now = app.extensions["pledgebank.clock"].now()
    with unit_of_work(sessions) as session:
        pseudonymise_user(session, person, now=now)
    with unit_of_work(sessions) as session:
        assert session.scalar(select(func.count()).select_from(SmsPhone)) == 0
        assert session.scalar(select(func.count()).select_from(SmsInbound)) == 0


def test_a_number_never_confirmed_is_forgotten_after_thirty_quiet_days(app):
    from datetime import timedelta

    from tests.factories.pledges import due
    from tests.helpers.sms import text

    text_world(app)
    text(app, "PLEDGE FENCE")
    text(app, "HELP", sender="+447700900456")
    pledge_by_text(app, sender="+447700900789")
    clock = app.extensions["pledgebank.clock"]
    clock.advance(timedelta(days=20))
    text(app, "HELP", sender="+447700900456")
    clock.advance(timedelta(days=11))
    due(app)
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        kept = sorted(session.scalars(select(SmsPhone.phone_number)))
        texts = session.scalar(select(func.count()).select_from(SmsInbound))
    assert kept == ["+447700900456", "+447700900789"]
    assert texts == 4
