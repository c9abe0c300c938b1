"""The same inbound text delivered several times at once (a provider retrying while the first is still being
handled), and one phone's code reply racing its own replay, on PostgreSQL with real threads: one pledge,
one record of the text, one reply."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pledgebank.db import unit_of_work
from pledgebank.pledges.models import PledgeSignup
from pledgebank.sms.models import SmsInbound, SmsPhone
from tests.factories.pledges import assert_books_ok
from tests.helpers.concurrency import pooled_app_config, run_together
from tests.helpers.sms import code_in, text, text_world, texts_to

pytestmark = pytest.mark.postgres

COPIES = 4
app_config = pooled_app_config(pool_size=COPIES + 2)


def _count(app, model) -> int:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_first_text_delivered_at_once_records_one_phone_and_one_text(app):
    text_world(app)
    outcomes = run_together(COPIES, lambda _i: text(app, "PLEDGE FENCE", message_id="SMfirst"), timeout=60)
    assert not [o.error for o in outcomes if o.error], [o.error for o in outcomes]
    assert sorted(o.value for o in outcomes) == ["code-sent"] + ["duplicate"] * (COPIES - 1)
    assert _count(app, SmsPhone) == 1 and _count(app, SmsInbound) == 1
    assert len(texts_to(app)) == 1


def test_the_code_reply_delivered_at_once_signs_up_once(app):
    world = text_world(app)
    text(app, "PLEDGE FENCE")
    code = code_in(texts_to(app)[-1])
    outcomes = run_together(COPIES, lambda _i: text(app, code, message_id="SMcode"), timeout=60)
    assert not [o.error for o in outcomes if o.error], [o.error for o in outcomes]
    assert sorted(o.value for o in outcomes) == ["duplicate"] * (COPIES - 1) + ["signed"]
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        signups = session.scalar(
            select(func.count()).select_from(PledgeSignup).where(PledgeSignup.pledge_id == world.pledge_id)
        )
    assert signups == 1
    assert sum("You have pledged" in body for body in texts_to(app)) == 1
    assert_books_ok(app)


def test_different_deliveries_of_pledge_texts_at_once_sign_up_once(app):
    world = text_world(app)
    text(app, "PLEDGE FENCE")
    text(app, code_in(texts_to(app)[-1]))
    outcomes = run_together(COPIES, lambda i: text(app, "PLEDGE FENCE", message_id=f"SMagain{i}"), timeout=60)
    assert not [o.error for o in outcomes if o.error], [o.error for o in outcomes]
    assert sorted(o.value for o in outcomes) == ["already"] * COPIES
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        signups = session.scalar(
            select(func.count()).select_from(PledgeSignup).where(PledgeSignup.pledge_id == world.pledge_id)
        )
    assert signups == 1
