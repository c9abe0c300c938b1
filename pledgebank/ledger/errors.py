"""Exceptions raised by the ledger core."""


class LedgerError(Exception):
    """Base class for every error raised by the ledger core."""


class InvalidAmount(LedgerError):
    """An amount is not an integer number of minor units, or is out of range for its use."""


class UnknownCurrency(LedgerError):
    """A currency code is not an active ISO 4217 code with a defined minor unit."""


class CurrencyMismatch(LedgerError):
    """Two amounts in different currencies were combined or compared."""


class InvalidEntry(LedgerError):
    """A journal entry or posting is malformed."""


class UnbalancedEntry(InvalidEntry):
    """A journal entry's postings do not sum to zero in every currency."""
