"""Every ledger transaction in words, derived from its source records whenever it is shown.

Descriptions are not stored: a transaction's sealed row holds only ids and codes, and the words are built
from the records those ids name (the pledge, the levy charge, the grant, the treasurer's entry, the transfer)
each time a page or an export needs them. So transactions posted before descriptions existed read as well as
new ones, a name corrected or erased (UK GDPR) is corrected or erased in every description at once, and no
wording or personal data ever enters the hash chain. Describing a batch costs one query per kind of source
record it mentions, however many transactions the batch holds.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Text, cast, or_, select
from sqlalchemy.orm import Session, aliased

from pledgebank.books.fund_transfer_models import FundTransfer
from pledgebank.books.models import Book, LedgerTransaction
from pledgebank.books.treasurer_models import TreasurerEntry
from pledgebank.books.wording import (
    A_RESIDENT,
    DEFAULT_LOCALE,
    ChargeFacts,
    Described,
    DividendFacts,
    EntryFacts,
    GrantFacts,
    PledgeFacts,
    TransferFacts,
    charge_words,
    dividend_words,
    entry_words,
    grant_words,
    kind_words,
    memo_details,
    pledge_words,
    transfer_words,
)
from pledgebank.dividends.models import DividendAgreement, DividendBody
from pledgebank.grants.models import GrantApplication
from pledgebank.ledger import kinds
from pledgebank.levies.models import Levy, LevyCharge
from pledgebank.neighbourhoods.models import Fund
from pledgebank.pledges.models import MatchOffer, Pledge, PledgeSignup
from pledgebank.text import _t

# Kinds whose source names the card payment (its PaymentIntent) rather than the pledge or charge it paid.
_ABOUT_A_PAYMENT = (
    kinds.REFUND,
    kinds.REFUND_FAILED,
    kinds.DISPUTE_FUNDS_WITHDRAWN,
    kinds.DISPUTE_FUNDS_REINSTATED,
)


@dataclass(frozen=True, slots=True)
class Item:
    """What describing needs of one transaction."""

    sequence: int
    kind: str
    memo: str
    source: Mapping[str, str]
    reverses_sequence: int | None = None


@dataclass(slots=True)
class _Facts:
    funds: dict[str, str] = field(default_factory=dict)
    pledges: dict[int, PledgeFacts] = field(default_factory=dict)
    signups: dict[int, PledgeFacts] = field(default_factory=dict)
    offers: dict[int, PledgeFacts] = field(default_factory=dict)
    pledge_payments: dict[str, PledgeFacts] = field(default_factory=dict)
    charges: dict[int, ChargeFacts] = field(default_factory=dict)
    charge_payments: dict[str, ChargeFacts] = field(default_factory=dict)
    grants: dict[int, GrantFacts] = field(default_factory=dict)
    entries: dict[int, tuple[str, str, str, str | None]] = field(default_factory=dict)
    transfers: dict[int, TransferFacts] = field(default_factory=dict)
    dividends: dict[int, DividendFacts] = field(default_factory=dict)


def describe(
    session: Session, book: Book, items: Sequence[Item], locale: str = DEFAULT_LOCALE
) -> dict[int, Described]:
    """Each transaction's description, by sequence number (one query per kind of source record); its words
    translate where they are shown, and its months and money are in locale (the page's)."""
    originals = _originals(session, book, {i.reverses_sequence for i in items if i.reverses_sequence})
    facts = _load(session, book, [*items, *originals.values()])
    described: dict[int, Described] = {}
    for item in items:
        original = originals.get(item.reverses_sequence or 0)
        if item.kind == kinds.REVERSAL and original is not None:
            words = _one(original, facts, locale)
            described[item.sequence] = Described(
                _t("Correction of #%(number)s: %(words)s", number=original.sequence, words=words.text),
                words.link,
            )
        else:
            described[item.sequence] = _one(item, facts, locale)
    return described


def item_of(transaction: LedgerTransaction, reverses_sequence: int | None = None) -> Item:
    """The describable part of a transaction row."""
    return Item(
        transaction.sequence,
        transaction.kind,
        transaction.memo,
        source_of(transaction.source),
        reverses_sequence,
    )


def source_of(source: object) -> dict[str, str]:
    """Source references as a dict of strings, whether the database gave JSON text or a dict."""
    if isinstance(source, str):
        return {str(k): str(v) for k, v in json.loads(source).items()}
    if source is None:
        return {}
    if isinstance(source, Mapping):
        return {str(k): str(v) for k, v in source.items()}
    raise TypeError(f"source references must be JSON text or a mapping, not {type(source).__name__}")


def _one(item: Item, facts: _Facts, locale: str) -> Described:
    src, kind = item.source, item.kind
    details = memo_details(item.memo)
    entry = facts.entries.get(_id(src.get("treasurer_entry")) or 0)
    if entry is not None:
        payee, purpose, donor, fund = entry
        return entry_words(EntryFacts(kind, payee, purpose, donor), fund)
    transfer = facts.transfers.get(_id(src.get("fund_transfer")) or 0)
    if transfer is not None:
        return transfer_words(transfer, details.get("from"))
    dividend = facts.dividends.get(_id(src.get("dividend_agreement")) or 0)
    if dividend is not None:
        return dividend_words(kind, dividend)
    grant = facts.grants.get(_id(src.get("grant_application")) or 0)
    if grant is not None:
        return grant_words(kind, grant)
    charge = facts.charges.get(_id(src.get("levy_charge")) or 0)
    if charge is None and kind in _ABOUT_A_PAYMENT:
        charge = facts.charge_payments.get(src.get("payment_intent", ""))
    if charge is not None:
        return charge_words(kind, charge, "hardship_request" in src, locale)
    pledge = (
        facts.signups.get(_id(src.get("signup")) or 0)
        or facts.offers.get(_id(src.get("match_offer")) or 0)
        or (facts.pledge_payments.get(src.get("payment_intent", "")) if kind in _ABOUT_A_PAYMENT else None)
        or facts.pledges.get(_id(src.get("pledge")) or 0)
    )
    if pledge is not None:
        return pledge_words(kind, pledge, locale)
    return Described(kind_words(kind, details, facts.funds, locale))


def _id(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() else None


def _ids(items: Sequence[Item], name: str) -> set[int]:
    return {n for n in (_id(i.source.get(name)) for i in items) if n is not None}


def _originals(session: Session, book: Book, sequences: set[int]) -> dict[int, Item]:
    if not sequences:
        return {}
    t = LedgerTransaction
    rows = session.execute(
        select(t.sequence, t.kind, t.memo, cast(t.source, Text)).where(
            t.book_id == book.id, t.sequence.in_(sequences)
        )
    )
    return {seq: Item(seq, kind, memo, source_of(source)) for seq, kind, memo, source in rows}


def _load(session: Session, book: Book, items: Sequence[Item]) -> _Facts:
    place = book.neighbourhood_id
    facts = _Facts()
    facts.funds = dict(
        session.execute(select(Fund.slug, Fund.name).where(Fund.neighbourhood_id == place)).all()
    )
    intents = {
        i.source["payment_intent"]
        for i in items
        if i.kind in _ABOUT_A_PAYMENT and i.source.get("payment_intent")
    }
    _load_pledges(session, place, items, intents, facts)
    _load_charges(session, place, _ids(items, "levy_charge"), intents, facts)
    grant_ids = _ids(items, "grant_application")
    if grant_ids:
        for app_id, title, group in session.execute(
            select(GrantApplication.id, GrantApplication.title, GrantApplication.group_name).where(
                GrantApplication.id.in_(grant_ids), GrantApplication.neighbourhood_id == place
            )
        ):
            facts.grants[app_id] = GrantFacts(app_id, title, group or A_RESIDENT)
    entry_ids = _ids(items, "treasurer_entry")
    if entry_ids:
        for entry_id, payee, purpose, donor, public, fund in session.execute(
            select(
                TreasurerEntry.id,
                TreasurerEntry.payee,
                TreasurerEntry.purpose,
                TreasurerEntry.donor,
                TreasurerEntry.donor_public,
                Fund.slug,
            )
            .outerjoin(Fund, Fund.id == TreasurerEntry.fund_id)
            .where(TreasurerEntry.id.in_(entry_ids), TreasurerEntry.book_id == book.id)
        ):
            # A donor is named only when they agreed to be; otherwise the donation is anonymous.
            facts.entries[entry_id] = (payee, purpose, donor if public else "", fund)
    dividend_ids = _ids(items, "dividend_agreement")
    if dividend_ids:
        for agreement_id, title, body in session.execute(
            select(DividendAgreement.id, DividendAgreement.title, DividendBody.name)
            .join(DividendBody, DividendBody.id == DividendAgreement.body_id)
            .where(DividendAgreement.id.in_(dividend_ids), DividendAgreement.neighbourhood_id == place)
        ):
            facts.dividends[agreement_id] = DividendFacts(agreement_id, title, body)
    transfer_ids = _ids(items, "fund_transfer")
    if transfer_ids:
        source, target = aliased(Fund), aliased(Fund)
        for transfer_id, from_name, to_name, reason in session.execute(
            select(FundTransfer.id, source.name, target.name, FundTransfer.reason)
            .join(source, source.id == FundTransfer.from_fund_id)
            .join(target, target.id == FundTransfer.to_fund_id)
            .where(FundTransfer.id.in_(transfer_ids), FundTransfer.book_id == book.id)
        ):
            facts.transfers[transfer_id] = TransferFacts(from_name, to_name, reason)
    return facts


def _load_pledges(
    session: Session, place: int, items: Sequence[Item], intents: set[str], facts: _Facts
) -> None:
    signup_ids = _ids(items, "signup")
    if signup_ids or intents:
        wanted = [PledgeSignup.id.in_(signup_ids)] if signup_ids else []
        if intents:
            wanted.append(PledgeSignup.payment_intent_id.in_(intents))
        for signup_id, intent, amount, pledge_id, title, currency in session.execute(
            select(
                PledgeSignup.id,
                PledgeSignup.payment_intent_id,
                PledgeSignup.amount,
                Pledge.id,
                Pledge.title,
                Pledge.currency,
            )
            .join(Pledge, Pledge.id == PledgeSignup.pledge_id)
            .where(or_(*wanted), Pledge.neighbourhood_id == place)
        ):
            pledge = PledgeFacts(pledge_id, title, currency, amount)
            if signup_id in signup_ids:
                facts.signups[signup_id] = pledge
            if intent and intent in intents:
                facts.pledge_payments[intent] = PledgeFacts(pledge_id, title, currency)
    offer_ids = _ids(items, "match_offer")
    if offer_ids:
        for offer_id, pledge_id, title, currency in session.execute(
            select(MatchOffer.id, Pledge.id, Pledge.title, Pledge.currency)
            .join(Pledge, Pledge.id == MatchOffer.pledge_id)
            .where(MatchOffer.id.in_(offer_ids), Pledge.neighbourhood_id == place)
        ):
            facts.offers[offer_id] = PledgeFacts(pledge_id, title, currency)
    pledge_ids = _ids(items, "pledge")
    if pledge_ids:
        for pledge_id, title, currency in session.execute(
            select(Pledge.id, Pledge.title, Pledge.currency).where(
                Pledge.id.in_(pledge_ids), Pledge.neighbourhood_id == place
            )
        ):
            facts.pledges[pledge_id] = PledgeFacts(pledge_id, title, currency)


def _load_charges(
    session: Session, place: int, charge_ids: set[int], intents: set[str], facts: _Facts
) -> None:
    if not charge_ids and not intents:
        return
    wanted = [LevyCharge.id.in_(charge_ids)] if charge_ids else []
    if intents:
        wanted.append(LevyCharge.payment_intent_id.in_(intents))
    for charge_id, intent, start, amount, currency, levy_id, name, period in session.execute(
        select(
            LevyCharge.id,
            LevyCharge.payment_intent_id,
            LevyCharge.period_start,
            LevyCharge.amount,
            LevyCharge.currency,
            Levy.id,
            Levy.name,
            Levy.period,
        )
        .join(Levy, Levy.id == LevyCharge.levy_id)
        .where(or_(*wanted), Levy.neighbourhood_id == place)
    ):
        charge = ChargeFacts(levy_id, name, period, start, currency, amount)
        if charge_id in charge_ids:
            facts.charges[charge_id] = charge
        if intent and intent in intents:
            facts.charge_payments[intent] = charge
