"""What a transfer between funds must say and may do before anything is written; each problem by its field.

Which funds money may leave and join (Charities SORP fund accounting):
- unrestricted and designated money moves freely: designating sets general money aside, undesignating gives it
  back (designated money is still unrestricted; the committee may change its mind);
- restricted money leaves its fund only once its purpose is met or its donors agreed, recorded with a note
  of the evidence;
- an endowment's capital is kept for ever: money neither leaves it nor joins it here. Releasing capital needs
  the donors' terms or a resolution under the Charities Act 2011 (ss. 281-282), with the Commission's
  consent above its limits, which is more than two officers' agreement; and money the committee holds cannot
  become endowment capital (set it aside in a designated fund instead).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank import money_words
from pledgebank.books.fund_transfer_models import BASES, DONORS_AGREED, PURPOSE_MET
from pledgebank.books.models import Book, LedgerAccount
from pledgebank.errors import InvalidInput
from pledgebank.grants.funds import money_of
from pledgebank.inputs import MAX_MONEY
from pledgebank.ledger import chart
from pledgebank.neighbourhoods.models import Fund, FundType
from pledgebank.text import _t

PLACES: dict[str, str] = {"bank": chart.BANK, "cash": chart.CASH}
BASIS_LABELS: dict[str, str] = {
    PURPOSE_MET: _t("Its purpose is met (money left over)"),
    DONORS_AGREED: _t("The donors agreed to the transfer"),
}
FORM_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
TEXT_LENGTH = 200


@dataclass(frozen=True, slots=True)
class TransferTerms:
    """What the proposer gave: fund slugs, an amount in minor units, bank or cash, the reason and basis."""

    from_fund: str
    to_fund: str
    amount: int | None
    place: str
    reason: str
    basis: str = ""
    basis_note: str = ""


def _text(errors: dict[str, list[str]], field: str, value: str, what: str) -> None:
    if not value.strip():
        errors[field] = [f"Give {what}."]
    elif len(value) > TEXT_LENGTH:
        errors[field] = [f"Use at most {TEXT_LENGTH} characters."]


def check_terms(terms: TransferTerms) -> None:
    """Raise InvalidInput naming every field that is missing, out of range or of the wrong shape."""
    errors: dict[str, list[str]] = {}
    if not terms.from_fund:
        errors["from_fund"] = ["Choose the fund the money comes from."]
    if not terms.to_fund:
        errors["to_fund"] = ["Choose the fund the money goes to."]
    elif terms.to_fund == terms.from_fund:
        errors["to_fund"] = ["Choose a different fund from the one the money comes from."]
    amount = terms.amount
    if amount is None:
        errors["amount"] = ["Give the amount, like 12.50."]
    elif isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= MAX_MONEY:
        errors["amount"] = [
            "Give an amount greater than zero." if amount == 0 else "Give an amount from 0.01 up."
        ]
    if terms.place not in PLACES:
        errors["place"] = ["Choose bank or cash."]
    _text(errors, "reason", terms.reason, "the reason for the transfer")
    if terms.basis not in ("", *BASES):
        errors["basis"] = ["Choose whether the purpose is met or the donors agreed."]
    if len(terms.basis_note) > TEXT_LENGTH:
        errors["basis_note"] = [f"Use at most {TEXT_LENGTH} characters."]
    if errors:
        raise InvalidInput(fields=errors)


def fund_named(session: Session, neighbourhood_id: int, slug: str, field: str) -> Fund:
    """The neighbourhood's fund with this slug; InvalidInput beside `field` when there is none."""
    fund = session.scalar(select(Fund).where(Fund.neighbourhood_id == neighbourhood_id, Fund.slug == slug))
    if fund is None:
        raise InvalidInput(fields={field: ["Choose one of the neighbourhood's funds."]})
    return fund


def check_funds(source: Fund, target: Fund, terms: TransferTerms) -> None:
    """Refuse moving endowment capital, and restricted money without a recorded basis (see the module)."""
    errors: dict[str, list[str]] = {}
    if source.type is FundType.ENDOWMENT:
        errors["from_fund"] = [
            f"{source.name} is an endowment: its capital is kept, not transferred. Releasing it needs the "
            "donors' terms or a resolution under the Charities Act, not a transfer here."
        ]
    if target.type is FundType.ENDOWMENT:
        errors["to_fund"] = [
            f"{target.name} is an endowment: only donors' gifts become its capital. To set money aside, "
            "transfer it to a designated fund."
        ]
    if source.type is FundType.RESTRICTED:
        if terms.basis not in BASES:
            errors["basis"] = [
                f"{source.name} is restricted to “{source.purpose}”. Its money may move only once that "
                "purpose is met or its donors agreed: choose which."
            ]
        if not terms.basis_note.strip():
            errors["basis_note"] = ["Say how you know: what was done, or which donors agreed and when."]
    else:
        if terms.basis:
            errors["basis"] = ["Leave this blank: only money leaving a restricted fund needs a basis."]
        if terms.basis_note.strip():
            errors["basis_note"] = ["Leave this blank: only money leaving a restricted fund needs a basis."]
    if errors:
        raise InvalidInput(fields=errors)


def share_of(session: Session, book: Book, fund: Fund, place: str) -> int:
    """What the fund holds in the bank or in cash (minor units)."""
    held = session.scalar(
        select(LedgerAccount.balance).where(
            LedgerAccount.book_id == book.id, LedgerAccount.code == chart.held_in(PLACES[place], fund.slug)
        )
    )
    return int(held or 0)


def check_money(session: Session, book: Book, fund: Fund, place: str, amount: int) -> None:
    """Refuse, beside the amount, moving more than the fund's available money or its share of the place.

    Available is the fund's money less grants awarded (paid or not) and everything it spent; its share of
    the bank or cash may hold more (cash taken for pledges still open) or less (money still with Stripe).
    """
    available = money_of(session, fund.id)
    if amount > available:
        shown = money_words.full(max(available, 0), book.currency)
        message = f"{fund.name} has only {shown} available to transfer; the amount is more."
        raise InvalidInput(message, fields={"amount": [message]})
    held = share_of(session, book, fund, place)
    if amount > held:
        where = "in cash" if place == "cash" else "in the bank"
        message = (
            f"{fund.name} holds only {money_words.full(held, book.currency)} {where}; the amount is more."
        )
        raise InvalidInput(message, fields={"amount": [message]})
