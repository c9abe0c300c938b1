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
