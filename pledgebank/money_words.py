"""Money as text: the one place that turns minor units into words, for every page, message, file and log.

Built on Babel's currency formatting, so the currency symbol, grouping and word order follow the currency
and locale given (the configured CURRENCY and LOCALE; Flask code passes `current_app.config` values, services
the record's currency). No other Python module writes a currency sign or a currency's name itself.

- `full`: money for people, every minor digit shown ("£1,234.50", "£10.00").
- `short`: money in a sentence, whole amounts without minor digits ("£10", "£7.50").
- `whole`: whole major units in a sentence (a sponsor's ratio: 1 -> "£1").
- `plain`: the decimal for files and form fields ("1234.50", "-0.05"): no sign, no grouping, not localised.
- `name`: the currency as said in a sentence ("pounds"); `units`: its major and minor units ("pounds and
  pence").
- `phrase`: fixed wording with those filled in, for text written before the currency is known (a form's
  labels): "Budget, in {name}", "gives {whole_1} for every {whole_2}".
"""

from __future__ import annotations

from decimal import Decimal

from babel import Locale
from babel.numbers import format_currency, get_currency_name

from pledgebank.ledger.money import CURRENCY_EXPONENTS

DEFAULT_LOCALE = "en_GB"

# How people say the currencies the service is set up for; Babel's plural names ("British pounds") read
# formally in a sentence, so they are only the fallback.
_NAMES = {"GBP": "pounds", "EUR": "euros", "USD": "dollars"}
_NAMES_ONE = {"GBP": "pound", "EUR": "euro", "USD": "dollar"}
_MINOR_NAMES = {"GBP": "pence", "EUR": "cents", "USD": "cents"}
# The same words by language (English for any language not listed): the currency, one of it, its minor unit
# as it follows the word for "and" (Welsh "a" mutates "ceiniogau" to "cheiniogau"), and that word.
_WORDS = {
    "en": (_NAMES, _NAMES_ONE, _MINOR_NAMES, "and"),
    "cy": (
        {"GBP": "punnoedd", "EUR": "ewros", "USD": "doleri"},
        {"GBP": "punt", "EUR": "ewro", "USD": "doler"},
        {"GBP": "cheiniogau", "EUR": "sentiau", "USD": "sentiau"},
        "a",
    ),
}


def _words(locale: str) -> tuple[dict[str, str], dict[str, str], dict[str, str], str]:
    return _WORDS.get(locale.replace("-", "_").split("_")[0], _WORDS["en"])


def _decimal(amount: int, currency: str) -> Decimal:
    return Decimal(amount).scaleb(-CURRENCY_EXPONENTS[currency])


def full(amount: int, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """Minor units for people, every minor digit shown: 123450 GBP in en_GB -> "£1,234.50"."""
    return format_currency(_decimal(amount, currency), currency, locale=locale)


def short(amount: int, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """Minor units for a sentence: "£10" for a whole amount, "£7.50" otherwise."""
    exponent = CURRENCY_EXPONENTS[currency]
    if exponent and amount % 10**exponent:
        return full(amount, currency, locale)
    # The locale's own currency pattern, without its minor digits ("¤#,##0.00" -> "¤#,##0").
    pattern = Locale.parse(locale).currency_formats["standard"].pattern.replace(".00", "")
    return format_currency(
        _decimal(amount, currency), currency, format=pattern, currency_digits=False, locale=locale
    )


def whole(units: int, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """Whole major units for a sentence (a sponsor's ratio, say): 1 -> "£1"."""
    return short(units * 10 ** CURRENCY_EXPONENTS[currency], currency, locale)


def plain(amount: int, currency: str) -> str:
    """Minor units as a plain decimal in major units, for files and form fields: "1234.50", "-0.05"."""
    return format(_decimal(amount, currency), "f")


def name(currency: str, locale: str = DEFAULT_LOCALE, *, count: int = 2) -> str:
    """The currency as people say it in a sentence: "pounds" (count=1: "pound")."""
    many, one, _minor, _and = _words(locale)
    said = (one if count == 1 else many).get(currency)
    return said or get_currency_name(currency, count=count, locale=locale)


def units(currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """The currency's major and minor units, for a hint on typing an amount: "pounds and pence"."""
    _many, _one, minors, and_ = _words(locale)
    minor = minors.get(currency)
    return (
        f"{name(currency, locale)} {and_} {minor}"
        if minor and CURRENCY_EXPONENTS[currency]
        else name(currency, locale)
    )


class _Words(dict[str, str]):
    """The words `phrase` fills in, each made when a template asks for it."""

    def __init__(self, currency: str, locale: str) -> None:
        super().__init__()
        self.currency, self.locale = currency, locale

    def __missing__(self, key: str) -> str:
        fixed = {
            "name": lambda: name(self.currency, self.locale),
            "name_one": lambda: name(self.currency, self.locale, count=1),
            "units": lambda: units(self.currency, self.locale),
            "Units": lambda: units(self.currency, self.locale).capitalize(),
        }
        if key in fixed:
            return fixed[key]()
        kind, _, number = key.partition("_")
        if kind in ("whole", "short") and number.isdigit():
            return (whole if kind == "whole" else short)(int(number), self.currency, self.locale)
        raise KeyError(key)


def phrase(template: str, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """Fixed wording with the currency's words filled in: {name} "pounds", {name_one} "pound", {units}
    "pounds and pence" ({Units} capitalised), {whole_N} N major units ("£10"), {short_N} N minor units."""
    return template.format_map(_Words(currency, locale))
