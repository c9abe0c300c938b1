"""A phone on the account (a texted code; the number's texted pledges join the account), the number and
keyword settings, and the fake provider's page at /dev/outbox, with bad input refused beside the field."""

from __future__ import annotations

from sqlalchemy import select

from pledgebank.db import unit_of_work
from pledgebank.pledges.models import PledgeSignup
from pledgebank.sms.models import SmsKeyword, SmsNumber
from tests.helpers.sms import NUMBER, PHONE, code_in, pledge_by_text, text_world, texts_to


def _owner_of_signups(app, pledge_id: int) -> list[int]:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return list(session.scalars(select(PledgeSignup.user_id).where(PledgeSignup.pledge_id == pledge_id)))


def test_verifying_the_number_on_the_web_brings_its_texted_pledge_to_the_account(app, web):
    world = text_world(app)
    pledge_by_text(app)
    web.login("resident0@example.org")
    assert "Add your number" in web.get("/account/phone").get_data(as_text=True)
    assert web.post("/account/phone", {"phone_number": "07700 900123"}).status_code == 302
    code = code_in(texts_to(app)[-1])
    assert "add this number to your account" in texts_to(app)[-1]
    wrong = web.post("/account/phone/confirm", {"code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 422 and "That code is not right" in wrong.get_data(as_text=True)
    done = web.post("/account/phone/confirm", {"code": code}, follow_redirects=True)
    page = done.get_data(as_text=True)
    assert "1 pledge made by text is now on your account" in page
    assert "07700 900123" in page
    assert _owner_of_signups(app, world.pledge_id) == [world.residents[0]]
    assert "Mend the playground fence" in web.get("/account").get_data(as_text=True)


def test_bad_phone_numbers_and_codes_are_refused_beside_the_field(app, web):
    text_world(app)
    web.login("resident0@example.org")
    for bad in ("", "hello", "1" * 40, "+44"):
        response = web.post("/account/phone", {"phone_number": bad})
        assert response.status_code == 422, bad
        assert 'id="phone_number-error"' in response.get_data(as_text=True)
    no_code = web.post("/account/phone/confirm", {"code": "123456"})
    assert no_code.status_code == 422 and "Ask for a code first" in no_code.get_data(as_text=True)
    short = web.post("/account/phone/confirm", {"code": "12"})
    assert short.status_code == 422 and 'id="code-error"' in short.get_data(as_text=True)
    assert texts_to(app) == []


def test_a_number_held_by_another_account_is_refused(app, web):
    text_world(app)
    web.login("resident0@example.org")
    web.post("/account/phone", {"phone_number": PHONE})
    web.post("/account/phone/confirm", {"code": code_in(texts_to(app)[-1])})
    other = app.test_client()
    from tests.helpers.app import WebClient

    second = WebClient(other)
    second.login("resident1@example.org")
    response = second.post("/account/phone", {"phone_number": PHONE})
    assert response.status_code == 422 and "belongs to another account" in response.get_data(as_text=True)


def test_the_chair_sets_the_number_and_the_creator_the_keyword(app, web):
    world = text_world(app)
    web.login("chair@example.org")
    assert web.post(f"/n/{world.slug}/sms", {"number": "not a number"}).status_code == 422
    assert web.post(f"/n/{world.slug}/sms", {"number": "07700 900002"}).status_code == 302
    for bad in ("", "A", "STOP", "no-dash", "X" * 21):
        response = web.post(f"/p/{world.pledge_id}/sms", {"keyword": bad})
        assert response.status_code == 422, bad
        assert 'id="keyword-error"' in response.get_data(as_text=True)
    assert web.post(f"/p/{world.pledge_id}/sms", {"keyword": "gate 2"}).status_code == 302
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        assert session.scalars(select(SmsNumber.number)).all() == ["+447700900002"]
        assert session.scalars(select(SmsKeyword.keyword)).all() == ["GATE2"]
    resident = app.test_client()
    from tests.helpers.app import WebClient

    other = WebClient(resident)
    other.login("resident0@example.org")
    assert other.post(f"/n/{world.slug}/sms", {"number": "07700 900003"}).status_code == 403
    assert other.post(f"/p/{world.pledge_id}/sms", {"keyword": "MINE"}).status_code == 403


def test_the_fake_providers_page_lets_a_visitor_pledge_by_text(app, web):
    world = text_world(app)
    page = web.get("/dev/outbox").get_data(as_text=True)
    assert "Send a text to the service" in page and "No texts yet." in page
    sent = web.post("/dev/texts", {"sender": "07700 900777", "to": NUMBER, "body": "PLEDGE FENCE"})
    assert sent.status_code == 302
    page = web.get("/dev/outbox").get_data(as_text=True)
    assert "Reply with the code" in page
    code = code_in(texts_to(app, "+447700900777")[-1])
    web.post("/dev/texts", {"sender": "07700 900777", "to": NUMBER, "body": code})
    assert "You have pledged" in web.get("/dev/outbox").get_data(as_text=True)
    assert len(_owner_of_signups(app, world.pledge_id)) == 1
    for field, data in (
        ("sender", {"sender": "nobody", "to": NUMBER, "body": "HELP"}),
        ("to", {"sender": PHONE, "to": "07700 900999", "body": "HELP"}),
        ("body", {"sender": PHONE, "to": NUMBER, "body": ""}),
    ):
        response = web.post("/dev/texts", data)
        assert response.status_code == 422, field
        assert f'id="{field}-error"' in response.get_data(as_text=True), field


def test_the_pledge_page_says_how_to_pledge_by_text_and_links_its_creator_to_the_keyword(app, web):
    world = text_world(app)
    page = web.get(f"/p/{world.pledge_id}").get_data(as_text=True)
    assert "Text PLEDGE FENCE to 07700 900001." in page
    assert f"/p/{world.pledge_id}/sms" not in page
    web.login("chair@example.org")
    assert f"/p/{world.pledge_id}/sms" in web.get(f"/p/{world.pledge_id}").get_data(as_text=True)
    assert f"/n/{world.slug}/sms" in web.get(f"/n/{world.slug}").get_data(as_text=True)
