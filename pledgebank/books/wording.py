"""The words for each kind of ledger transaction, from what its source records say (no database here).

A description names pledges, levies, grants, funds, suppliers and groups, never an individual: a resident who
pledged, paid a levy or received a grant is "a resident", and a donor is named only when they agreed to be.
Where the source records are gone (or never existed, as for entries made by hand in tests and demos) the words
fall back on what the transaction itself holds: its kind and the codes in its memo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pledgebank import money_words
from pledgebank.ledger import kinds

A_RESIDENT = "a resident"
TIMES = "\N{MULTIPLICATION SIGN}"


@dataclass(frozen=True, slots=True)
class Link:
    """What a transaction came from, for a page to link to: a pledge, levy or grant id, or a fund slug."""

    kind: str
    ref: int | str


@dataclass(frozen=True, slots=True)
class Group:
    """Alike transactions that read better together ("5 people, times £10"), keyed alike."""

    key: tuple[object, ...]
    subject: str
    noun: str
    nouns: str
    unit: int
    tail: str = ""


@dataclass(frozen=True, slots=True)
class Described:
    """A transaction in words, what it links to, and (for one of many alike) how it reads in a group."""

    text: str
    link: Link | None = None
    group: Group | None = None


@dataclass(frozen=True, slots=True)
class PledgeFacts:
    """What a description says of a pledge, and of the signup when there is one."""

    id: int
    title: str
    currency: str
    amount: int | None = None


@dataclass(frozen=True, slots=True)
class ChargeFacts:
    """What a description says of a levy charge: the levy, its period and the amount."""

    levy_id: int
    levy_name: str
    period: str
    period_start: date | None
    currency: str
    amount: int | None = None


@dataclass(frozen=True, slots=True)
class GrantFacts:
    """What a description says of a grant: its title and who received it (a group, or a resident)."""

    id: int
    title: str
    recipient: str


@dataclass(frozen=True, slots=True)
class EntryFacts:
    """What a description says of a treasurer's entry (donor only when they agreed to be named)."""

    kind: str
    payee: str
    purpose: str
    donor: str


@dataclass(frozen=True, slots=True)
class TransferFacts:
    """What a description says of a transfer between funds."""

    from_fund: str
    to_fund: str
    reason: str


@dataclass(frozen=True, slots=True)
class DividendFacts:
    """What a description says of a community dividend agreement: its title and the body that pays."""

    id: int
    title: str
    body: str


def memo_details(memo: str) -> dict[str, str]:
    """The `name=value` codes of a memo ("refund fund=roof income=pledges" gives fund and income)."""
    return dict(part.split("=", 1) for part in memo.split()[1:] if "=" in part)


def period_words(period: str, start: date | None) -> str:
    """A levy period as people say it: "November 2026", "the quarter from November 2026", and so on."""
    if start is None:
        return ""
    month = f"{start:%B %Y}"
    if period == "quarterly":
        return f"the quarter from {month}"
    if period == "annual":
        return f"the year from {start:%-d %B %Y}"
    return month


def pledge_words(kind: str, pledge: PledgeFacts) -> Described:
    """A pledge's card payment, cash held, kept or given back, or a refund of its card payment."""
    subject = f"Pledge: {pledge.title}"
    link = Link("pledge", pledge.id)
    amount = pledge.amount
    if kind in (kinds.CARD_PAYMENT_RECEIVED, kinds.PLEDGE_CASH_RECOGNISED) and amount:
        tail = " in cash" if kind == kinds.PLEDGE_CASH_RECOGNISED else ""
        money = money_words.full(amount, pledge.currency)
        group = Group(("pledge", pledge.id, kind), subject, "person", "people", amount, tail)
        return Described(f"{subject} — 1 person {TIMES} {money}{tail}", link, group)
    title = pledge.title
    text = {
        kinds.PLEDGE_CASH_HELD: f"{subject} — cash held until the pledge succeeds",
        kinds.PLEDGE_CASH_RETURNED: f"{subject} — cash given back",
        kinds.REFUND: f"Refund of a card payment for {title}",
        kinds.REFUND_FAILED: f"Refund of a card payment for {title} failed; the money came back",
        kinds.DISPUTE_FUNDS_WITHDRAWN: f"Card payment for {title} disputed; the money is held back",
        kinds.DISPUTE_FUNDS_REINSTATED: f"Disputed card payment for {title} won; the money came back",
        kinds.MATCH_OWED: f"Match funding promised for {title}",
        kinds.MATCH_RECEIVED: f"Match funding received for {title}",
    }.get(kind, subject)
    return Described(text, link)


def charge_words(kind: str, charge: ChargeFacts, hardship: bool) -> Described:
    """A levy charge raised, paid, reduced or written off, or a refund of its card payment."""
    when = period_words(charge.period, charge.period_start)
    subject = f"Levy: {charge.levy_name}" + (f", {when}" if when else "")
    link = Link("levy", charge.levy_id)
    if kind in (kinds.RECEIVABLE_RAISED, kinds.RECEIVABLE_SETTLED):
        tail = " charged" if kind == kinds.RECEIVABLE_RAISED else " paid"
        group = Group(("levy", charge.levy_id, when, kind), subject, "household", "households", 0, tail)
        return Described(f"{subject} charge{' paid' if tail == ' paid' else ''}", link, group)
    if kind == kinds.RECEIVABLE_WRITTEN_OFF:
        why = "reduced for hardship" if hardship else "written off"
        return Described(f"{subject} charge {why}", link)
    text = {
        kinds.REFUND: f"Refund of a card payment for {subject}",
        kinds.REFUND_FAILED: f"Refund of a card payment for {subject} failed; the money came back",
        kinds.DISPUTE_FUNDS_WITHDRAWN: f"Card payment for {subject} disputed; the money is held back",
        kinds.DISPUTE_FUNDS_REINSTATED: f"Disputed card payment for {subject} won; the money came back",
    }.get(kind, subject)
    return Described(text, link)


def grant_words(kind: str, grant: GrantFacts) -> Described:
    """A grant awarded, paid, or its unspent money returned."""
    link = Link("grant", grant.id)
    if kind == kinds.GRANT_PAID:
        return Described(f"Grant paid to {grant.recipient}: {grant.title}", link)
    if kind == kinds.GRANT_RETURNED:
        return Described(f"Unspent grant money returned by {grant.recipient}: {grant.title}", link)
    return Described(f"Grant to {grant.recipient}: {grant.title}", link)


def dividend_words(kind: str, agreement: DividendFacts) -> Described:
    """A community dividend earned from a body (owed), or its payment received."""
    link = Link("dividend", agreement.id)
    if kind == kinds.DIVIDEND_RECEIVED:
        return Described(f"Community dividend received from {agreement.body}: {agreement.title}", link)
    return Described(f"Community dividend earned from {agreement.body}: {agreement.title}", link)


def entry_words(entry: EntryFacts, fund: str | None) -> Described:
    """A treasurer's entry: a donation, a payment to a supplier, bank charges or interest, and so on."""
    link = Link("fund", fund) if fund else None
    if entry.kind == kinds.DONATION_RECEIVED:
        return Described(f"Donation from {entry.donor}" if entry.donor else "Donation (anonymous)", link)
    if entry.kind == kinds.SUPPLIER_PAID:
        what = f": {entry.purpose}" if entry.purpose else ""
        return Described(f"Paid {entry.payee}{what}" if entry.payee else f"Paid a supplier{what}", link)
    return Described(kind_words(entry.kind, {}), link)


def transfer_words(transfer: TransferFacts, fund: str | None) -> Described:
    """A transfer of money between two funds, with its reason."""
    reason = f": {transfer.reason}" if transfer.reason else ""
    text = f"Transfer from {transfer.from_fund} to {transfer.to_fund}{reason}"
    return Described(text, Link("fund", fund) if fund else None)


_INCOME = {"pledges": "for a pledge", "levies": "for a levy", "donations": "(a donation)", "grants": ""}
_PLACES = {
    "assets:bank": "by bank transfer",
    "assets:cash": "in cash",
    "assets:stripe-clearing": "by card",
}


def kind_words(kind: str, details: dict[str, str], fund_names: dict[str, str] | None = None) -> str:
    """The words for a transaction whose source records are not known: its kind and memo codes only."""
    names = fund_names or {}
    income = _INCOME.get(details.get("income", ""), "")
    fund = names.get(details.get("fund", ""), "")
    by = _PLACES.get(details.get("into", "") or details.get("source_account", ""), "")
    if kind == kinds.CASH_RECEIVED and details.get("income") == "donations":
        return "Donation (anonymous)" + (f" {by}" if by else "")
    words = {
        kinds.CARD_PAYMENT_RECEIVED: f"Card payment {income}",
        kinds.CASH_RECEIVED: f"Money received {by} {income}",
        kinds.REFUND: f"Refund of a payment {income} {by}",
        kinds.PAYOUT: "Card payments paid into the bank by Stripe",
        kinds.CASH_BANKED: "Cash paid into the bank",
        kinds.RECEIVABLE_RAISED: "Levy charge",
        kinds.RECEIVABLE_SETTLED: f"Levy charge paid {by}",
        kinds.RECEIVABLE_WRITTEN_OFF: "Levy charge written off",
        kinds.GRANT_AWARDED: f"Grant awarded from {fund}" if fund else "Grant awarded",
        kinds.GRANT_PAID: f"Grant paid {by}",
        kinds.GRANT_RETURNED: "Unspent grant money returned",
        kinds.MATCH_OWED: "Match funding promised for a pledge",
        kinds.MATCH_RECEIVED: f"Match funding received {by}",
        kinds.PLEDGE_CASH_HELD: "Pledge: cash held until the pledge succeeds",
        kinds.PLEDGE_CASH_RECOGNISED: "Pledge: cash kept, the pledge succeeded",
        kinds.PLEDGE_CASH_RETURNED: "Pledge: cash given back",
        kinds.DISPUTE_FUNDS_WITHDRAWN: "Card payment disputed; the money is held back",
        kinds.DISPUTE_FUNDS_REINSTATED: "Disputed card payment won; the money came back",
        kinds.REFUND_FAILED: "Refund of a card payment failed; the money came back",
        kinds.DONATION_RECEIVED: "Donation (anonymous)",
        kinds.SUPPLIER_PAID: "Paid a supplier",
        kinds.BANK_CHARGES: "Bank charges",
        kinds.BANK_INTEREST: "Bank interest",
        kinds.OPENING_BALANCE: "Opening balance",
        kinds.LEGACY_ATTRIBUTED: "Money held before funds were kept apart, shared out between the funds",
        kinds.DIVIDEND_EARNED: "Community dividend earned, owed by the body that agreed it",
        kinds.DIVIDEND_RECEIVED: f"Community dividend received {by}",
        kinds.GIFT_AID_CLAIMED: "Gift Aid claimed from HMRC",
        kinds.GIFT_AID_RECEIVED: f"Gift Aid received from HMRC {by}",
        kinds.FUND_TRANSFER: (
            f"Transfer from {names.get(details.get('from', ''), 'one fund')} "
            f"to {names.get(details.get('to', ''), 'another')}"
        ),
    }.get(kind)
    if kind == kinds.REVERSAL:
        return f"Correction of an earlier entry: {kind_words(details.get('of', ''), {}, names).lower()}"
    if kind == kinds.YEAR_CLOSED and details.get("through"):
        return f"Year closed to {date.fromisoformat(details['through']):%-d %B %Y}"
    if kind == kinds.YEAR_CLOSED:
        return "Year closed"
    return " ".join((words or kind.replace("_", " ").capitalize()).split())


def group_text(group: Group, count: int, units: set[int], currency: str) -> str:
    """The words for `count` alike transactions together ("Pledge: X — 5 people, times £10")."""
    nouns = group.noun if count == 1 else group.nouns
    if not group.unit:
        return f"{group.subject} — {count} {nouns}{group.tail}"
    if len(units) == 1:
        return (
            f"{group.subject} — {count} {nouns} {TIMES} {money_words.full(group.unit, currency)}{group.tail}"
        )
    low, high = money_words.full(min(units), currency), money_words.full(max(units), currency)
    return f"{group.subject} — {count} {nouns}, {low} to {high} each{group.tail}"
