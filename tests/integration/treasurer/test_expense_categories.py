"""A neighbourhood's expense categories through the real services: six to start with, each new one an
account in every fund (and every new fund an account for each), renamed without moving its code, retired
without leaving the books; bad names and retired categories refused beside their fields, nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pledgebank.books.treasurer_checks import SUPPLIER_PAYMENT
from pledgebank.errors import Conflict, Forbidden, InvalidInput
from pledgebank.ledger import chart
from tests.factories.categories import accounts_ending, add, listed, rename, retire
from tests.factories.grants import THRESHOLD, give_fund, world
from tests.factories.pledges import assert_books_ok, balance
from tests.factories.treasurer import (
    approve,
    close_year_before_today,
    record,
    terms,
    today,
    transaction_count,
)
from tests.helpers.legacy import add_fund


def _pay(app, w, category: str, amount: int = 2_500, **values):
    values = {"payee": "Green Thumb", "purpose": "Compost", "place": "bank", **values}
    return record(
        app, w.treasurer, w.slug, terms(app, SUPPLIER_PAYMENT, amount=amount, category=category, **values)
    )


def test_a_new_neighbourhood_starts_with_the_six_categories_and_their_accounts(app, sessions):
    w = world(sessions)
    assert listed(app, w.slug) == [(slug, name, False) for slug, name in chart.default_categories()]
    assert accounts_ending(app, "hall-hire") == {"expenses:general:hall-hire": "General fund: Hall hire"}


def test_an_added_category_opens_an_account_in_every_fund_and_takes_payments(app, sessions):
    w = world(sessions)
    add_fund(app, w, "Street trees")
    assert add(app, w.treasurer, w.slug, "  Garden   supplies ") == "garden-supplies"
    assert accounts_ending(app, "garden-supplies") == {
        "expenses:general:garden-supplies": "General fund: Garden supplies",
        "expenses:street-trees:garden-supplies": "Street trees: Garden supplies",
    }
    add_fund(app, w, "Village hall")
    assert "expenses:village-hall:garden-supplies" in accounts_ending(app, "garden-supplies")
    give_fund(app, w.slug, 10_000)
    _id, status, legs = _pay(app, w, "garden-supplies")
    assert status == "posted"
    assert legs == [("expenses:general:garden-supplies", 2_500), ("assets:bank:general", -2_500)]
    assert_books_ok(app)


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("Repairs", "already a category"),
        ("hall HIRE", "already a category"),
        ("Hall-hire", "already a category"),
        ("x", "2 to 36"),
        ("x" * 37, "2 to 36"),
        ("£ & !", "letters or digits"),
        ("Grants", "kept for the books"),
        ("Bank charges", "kept for the books"),
        ("Tab\there", None),
        ("Nul\x00here", "ordinary punctuation"),
    ],
)
def test_a_bad_or_taken_name_is_refused_beside_the_name(app, sessions, name, says):
    w = world(sessions)
    before = accounts_ending(app, "")
    if says is None:  # white space inside a name is tidied, not refused
        assert add(app, w.chair, w.slug, name) == "tab-here"
        return
    with pytest.raises(InvalidInput) as refused:
        add(app, w.chair, w.slug, name)
    assert says in refused.value.fields["name"][0], refused.value.fields
    assert len(listed(app, w.slug)) == 6 and accounts_ending(app, "") == before


def test_renaming_keeps_the_code_and_renames_the_accounts(app, sessions):
    w = world(sessions)
    give_fund(app, w.slug, 10_000)
    _pay(app, w, "hall-hire")
    rename(app, w.treasurer, w.slug, "hall-hire", "Room hire")
    assert ("hall-hire", "Room hire", False) in listed(app, w.slug)
    assert accounts_ending(app, "hall-hire") == {"expenses:general:hall-hire": "General fund: Room hire"}
    assert balance(app, "expenses:general:hall-hire") == 2_500
    with pytest.raises(InvalidInput) as taken:
        rename(app, w.treasurer, w.slug, "hall-hire", "repairs")
    assert "already a category" in taken.value.fields["name"][0]
    with pytest.raises(InvalidInput) as empty:
        rename(app, w.treasurer, w.slug, "hall-hire", "  ")
    assert "name" in empty.value.fields
    assert_books_ok(app)


def test_a_retired_category_is_refused_for_new_payments_but_stays_in_the_books(app, sessions):
    w = world(sessions)
    give_fund(app, w.slug, 100_000)
    _pay(app, w, "events")
    waiting_id, status, _legs = _pay(app, w, "events", amount=THRESHOLD + 1)
    assert status == "awaiting_approval"
    retire(app, w.chair, w.slug, "events")
    assert ("events", "Events", True) in listed(app, w.slug)
    with pytest.raises(InvalidInput) as refused:
        _pay(app, w, "events")
    assert "retired" in refused.value.fields["category"][0]
    with pytest.raises(InvalidInput) as unknown:
        _pay(app, w, "cake")
    assert "category" in unknown.value.fields
    with pytest.raises(InvalidInput) as again:
        add(app, w.chair, w.slug, "Events")
    assert "retired" in again.value.fields["name"][0]
    # A payment recorded before the category was retired is still approved into it.
    assert approve(app, w.members[0], waiting_id)[0] == "posted"
    assert balance(app, "expenses:general:events") == 2_500 + THRESHOLD + 1
    assert transaction_count(app) == 3
    assert_books_ok(app)


def test_the_last_category_offered_cannot_be_retired(app, sessions):
    w = world(sessions)
    for slug in chart.EXPENSE_CATEGORIES[:-1]:
        retire(app, w.treasurer, w.slug, slug)
    with pytest.raises(Conflict):
        retire(app, w.treasurer, w.slug, "other")
    assert [slug for slug, _name, retired in listed(app, w.slug) if not retired] == ["other"]


def test_only_the_treasurer_and_the_chair_keep_the_categories(app, sessions):
    w = world(sessions)
    for who in (w.members[0], w.residents[0]):
        with pytest.raises(Forbidden):
            add(app, who, w.slug, "Garden")
        with pytest.raises(Forbidden):
            retire(app, who, w.slug, "repairs")
    assert len(listed(app, w.slug)) == 6


def test_the_year_end_close_brings_an_added_category_to_zero(app, sessions):
    w = world(sessions)
    give_fund(app, w.slug, 10_000)
    add(app, w.treasurer, w.slug, "Garden")
    _pay(app, w, "garden", on=today(app) - timedelta(days=40))
    close_year_before_today(app, w, days=30)
    assert balance(app, "expenses:general:garden") == 0
    # The gift is dated after the closed year: the year's only movement is the payment, a deficit.
    assert balance(app, "equity:general:balance") == 2_500
    assert_books_ok(app)
