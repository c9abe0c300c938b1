"""The strict parsers behind every money, count, date and id field: tables of what is accepted (and as
what) and what is refused (and with which sentence), and a round trip through the app's money format."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pledgebank import money_words
from pledgebank.inputs import (
    MAX_ID,
    MAX_MONEY,
    InputError,
    parse_count,
    parse_date,
    parse_id,
    parse_money,
)
from pledgebank.levies.states import parse_retry_days

# Digits people may paste from other scripts, written as escapes so that they cannot be mistaken for ASCII.
ARABIC_TEN = "\u0661\u0660"
BOLD_TEN = "\U0001d7cf\U0001d7ce"
FULLWIDTH_TEN = "\uff11\uff10"

ACCEPTED_MONEY = [
    ("10", 1000),
    ("7.50", 750),
    ("7.5", 750),
    ("0.01", 1),
    (".50", 50),
    ("£10", 1000),
    ("£ 10", 1000),
    ("  £1,200  ", 120_000),
    ("1,200", 120_000),
    ("1,200.50", 120_050),
    ("12,345,678.90", None),  # over the bound: refused below
    ("10000000", MAX_MONEY),
    ("£10,000,000.00", MAX_MONEY),
]

SHAPE = "Enter the amount as a number of pounds, like 10 or 7.50."
FOREIGN = "Enter the amount in pounds (£): other currencies are not accepted."
REFUSED_MONEY = [
    ("10,50", "Enter the amount with a point, not a comma, before the decimal part, like 10.50."),
    ("5,00", "Enter the amount with a point, not a comma, before the decimal part, like 5.00."),
    ("£7,5", "Enter the amount with a point, not a comma, before the decimal part, like 7.5."),
    ("1,2,3", SHAPE),
    ("10 50", SHAPE),
    ("1,20", "Enter the amount with a point, not a comma, before the decimal part, like 1.20."),
    (",100", SHAPE),
    ("10.", SHAPE),
    (".", SHAPE),
    ("£", SHAPE),
    ("10.555", SHAPE),
    ("10.500", SHAPE),
    ("ten", SHAPE),
    ("+10", SHAPE),
    ("1e3", SHAPE),
    ("NaN", SHAPE),
    ("Infinity", SHAPE),
    ("10£", SHAPE),
    ("££10", SHAPE),
    (FULLWIDTH_TEN, SHAPE),
    (ARABIC_TEN, SHAPE),
    (BOLD_TEN, SHAPE),
    ("²", SHAPE),
    ("9" * 41, SHAPE),
    ("$10", FOREIGN),
    ("€10", FOREIGN),
    ("US$10", FOREIGN),
    ("10 USD", FOREIGN),
    ("eur 10", FOREIGN),
    ("¥10", FOREIGN),
    ("-5", "Enter the amount above zero."),
    ("0", "Enter the amount above zero."),
    ("£0.00", "Enter the amount above zero."),
    ("10000000.01", "Enter the amount of at most £10,000,000.00."),
    ("12,345,678.90", "Enter the amount of at most £10,000,000.00."),
    ("99999999999999999999", "Enter the amount of at most £10,000,000.00."),
]


@pytest.mark.parametrize(("text", "units"), [case for case in ACCEPTED_MONEY if case[1] is not None])
def test_money_accepted(text, units):
    assert parse_money(text, "GBP", what="the amount") == units


@pytest.mark.parametrize(("text", "message"), REFUSED_MONEY)
def test_money_refused_with_a_sentence_naming_the_field(text, message):
    with pytest.raises(InputError) as refused:
        parse_money(text, "GBP", what="the amount")
    assert refused.value.message == message


def test_blank_money_is_none_and_zero_only_where_allowed():
    assert parse_money("  ", "GBP", what="the amount") is None
    assert parse_money(None, "GBP", what="the amount") is None
    assert parse_money("0", "GBP", what="the amount spent", allow_zero=True) == 0


def test_money_follows_the_currency_minor_digits_and_symbol():
    assert parse_money("€10.25", "EUR", what="the amount") == 1025
    assert parse_money("500", "JPY", what="the amount", locale="en_GB") == 500
    with pytest.raises(InputError, match="as a number of Japanese yen"):
        parse_money("500.5", "JPY", what="the amount")
    with pytest.raises(InputError, match=r"in euros \(€\): other currencies"):
        parse_money("£10", "EUR", what="the amount")


@given(st.integers(min_value=1, max_value=MAX_MONEY))
def test_money_shown_by_the_app_reads_back_as_the_same_amount(units):
    assert parse_money(money_words.full(units, "GBP"), "GBP", what="the amount") == units


@given(st.integers(min_value=1, max_value=MAX_MONEY))
def test_money_typed_plainly_reads_back_as_the_same_amount(units):
    pounds, pence = divmod(units, 100)
    assert parse_money(f"{pounds}.{pence:02d}", "GBP", what="the amount") == units
    assert parse_money(f"{pounds:,}.{pence:02d}", "GBP", what="the amount") == units


COUNT = "Enter the number of people as a whole number, like 40."
REFUSED_COUNTS = [
    ("lots", COUNT),
    ("²", COUNT),
    ("4²", COUNT),
    (ARABIC_TEN, COUNT),
    (BOLD_TEN, COUNT),
    (FULLWIDTH_TEN, COUNT),
    ("1.5", COUNT),
    ("-3", COUNT),
    ("+3", COUNT),
    ("10,0", COUNT),
    ("1 000", COUNT),
    ("0", "Enter the number of people from 1 to 1,000,000."),
    ("1000001", "Enter the number of people from 1 to 1,000,000."),
    ("9223372036854775808", "Enter the number of people from 1 to 1,000,000."),
]


@pytest.mark.parametrize(("text", "value"), [("40", 40), (" 7 ", 7), ("1,000", 1000), ("1000000", 1_000_000)])
def test_count_accepted(text, value):
    assert parse_count(text, what="the number of people") == value


@pytest.mark.parametrize(("text", "message"), REFUSED_COUNTS)
def test_count_refused_with_a_sentence_naming_the_field(text, message):
    with pytest.raises(InputError) as refused:
        parse_count(text, what="the number of people")
    assert refused.value.message == message


def test_count_bounds_are_per_field():
    assert parse_count("", what="the weight") is None
    assert parse_count("10", what="the weight", maximum=10) == 10
    with pytest.raises(InputError, match=r"Enter the weight from 1 to 10\."):
        parse_count("11", what="the weight", maximum=10)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", 1),
        ("42", 42),
        (str(MAX_ID), MAX_ID),
        ("0", None),
        (str(MAX_ID + 1), None),
        ("99999999999999999999", None),
        (ARABIC_TEN, None),
        ("²", None),
        ("-1", None),
        ("", None),
        (None, None),
    ],
)
def test_ids(text, value):
    assert parse_id(text) == value


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("2026-03-14", date(2026, 3, 14)),
        ("2000-01-01", date(2000, 1, 1)),
        ("2100-12-31", date(2100, 12, 31)),
        ("", None),
        ("9999-12-31", "Enter the date between 2000 and 2100."),
        ("0001-01-01", "Enter the date between 2000 and 2100."),
        ("1999-12-31", "Enter the date between 2000 and 2100."),
        ("2026-02-30", "Enter the date like 2026-03-14."),
        ("14/03/2026", "Enter the date like 2026-03-14."),
        ("20260314", "Enter the date like 2026-03-14."),
        ("2026-W11-6", "Enter the date like 2026-03-14."),
        (FULLWIDTH_TEN * 2 + "-03-14", "Enter the date like 2026-03-14."),
    ],
)
def test_dates(text, outcome):
    if isinstance(outcome, str):
        with pytest.raises(InputError) as refused:
            parse_date(text, what="the date")
        assert refused.value.message == outcome
    else:
        assert parse_date(text, what="the date") == outcome


@pytest.mark.parametrize("text", ["1, \u00b2", ARABIC_TEN, "1, " + BOLD_TEN, "0", "3, 1", "1, 91"])
def test_levy_retry_days_take_ascii_digits_only(text):
    with pytest.raises(ValueError, match=r"give between|the days must increase"):
        parse_retry_days(text)
