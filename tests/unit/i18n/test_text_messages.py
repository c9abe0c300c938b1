"""Text that services write (pledgebank.text): English where it is compared or logged, the reader's language
where it is shown, and plain enough to travel in a queued job."""

import json

from markupsafe import escape

from pledgebank import text
from pledgebank.text import Message, _t


def test_a_message_is_its_english_sentence_with_its_values():
    message = _t("Use at least %(count)d characters.", count=12)
    assert message == "Use at least 12 characters."
    assert json.dumps({"message": message}) == '{"message": "Use at least 12 characters."}'


def test_a_message_is_shown_through_the_installed_translator(monkeypatch):
    monkeypatch.setattr(text, "_translator", [])
    text.install({"Use at least %(count)d characters.": "Defnyddiwch o leiaf %(count)d nod."}.get)
    message = _t("Use at least %(count)d characters.", count=12)
    assert str(message) == "Defnyddiwch o leiaf 12 nod."
    assert str(escape(message)) == "Defnyddiwch o leiaf 12 nod."


def test_its_values_are_escaped_in_html_but_the_sentence_is_translated_whole(monkeypatch):
    monkeypatch.setattr(text, "_translator", [])
    text.install(lambda msgid: msgid)
    shown = str(escape(_t("You already pledged to %(title)s.", title="<b>Fence</b>")))
    assert shown == "You already pledged to &lt;b&gt;Fence&lt;/b&gt;."


def test_it_travels_in_a_job_as_its_msgid_and_values():
    message = _t("You pledged %(amount)s.", amount="£10.00")
    plain = text.to_plain(message)
    wanted = {"msgid": "You pledged %(amount)s.", "values": {"amount": "£10.00"}}
    assert json.loads(json.dumps(plain)) == wanted
    back = text.from_plain(plain)
    assert isinstance(back, Message) and back == message and back.msgid == message.msgid
    assert text.to_plain("A plain subject") == "A plain subject"
    assert text.from_plain("A plain subject") == "A plain subject"


def test_a_plural_message_is_english_by_its_number_and_shown_in_the_form_for_it(monkeypatch):
    one = text._tn("%(count)s household paid", "%(count)s households paid", 1, count=1)
    five = text._tn("%(count)s household paid", "%(count)s households paid", 5, count=5)
    assert (one, five) == ("1 household paid", "5 households paid")
    monkeypatch.setattr(text, "_translator", [])
    monkeypatch.setattr(text, "_plural_translator", [])
    assert str(five) == "5 households paid", "no plural translator: the English form"
    forms = {1: "%(count)s aelwyd wedi talu (un)", 5: "%(count)s aelwyd wedi talu"}
    text.install(lambda msgid: msgid, lambda singular, plural, n: forms[n])
    assert (str(one), str(five)) == ("1 aelwyd wedi talu (un)", "5 aelwyd wedi talu")
    assert str(escape(five)) == "5 aelwyd wedi talu"


def test_a_message_is_escaped_in_html_as_jinja_escapes_a_plain_str():
    hostile = "<script>alert('x')</script> & \"quoted\""
    assert _t("%(words)s", words=hostile).__html__() == str(escape(hostile))


def test_a_message_made_while_a_page_is_in_welsh_is_english_inside_too(monkeypatch):
    monkeypatch.setattr(text, "_translator", [])
    text.install(
        {
            "Levy charge": "Tâl ardoll",
            "Correction of #%(number)s: %(words)s": "Cywiriad i #%(number)s: %(words)s",
        }.get
    )
    message = _t("Correction of #%(number)s: %(words)s", number=7, words=_t("Levy charge"))
    assert message == "Correction of #7: Levy charge"
    assert str(message) == "Cywiriad i #7: Tâl ardoll"
