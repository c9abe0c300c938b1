"""Treasurer entries through the real service: each kind posts its legs once; bad input writes nothing."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

import pytest

from pledgebank.books.treasurer_checks import (
    BANK_CHARGES,
    BANK_INTEREST,
    CASH_BANKED,
    CORRECTION,
    DONATION,
    OPENING_BALANCE,
    SUPPLIER_PAYMENT,
)
from pledgebank.errors import Conflict, DomainError, Forbidden, InvalidInput
from pledgebank.neighbourhoods.models import FundType
from tests.factories.grants import THRESHOLD, give_fund, world
from tests.factories.pledges import assert_books_ok, balance
from tests.factories.treasurer import (
    approve,
    close_year_before_today,
    record,
    restricted_fund,
    terms,
    transaction_count,
)


def _paid(app, w, amount=12_000, **values):
    values = {
        "payee": "Oak Fencing Ltd",
        "purpose": "Mend the fence",
        "category": "repairs",
        "place": "bank",
        **values,
    }
    return record(app, w.treasurer, w.slug, terms(app, SUPPLIER_PAYMENT, amount=amount, **values))


def test_each_kind_posts_its_legs_and_the_books_check(app, sessions):
    w = world(sessions)
    _id, status, legs = record(
        app, w.treasurer, w.slug, terms(app, OPENING_BALANCE, amount=100_000, cash_amount=5_000)
    )
    assert status == "posted"
    assert legs == [
        ("assets:bank:general", 100_000),
        ("assets:cash:general", 5_000),
        ("equity:general:balance", -105_000),
    ]
    _id, _s, legs = record(
        app, w.treasurer, w.slug, terms(app, DONATION, amount=2_000, place="cash", donor="Ada")
    )
    assert legs == [("assets:cash:general", 2_000), ("income:general:donations", -2_000)]
    _id, _s, legs = record(app, w.chair, w.slug, terms(app, CASH_BANKED, amount=6_000))
    assert legs == [("assets:bank:general", 6_000), ("assets:cash:general", -6_000)]
    _id, _s, legs = _paid(app, w)
    assert legs == [("expenses:general:repairs", 12_000), ("assets:bank:general", -12_000)]
    _id, _s, legs = record(app, w.treasurer, w.slug, terms(app, BANK_CHARGES, amount=450))
    assert legs == [("expenses:general:bank-charges", 450), ("assets:bank:general", -450)]
    _id, _s, legs = record(app, w.treasurer, w.slug, terms(app, BANK_INTEREST, amount=31))
    assert legs == [("assets:bank:general", 31), ("income:general:interest", -31)]
    assert balance(app, "assets:bank") == 100_000 + 6_000 - 12_000 - 450 + 31
    assert balance(app, "assets:cash") == 5_000 + 2_000 - 6_000
    assert_books_ok(app)


def test_a_correction_reverses_a_transaction_and_each_names_the_other(app, sessions):
    w = world(sessions)
    record(app, w.treasurer, w.slug, terms(app, DONATION, amount=2_000, place="bank"))
    _id, _s, legs = record(
        app, w.treasurer, w.slug, terms(app, CORRECTION, transaction=1, description="Typed in twice")
    )
    assert legs == [("assets:bank:general", -2_000), ("income:general:donations", 2_000)]
    with pytest.raises(InvalidInput) as refused:
        record(app, w.treasurer, w.slug, terms(app, CORRECTION, transaction=1, description="Again"))
    assert "already reversed" in refused.value.fields["transaction"][0]
    with pytest.raises(InvalidInput) as missing:
        record(app, w.treasurer, w.slug, terms(app, CORRECTION, transaction=99, description="No such"))
    assert "transaction" in missing.value.fields
    assert balance(app, "assets:bank") == 0
    assert_books_ok(app)


def test_a_correction_cannot_reverse_money_other_parts_of_the_service_recorded(app, sessions):
    # A card payment is put right by refunding it, a grant or a pledge on its own page: reversing their
    # transactions here would leave those records (and Stripe) out of step with the books.
    w = world(sessions)
    give_fund(app, w.slug, 5_000)  # money received for a pledge or levy, recorded by its own page
    with pytest.raises(InvalidInput) as refused:
        record(app, w.treasurer, w.slug, terms(app, CORRECTION, transaction=1, description="Not mine"))
    assert "reverses only the entries recorded here" in refused.value.fields["transaction"][0]
    assert balance(app, "assets:bank") == 5_000
    assert_books_ok(app)


def test_the_same_form_sent_twice_posts_once(app, sessions):
    w = world(sessions)
    key = secrets.token_urlsafe(16)
    first = record(app, w.treasurer, w.slug, terms(app, DONATION, amount=2_000, place="bank"), key=key)
    again = record(app, w.treasurer, w.slug, terms(app, DONATION, amount=2_000, place="bank"), key=key)
    assert first == again and transaction_count(app) == 1
    with pytest.raises(Conflict):
        record(app, w.treasurer, w.slug, terms(app, DONATION, amount=9_000, place="bank"), key=key)
    assert balance(app, "assets:bank") == 2_000
    assert_books_ok(app)


def test_a_payment_above_the_threshold_waits_for_a_second_committee_member(app, sessions):
    w = world(sessions)
    give_fund(app, w.slug, 100_000)
    entry_id, status, legs = _paid(app, w, amount=THRESHOLD + 1)
    assert (status, legs) == ("awaiting_approval", None)
    assert balance(app, "expenses:general:repairs") == 0
    with pytest.raises(Forbidden):
        approve(app, w.treasurer, entry_id)
    status, legs = approve(app, w.members[0], entry_id)
    assert status == "posted"
    assert legs == [("expenses:general:repairs", THRESHOLD + 1), ("assets:bank:general", -(THRESHOLD + 1))]
    with pytest.raises(Conflict):
        approve(app, w.members[1], entry_id)
    assert balance(app, "assets:bank") == 100_000 - THRESHOLD - 1
    assert_books_ok(app)


def test_the_chair_who_recorded_a_payment_cannot_approve_it(app, sessions):
    w = world(sessions)
    give_fund(app, w.slug, 100_000)
    entry_id, _status, _legs = record(
        app,
        w.chair,
        w.slug,
        terms(
            app,
            SUPPLIER_PAYMENT,
            amount=THRESHOLD + 1,
            payee="Hall",
            purpose="Hire",
            category="hall-hire",
            place="bank",
        ),
    )
    with pytest.raises(Forbidden):
        approve(app, w.chair, entry_id)
    assert approve(app, w.members[0], entry_id)[0] == "posted"
    assert_books_ok(app)


@pytest.mark.parametrize(
    ("kind", "values", "field"),
    [
        (DONATION, {"amount": 0, "place": "bank"}, "amount"),
        (DONATION, {"amount": -5, "place": "bank"}, "amount"),
        (DONATION, {"amount": None, "place": "bank"}, "amount"),
        (DONATION, {"amount": 100, "place": "purse"}, "place"),
        (DONATION, {"amount": 100, "place": "bank", "description": " "}, "description"),
        (DONATION, {"amount": 100, "place": "bank", "fund": "nope"}, "fund"),
        (DONATION, {"amount": 100, "place": "bank", "on": date(2099, 1, 1)}, "on"),
        (
            SUPPLIER_PAYMENT,
            {"amount": 100, "place": "bank", "payee": "", "purpose": "x", "category": "repairs"},
            "payee",
        ),
        (
            SUPPLIER_PAYMENT,
            {"amount": 100, "place": "bank", "payee": "A", "purpose": "x", "category": "cake"},
            "category",
        ),
        (
            SUPPLIER_PAYMENT,
            {"amount": 100, "place": "bank", "payee": "A", "purpose": "", "category": "other"},
            "purpose",
        ),
        (
            SUPPLIER_PAYMENT,
            {"amount": 900_000, "place": "bank", "payee": "A", "purpose": "x", "category": "other"},
            "amount",
        ),
        (CASH_BANKED, {"amount": 1}, "amount"),
        (BANK_CHARGES, {"amount": 10**12}, "amount"),
        (OPENING_BALANCE, {"amount": 0, "cash_amount": 0}, "amount"),
        (OPENING_BALANCE, {"amount": 10, "cash_amount": -1}, "cash_amount"),
        ("gift", {"amount": 10}, "kind"),
    ],
)
def test_bad_input_is_named_beside_its_field_and_nothing_is_written(app, sessions, kind, values, field):
    w = world(sessions)
    give_fund(app, w.slug, 5_000)
    with pytest.raises(InvalidInput) as refused:
        record(app, w.treasurer, w.slug, terms(app, kind, **values))
    assert field in refused.value.fields, refused.value.fields
    assert transaction_count(app) == 1
    assert_books_ok(app)


def test_a_restricted_fund_pays_only_for_its_purpose(app, sessions):
    w = world(sessions)
    restricted_fund(app, w.slug)
    give_fund(app, w.slug, 50_000, fund="trees")
    values = {"fund": "trees", "payee": "Nursery", "purpose": "Bulbs for the hall", "category": "materials"}
    with pytest.raises(InvalidInput) as refused:
        _paid(app, w, amount=10_000, **values)
    assert "Plant twenty street trees" in refused.value.fields["for_fund_purpose"][0]
    assert balance(app, "expenses:trees:materials") == 0
    _id, _s, legs = _paid(app, w, amount=10_000, for_fund_purpose=True, **{**values, "purpose": "Saplings"})
    assert legs == [("expenses:trees:materials", 10_000), ("assets:bank:trees", -10_000)]
    assert_books_ok(app)


def test_a_second_opening_balance_and_a_closed_period_are_refused(app, sessions):
    w = world(sessions)
    record(app, w.treasurer, w.slug, terms(app, OPENING_BALANCE, amount=1_000, cash_amount=0))
    with pytest.raises(InvalidInput) as second:
        record(app, w.treasurer, w.slug, terms(app, OPENING_BALANCE, amount=2_000, cash_amount=0))
    assert "already recorded" in second.value.fields["fund"][0]
    through = close_year_before_today(app, w)
    with pytest.raises(DomainError) as closed:
        record(
            app,
            w.treasurer,
            w.slug,
            terms(app, DONATION, amount=100, place="bank", on=through - timedelta(days=9)),
        )
    assert "on" in closed.value.fields
    assert transaction_count(app) == 1
    assert_books_ok(app)


def test_an_opening_balance_reversed_by_a_correction_can_be_recorded_again(app, sessions):
    # The refusal of a second opening balance says to correct the first by reversing it: then a new one posts.
    w = world(sessions)
    record(app, w.treasurer, w.slug, terms(app, OPENING_BALANCE, amount=1_000, cash_amount=0))
    record(app, w.treasurer, w.slug, terms(app, CORRECTION, transaction=1, description="Wrong figure"))
    _id, _status, legs = record(
        app, w.treasurer, w.slug, terms(app, OPENING_BALANCE, amount=1_200, cash_amount=0)
    )
    assert legs == [("assets:bank:general", 1_200), ("equity:general:balance", -1_200)]
    with pytest.raises(InvalidInput) as again:
        record(app, w.treasurer, w.slug, terms(app, OPENING_BALANCE, amount=1_300, cash_amount=0))
    assert "already recorded" in again.value.fields["fund"][0]
    assert balance(app, "assets:bank") == 1_200
    assert transaction_count(app) == 3
    assert_books_ok(app)


def test_a_year_cannot_close_while_a_payment_dated_in_it_waits_for_approval(app, sessions, clock):
    w = world(sessions)
    give_fund(app, w.slug, 100_000)
    entry_id, _status, _legs = _paid(app, w, amount=THRESHOLD + 1)
    clock.advance(timedelta(days=40))
    with pytest.raises(DomainError) as refused:
        close_year_before_today(app, w, days=5)
    assert "Oak Fencing Ltd" in refused.value.fields["through"][0]
    approve(app, w.members[0], entry_id)
    close_year_before_today(app, w, days=5)
    assert_books_ok(app)


def test_an_endowment_pays_no_supplier(app, sessions):
    w = world(sessions)
    restricted_fund(app, w.slug, fund_type=FundType.ENDOWMENT)
    give_fund(app, w.slug, 50_000, fund="trees")
    with pytest.raises(InvalidInput) as refused:
        _paid(app, w, amount=1_000, fund="trees", for_fund_purpose=True)
    assert "endowment" in refused.value.fields["fund"][0]
    assert balance(app, "assets:bank") == 50_000
    assert_books_ok(app)
