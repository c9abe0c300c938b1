"""Exact money values held as integer minor units of an ISO 4217 currency."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from pledgebank.ledger.errors import CurrencyMismatch, InvalidAmount, UnknownCurrency

# Active ISO 4217 codes grouped by minor-unit exponent. Codes whose minor unit is "N.A." (such as
# XAU or XDR) are deliberately absent.
_TWO_DECIMALS = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN "
    "BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP "
    "GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP "
    "LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR "
    "NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN "
    "SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR "
    "ZMW ZWG"
)
_NO_DECIMALS = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_THREE_DECIMALS = "BHD IQD JOD KWD LYD OMR TND"
_FOUR_DECIMALS = "CLF UYW"

CURRENCY_EXPONENTS: dict[str, int] = {
    **dict.fromkeys(_TWO_DECIMALS.split(), 2),
    **dict.fromkeys(_NO_DECIMALS.split(), 0),
    **dict.fromkeys(_THREE_DECIMALS.split(), 3),
    **dict.fromkeys(_FOUR_DECIMALS.split(), 4),
}

# Amounts are stored in signed 64-bit columns; anything outside this range is refused early.
MAX_AMOUNT = 2**63 - 1

_DECIMAL_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def _check_currency(currency: object) -> str:
    if not isinstance(currency, str) or currency not in CURRENCY_EXPONENTS:
        raise UnknownCurrency(f"unknown currency code: {currency!r}")
    return currency


@dataclass(frozen=True, slots=True)
class Money:
    """An amount of money as an integer count of minor units (pence, cents, yen, fils...)."""

    amount: int
    currency: str

    def __post_init__(self) -> None:
        if type(self.amount) is not int:
            raise InvalidAmount(f"amount must be an int of minor units, not {type(self.amount).__name__}")
        if abs(self.amount) > MAX_AMOUNT:
            raise InvalidAmount("amount is outside the signed 64-bit range")
        _check_currency(self.currency)

    @property
    def exponent(self) -> int:
        """Number of decimal places of the currency's minor unit."""
        return CURRENCY_EXPONENTS[self.currency]

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Return zero in the given currency."""
        return cls(0, currency)

    @classmethod
    def from_decimal(cls, value: Decimal | str | int, currency: str) -> Money:
        """Parse a major-unit value such as "10.50" into exact minor units.

        Raises InvalidAmount for NaN, infinities, exponent notation in strings, or any value that is
        not a whole number of minor units: the value is never rounded. Trailing zeros beyond the
        currency's exponent ("10.500" GBP) are accepted because they lose nothing.
        """
        _check_currency(currency)
        if isinstance(value, bool) or not isinstance(value, Decimal | str | int):
            raise InvalidAmount(f"cannot parse money from {type(value).__name__}")
        if isinstance(value, str):
            text = value.strip()
            if not _DECIMAL_TEXT.fullmatch(text):
                raise InvalidAmount(f"not a decimal amount: {value!r}")
            value = Decimal(text)
        elif isinstance(value, int):
            value = Decimal(value)
        if not value.is_finite():
            raise InvalidAmount("amount must be finite")
        exponent = CURRENCY_EXPONENTS[currency]
        sign, digit_tuple, exp = value.as_tuple()
        if not isinstance(exp, int):
            raise InvalidAmount("amount must be finite")
        digits = list(digit_tuple)
        while len(digits) > 1 and digits[-1] == 0:
            digits.pop()
            exp += 1
        if digits == [0]:
            return cls(0, currency)
        shift = exp + exponent
        if shift < 0:
            raise InvalidAmount(f"{value} has more than {exponent} decimal places for {currency}")
        if len(digits) + shift > 19:
            raise InvalidAmount("amount is outside the signed 64-bit range")
        units = int("".join(map(str, digits))) * 10**shift
        return cls(-units if sign else units, currency)

    def to_decimal(self) -> Decimal:
        """Return the value in major units with exactly `exponent` decimal places."""
        sign = 1 if self.amount < 0 else 0
        digits = tuple(int(d) for d in str(abs(self.amount)))
        return Decimal((sign, digits, -self.exponent))

    def major_str(self) -> str:
        """Return the value in major units as a plain decimal string, e.g. "12.34", "-0.05", "1000"."""
        return format(self.to_decimal(), "f")

    def __str__(self) -> str:
        return f"{self.major_str()} {self.currency}"

    def _same(self, other: Money) -> None:
        if self.currency != other.currency:
            raise CurrencyMismatch(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __abs__(self) -> Money:
        return Money(abs(self.amount), self.currency)

    def __mul__(self, factor: object) -> Money:
        if type(factor) is not int:
            raise InvalidAmount("money can only be multiplied by an int")
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return self.amount <= other.amount

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return self.amount > other.amount

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return self.amount >= other.amount

    def is_zero(self) -> bool:
        """Return True when the amount is zero."""
        return self.amount == 0

    def is_positive(self) -> bool:
        """Return True when the amount is strictly greater than zero."""
        return self.amount > 0

    def is_negative(self) -> bool:
        """Return True when the amount is strictly less than zero."""
        return self.amount < 0
