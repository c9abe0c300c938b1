"""Demo data for bank statements: last financial year's statement of the demo neighbourhood's bank account,
every line matched to the books and the year end reconciled; and this year's statement so far, with one line
the books do not have yet (the bank's interest), left for the treasurer to record.

The statements are made from the books' own bank movements (each shown by the bank a day later, never past
the year's end or today), so they agree with whatever the other demo data put through the bank.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from flask import Flask
from sqlalchemy import select

from pledgebank.books.services import book_of
from pledgebank.clock import local_date
from pledgebank.db import unit_of_work
from pledgebank.exports.statements import year_of, year_starting
from pledgebank.ledger import kinds
from pledgebank.neighbourhoods.demo import DEMO_SLUG
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.statements import bank, imports, matching, reconciling
from pledgebank.statements.csv_parser import Layout
from pledgebank.statements.models import StatementLine

DEMO_BANK = "Demo Bank"
LAYOUT = Layout(
    date_column="Date",
    date_format="%d/%m/%Y",
    description_column="Description",
    amount_column="Amount",
    reference_column="Reference",
    balance_column="Balance",
)
_WORDS = {
    kinds.CASH_BANKED: "CASH PAID IN AT COUNTER",
    kinds.DONATION_RECEIVED: "FASTER PAYMENT RECEIVED",
    kinds.BANK_CHARGES: "ACCOUNT FEE",
    kinds.BANK_INTEREST: "CREDIT INTEREST",
    kinds.SUPPLIER_PAID: "FASTER PAYMENT SENT",
    kinds.GRANT_PAID: "FASTER PAYMENT SENT",
    kinds.PAYOUT: "STRIPE PAYMENTS UK",
}


def _csv(rows: list[tuple[date, str, str, int]], opening: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Date", "Description", "Reference", "Amount", "Balance"])
    balance = opening
    for day, description, reference, amount in sorted(rows, key=lambda row: row[0]):
        balance += amount
        writer.writerow(
            [f"{day:%d/%m/%Y}", description, reference, f"{amount / 100:.2f}", f"{balance / 100:.2f}"]
        )
    return out.getvalue().encode()


def statement_of_books(session, book_id: int, first: date, last: date, extra=()) -> bytes:
    """The bank's view of the movements after `first` up to `last`, opening with the balance on `first`."""
    moved = bank.movements(session, book_id, since=first + timedelta(days=1), through=last)
    rows = [
        (
            min(m.effective_date + timedelta(days=1), last),
            _WORDS.get(m.kind, "BANK GIRO"),
            f"REF{m.sequence:05d}",
            m.amount,
        )
        for m in moved
    ]
    return _csv([*rows, *extra], bank.balance_on(session, book_id, first))


def seed_statements(app: Flask, ids: dict[str, int]) -> None:
    """Upload last year's statement and this year's so far, match their lines, reconcile last year's end."""
    sessions, zone = app.extensions["pledgebank.sessions"], app.config["TIMEZONE"]
    now = app.extensions["pledgebank.clock"].now()
    today = local_date(now, zone)
    start = app.config["FINANCIAL_YEAR_START"]
    last_year, last_year_end = year_starting(year_of(today, start) - 1, start)
    tom = ids["tom@example.org"]
    with unit_of_work(sessions) as session:
        place_id = get_neighbourhood(session, DEMO_SLUG).id
        book_id = book_of(session, place_id).id
        files = [
            ("statement-last-year.csv", statement_of_books(session, book_id, last_year, last_year_end)),
            (
                "statement-this-year.csv",
                statement_of_books(
                    session, book_id, last_year_end, today, [(today, "CREDIT INTEREST", "INT", 42)]
                ),
            ),
        ]
        for name, data in files:
            imports.upload(
                session,
                actor_id=tom,
                neighbourhood_id=place_id,
                filename=name,
                data=data,
                now=now,
                bank=DEMO_BANK,
                layout=LAYOUT,
            )
        session.flush()
        lines = list(session.scalars(select(StatementLine).where(StatementLine.book_id == book_id)))
        for line_id, found in matching.suggest(session, book_id, lines).items():
            matching.match_line(
                session,
                actor_id=tom,
                neighbourhood_id=place_id,
                line_id=line_id,
                transaction_id=found.movement.transaction_id,
                now=now,
            )
        reconciling.reconcile(session, actor_id=tom, neighbourhood_id=place_id, on=last_year_end, now=now)
