"""The demo's texting: Elm Park has a text number and the fence pledge the keyword FENCE, so a new visitor
can pledge by text from the fake provider's form."""

from __future__ import annotations

from pledgebank.db import unit_of_work
from pledgebank.demo import seed
from pledgebank.pledges.demo import seed_pledges
from pledgebank.sms.demo import DEMO_NUMBER, seed_texting
from tests.helpers.sms import code_in, text, texts_to

VISITOR = "+447700900555"


def test_a_new_visitor_pledges_to_the_fence_by_text(app, sessions, clock):
    with unit_of_work(sessions) as session:
        ids = seed(session, at=clock.now(), currency="GBP")
    seed_pledges(app, ids)
    seed_texting(app, ids)
    assert text(app, "pledge fence", sender=VISITOR, to=DEMO_NUMBER) == "code-sent"
    code = code_in(texts_to(app, VISITOR)[-1])
    assert text(app, code, sender=VISITOR, to=DEMO_NUMBER) == "signed"
    assert "You have pledged £10 to Mend the playground fence" in texts_to(app, VISITOR)[-1]
