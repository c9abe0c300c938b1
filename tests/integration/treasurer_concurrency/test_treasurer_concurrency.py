"""On PostgreSQL with real threads: one form sent twenty times at once records one entry, fifty supplier
payments at once against a fund that can pay seventeen pay exactly seventeen, and a payment approved by many
members at once posts once; the books still verify."""

from __future__ import annotations

import pytest

from pledgebank.books.treasurer_checks import DONATION, SUPPLIER_PAYMENT
from pledgebank.errors import Conflict, InvalidInput
from tests.factories.grants import THRESHOLD, give_fund, world
from tests.factories.pledges import assert_books_ok, balance
from tests.factories.treasurer import approve, record, terms, transaction_count

pytestmark = pytest.mark.postgres


def test_one_form_sent_at_once_many_times_records_one_entry(app, sessions, together):
    w = world(sessions)
    donation = terms(app, DONATION, amount=2_000, place="bank")
    outcomes = together(20, lambda _n: record(app, w.treasurer, w.slug, donation, key="the-same-form-key-01"))
    assert [o.error for o in outcomes if o.error] == []
    assert len({o.value[0] for o in outcomes}) == 1
    assert transaction_count(app) == 1 and balance(app, "assets:bank") == 2_000
    assert_books_ok(app)


def test_fifty_payments_at_once_never_take_a_fund_below_zero(app, sessions, together):
    w = world(sessions)
    give_fund(app, w.slug, 17_000)
    payment = terms(
        app,
        SUPPLIER_PAYMENT,
        amount=1_000,
        place="bank",
        payee="Oak Fencing",
        purpose="Panels",
        category="repairs",
    )
    outcomes = together(
        50, lambda n: record(app, w.treasurer, w.slug, payment, key=f"payment-form-key-{n:04}")
    )
    paid = [o for o in outcomes if o.error is None]
    refused = [o for o in outcomes if o.error is not None]
    assert len(paid) == 17
    assert all(isinstance(o.error, InvalidInput) and "amount" in o.error.fields for o in refused), refused[:1]
    assert balance(app, "assets:bank") == 0 and balance(app, "expenses:general:repairs") == 17_000
    assert_books_ok(app)


def test_a_payment_approved_by_many_at_once_posts_once(app, sessions, together):
    w = world(sessions, members=4)
    give_fund(app, w.slug, 100_000)
    payment = terms(
        app,
        SUPPLIER_PAYMENT,
        amount=THRESHOLD + 1,
        place="bank",
        payee="Oak Fencing",
        purpose="Panels",
        category="repairs",
    )
    entry_id = record(app, w.treasurer, w.slug, payment)[0]
    # Each member twice at once: one approval posts, the same member's other try finds it, the rest clash.
    outcomes = together(8, lambda n: approve(app, w.members[n % 4], entry_id))
    posted = [o.value for o in outcomes if o.error is None]
    assert all(isinstance(o.error, Conflict) for o in outcomes if o.error is not None)
    assert 1 <= len(posted) <= 2 and len({str(p) for p in posted}) == 1
    assert transaction_count(app) == 2 and balance(app, "expenses:general:repairs") == THRESHOLD + 1
    assert_books_ok(app)
