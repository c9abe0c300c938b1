"""How the audit log shows the values an event recorded: money as money, names not ids, words not codes.

No database and no Flask here: the names come in a `Facts` the caller has loaded (`audit_facts`), and a
sentence is a list of parts, plain text or a `Ref` a page may turn into a link.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from pledgebank import money_words
from pledgebank.books.wording import Link

SYSTEM = "PledgeBank"
# Values recorded in minor units.
MONEY_KEYS = frozenset(
    {"amount", "amount_due", "written_off", "budget", "cap", "amount_requested", "amount_spent", "unspent"}
)
# Values a person typed: shown in quotes, as typed (the page escapes them).
TEXT_KEYS = frozenset(
    {"title", "name", "purpose", "description", "bank_details", "controller_name", "controller_contact"}
)
LABELS = {
    "allow_cash_pledges": "cash pledges allowed",
    "pledges_need_approval": "pledges need approval",
    "collection_window_hours": "collection window",
    "controller_name": "data controller",
    "controller_contact": "data controller's contact",
    "bank_details": "bank details",
    "amount_due": "amount owed",
    "decider": "decided by",
    "round": "grant round",
}
WORDS = {
    "none": "no interest",
    "conflict": "a conflict of interest",
    "part_award": "award in part",
    "part_awarded": "awarded in part",
    "under_review": "under review",
    "awaiting_approval": "waiting for a second approval",
    "assets:bank": "bank",
    "assets:cash": "cash box",
    "purpose_met": "its purpose was met",
    "donors_agreed": "its donors agreed",
    "bank_transfer": "bank transfer",
    "supplier_payment": "a payment to a supplier",
    "cash_banked": "cash paid into the bank",
    "bank_charges": "bank charges",
    "bank_interest": "bank interest",
    "opening_balance": "an opening balance",
    "donation": "a donation",
    "correction": "a correction",
    "flat": "the same for every household",
    "banded": "by council-tax band",
    "monthly": "a month",
    "committee": "committee member",
    "quarterly": "a quarter",
    "annual": "a year",
}


class Event(Protocol):
    """What a sentence needs of an audit event (the AuditEvent row has it)."""

    @property
    def action(self) -> str: ...
    @property
    def actor_id(self) -> int | None: ...
    @property
    def subject_type(self) -> str: ...
    @property
    def subject_id(self) -> str: ...
    @property
    def before(self) -> dict[str, Any] | None: ...
    @property
    def after(self) -> dict[str, Any] | None: ...


@dataclass(frozen=True, slots=True)
class Ref:
    """A named thing in a sentence, and the page it has (None: no page)."""

    text: str
    link: Link | None = None


Part = str | Ref


@dataclass(frozen=True, slots=True)
class HardshipFacts:
    """A hardship request: who asked, and the levy charge it was about."""

    requester_id: int
    levy_id: int
    period_start: date


@dataclass(frozen=True, slots=True)
class EntryFacts:
    """A treasurer's entry: its kind, payee and purpose."""

    kind: str
    payee: str
    purpose: str


@dataclass(slots=True)
class Facts:
    """The names an audit page's events mention, by id, and the neighbourhood's currency."""

    currency: str = "GBP"
    people: dict[int, str] = field(default_factory=dict)
    pledges: dict[int, str] = field(default_factory=dict)
    levies: dict[int, str] = field(default_factory=dict)
    funds: dict[int, tuple[str, str]] = field(default_factory=dict)  # id: (name, slug)
    applications: dict[int, str] = field(default_factory=dict)
    rounds: dict[int, str] = field(default_factory=dict)
    payments: dict[int, int] = field(default_factory=dict)  # grant payment id: application id
    reports: dict[int, int] = field(default_factory=dict)  # grant report id: application id
    hardship: dict[int, HardshipFacts] = field(default_factory=dict)
    offers: dict[int, tuple[str, int]] = field(default_factory=dict)  # id: (sponsor, pledge id)
    entries: dict[int, EntryFacts] = field(default_factory=dict)
    categories: dict[int, str] = field(default_factory=dict)


def as_id(value: object) -> int | None:
    """An id recorded as a number or as digits, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


def person(facts: Facts, user_id: object) -> str:
    """A person's name (an erased person's is their pseudonym), or "PledgeBank" for the system."""
    found = as_id(user_id)
    if found is None:
        return SYSTEM
    return facts.people.get(found, "a former member")


def people(facts: Facts, ids: object) -> str:
    """Names joined as "A, B and C"."""
    names = [person(facts, i) for i in ids] if isinstance(ids, list) else []
    return joined(names) or "nobody"


def joined(words: Iterable[str]) -> str:
    """Words joined as "a, b and c"."""
    items = list(words)
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def possessive(name: str) -> str:
    """Tom Okafor's."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def words(code: object) -> str:
    """A code in words: known ones as the project says them, else its underscores and dots as spaces."""
    text = str(code)
    return WORDS.get(text, text.replace("_", " ").replace(".", " ").replace(":", " "))


def money(facts: Facts, value: object) -> str:
    """Minor units as money for people (a value that is not a whole number is shown as no amount)."""
    amount = as_id(value)
    return "no amount" if amount is None else money_words.full(amount, facts.currency)


def day(value: object) -> str:
    """An ISO date or date and time as "1 December 2026"."""
    try:
        found = datetime.fromisoformat(str(value))
    except ValueError:
        return words(value)
    return f"{found:%-d %B %Y}"


def shorten(text: str, limit: int = 80) -> str:
    """Text cut to a length a log line can hold."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def value(facts: Facts, key: str, found: object) -> str:
    """One recorded value in words."""
    if found is None or found == "" or found == []:
        return "none"
    if isinstance(found, bool):
        return "yes" if found else "no"
    if key in MONEY_KEYS:
        return money(facts, found)
    if key in TEXT_KEYS:
        return f"“{shorten(str(found))}”"
    if key == "collection_window_hours":
        return f"{found} hours"
    if key in ("deadline", "closed_through"):
        return day(found)
    if key in ("decider", "recorded_by"):
        return person(facts, found)
    if key == "round":
        return f"“{facts.rounds.get(as_id(found) or 0, 'another round')}”"
    if isinstance(found, list):
        return joined(words(item) for item in found) or "none"
    if isinstance(found, dict):
        return "; ".join(f"{words(k)}: {value(facts, str(k), v)}" for k, v in found.items())
    return words(found)


def changes(facts: Facts, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> str:
    """What changed, "label: before → after" for each value recorded both sides that differs."""
    if not before or not after:
        return ""
    parts = [
        f"{LABELS.get(key, words(key))}: {value(facts, key, before[key])} → {value(facts, key, after[key])}"
        for key in before
        if key in after and before[key] != after[key]
    ]
    return "; ".join(parts)
