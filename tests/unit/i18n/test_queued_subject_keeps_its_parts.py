"""An email subject made of a marked part and a title ("%(subject)s: %(title)s") keeps both parts through the
task queue's JSON, so the worker still translates the marked part into the reader's language."""

import json

from pledgebank import text
from pledgebank.text import _t


def test_a_marked_value_inside_a_message_survives_the_queue_and_translates(monkeypatch):
    monkeypatch.setattr(text, "_translator", [])
    subject = _t("%(subject)s: %(title)s", subject=_t("Your pledge"), title="Mend the fence")
    back = text.from_plain(json.loads(json.dumps(text.to_plain(subject))))
    assert back == "Your pledge: Mend the fence"
    welsh = {"%(subject)s: %(title)s": "%(subject)s: %(title)s", "Your pledge": "Eich addewid"}
    text.install(lambda msgid: welsh.get(msgid, msgid))
    assert str(back) == "Eich addewid: Mend the fence"
