"""What posting gives back and the errors it raises, shared by the ORM path and PostgreSQL's one-call path."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pledgebank.books.models import LedgerTransaction
from pledgebank.errors import Conflict, DomainError, InvalidInput


class IdempotencyConflict(Conflict):
    """The key was used before for a different movement of money."""

    code = "idempotency_conflict"
    default_message = "That reference was already used for a different payment."


class InsufficientFunds(Conflict):
    """The movement would take a guarded account below zero."""

    code = "insufficient_funds"
    default_message = "There is not enough money for that."


class AlreadyReversed(Conflict):
    """A transaction can be reversed once only."""

    code = "already_reversed"
    default_message = "That transaction has already been reversed."


class PeriodClosed(InvalidInput):
    """The date falls in a financial year that has been closed; nothing more may be posted there."""

    code = "period_closed"
    default_message = "That date is in a closed financial year."

    @classmethod
    def on(cls, day: date, closed_through: date, field: str = "effective_date") -> PeriodClosed:
        """The error for `day`, placed beside the form or JSON field that gave it."""
        message = (
            f"The books are closed up to {closed_through:%-d %B %Y}, so nothing can be dated "
            f"{day:%-d %B %Y}. Use a later date."
        )
        return cls(message, fields={field: [message]})


class UnknownAccount(DomainError):
    """An entry names an account the book does not have."""

    status = 500
    code = "unknown_account"


@dataclass(frozen=True, slots=True)
class Posted:
    """The outcome of a post: the sealed transaction and whether this call created it."""

    transaction: LedgerTransaction
    created: bool
