"""A supplier payment spends only the fund's own money: grants it awarded and has not yet paid are still in
the bank, but are no longer the fund's to spend. Refused beside the amount when recorded and again when
approved; nothing is written."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pledgebank.books.treasurer_checks import SUPPLIER_PAYMENT
from pledgebank.books.treasurer_models import TreasurerEntry
from pledgebank.db import unit_of_work
from pledgebank.errors import InvalidInput
from pledgebank.neighbourhoods.models import FundType
from tests.factories.grants import give_fund, world
from tests.factories.pledges import assert_books_ok, balance
from tests.factories.treasurer import (
    approve,
    record,
    restricted_fund,
    terms,
    transaction_count,
)
from tests.helpers.treasurer_books import award


def _payment(app, amount: int, **values):
    values = {
        "payee": "Oak Fencing Ltd",
        "purpose": "Mend the fence",
        "category": "repairs",
        "place": "bank",
        **values,
    }
    return terms(app, SUPPLIER_PAYMENT, amount=amount, **values)


def _entries(app) -> list[tuple[int, str]]:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return [tuple(row) for row in session.execute(select(TreasurerEntry.amount, TreasurerEntry.status))]


def test_a_payment_cannot_spend_money_awarded_to_grants(app, sessions):
    w = world(sessions)
    give_fund(app, w.slug, 10_000)
    award(app, w, 8_000)
    assert balance(app, "assets:bank:general") == 10_000
    before = transaction_count(app)

    with pytest.raises(InvalidInput) as refused:
        record(app, w.treasurer, w.slug, _payment(app, 3_000))
    assert list(refused.value.fields) == ["amount"]
    assert "£20.00" in refused.value.fields["amount"][0], refused.value.fields
    assert transaction_count(app) == before and _entries(app) == []

    _id, status, _legs = record(app, w.treasurer, w.slug, _payment(app, 2_000))
    assert status == "posted" and balance(app, "expenses:general:repairs") == 2_000
    with pytest.raises(InvalidInput) as refused:
        record(app, w.treasurer, w.slug, _payment(app, 1))
    assert "£0.00" in refused.value.fields["amount"][0]
    assert_books_ok(app)


def test_an_approval_is_refused_once_the_money_was_awarded_meanwhile(app, sessions):
    w = world(sessions)
    give_fund(app, w.slug, 10_000)
    entry_id, status, _legs = record(app, w.treasurer, w.slug, _payment(app, 3_000), threshold=0)
    assert status == "awaiting_approval"
    award(app, w, 8_000)
    before = transaction_count(app)

    with pytest.raises(InvalidInput) as refused:
        approve(app, w.members[0], entry_id)
    assert list(refused.value.fields) == ["amount"] and "£20.00" in refused.value.fields["amount"][0]
    assert transaction_count(app) == before and _entries(app) == [(3_000, "awaiting_approval")]
    assert balance(app, "expenses:general:repairs") == 0
    assert_books_ok(app)


def test_a_restricted_fund_spends_its_own_money_on_its_purpose(app, sessions):
    w = world(sessions)
    restricted_fund(app, w.slug, fund_type=FundType.RESTRICTED)
    give_fund(app, w.slug, 5_000, fund="trees", key="trees")
    paid = _payment(app, 5_000, fund="trees", for_fund_purpose=True)
    assert record(app, w.treasurer, w.slug, paid)[1] == "posted"
    with pytest.raises(InvalidInput) as refused:
        record(app, w.treasurer, w.slug, _payment(app, 1, fund="trees", for_fund_purpose=True))
    assert list(refused.value.fields) == ["amount"]
    assert balance(app, "assets:bank:trees") == 0
    assert_books_ok(app)
