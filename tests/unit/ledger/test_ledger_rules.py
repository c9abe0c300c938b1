import datetime

import pytest

from pledgebank.ledger import rules
from pledgebank.ledger.chart import (
    BANK,
    CASH,
    DEFERRED_INCOME,
    GRANTS_PAYABLE,
    RECEIVABLES,
    STRIPE_CLEARING,
)
from pledgebank.ledger.errors import CurrencyMismatch, InvalidAmount, InvalidEntry
from pledgebank.ledger.money import Money

DAY = datetime.date(2025, 4, 1)
COMMON = {"key": "k-1", "on": DAY, "source": {"pledge": 12}, "actor_id": 3}
INCOME = "income:roof:pledges"
FEES = "expenses:roof:fees"
GRANTS = "expenses:roof:grants"


def roof(place):
    return f"{place}:roof"


def gbp(amount):
    return Money(amount, "GBP")


def legs(entry):
    return [(p.account, p.amount.amount, p.amount.currency) for p in entry.postings]


def check_common(entry, kind):
    assert entry.kind == kind
    assert kind in rules.KINDS
    assert entry.idempotency_key == "k-1"
    assert entry.effective_date == DAY
    assert entry.source == (("pledge", "12"),)
    assert entry.actor_id == 3
    assert entry.memo.startswith(kind)
    for currency in entry.currencies():
        assert sum(p.amount.amount for p in entry.postings if p.amount.currency == currency) == 0


def test_kinds_are_unique():
    assert len(set(rules.KINDS)) == len(rules.KINDS) == 22


def test_card_payment_received():
    e = rules.card_payment_received(
        gross=gbp(1000), fee=gbp(45), fund="roof", income_source="pledges", **COMMON
    )
    check_common(e, rules.CARD_PAYMENT_RECEIVED)
    assert legs(e) == [(roof(STRIPE_CLEARING), 955, "GBP"), (FEES, 45, "GBP"), (INCOME, -1000, "GBP")]
    assert e.memo == "card_payment_received fund=roof income=pledges"


def test_card_payment_received_without_fee_and_all_fee():
    e = rules.card_payment_received(
        gross=gbp(1000), fee=gbp(0), fund="roof", income_source="pledges", **COMMON
    )
    assert legs(e) == [(roof(STRIPE_CLEARING), 1000, "GBP"), (INCOME, -1000, "GBP")]
    e = rules.card_payment_received(
        gross=gbp(30), fee=gbp(30), fund="roof", income_source="pledges", **COMMON
    )
    assert legs(e) == [(FEES, 30, "GBP"), (INCOME, -30, "GBP")]


@pytest.mark.parametrize(
    ("gross", "fee", "error"),
    [
        (gbp(100), gbp(101), InvalidAmount),
        (gbp(100), gbp(-1), InvalidAmount),
        (gbp(0), gbp(0), InvalidAmount),
        (gbp(-100), gbp(0), InvalidAmount),
        (gbp(100), Money(1, "EUR"), CurrencyMismatch),
        (100, gbp(1), InvalidAmount),
    ],
)
def test_card_payment_rejects(gross, fee, error):
    with pytest.raises(error):
        rules.card_payment_received(gross=gross, fee=fee, fund="roof", income_source="pledges", **COMMON)


def test_cash_received():
    e = rules.cash_received(amount=gbp(500), fund="roof", income_source="donations", **COMMON)
    check_common(e, rules.CASH_RECEIVED)
    assert legs(e) == [(roof(CASH), 500, "GBP"), ("income:roof:donations", -500, "GBP")]
    e = rules.cash_received(amount=gbp(500), fund="roof", income_source="levies", into=BANK, **COMMON)
    assert legs(e) == [(roof(BANK), 500, "GBP"), ("income:roof:levies", -500, "GBP")]
    with pytest.raises(InvalidEntry):
        rules.cash_received(amount=gbp(1), fund="roof", income_source="levies", into=RECEIVABLES, **COMMON)
    with pytest.raises(ValueError):
        rules.cash_received(amount=gbp(1), fund="roof", income_source="salary", **COMMON)


def test_refund():
    e = rules.refund(amount=gbp(1000), fund="roof", income_source="pledges", **COMMON)
    check_common(e, rules.REFUND)
    assert legs(e) == [(INCOME, 1000, "GBP"), (roof(STRIPE_CLEARING), -1000, "GBP")]
    e = rules.refund(amount=gbp(10), fund="roof", income_source="pledges", from_account=CASH, **COMMON)
    assert legs(e) == [(INCOME, 10, "GBP"), (roof(CASH), -10, "GBP")]


def test_payout():
    e = rules.payout(shares={"roof": gbp(955)}, **COMMON)
    check_common(e, rules.PAYOUT)
    assert legs(e) == [(roof(BANK), 955, "GBP"), (roof(STRIPE_CLEARING), -955, "GBP")]


def test_cash_banked():
    e = rules.cash_banked(fund="roof", amount=gbp(2000), **COMMON)
    check_common(e, rules.CASH_BANKED)
    assert legs(e) == [(roof(BANK), 2000, "GBP"), (roof(CASH), -2000, "GBP")]


def test_receivable_raised():
    e = rules.receivable_raised(fund="roof", amount=gbp(300), **COMMON)
    check_common(e, rules.RECEIVABLE_RAISED)
    assert legs(e) == [(roof(RECEIVABLES), 300, "GBP"), (roof(DEFERRED_INCOME), -300, "GBP")]


@pytest.mark.parametrize("into", [STRIPE_CLEARING, CASH, BANK])
def test_receivable_settled(into):
    e = rules.receivable_settled(amount=gbp(300), fund="roof", income_source="levies", into=into, **COMMON)
    check_common(e, rules.RECEIVABLE_SETTLED)
    assert legs(e) == [
        (roof(into), 300, "GBP"),
        (roof(RECEIVABLES), -300, "GBP"),
        (roof(DEFERRED_INCOME), 300, "GBP"),
        ("income:roof:levies", -300, "GBP"),
    ]


def test_receivable_settled_by_card_with_fee():
    e = rules.receivable_settled(
        amount=gbp(300), fund="roof", income_source="levies", into=STRIPE_CLEARING, fee=gbp(20), **COMMON
    )
    assert legs(e) == [
        (roof(STRIPE_CLEARING), 280, "GBP"),
        (FEES, 20, "GBP"),
        (roof(RECEIVABLES), -300, "GBP"),
        (roof(DEFERRED_INCOME), 300, "GBP"),
        ("income:roof:levies", -300, "GBP"),
    ]
    with pytest.raises(InvalidEntry):
        rules.receivable_settled(
            amount=gbp(300), fund="roof", income_source="levies", into=BANK, fee=gbp(20), **COMMON
        )
    with pytest.raises(InvalidAmount):
        rules.receivable_settled(
            amount=gbp(300), fund="roof", income_source="levies", into=STRIPE_CLEARING, fee=gbp(301), **COMMON
        )


def test_receivable_written_off():
    e = rules.receivable_written_off(fund="roof", amount=gbp(300), **COMMON)
    check_common(e, rules.RECEIVABLE_WRITTEN_OFF)
    assert legs(e) == [(roof(DEFERRED_INCOME), 300, "GBP"), (roof(RECEIVABLES), -300, "GBP")]


def test_grant_awarded():
    e = rules.grant_awarded(amount=gbp(5000), fund="roof", **COMMON)
    check_common(e, rules.GRANT_AWARDED)
    assert legs(e) == [(GRANTS, 5000, "GBP"), (roof(GRANTS_PAYABLE), -5000, "GBP")]


def test_grant_paid():
    e = rules.grant_paid(fund="roof", amount=gbp(5000), **COMMON)
    check_common(e, rules.GRANT_PAID)
    assert legs(e) == [(roof(GRANTS_PAYABLE), 5000, "GBP"), (roof(BANK), -5000, "GBP")]
    e = rules.grant_paid(fund="roof", amount=gbp(50), from_account=CASH, **COMMON)
    assert legs(e) == [(roof(GRANTS_PAYABLE), 50, "GBP"), (roof(CASH), -50, "GBP")]
    with pytest.raises(InvalidEntry):
        rules.grant_paid(fund="roof", amount=gbp(50), from_account=STRIPE_CLEARING, **COMMON)


def test_grant_returned():
    e = rules.grant_returned(amount=gbp(700), fund="roof", **COMMON)
    check_common(e, rules.GRANT_RETURNED)
    assert legs(e) == [(roof(BANK), 700, "GBP"), (GRANTS, -700, "GBP")]


def test_match_owed():
    e = rules.match_owed(fund="roof", amount=gbp(2500), **COMMON)
    check_common(e, rules.MATCH_OWED)
    assert legs(e) == [(roof(RECEIVABLES), 2500, "GBP"), (roof(DEFERRED_INCOME), -2500, "GBP")]


def test_match_received():
    e = rules.match_received(amount=gbp(2500), fund="roof", **COMMON)
    check_common(e, rules.MATCH_RECEIVED)
    assert legs(e) == [
        (roof(BANK), 2500, "GBP"),
        (roof(RECEIVABLES), -2500, "GBP"),
        (roof(DEFERRED_INCOME), 2500, "GBP"),
        ("income:roof:sponsorship", -2500, "GBP"),
    ]


def test_reversal():
    original = rules.card_payment_received(
        gross=gbp(1000), fee=gbp(45), fund="roof", income_source="pledges", **COMMON
    )
    e = rules.reversal(original, key="k-2", on=DAY, actor_id=9, reason_code="duplicate")
    assert e.kind == rules.REVERSAL
    assert e.reverses_key == "k-1"
    assert e.source == original.source
    assert e.memo == "reversal of=card_payment_received reason=duplicate"
    assert legs(e) == [(roof(STRIPE_CLEARING), -955, "GBP"), (FEES, -45, "GBP"), (INCOME, 1000, "GBP")]
    again = rules.reversal(e, key="k-3", on=DAY, reason_code="mistake", source={"ticket": 4})
    assert legs(again) == legs(original)
    assert again.reverses_key == "k-2" and again.source == (("ticket", "4"),)


@pytest.mark.parametrize("reason", ["", "Duplicate", "paid by Jane Smith", "x" * 41, None])
def test_reversal_rejects_free_text_reason(reason):
    original = rules.payout(shares={"roof": gbp(1)}, **COMMON)
    with pytest.raises(InvalidEntry):
        rules.reversal(original, key="k-2", on=DAY, reason_code=reason)


def test_reversal_cannot_reuse_the_original_key():
    original = rules.payout(shares={"roof": gbp(1)}, **COMMON)
    with pytest.raises(InvalidEntry):
        rules.reversal(original, key="k-1", on=DAY, reason_code="duplicate")


AMOUNT_RULES = [
    lambda amount: rules.cash_received(amount=amount, fund="roof", income_source="pledges", **COMMON),
    lambda amount: rules.refund(amount=amount, fund="roof", income_source="pledges", **COMMON),
    lambda amount: rules.payout(shares={"roof": amount}, **COMMON),
    lambda amount: rules.cash_banked(fund="roof", amount=amount, **COMMON),
    lambda amount: rules.receivable_raised(fund="roof", amount=amount, **COMMON),
    lambda amount: rules.receivable_settled(
        amount=amount, fund="roof", income_source="pledges", into=BANK, **COMMON
    ),
    lambda amount: rules.receivable_written_off(fund="roof", amount=amount, **COMMON),
    lambda amount: rules.grant_awarded(amount=amount, fund="roof", **COMMON),
    lambda amount: rules.grant_paid(fund="roof", amount=amount, **COMMON),
    lambda amount: rules.grant_returned(amount=amount, fund="roof", **COMMON),
    lambda amount: rules.match_owed(fund="roof", amount=amount, **COMMON),
    lambda amount: rules.match_received(amount=amount, fund="roof", **COMMON),
]


@pytest.mark.parametrize("rule", AMOUNT_RULES)
@pytest.mark.parametrize("amount", [gbp(0), gbp(-1), 100])
def test_rules_reject_non_positive_amounts(rule, amount):
    with pytest.raises(InvalidAmount):
        rule(amount)


@pytest.mark.parametrize("rule", AMOUNT_RULES)
@pytest.mark.parametrize("currency", ["JPY", "KWD", "EUR"])
def test_rules_work_in_any_currency(rule, currency):
    e = rule(Money(7, currency))
    assert e.currencies() == (currency,)
    assert sum(p.amount.amount for p in e.postings) == 0


def test_rules_require_keyword_arguments():
    with pytest.raises(TypeError):
        rules.payout(gbp(1), "k", DAY, {})


def test_dividend_earned_raises_a_receivable_against_deferred_income():
    e = rules.dividend_earned(amount=gbp(500_000), fund="roof", **COMMON)
    assert e.kind == "dividend_earned" and e.kind in rules.DIVIDEND_KINDS
    assert e.memo == "dividend_earned fund=roof"
    assert legs(e) == [(roof(RECEIVABLES), 500_000, "GBP"), (roof(DEFERRED_INCOME), -500_000, "GBP")]
    with pytest.raises(InvalidAmount):
        rules.dividend_earned(amount=gbp(0), fund="roof", **COMMON)


def test_dividend_received_settles_the_receivable_into_the_bank_as_sponsorship_income():
    e = rules.dividend_received(amount=gbp(250_000), fund="roof", **COMMON)
    assert e.kind == "dividend_received" and e.memo == "dividend_received fund=roof into=assets:bank"
    assert sorted(legs(e)) == sorted(
        [
            (roof(BANK), 250_000, "GBP"),
            (roof(RECEIVABLES), -250_000, "GBP"),
            (roof(DEFERRED_INCOME), 250_000, "GBP"),
            ("income:roof:sponsorship", -250_000, "GBP"),
        ]
    )
