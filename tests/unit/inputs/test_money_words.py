"""The money vocabulary: the service's wording in pounds for en_GB, and the same functions following another
currency and locale (euros in France, yen in Japan) rather than a pound sign written in."""

from __future__ import annotations

import pytest

from pledgebank import money_words

# (minor units, currency, locale, full, short)
SHOWN = [
    (123450, "GBP", "en_GB", "£1,234.50", "£1,234.50"),
    (1000, "GBP", "en_GB", "£10.00", "£10"),
    (750, "GBP", "en_GB", "£7.50", "£7.50"),
    (1, "GBP", "en_GB", "£0.01", "£0.01"),
    (100_000_000, "GBP", "en_GB", "£1,000,000.00", "£1,000,000"),
    (123450, "EUR", "fr_FR", "1\u202f234,50\xa0€", "1\u202f234,50\xa0€"),
    (1000, "EUR", "fr_FR", "10,00\xa0€", "10\xa0€"),
    (1000, "JPY", "ja_JP", "￥1,000", "￥1,000"),
]


@pytest.mark.parametrize(("amount", "currency", "locale", "full", "short"), SHOWN)
def test_full_and_short_follow_the_currency_and_locale(amount, currency, locale, full, short):
    assert money_words.full(amount, currency, locale) == full
    assert money_words.short(amount, currency, locale) == short


def test_whole_units_for_sentences():
    assert money_words.whole(1, "GBP") == "£1"
    assert money_words.whole(300, "GBP", "en_GB") == "£300"
    assert money_words.whole(2, "EUR", "fr_FR") == "2\xa0€"


@pytest.mark.parametrize(
    ("amount", "currency", "plain"),
    [
        (123450, "GBP", "1234.50"),
        (-5, "GBP", "-0.05"),
        (100, "EUR", "1.00"),
        (1000, "JPY", "1000"),
        (0, "GBP", "0.00"),
    ],
)
def test_plain_is_the_decimal_for_files_whatever_the_locale(amount, currency, plain):
    assert money_words.plain(amount, currency) == plain


def test_names_of_the_currency():
    assert (money_words.name("GBP"), money_words.name("GBP", count=1), money_words.units("GBP")) == (
        "pounds",
        "pound",
        "pounds and pence",
    )
    assert money_words.name("EUR", "fr_FR") == "euros"
    assert money_words.units("EUR", "fr_FR") == "euros and cents"
    # A currency the service has no words of its own for takes Babel's name.
    assert money_words.name("CHF", "en_GB") == "Swiss francs"
    assert money_words.units("JPY", "ja_JP") == money_words.name("JPY", "ja_JP")


def test_phrase_fills_in_the_currency_words_and_amounts():
    template = "The sponsor's {name} for every {name_one} pledged: 1:2 gives {whole_1} for every {whole_2}."
    assert money_words.phrase(template, "GBP", "en_GB") == (
        "The sponsor's pounds for every pound pledged: 1:2 gives £1 for every £2."
    )
    assert money_words.phrase(template, "EUR", "fr_FR") == (
        "The sponsor's euros for every euro pledged: 1:2 gives 1\xa0€ for every 2\xa0€."
    )
    assert money_words.phrase("{Units}, at least {short_1}", "GBP") == "Pounds and pence, at least £0.01"
    with pytest.raises(KeyError):
        money_words.phrase("{nothing}", "GBP")
