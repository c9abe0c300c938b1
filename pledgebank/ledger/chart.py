"""The chart of accounts as pure data: book-level accounts plus a set per fund.

A fund's accounts are fixed but for its supplier-payment expense accounts, one per expense category of the
neighbourhood (`expenses:<fund>:<category>`); a category is any valid category slug that is not one of the
fixed expense accounts' names, so a code alone tells whether it is a fund's account.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class AccountType(StrEnum):
    """The five fundamental account types."""

    ASSET = "asset"
    LIABILITY = "liability"
    INCOME = "income"
    EXPENSE = "expense"
    EQUITY = "equity"


def normal_sign(account_type: AccountType) -> int:
    """Return +1 for debit-normal types (asset, expense) and -1 for credit-normal ones."""
    return 1 if account_type in (AccountType.ASSET, AccountType.EXPENSE) else -1


@dataclass(frozen=True, slots=True)
class AccountSpec:
    """Description of one account in a book's chart.

    With `must_not_go_negative`, the account must always satisfy `balance * normal_sign(type) >= 0`,
    where balance is the signed sum of its postings (debits positive).
    """

    code: str
    name: str
    type: AccountType
    fund: str | None
    must_not_go_negative: bool


STRIPE_CLEARING = "assets:stripe-clearing"
BANK = "assets:bank"
CASH = "assets:cash"
RECEIVABLES = "assets:receivables"
DEFERRED_INCOME = "liabilities:deferred-income"
GRANTS_PAYABLE = "liabilities:grants-payable"
PLEDGES_HELD = "liabilities:pledges-held"

# Where a fund's money sits: each of these has a sub-account per fund (`assets:bank:<fund>`), so every
# transaction's legs for one fund balance on their own and a book filtered to one fund still balances. The
# book-level accounts themselves keep only what was posted before money was attributed to funds.
FUND_HELD: tuple[str, ...] = (
    STRIPE_CLEARING,
    BANK,
    CASH,
    RECEIVABLES,
    DEFERRED_INCOME,
    GRANTS_PAYABLE,
    PLEDGES_HELD,
)
# A fund cannot spend another fund's money: its share of the bank and of the cash must not go negative.
_GUARDED = (BANK, CASH)
# Short, so that "<fund name>: <share>" fits an account name however long the fund's name.
_SHARE_NAMES = {
    STRIPE_CLEARING: "Stripe clearing",
    BANK: "Bank",
    CASH: "Cash held by treasurer",
    RECEIVABLES: "Receivables",
    DEFERRED_INCOME: "Income raised, not yet received",
    GRANTS_PAYABLE: "Grants payable",
    PLEDGES_HELD: "Cash pledges held for open pledges",
}

INCOME_SOURCES: tuple[str, ...] = ("pledges", "levies", "sponsorship", "donations")
# Interest the bank pays on a fund's share; income of its own, apart from what people give.
INTEREST = "interest"
# Gift Aid reclaimed from HMRC on a charity's eligible gifts: income of the fund the gifts were given to
# (under the SORP it follows the gift's restriction). Its account is opened with a fund's first claim.
GIFT_AID = "gift-aid"
# What the treasurer pays suppliers for, each a per-fund expense account (`expenses:<fund>:repairs`): the
# categories every neighbourhood starts with; its treasurer may add more, and retire any.
EXPENSE_CATEGORIES: tuple[str, ...] = ("repairs", "materials", "events", "insurance", "hall-hire", "other")
BANK_CHARGES = "bank-charges"
FUND_SLUG_MAX_LENGTH = 64
# A category's slug is stored beside each supplier payment in 20 characters.
CATEGORY_SLUG_MAX_LENGTH = 20
# The per-fund expense accounts that are not supplier-payment categories: no category may take their names.
FIXED_EXPENSES: tuple[str, ...] = ("grants", "fees", BANK_CHARGES)

_FUND_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_TYPE_PREFIXES: dict[str, AccountType] = {
    "assets": AccountType.ASSET,
    "liabilities": AccountType.LIABILITY,
    "income": AccountType.INCOME,
    "expenses": AccountType.EXPENSE,
    "equity": AccountType.EQUITY,
}
_FUND_SUFFIXES: dict[str, tuple[str, ...]] = {
    "income": (*INCOME_SOURCES, INTEREST, GIFT_AID),
    "expenses": (*FIXED_EXPENSES, *EXPENSE_CATEGORIES),
    "equity": ("balance",),
}


def validate_fund_slug(slug: str) -> str:
    """Return `slug` unchanged if it is a valid fund slug.

    Raises ValueError unless it is 1-64 characters of lowercase a-z, 0-9 and single inner hyphens.
    """
    if not isinstance(slug, str) or len(slug) > FUND_SLUG_MAX_LENGTH or not _FUND_SLUG.fullmatch(slug):
        raise ValueError(f"invalid fund slug: {slug!r}")
    return slug


def validate_category_slug(slug: str) -> str:
    """Return `slug` unchanged if it may name an expense category.

    Raises ValueError unless it is 1-20 characters of lowercase a-z, 0-9 and single inner hyphens and is not
    the name of a fixed expense account (grants, fees, bank charges).
    """
    if (
        not isinstance(slug, str)
        or len(slug) > CATEGORY_SLUG_MAX_LENGTH
        or not _FUND_SLUG.fullmatch(slug)
        or slug in FIXED_EXPENSES
    ):
        raise ValueError(f"invalid expense category: {slug!r}")
    return slug


def income_account(fund: str, source: str) -> str:
    """Return the income account code for a fund and income source.

    Raises ValueError for an unknown source (see INCOME_SOURCES) or an invalid fund slug.
    """
    if source not in INCOME_SOURCES:
        raise ValueError(f"unknown income source: {source!r}")
    return f"income:{validate_fund_slug(fund)}:{source}"


def grants_expense(fund: str) -> str:
    """Return the grants expense account code for a fund."""
    return f"expenses:{validate_fund_slug(fund)}:grants"


def fees_expense(fund: str) -> str:
    """Return the payment-processing fees expense account code for a fund."""
    return f"expenses:{validate_fund_slug(fund)}:fees"


def interest_income(fund: str) -> str:
    """Return the account code of the bank interest earned on a fund's share of the bank."""
    return f"income:{validate_fund_slug(fund)}:{INTEREST}"


def gift_aid_income(fund: str) -> str:
    """Return the account code of the Gift Aid a fund reclaims from HMRC on the gifts given to it."""
    return f"income:{validate_fund_slug(fund)}:{GIFT_AID}"


def gift_aid_account(fund_slug: str, fund_name: str) -> AccountSpec:
    """Return the spec of a fund's Gift Aid income account (opened when a claim first needs it)."""
    return AccountSpec(
        gift_aid_income(fund_slug), f"{fund_name}: Gift Aid", AccountType.INCOME, fund_slug, False
    )


def expense_account(fund: str, category: str) -> str:
    """Return a fund's expense account for a supplier-payment category or bank charges.

    Raises ValueError for a category that is not a valid category slug (see validate_category_slug) or an
    invalid fund slug.
    """
    if category != BANK_CHARGES:
        validate_category_slug(category)
    return f"expenses:{validate_fund_slug(fund)}:{category}"


def default_categories() -> list[tuple[str, str]]:
    """The categories every neighbourhood starts with, as (slug, name) pairs: ("hall-hire", "Hall hire")."""
    return [(category, category.replace("-", " ").capitalize()) for category in EXPENSE_CATEGORIES]


def category_account(fund_slug: str, fund_name: str, category: str, category_name: str) -> AccountSpec:
    """Return a fund's expense account for one supplier-payment category."""
    return AccountSpec(
        expense_account(fund_slug, category),
        f"{fund_name}: {category_name}",
        AccountType.EXPENSE,
        fund_slug,
        False,
    )


def treasurer_accounts(
    fund_slug: str, fund_name: str, categories: list[tuple[str, str]] | None = None
) -> list[AccountSpec]:
    """Return a fund's accounts for the treasurer's everyday entries: interest, bank charges, expenses.

    `categories` are the neighbourhood's expense categories as (slug, name) pairs; by default the six every
    neighbourhood starts with.
    """
    chosen = default_categories() if categories is None else categories
    return [
        AccountSpec(
            interest_income(fund_slug), f"{fund_name}: bank interest", AccountType.INCOME, fund_slug, False
        ),
        category_account(fund_slug, fund_name, BANK_CHARGES, "bank charges"),
        *(category_account(fund_slug, fund_name, slug, name) for slug, name in chosen),
    ]


def fund_balance(fund: str) -> str:
    """Return the fund-balance (equity) account code of a fund, where each year's surplus is closed to."""
    return f"equity:{validate_fund_slug(fund)}:balance"


def held_in(place: str, fund: str | None) -> str:
    """Return a fund's sub-account of a book-level asset or liability (`assets:bank:<fund>`).

    With `fund` None, the book-level account itself (what was posted before money was attributed to
    funds). Raises ValueError for a place that is not one of FUND_HELD, or a bad fund slug.
    """
    if place not in FUND_HELD:
        raise ValueError(f"no fund sub-accounts for {place!r}")
    return place if fund is None else f"{place}:{validate_fund_slug(fund)}"


def place_of(code: str) -> str | None:
    """Return the book-level account an asset or liability code sits under (itself for book-level ones)."""
    if code in FUND_HELD:
        return code
    parent = code.rpartition(":")[0]
    return parent if parent in FUND_HELD and fund_of(code) is not None else None


def is_closed_at_year_end(code: str) -> bool:
    """Return True for a fund's income and expense accounts, the ones a year-end close brings to zero."""
    return fund_of(code) is not None and code.split(":", 1)[0] in ("income", "expenses")


def _is_fund_suffix(prefix: str, suffix: str) -> bool:
    if suffix in _FUND_SUFFIXES.get(prefix, ()):
        return True
    if prefix != "expenses":
        return False
    try:
        validate_category_slug(suffix)
    except ValueError:
        return False
    return True


def fund_of(code: str) -> str | None:
    """Return the fund slug of a per-fund account code, or None for book-level or unknown codes.

    Any valid category slug ends a fund's expense account, so a category added later is recognised too.
    """
    parent, _, last = code.rpartition(":")
    parts = code.split(":")
    if parent in FUND_HELD:
        slug = last
    elif len(parts) != 3 or not _is_fund_suffix(parts[0], parts[2]):
        return None
    else:
        slug = parts[1]
    try:
        return validate_fund_slug(slug)
    except ValueError:
        return None


def type_of(code: str) -> AccountType:
    """Return the account type implied by a code's prefix; raises ValueError for an unknown prefix."""
    prefix = code.split(":", 1)[0]
    if prefix not in _TYPE_PREFIXES:
        raise ValueError(f"unknown account prefix in {code!r}")
    return _TYPE_PREFIXES[prefix]


def book_accounts() -> list[AccountSpec]:
    """Return the accounts every book has, independent of its funds."""
    return [
        AccountSpec(STRIPE_CLEARING, "Stripe clearing", AccountType.ASSET, None, False),
        AccountSpec(BANK, "Bank", AccountType.ASSET, None, True),
        AccountSpec(CASH, "Cash held by treasurer", AccountType.ASSET, None, True),
        AccountSpec(RECEIVABLES, "Receivables", AccountType.ASSET, None, False),
        AccountSpec(DEFERRED_INCOME, "Income raised, not yet received", AccountType.LIABILITY, None, False),
        AccountSpec(GRANTS_PAYABLE, "Grants payable", AccountType.LIABILITY, None, False),
        AccountSpec(
            PLEDGES_HELD, "Cash pledges held until the pledge succeeds", AccountType.LIABILITY, None, False
        ),
    ]


def fund_held_accounts(fund_slug: str, fund_name: str) -> list[AccountSpec]:
    """Return a fund's sub-accounts of the book's assets and liabilities (bank and cash guarded)."""
    return [
        AccountSpec(
            held_in(place, fund_slug),
            f"{fund_name}: {_SHARE_NAMES[place]}",
            type_of(place),
            fund_slug,
            place in _GUARDED,
        )
        for place in FUND_HELD
    ]


def fund_accounts(
    fund_slug: str, fund_name: str, categories: list[tuple[str, str]] | None = None
) -> list[AccountSpec]:
    """Return every account of a fund (its shares, income, expenses, balance); ValueError for a bad slug.

    `categories` as for treasurer_accounts.
    """
    validate_fund_slug(fund_slug)
    specs = fund_held_accounts(fund_slug, fund_name)
    specs += [
        AccountSpec(
            income_account(fund_slug, source), f"{fund_name}: {source}", AccountType.INCOME, fund_slug, False
        )
        for source in INCOME_SOURCES
    ]
    specs.append(
        AccountSpec(grants_expense(fund_slug), f"{fund_name}: grants", AccountType.EXPENSE, fund_slug, False)
    )
    specs.append(
        AccountSpec(
            fees_expense(fund_slug),
            f"{fund_name}: payment processing fees",
            AccountType.EXPENSE,
            fund_slug,
            False,
        )
    )
    specs += treasurer_accounts(fund_slug, fund_name, categories)
    specs.append(
        AccountSpec(
            fund_balance(fund_slug), f"{fund_name}: fund balance", AccountType.EQUITY, fund_slug, False
        )
    )
    return specs
