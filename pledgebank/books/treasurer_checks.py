"""What a treasurer entry must say before anything is written: each problem named beside its field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank import money_words
from pledgebank.books.models import Book, LedgerAccount
from pledgebank.errors import InvalidInput
from pledgebank.grants.funds import money_of
from pledgebank.inputs import MAX_MONEY
from pledgebank.ledger import chart
from pledgebank.neighbourhoods.models import Fund, FundType
from pledgebank.text import _t

DONATION = "donation"
CASH_BANKED = "cash_banked"
SUPPLIER_PAYMENT = "supplier_payment"
BANK_CHARGES = "bank_charges"
BANK_INTEREST = "bank_interest"
OPENING_BALANCE = "opening_balance"
CORRECTION = "correction"
ENTRY_KINDS: dict[str, str] = {
    DONATION: _t("Donation received"),
    CASH_BANKED: _t("Cash paid into the bank"),
    SUPPLIER_PAYMENT: _t("Payment to a supplier"),
    BANK_CHARGES: _t("Bank charges"),
    BANK_INTEREST: _t("Bank interest"),
    OPENING_BALANCE: _t("Opening balances"),
    CORRECTION: _t("Correction (reverses a transaction)"),
}
PLACES: dict[str, str] = {"bank": chart.BANK, "cash": chart.CASH}
FORM_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
DESCRIPTION_LENGTH = 200
NAME_LENGTH = 120
# Kinds that take money out of a fund's bank or cash share, and the share each takes it from.
SPENDING = (CASH_BANKED, SUPPLIER_PAYMENT, BANK_CHARGES)


@dataclass(frozen=True, slots=True)
class EntryTerms:
    """What the treasurer typed: amounts in minor units, free text as given."""

    kind: str
    on: date | None
    description: str
    amount: int | None = None
    fund: str = ""
    place: str = ""
    cash_amount: int | None = None
    donor: str = ""
    donor_public: bool = False
    payee: str = ""
    category: str = ""
    purpose: str = ""
    for_fund_purpose: bool = False
    transaction: int | None = None


# The fields each kind uses. Any other typed field must be left blank, so that nothing typed is silently
# dropped (a payee typed against a donation is a sign the wrong kind was chosen).
USES: dict[str, frozenset[str]] = {
    DONATION: frozenset({"amount", "donor"}),
    CASH_BANKED: frozenset({"amount"}),
    SUPPLIER_PAYMENT: frozenset({"amount", "payee", "purpose", "category"}),
    BANK_CHARGES: frozenset({"amount"}),
    BANK_INTEREST: frozenset({"amount"}),
    OPENING_BALANCE: frozenset({"amount", "cash_amount"}),
    CORRECTION: frozenset({"transaction"}),
}
_TYPED = ("amount", "cash_amount", "donor", "payee", "purpose", "category", "transaction")


def _unused(terms: EntryTerms) -> dict[str, list[str]]:
    label = ENTRY_KINDS[terms.kind].split(" (")[0].lower()
    return {
        name: [f"Leave this blank: {label} does not use it."]
        for name in _TYPED
        if name not in USES[terms.kind] and getattr(terms, name) not in (None, "")
    }


def _amount(errors: dict[str, list[str]], field: str, value: int | None, *, allow_zero: bool = False) -> None:
    lowest = 0 if allow_zero else 1
    if value is None:
        errors[field] = ["Give the amount, like 12.50."]
    elif isinstance(value, bool) or not isinstance(value, int) or not lowest <= value <= MAX_MONEY:
        errors[field] = [
            "Give an amount greater than zero." if value == 0 else "Give an amount from 0.01 up."
        ]


def _text(errors: dict[str, list[str]], field: str, value: str, what: str, limit: int) -> None:
    if not value.strip():
        errors[field] = [f"Give {what}."]
    elif len(value) > limit:
        errors[field] = [f"Use at most {limit} characters."]


def check_terms(terms: EntryTerms, today: date, category_problem: str | None = None) -> None:
    """Raise InvalidInput naming every field that is missing, out of range or of the wrong shape.

    `category_problem` is why a supplier payment may not use the category given (see books.categories).
    """
    errors: dict[str, list[str]] = {}
    if terms.kind not in ENTRY_KINDS:
        raise InvalidInput(fields={"kind": ["Choose what kind of entry this is."]})
    errors.update(_unused(terms))
    _text(errors, "description", terms.description, "a description", DESCRIPTION_LENGTH)
    if terms.on is None:
        errors["on"] = ["Give the date, like 2026-03-14."]
    elif terms.on > today:
        errors["on"] = ["The date cannot be in the future."]
    if terms.kind == CORRECTION:
        if terms.transaction is None or terms.transaction < 1:
            errors["transaction"] = ["Give the number of the transaction to reverse."]
        if errors:
            raise InvalidInput(fields=errors)
        return
    if terms.kind == OPENING_BALANCE:
        # A blank bank or cash figure at the start of the books means nothing was held there.
        _amount(errors, "amount", terms.amount or 0, allow_zero=True)
        _amount(errors, "cash_amount", terms.cash_amount or 0, allow_zero=True)
        if "amount" not in errors and "cash_amount" not in errors and not (terms.amount or terms.cash_amount):
            errors["amount"] = ["Give what the bank, the cash or both held."]
    else:
        _amount(errors, "amount", terms.amount)
    if terms.kind in (DONATION, SUPPLIER_PAYMENT) and terms.place not in PLACES:
        errors["place"] = ["Choose bank or cash."]
    if terms.kind == DONATION and len(terms.donor) > NAME_LENGTH:
        errors["donor"] = [f"Use at most {NAME_LENGTH} characters."]
    if terms.kind == SUPPLIER_PAYMENT:
        _text(errors, "payee", terms.payee, "who was paid", NAME_LENGTH)
        _text(errors, "purpose", terms.purpose, "what the payment was for", DESCRIPTION_LENGTH)
        if category_problem:
            errors["category"] = [category_problem]
    if errors:
        raise InvalidInput(fields=errors)


def check_fund(fund: Fund | None, terms: EntryTerms) -> Fund:
    """The fund named, if it may take this entry: restricted money pays only for its stated purpose."""
    if fund is None:
        raise InvalidInput(fields={"fund": ["Choose a fund."]})
    if terms.kind != SUPPLIER_PAYMENT:
        return fund
    if fund.type == FundType.ENDOWMENT:
        raise InvalidInput(fields={"fund": [f"{fund.name} is an endowment: its capital is kept, not spent."]})
    if fund.type == FundType.RESTRICTED and not terms.for_fund_purpose:
        message = (
            f"{fund.name} is restricted to “{fund.purpose}”. Pay from it only for that purpose, "
            "and tick the box to confirm this payment is for it."
        )
        raise InvalidInput(fields={"for_fund_purpose": [message]})
    return fund


def check_share(session: Session, book: Book, fund: Fund, terms: EntryTerms) -> None:
    """Refuse, beside the amount, spending more than the fund holds in the bank or in cash."""
    if terms.kind not in SPENDING:
        return
    place = chart.CASH if terms.kind == CASH_BANKED else PLACES.get(terms.place, chart.BANK)
    held = session.scalar(
        select(LedgerAccount.balance).where(
            LedgerAccount.book_id == book.id, LedgerAccount.code == chart.held_in(place, fund.slug)
        )
    )
    if (held or 0) < (terms.amount or 0):
        raise InvalidInput.field("amount", short_of(fund, place, held or 0, book.currency))


def check_money(session: Session, book: Book, fund: Fund, amount: int) -> None:
    """Refuse, beside the amount, a supplier payment larger than the fund's own money.

    The same figure a transfer out of the fund may move (grants.funds.money_of): what the fund received less
    what it spent and the grants it awarded, paid or not. Its bank or cash share may hold more, such as money
    for grants awarded and not yet paid, which is no longer the fund's to spend.
    """
    if amount > (own := money_of(session, fund.id)):
        raise InvalidInput.field("amount", over_money(fund, own, book.currency))


def over_money(fund: Fund, own: int, currency: str) -> str:
    """The message for a payment larger than a fund's own money (grants awarded count as spent)."""
    return (
        f"{fund.name} has only {money_words.full(max(own, 0), currency)} to spend once the grants it has "
        "awarded are set aside; the amount is more."
    )


def short_of(fund: Fund, place: str, held: int, currency: str) -> str:
    """The message for a payment larger than a fund's share of the bank or cash."""
    where = "in cash" if place == chart.CASH else "in the bank"
    return (
        f"{fund.name} holds only {money_words.plain(held, currency)} {currency} {where}; the amount is more."
    )
