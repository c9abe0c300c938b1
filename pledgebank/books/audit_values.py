"""How the audit log shows the values an event recorded: money as money, names not ids, words not codes.

No database and no Flask here: the names come in a `Facts` the caller has loaded (`audit_facts`), and a
sentence is a list of parts, plain text or a `Ref` a page may turn into a link, made by `say` from one whole
translatable template. Words and dates are in the page's language, money and dates in its locale (`Facts`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from babel.dates import format_date

from pledgebank import money_words
from pledgebank.books.audit_labels import LABELS, WORDS
from pledgebank.books.wording import Link
from pledgebank.text import Message, _t

SYSTEM = "PledgeBank"
# Values recorded in minor units.
MONEY_KEYS = frozenset(
    {"amount", "amount_due", "written_off", "budget", "cap", "amount_requested", "amount_spent", "unspent"}
)
# Values a person typed: shown in quotes, as typed (the page escapes them).
TEXT_KEYS = frozenset(
    {"title", "name", "purpose", "description", "bank_details", "controller_name", "controller_contact"}
)


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
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


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
    """The names an audit page's events mention, by id, the neighbourhood's currency and the page's locale."""

    currency: str = "GBP"
    locale: str = money_words.DEFAULT_LOCALE  # the page's: its money and dates are shown in it
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
    return facts.people.get(found) or str(_t("a former member"))


def people(facts: Facts, ids: object) -> str:
    """Names joined as "A, B and C"."""
    names = [person(facts, i) for i in ids] if isinstance(ids, list) else []
    return joined(names) or str(_t("nobody"))


def joined(words: Iterable[str]) -> str:
    """Words joined as "a, b and c"."""
    items = [str(item) for item in words]
    if len(items) < 2:
        return "".join(items)
    return str(_t("%(first)s and %(last)s", first=", ".join(items[:-1]), last=items[-1]))


def say(template: Message, **values: Part | list[Part]) -> list[Part]:
    """A sentence from a whole translatable template, in the page's language, split at its `%(name)s`
    placeholders, each given its part (text, a `Ref`, or parts). An English possessive written
    "%(owner)s's" reads "Chris'" after a name ending in s."""
    shown = str(template)
    parts: list[Part] = []
    at = 0
    for found in _PLACEHOLDER.finditer(shown):
        parts.append(shown[at : found.start()].replace("%%", "%"))
        given = values[found.group(1)]
        parts.extend(given if isinstance(given, list) else [given])
        at = found.end()
        last = parts[-1] if parts else ""
        if shown.startswith("'s", at) and str(last.text if isinstance(last, Ref) else last).endswith("s"):
            parts.append("'")
            at += 2
    parts.append(shown[at:].replace("%%", "%"))
    return [part for part in parts if part != ""]


def words(code: object) -> str:
    """A code in words: known ones as the project says them, else its underscores and dots as spaces."""
    text = str(code)
    known = WORDS.get(text)
    return str(known) if known is not None else text.replace("_", " ").replace(".", " ").replace(":", " ")


def money(facts: Facts, value: object) -> str:
    """Minor units as money for people (a value that is not a whole number is shown as no amount)."""
    amount = as_id(value)
    if amount is None:
        return str(_t("no amount"))
    return money_words.full(amount, facts.currency, facts.locale)


def day(facts: Facts, value: object) -> str:
    """An ISO date or date and time as "1 December 2026", in the page's locale."""
    try:
        found = datetime.fromisoformat(str(value))
    except ValueError:
        return words(value)
    return month(facts, found.date(), "d MMMM y")


def month(facts: Facts, on: date, pattern: str = "MMMM y") -> str:
    """A month as "November 2026" (or a date by another Babel pattern), in the page's locale."""
    return format_date(on, pattern, locale=facts.locale)


def shorten(text: str, limit: int = 80) -> str:
    """Text cut to a length a log line can hold."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def value(facts: Facts, key: str, found: object) -> str:
    """One recorded value in words."""
    if found is None or found == "" or found == []:
        return str(_t("none"))
    if isinstance(found, bool):
        return str(_t("yes") if found else _t("no"))
    if key in MONEY_KEYS:
        return money(facts, found)
    if key in TEXT_KEYS:
        return f"“{shorten(str(found))}”"
    if key == "collection_window_hours":
        return str(_t("%(count)s hours", count=found))
    if key in ("deadline", "closed_through"):
        return day(facts, found)
    if key in ("decider", "recorded_by"):
        return person(facts, found)
    if key == "round":
        return f"“{facts.rounds.get(as_id(found) or 0) or _t('another round')}”"
    if isinstance(found, list):
        return joined(words(item) for item in found) or str(_t("none"))
    if isinstance(found, dict):
        return "; ".join(f"{words(k)}: {value(facts, str(k), v)}" for k, v in found.items())
    return words(found)


def label(key: str) -> str:
    """The name of a recorded value."""
    known = LABELS.get(key)
    return str(known) if known is not None else words(key)


def changes(facts: Facts, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> str:
    """What changed, "label: before → after" for each value recorded both sides that differs."""
    if not before or not after:
        return ""
    parts = [
        f"{label(key)}: {value(facts, key, before[key])} → {value(facts, key, after[key])}"
        for key in before
        if key in after and before[key] != after[key]
    ]
    return "; ".join(parts)
