"""A neighbourhood with officers, a resident and a few months of money, for the export and statement pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pledgebank.books.services import book_of, post
from pledgebank.db import unit_of_work
from pledgebank.ledger import rules
from pledgebank.ledger.money import Money
from pledgebank.neighbourhoods import funds, services
from pledgebank.neighbourhoods.models import FundType
from tests.factories.pledges import quick_user
from tests.helpers.app import WHEN, add_member, make_neighbourhood


@dataclass(frozen=True, slots=True)
class Place:
    """The neighbourhood's slug and the ids of the people in it."""

    slug: str
    chair: int
    treasurer: int
    committee: int
    resident: int


def gbp(pence: int) -> Money:
    """Pounds sterling in pence."""
    return Money(pence, "GBP")


def entries() -> list:
    """Money from December 2025 to March 2026 in the general and playground funds, dates in posting order."""
    return [
        rules.cash_received(
            amount=gbp(12_000),
            fund="general",
            income_source="donations",
            key="w:cash:1",
            on=date(2025, 12, 5),
            source={"receipt": 1},
        ),
        rules.cash_banked(
            fund="general", amount=gbp(10_000), key="w:banked:1", on=date(2025, 12, 10), source={"slip": 1}
        ),
        rules.grant_awarded(
            amount=gbp(7_500), fund="general", key="w:award:1", on=date(2026, 1, 20), source={"grant": 1}
        ),
        rules.grant_paid(
            fund="general", amount=gbp(7_500), key="w:paid:1", on=date(2026, 1, 21), source={"grant": 1}
        ),
        rules.card_payment_received(
            gross=gbp(2_500),
            fee=gbp(58),
            fund="playground-fund",
            income_source="pledges",
            key="w:card:1",
            on=date(2026, 3, 1),
            source={"pledge": 1, "charge": "ch_1", "balance_transaction": "txn_1"},
        ),
    ]


def place_with_money(sessions) -> Place:
    """Elm Park: a chair, treasurer, committee member and resident, a playground fund, five transactions."""
    return elm_park(sessions, fund=("Playground fund", FundType.DESIGNATED.value, ""), entries=entries())


def elm_park(sessions, *, fund: tuple[str, str, str], entries: list) -> Place:
    """Elm Park: a chair, treasurer, committee member and resident, a fund (name, type, purpose) beside the
    general one, and `entries` posted to its book."""
    chair = quick_user(sessions, "chair@example.org", "Chair Person")
    slug = make_neighbourhood(sessions, chair, name="Elm Park")
    people = {}
    for role in ("treasurer", "committee", "resident"):
        people[role] = quick_user(sessions, f"{role}@example.org", role.title())
        add_member(sessions, slug, people[role], *([] if role == "resident" else [role]))
    name, fund_type, purpose = fund
    with unit_of_work(sessions) as session:
        funds.add_fund(
            session,
            actor_id=chair,
            neighbourhood=services.get_neighbourhood(session, slug),
            name=name,
            description="",
            now=WHEN,
            fund_type=fund_type,
            purpose=purpose,
        )
    with unit_of_work(sessions) as session:
        book = book_of(session, services.get_neighbourhood(session, slug).id)
        for entry in entries:
            post(session, book=book, entry=entry, now=WHEN)
    return Place(slug, chair, people["treasurer"], people["committee"], people["resident"])
