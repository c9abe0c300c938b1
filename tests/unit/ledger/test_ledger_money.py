from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pledgebank.ledger.errors import CurrencyMismatch, InvalidAmount, UnknownCurrency
from pledgebank.ledger.money import CURRENCY_EXPONENTS, MAX_AMOUNT, Money

CURRENCIES = sorted(CURRENCY_EXPONENTS)
amounts = st.integers(min_value=-(2**40), max_value=2**40)
money_currency = st.sampled_from(["GBP", "EUR", "JPY", "KWD", "CLF"])


@pytest.mark.parametrize(
    ("code", "exponent"),
    [
        ("GBP", 2),
        ("EUR", 2),
        ("USD", 2),
        ("CHF", 2),
        ("SEK", 2),
        ("HUF", 2),
        ("JPY", 0),
        ("KRW", 0),
        ("ISK", 0),
        ("CLP", 0),
        ("VND", 0),
        ("BHD", 3),
        ("KWD", 3),
        ("TND", 3),
        ("IQD", 3),
        ("CLF", 4),
        ("UYW", 4),
    ],
)
def test_currency_exponents(code, exponent):
    assert CURRENCY_EXPONENTS[code] == exponent
    assert Money(1, code).exponent == exponent


def test_currency_table_has_no_unitless_codes():
    assert len(CURRENCY_EXPONENTS) > 150
    for code in ("XAU", "XDR", "XXX", "XTS"):
        assert code not in CURRENCY_EXPONENTS
    assert all(len(code) == 3 and code.isupper() for code in CURRENCY_EXPONENTS)


@pytest.mark.parametrize(
    ("text", "currency", "minor", "major", "shown"),
    [
        ("10", "GBP", 1000, "10.00", "10.00 GBP"),
        ("10.5", "GBP", 1050, "10.50", "10.50 GBP"),
        ("10.50", "GBP", 1050, "10.50", "10.50 GBP"),
        ("-0.05", "GBP", -5, "-0.05", "-0.05 GBP"),
        ("0", "GBP", 0, "0.00", "0.00 GBP"),
        (" 7 ", "GBP", 700, "7.00", "7.00 GBP"),
        ("1000", "JPY", 1000, "1000", "1000 JPY"),
        ("-3", "JPY", -3, "-3", "-3 JPY"),
        ("1.234", "KWD", 1234, "1.234", "1.234 KWD"),
        ("0.001", "KWD", 1, "0.001", "0.001 KWD"),
        ("12", "KWD", 12000, "12.000", "12.000 KWD"),
        ("0.0001", "CLF", 1, "0.0001", "0.0001 CLF"),
    ],
)
def test_parse_and_format(text, currency, minor, major, shown):
    money = Money.from_decimal(text, currency)
    assert money == Money(minor, currency)
    assert money.major_str() == major
    assert str(money) == shown
    assert money.to_decimal() == Decimal(major)
    assert money.to_decimal().as_tuple().exponent == -CURRENCY_EXPONENTS[currency]


@pytest.mark.parametrize(
    ("value", "currency", "minor"),
    [
        (Decimal("12.34"), "GBP", 1234),
        (Decimal("1E+3"), "JPY", 1000),
        (5, "GBP", 500),
        (5, "JPY", 5),
        ("10.500", "GBP", 1050),
        ("1000.00", "JPY", 1000),
    ],
)
def test_parse_other_inputs(value, currency, minor):
    assert Money.from_decimal(value, currency) == Money(minor, currency)


@pytest.mark.parametrize(
    ("value", "currency", "error"),
    [
        ("10.505", "GBP", InvalidAmount),
        ("1.5", "JPY", InvalidAmount),
        ("0.0001", "KWD", InvalidAmount),
        ("nan", "GBP", InvalidAmount),
        ("inf", "GBP", InvalidAmount),
        (Decimal("NaN"), "GBP", InvalidAmount),
        (Decimal("-Infinity"), "GBP", InvalidAmount),
        ("1e3", "GBP", InvalidAmount),
        ("1_000", "GBP", InvalidAmount),
        ("1,000", "GBP", InvalidAmount),
        ("", "GBP", InvalidAmount),
        ("£5", "GBP", InvalidAmount),
        (1.5, "GBP", InvalidAmount),
        (True, "GBP", InvalidAmount),
        ("100000000000000000000", "GBP", InvalidAmount),
        ("10", "gbp", UnknownCurrency),
        ("10", "XXX", UnknownCurrency),
        ("10", "", UnknownCurrency),
    ],
)
def test_parse_rejects(value, currency, error):
    with pytest.raises(error):
        Money.from_decimal(value, currency)


@pytest.mark.parametrize(
    ("amount", "currency", "error"),
    [
        (1.0, "GBP", InvalidAmount),
        (True, "GBP", InvalidAmount),
        (Decimal(1), "GBP", InvalidAmount),
        ("1", "GBP", InvalidAmount),
        (MAX_AMOUNT + 1, "GBP", InvalidAmount),
        (1, "ZZZ", UnknownCurrency),
        (1, None, UnknownCurrency),
    ],
)
def test_constructor_rejects(amount, currency, error):
    with pytest.raises(error):
        Money(amount, currency)


def test_arithmetic_and_predicates():
    a, b = Money(1050, "GBP"), Money(25, "GBP")
    assert a + b == Money(1075, "GBP")
    assert a - b == Money(1025, "GBP")
    assert -a == Money(-1050, "GBP")
    assert abs(Money(-5, "GBP")) == Money(5, "GBP")
    assert a * 3 == 3 * a == Money(3150, "GBP")
    assert b < a and b <= a and a > b and a >= b and a >= a
    assert Money.zero("JPY") == Money(0, "JPY")
    assert Money.zero("GBP").is_zero()
    assert a.is_positive() and not a.is_negative()
    assert (-a).is_negative() and not (-a).is_positive()
    assert Money(0, "GBP") != Money(0, "EUR")


@pytest.mark.parametrize(
    "operation",
    [
        lambda a, b: a + b,
        lambda a, b: a - b,
        lambda a, b: a < b,
        lambda a, b: a <= b,
        lambda a, b: a > b,
        lambda a, b: a >= b,
    ],
)
def test_mixing_currencies_raises(operation):
    with pytest.raises(CurrencyMismatch):
        operation(Money(1, "GBP"), Money(1, "EUR"))


@pytest.mark.parametrize("factor", [1.5, True, Decimal(2), "2"])
def test_multiply_by_int_only(factor):
    with pytest.raises(InvalidAmount):
        Money(1, "GBP") * factor
    with pytest.raises(InvalidAmount):
        factor * Money(1, "GBP")


def test_add_non_money_is_type_error():
    with pytest.raises(TypeError):
        Money(1, "GBP") + 1


def test_money_is_frozen():
    money = Money(1, "GBP")
    with pytest.raises(AttributeError):
        money.amount = 2


@settings(max_examples=100)
@given(amounts, amounts, money_currency)
def test_add_sub_inverse_and_commutative(x, y, currency):
    a, b = Money(x, currency), Money(y, currency)
    assert (a + b) - b == a
    assert a + b == b + a
    assert a - a == Money.zero(currency)
    assert a + (-a) == Money.zero(currency)


@settings(max_examples=100)
@given(st.integers(min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT), st.sampled_from(CURRENCIES))
def test_decimal_round_trip(amount, currency):
    money = Money(amount, currency)
    assert Money.from_decimal(money.to_decimal(), currency) == money
    assert Money.from_decimal(money.major_str(), currency) == money
