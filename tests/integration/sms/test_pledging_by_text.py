"""Pledging by text against the fake provider: the code for a new number, the pledge and its replies, the
threshold text, STOP/START/HELP, unknown codes, floods and replays."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from pledgebank.accounts.models import User
from pledgebank.db import unit_of_work
from pledgebank.pledges.models import Pledge, PledgeSignup
from pledgebank.sms.models import SmsInbound, SmsPhone
from tests.factories.pledges import assert_books_ok, due
from tests.helpers.sms import NUMBER, PHONE, code_in, pledge_by_text, text, text_world, texts_to

OTHER = "+447700900456"


def _signups(app, pledge_id: int) -> list[tuple[str, str, int]]:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        rows = session.execute(
            select(User.email, PledgeSignup.method, PledgeSignup.amount)
            .join(User, User.id == PledgeSignup.user_id)
            .where(PledgeSignup.pledge_id == pledge_id)
        ).all()
        return [tuple(row) for row in rows]


def test_a_new_number_gets_a_code_and_its_reply_signs_it_up(app):
    world = text_world(app)
    assert text(app, "  pledge   fence ") == "code-sent"
    [first] = texts_to(app)
    assert "Reply with the code" in first and "Mend the playground fence" in first
    assert _signups(app, world.pledge_id) == []
    assert text(app, code_in(first)) == "signed"
    reply = texts_to(app)[-1]
    assert "You have pledged £10 to Mend the playground fence: 1 so far" in reply
    assert "Pay cash to the treasurer, or save a card at http://localhost/account/phone" in reply
    [(email, method, amount)] = _signups(app, world.pledge_id)
    assert email.endswith("@phone.invalid") and method == "cash" and amount == 1000
    assert_books_ok(app)


def test_a_verified_number_pledges_at_once_and_a_second_pledge_is_refused_clearly(app):
    world = text_world(app)
    pledge_by_text(app)
    assert text(app, "PLEDGE FENCE") == "already"
    assert "You have already pledged to Mend the playground fence" in texts_to(app)[-1]
    assert len(_signups(app, world.pledge_id)) == 1


def test_a_card_only_pledge_asks_for_a_card(app):
    text_world(app, allow_cash=False)
    pledge_by_text(app)
    assert "Save a card to pay at http://localhost/account/phone" in texts_to(app)[-1]


def test_a_wrong_code_is_refused_and_five_wrong_tries_end_the_code(app):
    world = text_world(app)
    text(app, "PLEDGE FENCE")
    code = code_in(texts_to(app)[-1])
    wrong = "000000" if code != "000000" else "111111"
    assert text(app, wrong) == "wrong-code"
    assert "That code is not right" in texts_to(app)[-1]
    for _ in range(4):
        text(app, wrong)
    assert text(app, code) == "wrong-code"
    assert _signups(app, world.pledge_id) == []


def test_an_unknown_code_is_answered_with_where_to_find_codes(app):
    world = text_world(app)
    assert text(app, "PLEDGE GATE") == "unknown-code"
    reply = texts_to(app)[-1]
    assert "We do not know the code GATE" in reply and f"http://localhost/n/{world.slug}" in reply
    assert text(app, "hello there") == "not-understood"
    assert "text PLEDGE and the pledge's code" in texts_to(app)[-1]


def test_help_stop_and_start(app):
    text_world(app)
    assert text(app, "help") == "help"
    assert "Text STOP to stop all texts" in texts_to(app)[-1]
    assert text(app, "STOP") == "stopped"
    assert "You will get no more texts" in texts_to(app)[-1]
    count = len(texts_to(app))
    assert text(app, "PLEDGE FENCE") == "code-sent"
    assert text(app, "HELP") == "help"
    assert len(texts_to(app)) == count  # opted out: nothing is sent
    assert text(app, "start") == "started"
    assert "You will get texts from PledgeBank again" in texts_to(app)[-1]
    for word in ("STOPALL", "UNSUBSCRIBE"):
        assert text(app, word, sender=OTHER) == "stopped"


def test_reaching_the_target_is_texted_to_the_text_signers_once(app):
    world = text_world(app)
    pledge_by_text(app)
    pledge_by_text(app, sender=OTHER)
    # Cash promised counts once the treasurer has it; the pledge activates when both are recorded.
    from tests.factories.pledges import record_cash

    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        ids = list(session.scalars(select(PledgeSignup.id).where(PledgeSignup.pledge_id == world.pledge_id)))
    for signup_id in ids:
        record_cash(app, signup_id, world.chair)
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        assert session.get_one(Pledge, world.pledge_id).status == "collecting"
    due(app)
    due(app)
    for phone in (PHONE, OTHER):
        reached = [body for body in texts_to(app, phone) if "has reached its target" in body]
        assert len(reached) == 1, texts_to(app, phone)
    assert_books_ok(app)


def test_a_pledge_of_time_texts_the_signers_when_it_is_on(app):
    world = text_world(
        app, kind="time", amount=0, target_pledgers=2, allow_cash=False, next_steps="Meet at ten."
    )
    pledge_by_text(app)
    assert "You have signed up to" in texts_to(app)[-1]
    pledge_by_text(app, sender=OTHER)
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        assert session.get_one(Pledge, world.pledge_id).status == "succeeded"
    assert any("has reached its target" in body for body in texts_to(app))
    assert any("has reached its target" in body for body in texts_to(app, OTHER))


def test_a_flood_is_answered_once_then_silence(app):
    app.config["SMS_PER_HOUR"] = 3
    text_world(app)
    outcomes = [text(app, "HELP") for _ in range(6)]
    assert outcomes == ["help", "help", "help", "limited", "limited", "limited"]
    bodies = texts_to(app)
    assert len(bodies) == 4 and "a lot of texts" in bodies[-1]
    app.extensions["pledgebank.clock"].advance(timedelta(hours=1, minutes=1))
    assert text(app, "HELP") == "help"


def test_a_replayed_webhook_is_handled_once(app):
    world = text_world(app)
    text(app, "PLEDGE FENCE", message_id="SMsame")
    assert text(app, "PLEDGE FENCE", message_id="SMsame") == "duplicate"
    assert len(texts_to(app)) == 1
    text(app, code_in(texts_to(app)[-1]), message_id="SMcode")
    assert text(app, "000000", message_id="SMcode") == "duplicate"
    assert len(_signups(app, world.pledge_id)) == 1
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        assert session.scalar(select(func.count()).select_from(SmsInbound)) == 2
        assert session.scalar(select(func.count()).select_from(SmsPhone)) == 1


def test_a_text_to_a_number_we_do_not_have_is_refused(app):
    import pytest

    from pledgebank.errors import InvalidInput

    text_world(app)
    with pytest.raises(InvalidInput) as refused:
        text(app, "PLEDGE FENCE", to="+447700900999")
    assert "to" in refused.value.fields
    with pytest.raises(InvalidInput) as refused:
        text(app, "PLEDGE FENCE", sender="not a number")
    assert "sender" in refused.value.fields
    assert texts_to(app) == [] and NUMBER


def test_replies_are_in_the_persons_language_when_it_is_known(app):
    text_world(app)
    text(app, "HELP")
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        session.scalars(select(SmsPhone)).one().language = "cy"
    text(app, "PLEDGE GATE")
    assert texts_to(app)[-1].startswith("Nid ydym yn adnabod y cod GATE.")
    assert texts_to(app)[0].startswith("PledgeBank Elm Park: text PLEDGE")


def test_an_amount_texted_with_the_keyword_is_pledged_when_the_pledge_has_a_minimum(app):
    world = text_world(app, amount_kind="minimum", amount=500)
    text(app, "PLEDGE FENCE 12.50")
    text(app, code_in(texts_to(app)[-1]))
    assert "You have pledged £12.50 to Mend the playground fence" in texts_to(app)[-1]
    assert text(app, "PLEDGE FENCE 2", sender=OTHER) == "code-sent"
    assert text(app, code_in(texts_to(app, OTHER)[-1]), sender=OTHER) == "refused"
    assert "Pledge at least the minimum amount" in texts_to(app, OTHER)[-1]
    assert text(app, "PLEDGE FENCE lots", sender=OTHER) == "refused"
    assert "Enter the amount as a number of pounds" in texts_to(app, OTHER)[-1]
    assert sorted(amount for _email, _method, amount in _signups(app, world.pledge_id)) == [1250]


def test_a_fixed_pledge_takes_its_own_amount_only(app):
    world = text_world(app)
    assert text(app, "PLEDGE FENCE 20") == "refused"
    assert "This pledge is for £10 from each person: text PLEDGE FENCE." in texts_to(app)[-1]
    text(app, "PLEDGE FENCE £10")
    assert text(app, code_in(texts_to(app)[-1])) == "signed"
    assert [amount for _e, _m, amount in _signups(app, world.pledge_id)] == [1000]


def test_a_new_number_is_answered_in_the_neighbourhood_s_language_with_the_reason_in_it_too(app):
    from pledgebank.neighbourhoods.models import Neighbourhood

    text_world(app, amount_kind="minimum", amount=500)
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        session.scalars(select(Neighbourhood)).one().default_language = "cy"
    text(app, "PLEDGE GATE")
    assert texts_to(app)[-1].startswith("Nid ydym yn adnabod y cod GATE.")
    assert text(app, "PLEDGE FENCE 2", sender=OTHER) == "code-sent"
    assert text(app, code_in(texts_to(app, OTHER)[-1]), sender=OTHER) == "refused"
    assert "Addewch o leiaf yr isafswm." in texts_to(app, OTHER)[-1]


def test_a_welsh_neighbourhoods_texts_name_the_currency_and_the_commands_in_welsh(app):
    from pledgebank.neighbourhoods.models import Neighbourhood

    text_world(app, amount_kind="minimum", amount=500)
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        session.scalars(select(Neighbourhood)).one().default_language = "cy"
    assert text(app, "PLEDGE FENCE lots") == "refused"
    assert "Rhowch y swm mewn punnoedd, fel 10 neu 7.50." in texts_to(app)[-1]
    assert text(app, "CYMORTH") == "help"
    assert "tecstiwch ADDO a chod yr addewid, er enghraifft ADDO FENCE" in texts_to(app)[-1]


def test_welsh_command_words_work_beside_the_english_ones(app):
    world = text_world(app)
    assert text(app, "CYMORTH") == "help"
    assert text(app, "STOPIO") == "stopped"
    assert text(app, "DECHRAU") == "started"
    assert text(app, "addo fence") == "code-sent"
    assert text(app, code_in(texts_to(app)[-1])) == "signed"
    assert len(_signups(app, world.pledge_id)) == 1
