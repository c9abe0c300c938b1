"""The names a page of audit events mentions, loaded with one query per kind of record (see `audit_words`).

Ids come from each event's subject and from the values it recorded (the fund a transfer moved from, the
members who agreed a levy, the decider named for a grant). An id whose record is gone simply has no name;
the sentence then says "a pledge" or "a former member".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.accounts.models import User
from pledgebank.books.audit_values import EntryFacts, Event, Facts, HardshipFacts, as_id
from pledgebank.books.treasurer_models import ExpenseCategory, TreasurerEntry
from pledgebank.grants.models import GrantApplication, GrantPayment, GrantReport, GrantRound
from pledgebank.levies.models import HardshipRequest, Levy, LevyCharge
from pledgebank.money_words import DEFAULT_LOCALE
from pledgebank.neighbourhoods.models import Fund
from pledgebank.pledges.models import MatchOffer, Pledge

# Recorded values that name people by id.
_PERSON_KEYS = ("decider", "recorded_by", "approved_by")


def _ids(values: Iterable[object]) -> set[int]:
    found: set[int] = set()
    for item in values:
        for one in item if isinstance(item, list) else [item]:
            number = as_id(one)
            if number is not None:
                found.add(number)
    return found


def load_facts(
    session: Session,
    events: Sequence[Event],
    *,
    neighbourhood_id: int,
    currency: str,
    locale: str = DEFAULT_LOCALE,
) -> Facts:
    """The names the events mention: people, pledges, levies, funds, grants, requests, entries; money and
    dates shown in locale (the page's)."""
    subjects: dict[str, set[int]] = defaultdict(set)
    recorded: dict[str, list[object]] = defaultdict(list)
    for event in events:
        number = as_id(event.subject_id)
        if number is not None:
            subjects[event.subject_type].add(number)
        for values in (event.before or {}, event.after or {}):
            for key, found in values.items():
                recorded[key].append(found)
        if event.subject_type == "document":  # what a document was attached to
            on, on_id = (event.after or {}).get("on"), as_id((event.after or {}).get("on_id"))
            if isinstance(on, str) and on_id is not None:
                subjects[on].add(on_id)
    facts = Facts(currency=currency, locale=locale)
    _engines(session, facts, subjects, recorded)
    facts.funds = {
        f.id: (f.name, f.slug)
        for f in session.scalars(select(Fund).where(Fund.neighbourhood_id == neighbourhood_id))
    }
    rounds = _ids(recorded["round"]) | subjects["grant_round"]
    facts.rounds = _pairs(session, GrantRound.id, GrantRound.title, rounds)
    people = {e.actor_id for e in events if e.actor_id is not None} | subjects["user"]
    people |= _ids(v for key in _PERSON_KEYS for v in recorded[key])
    people |= {h.requester_id for h in facts.hardship.values()}
    facts.people = _pairs(session, User.id, User.display_name, people)
    return facts


def _pairs(session: Session, key: Any, named: Any, ids: set[int]) -> dict[Any, Any]:
    """{id: value} for the ids (one query)."""
    return {row[0]: row[1] for row in session.execute(select(key, named).where(key.in_(ids)))}


def _engines(
    session: Session, facts: Facts, subjects: dict[str, set[int]], recorded: dict[str, list[object]]
) -> None:
    offers = list(
        session.execute(
            select(MatchOffer.id, MatchOffer.sponsor_name, MatchOffer.pledge_id).where(
                MatchOffer.id.in_(subjects["match_offer"])
            )
        )
    )
    facts.offers = {row.id: (row.sponsor_name, row.pledge_id) for row in offers}
    pledges = subjects["pledge"] | _ids(recorded["pledge"]) | {row.pledge_id for row in offers}
    facts.pledges = _pairs(session, Pledge.id, Pledge.title, pledges)
    hardship = session.execute(
        select(
            HardshipRequest.id, HardshipRequest.requested_by_id, LevyCharge.levy_id, LevyCharge.period_start
        )
        .join(LevyCharge, LevyCharge.id == HardshipRequest.charge_id)
        .where(HardshipRequest.id.in_(subjects["hardship_request"]))
    )
    facts.hardship = {row[0]: HardshipFacts(row[1], row[2], row[3]) for row in hardship}
    levies = subjects["levy"] | {h.levy_id for h in facts.hardship.values()}
    facts.levies = _pairs(session, Levy.id, Levy.name, levies)
    facts.payments = _pairs(session, GrantPayment.id, GrantPayment.application_id, subjects["grant_payment"])
    facts.reports = _pairs(session, GrantReport.id, GrantReport.application_id, subjects["grant_report"])
    applications = subjects["grant_application"] | set(facts.payments.values()) | set(facts.reports.values())
    facts.applications = _pairs(session, GrantApplication.id, GrantApplication.title, applications)
    entries = session.execute(
        select(TreasurerEntry.id, TreasurerEntry.kind, TreasurerEntry.payee, TreasurerEntry.purpose).where(
            TreasurerEntry.id.in_(subjects["treasurer_entry"])
        )
    )
    facts.entries = {row[0]: EntryFacts(row[1], row[2], row[3]) for row in entries}
    facts.categories = _pairs(session, ExpenseCategory.id, ExpenseCategory.name, subjects["expense_category"])
