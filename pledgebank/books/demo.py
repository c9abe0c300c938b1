"""Demo data for the treasurer's books: opening entries, a year and a bit of everyday money, last year closed.

When the neighbourhood is made, its book opens with four entries of recent days: a cash donation received,
most of it banked, and a grant awarded and paid from the bank.

The treasurer's entries are spread over the previous financial year and the current one, recorded through the
same services as Ledger → Record money, the card payments page and the year-close page:

- last year: the general fund's opening balances (what the residents' group held when its books moved
  here), an anonymous cash donation from a collection tin, the tin's cash paid into the bank, a printer paid
  for the plant sale's posters, a named donation to the playground fund, the bank's fee and the bank's
  interest; then the year is closed;
- this year: a named donation to the restricted "Street trees" fund, a supplier payment from the playground
  fund for the fence (above the second-approval threshold, so a second committee member approves it), the
  bank's fee, and a third of a levy card payment refunded to the card through Stripe (when the demo runs
  with a gateway; without one no card payments are seeded, so there is nothing to refund).

They come after the other demo data, whose history reaches back two months: once the year is closed, nothing
dated in it can be posted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import Flask
from sqlalchemy.orm import Session

from pledgebank.books import treasurer
from pledgebank.books import treasurer_checks as checks
from pledgebank.books.closing import close_year
from pledgebank.books.services import book_of, post
from pledgebank.books.treasurer_checks import EntryTerms
from pledgebank.clock import local_date
from pledgebank.db import unit_of_work
from pledgebank.exports.statements import year_of, year_starting
from pledgebank.jobs import payments_context
from pledgebank.ledger import chart, rules
from pledgebank.ledger.money import Money
from pledgebank.neighbourhoods.demo import DEMO_SLUG
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.payments.refund_books import card_payments
from pledgebank.payments.refunds import refund_payment

FENCE_PAYEE = "Peckham Fencing Ltd"
PRINT_PAYEE = "Rye Lane Print Shop"


@dataclass(frozen=True, slots=True)
class Dates:
    """The financial years the demo's books span, and today."""

    last_year: date
    last_year_end: date
    this_year: date
    today: date

    def last(self, days: int) -> date:
        """A day of last year, so many days after its first."""
        return self.last_year + timedelta(days=days)

    def this(self, part: float) -> date:
        """A day of this year so far: 0 is its first day, 1 today."""
        return self.this_year + timedelta(days=int((self.today - self.this_year).days * part))


def _dates(today: date, year_start: str) -> Dates:
    year = year_of(today, year_start)
    last_year, last_year_end = year_starting(year - 1, year_start)
    return Dates(last_year, last_year_end, year_starting(year, year_start)[0], today)


def _last_year(on: Dates) -> list[EntryTerms]:
    return [
        EntryTerms(
            checks.OPENING_BALANCE,
            on.last_year,
            "Money the residents' group held when its books moved here",
            amount=38_000,
            cash_amount=4_250,
            fund="general",
        ),
        EntryTerms(
            checks.DONATION,
            on.last(44),
            "Collection tin at the spring plant sale",
            amount=8_640,
            fund="general",
            place="cash",
        ),
        EntryTerms(
            checks.CASH_BANKED,
            on.last(51),
            "Collection tin and cash box paid in at the bank",
            amount=10_000,
            fund="general",
        ),
        EntryTerms(
            checks.SUPPLIER_PAYMENT,
            on.last(60),
            "Posters and plant labels for the spring plant sale",
            amount=3_850,
            fund="general",
            place="bank",
            payee=PRINT_PAYEE,
            category="events",
            purpose="Posters and plant labels for the spring plant sale",
        ),
        EntryTerms(
            checks.DONATION,
            on.last(128),
            "Quiz night takings, given for the playground fence",
            amount=75_000,
            fund="playground-fund",
            place="bank",
            donor="The Harrow Arms",
            donor_public=True,
        ),
        EntryTerms(checks.BANK_CHARGES, on.last(182), "Bank account fee", amount=600, fund="general"),
        EntryTerms(checks.BANK_INTEREST, on.last(272), "Interest on the account", amount=187, fund="general"),
    ]


def _this_year(on: Dates) -> list[EntryTerms]:
    return [
        EntryTerms(
            checks.DONATION,
            on.this(0.2),
            "Given towards the street trees",
            amount=25_000,
            fund="street-trees",
            place="bank",
            donor="Victoria Road Residents' Association",
            donor_public=True,
        ),
        EntryTerms(
            checks.SUPPLIER_PAYMENT,
            on.this(0.5),
            "Temporary repair to the playground fence",
            amount=62_000,
            fund="playground-fund",
            place="bank",
            payee=FENCE_PAYEE,
            category="repairs",
            purpose="Temporary panels on the north side of the playground fence until it is mended",
        ),
        EntryTerms(checks.BANK_CHARGES, on.this(0.8), "Bank account fee", amount=600, fund="general"),
    ]


def seed_opening_entries(
    session: Session, place_id: int, *, treasurer_id: int, at: datetime, currency: str
) -> None:
    """The book's first entries, posted when the neighbourhood is made: cash received and mostly banked, and a
    grant awarded and paid from the bank."""
    book = book_of(session, place_id)
    day = at.date()

    def gbp(pence: int) -> Money:
        return Money(pence, currency)

    entries = [
        rules.cash_received(
            amount=gbp(12_000),
            fund="general",
            income_source="donations",
            key="demo:cash:1",
            on=day - timedelta(days=20),
            source={"demo": 1},
            actor_id=treasurer_id,
        ),
        rules.cash_banked(
            amount=gbp(10_000),
            fund="general",
            key="demo:banked:1",
            on=day - timedelta(days=4),
            source={"demo": 2},
            actor_id=treasurer_id,
        ),
        rules.grant_awarded(
            amount=gbp(7_500),
            fund="general",
            key="demo:award:1",
            on=day - timedelta(days=3),
            source={"demo": 3},
            actor_id=treasurer_id,
        ),
        rules.grant_paid(
            amount=gbp(7_500),
            fund="general",
            from_account=chart.BANK,
            key="demo:paid:1",
            on=day - timedelta(days=1),
            source={"demo": 4},
            actor_id=treasurer_id,
        ),
    ]
    for entry in entries:
        post(session, book=book, entry=entry, now=at)


def seed_books(app: Flask, ids: dict[str, int]) -> None:
    """Record the treasurer's entries of both years, refund a card payment, and close last year."""
    sessions, zone = app.extensions["pledgebank.sessions"], app.config["TIMEZONE"]
    now = app.extensions["pledgebank.clock"].now()
    on = _dates(local_date(now, zone), app.config["FINANCIAL_YEAR_START"])
    tom, aisha = ids["tom@example.org"], ids["aisha@example.org"]
    with unit_of_work(sessions) as session:
        place_id = get_neighbourhood(session, DEMO_SLUG).id
        for number, terms in enumerate([*_last_year(on), *_this_year(on)], start=1):
            entry = treasurer.record_entry(
                session,
                actor_id=tom,
                neighbourhood_id=place_id,
                terms=terms,
                form_key=f"demo-books-entry-{number:03d}",
                threshold=app.config["GRANT_SECOND_APPROVAL_ABOVE"],
                now=now,
                today=on.today,
            )
            if entry.status == treasurer.AWAITING_APPROVAL:
                treasurer.approve_entry(session, actor_id=aisha, entry_id=entry.id, now=now)
    _refund(app, tom, now)
    with unit_of_work(sessions) as session:
        book = book_of(session, get_neighbourhood(session, DEMO_SLUG).id)
        close_year(session, actor_id=tom, book=book, through=on.last_year_end, now=now, today=on.today)


def _refund(app: Flask, treasurer_id: int, now: datetime) -> None:
    """Refund a third of the oldest card payment to the card, as the treasurer does on the card payments page
    (the street lamps were out for ten days of that month)."""
    ctx = payments_context(app)
    if not ctx.gateway.available:
        return
    with unit_of_work(ctx.sessions) as session:
        found = card_payments(session, book_of(session, get_neighbourhood(session, DEMO_SLUG).id))
    if not found:
        return
    oldest = found[-1]
    refund_payment(
        ctx,
        actor_id=treasurer_id,
        payment_intent_id=oldest.payment_intent_id,
        amount=oldest.left // 3,
        request_key="demo-refund-lamps-out",
        now=now,
    )
