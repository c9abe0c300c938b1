"""A year of a neighbourhood's bank account, in the books and on the bank's statement, and helpers that upload
and settle statements through the real services.

The year 2025 of Elm Park, opened with £1,000.00: donations by transfer, a supplier paid, a Stripe payout,
the bank's monthly charges and quarterly interest (on the statement only), a transfer from a trust the books
have not heard of, a donation that bounced (paid in, then returned, and reversed in the books), and one
supplier payment made on 30 December that the bank shows only in January.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from pledgebank.books.services import book_of, post, reverse
from pledgebank.db import unit_of_work
from pledgebank.ledger import chart, rules, treasurer
from pledgebank.ledger.money import Money
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.payments.emulator import stripe_fee
from pledgebank.statements import imports, matching, reconciling
from pledgebank.statements.csv_parser import Layout
from pledgebank.statements.models import StatementLine
from tests.factories.grants import clock_now

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "statements"
YEAR_END = date(2025, 12, 31)
OPENING = 100_000

# The layout of the year's CSV (Date, Description, Reference, Amount, Balance).
YEAR_LAYOUT = Layout(
    date_column="Date",
    date_format="%Y-%m-%d",
    description_column="Description",
    amount_column="Amount",
    reference_column="Reference",
    balance_column="Balance",
)
# The layout of tests/fixtures/statements/paid_in_out.csv.
PAID_IN_OUT = Layout(
    date_column="Date",
    date_format="%d/%m/%Y",
    description_column="Description",
    paid_in_column="Paid in",
    paid_out_column="Paid out",
    balance_column="Balance",
    reference_column="Type",
)


def gbp(pence: int) -> Money:
    """Pounds sterling in pence."""
    return Money(pence, "GBP")


def fixture(name: str) -> bytes:
    """A statement file written for the tests."""
    return (FIXTURES / name).read_bytes()


def _received(key: str, amount: int, on: date):
    return rules.cash_received(
        amount=gbp(amount),
        fund="general",
        income_source="donations",
        key=key,
        on=on,
        source={"test": key},
        into=chart.BANK,
    )


def _paid(key: str, amount: int, on: date):
    return treasurer.supplier_paid(
        amount=gbp(amount),
        fund="general",
        category="repairs",
        from_account=chart.BANK,
        key=key,
        on=on,
        source={"test": key},
    )


def books_of_the_year(app, slug: str) -> None:
    """The year as the books know it (the bank's own charges, interest and the trust's gift are missing)."""
    now = clock_now(app)
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        book = book_of(session, get_neighbourhood(session, slug).id)

        def _post(session, book, entry) -> int:
            return post(session, book=book, entry=entry, now=now).transaction.id

        _post(
            session,
            book,
            treasurer.opening_balance(
                bank=gbp(OPENING),
                cash=gbp(0),
                fund="general",
                key="opening-balance:general",
                on=date(2025, 1, 1),
                source={"test": "opening"},
            ),
        )
        _post(session, book, _received("smith", 25_000, date(2025, 1, 2)))
        _post(session, book, _paid("fence", 12_000, date(2025, 3, 5)))
        gross = 4_000
        _post(
            session,
            book,
            rules.card_payment_received(
                gross=gbp(gross),
                fee=gbp(stripe_fee(gross)),
                fund="general",
                income_source="pledges",
                key="card:1",
                on=date(2025, 4, 10),
                source={"charge": "ch_1", "balance_transaction": "txn_1"},
            ),
        )
        _post(
            session,
            book,
            rules.payout(
                shares={"general": gbp(gross - stripe_fee(gross))},
                key="stripe-payout:po_1",
                on=date(2025, 4, 14),
                source={"payout": "po_1"},
            ),
        )
        bounced = _post(session, book, _received("jones", 8_000, date(2025, 8, 29)))
        reverse(
            session,
            book=book,
            transaction_id=bounced,
            on=date(2025, 9, 4),
            actor_id=None,
            reason_code="bounced",
            now=now,
        )
        _post(session, book, _paid("paint", 6_000, date(2025, 12, 30)))


@dataclass(frozen=True, slots=True)
class Year:
    """The year's statement as CSV bytes and its closing balance."""

    data: bytes
    closing: int


def statement_of_the_year(*, through: date = YEAR_END, since: date = date(2025, 1, 1)) -> Year:
    """The bank's statement of 2025 (or part of it) as CSV, with running balances."""
    rows: list[tuple[date, str, str, int]] = [
        (date(2025, 1, 3), "FASTER PAYMENT A SMITH", "SMITH GIFT", 25_000),
        (date(2025, 3, 6), "OAK FENCING LTD", "INV 311", -12_000),
        (date(2025, 4, 15), "STRIPE PAYMENTS UK", "po_1", 4_000 - stripe_fee(4_000)),
        (date(2025, 7, 15), "TRANSFER FROM GREEN TRUST", "GRANT 25", 50_000),
        (date(2025, 9, 1), "CHEQUE PAID IN", "100234", 8_000),
        (date(2025, 9, 4), "RETURNED CHEQUE", "100234", -8_000),
    ]
    rows += [(date(2025, month, 28), "SERVICE CHARGE", f"FEE {month:02}", -500) for month in range(1, 13)]
    rows += [(date(2025, month, 30), "CREDIT INTEREST", f"INT Q{month // 3}", 123) for month in (3, 6, 9, 12)]
    rows += [(date(2026, 1, 3), "PAINT AND CO", "INV 77", -6_000)]
    rows.sort(key=lambda row: row[0])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Date", "Description", "Reference", "Amount", "Balance"])
    balance = OPENING
    for day, description, reference, amount in rows:
        balance += amount
        if since <= day <= through:
            writer.writerow(
                [day.isoformat(), description, reference, f"{amount / 100:.2f}", f"{balance / 100:.2f}"]
            )
    return Year(out.getvalue().encode(), sum(r[3] for r in rows if r[0] <= through) + OPENING)


def upload(
    app,
    actor: int,
    slug: str,
    data: bytes,
    *,
    filename: str = "statement.csv",
    layout=None,
    bank: str = "Test Bank",
):
    """Upload through the real service; return (statement id, lines read, lines added, again)."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        found = imports.upload(
            session,
            actor_id=actor,
            neighbourhood_id=get_neighbourhood(session, slug).id,
            filename=filename,
            data=data,
            now=clock_now(app),
            bank=bank,
            layout=layout,
        )
        s = found.statement
        return s.id, s.lines_read, s.lines_added, found.again


def lines(app, slug: str) -> list[StatementLine]:
    """The book's statement lines, by date (detached, for reading)."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        book = book_of(session, get_neighbourhood(session, slug).id)
        found = list(
            session.scalars(
                select(StatementLine)
                .where(StatementLine.book_id == book.id)
                .order_by(StatementLine.booked_on, StatementLine.id)
            )
        )
        session.expunge_all()
        return found


def settle_the_year(app, actor: int, slug: str) -> None:
    """Confirm every suggested match, then post the charges, interest and the trust's gift (a rule for the
    charges remembered from the first)."""
    sessions = app.extensions["pledgebank.sessions"]
    with unit_of_work(sessions) as session:
        place = get_neighbourhood(session, slug)
        book = book_of(session, place.id)
        open_lines = list(session.scalars(select(StatementLine).where(StatementLine.book_id == book.id)))
        for line_id, found in matching.suggest(session, book.id, open_lines).items():
            matching.match_line(
                session,
                actor_id=actor,
                neighbourhood_id=place.id,
                line_id=line_id,
                transaction_id=found.movement.transaction_id,
                now=clock_now(app),
            )
    for line in lines(app, slug):
        if line.state != "unmatched" or line.booked_on > YEAR_END:
            continue
        kind = {"SERVICE CHARGE": "bank_charges", "CREDIT INTEREST": "bank_interest"}.get(
            line.description, "donation_received"
        )
        with unit_of_work(sessions) as session:
            matching.post_line(
                session,
                actor_id=actor,
                neighbourhood_id=get_neighbourhood(session, slug).id,
                line_id=line.id,
                kind=kind,
                fund="general",
                now=clock_now(app),
                remember="SERVICE CHARGE" if kind == "bank_charges" else "",
            )


def position(app, slug: str, on: date = YEAR_END, given: int | None = None):
    """The bank against the books at a date (detached)."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        book = book_of(session, get_neighbourhood(session, slug).id)
        found = reconciling.position(session, book, on, given)
        session.expunge_all()
        return found


def reconcile(app, actor: int, slug: str, on: date = YEAR_END, given: int | None = None):
    """Save the reconciliation at a date; return its figures."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        saved = reconciling.reconcile(
            session,
            actor_id=actor,
            neighbourhood_id=get_neighbourhood(session, slug).id,
            on=on,
            now=clock_now(app),
            given=given,
        )
        return saved.reconciled_on, saved.statement_balance, saved.ledger_balance
