"""Helpers for the whole-book model: a neighbourhood with a fund of every type and the people who run it,
and the checks made after every step (the receipts-and-payments account at every year end, each fund's
CSV export, `ledger verify`)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache

from argon2 import PasswordHasher
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pledgebank.accounts.models import User
from pledgebank.books.fund_transfer_models import FundTransfer
from pledgebank.books.models import Book, LedgerAccount, LedgerPosting, LedgerTransaction
from pledgebank.books.services import book_of
from pledgebank.books.treasurer_models import TreasurerEntry
from pledgebank.books.verify import check_book
from pledgebank.db import unit_of_work
from pledgebank.exports import receipts_payments, statements
from pledgebank.exports.format_base import ExportRequest
from pledgebank.exports.formats import open_export
from pledgebank.exports.reader import Filters
from pledgebank.ledger import chart
from pledgebank.neighbourhoods import funds as fund_services
from pledgebank.neighbourhoods import roles, services
from pledgebank.neighbourhoods.models import Fund

YEAR_START = "04-01"
# Each fund, and the receipts-and-payments column its money is shown in (designated counts as unrestricted).
FUNDS = {
    "general": "unrestricted",
    "reserve": "unrestricted",
    "street-trees": "restricted",
    "capital": "endowment",
}
EXTRA_FUNDS = (
    ("Reserve", "designated", ""),
    ("Street trees", "restricted", "Plant street trees"),
    ("Capital", "endowment", ""),
)
CASH_PLACES = (chart.BANK, chart.CASH, chart.STRIPE_CLEARING)
RESIDENTS = 4


@dataclass(frozen=True, slots=True)
class World:
    """One neighbourhood: its chair, treasurer, two committee members and some residents."""

    slug: str
    neighbourhood_id: int
    book_id: int
    chair: int
    treasurer: int
    members: tuple[int, int]
    residents: tuple[int, ...]


@cache
def _password_hash() -> str:
    return PasswordHasher().hash("correct horse battery staple")


def _user(session: Session, address: str, name: str, when: datetime) -> int:
    user = User(
        email=address,
        display_name=name,
        password_hash=_password_hash(),
        created_at=when,
        email_verified_at=when,
    )
    session.add(user)
    session.flush()  # an id to grant roles to
    return user.id


def make_world(sessions, number: int, when: datetime) -> World:
    """A new neighbourhood (name and addresses numbered) with a general, designated, restricted and endowment
    fund, a chair, a treasurer, two committee members and four residents."""
    with unit_of_work(sessions) as session:
        prefix = f"whole{number}-"
        chair = _user(session, f"{prefix}chair@example.org", "Chair", when)
        place = services.create_neighbourhood(
            session,
            actor_id=chair,
            name=f"Whole Street {number}",
            postcode_district="SE15",
            description="",
            currency="GBP",
            now=when,
        )
        for name, kind, purpose in EXTRA_FUNDS:
            fund_services.add_fund(
                session,
                actor_id=chair,
                neighbourhood=place,
                name=name,
                description="",
                now=when,
                fund_type=kind,
                purpose=purpose,
                may_fund_grants=kind == "restricted",
            )

        def member(address: str, role: str | None) -> int:
            person = _user(session, f"{prefix}{address}@example.org", address.title(), when)
            services.join_neighbourhood(session, actor_id=person, neighbourhood=place, now=when)
            if role:
                roles.grant_role(
                    session, actor_id=chair, neighbourhood=place, user_id=person, role=role, now=when
                )
            return person

        treasurer = member("treasurer", "treasurer")
        members = (member("member0", "committee"), member("member1", "committee"))
        residents = tuple(member(f"resident{n}", None) for n in range(RESIDENTS))
        book = book_of(session, place.id)
        return World(place.slug, place.id, book.id, chair, treasurer, members, residents)


def written(sessions, book_id: int) -> tuple[int, int, tuple[tuple[str, int], ...]]:
    """How many ledger transactions and treasurer entries the book holds, and its transfers between funds
    by status."""
    with sessions() as session:
        transfers = session.execute(
            select(FundTransfer.status, func.count())
            .where(FundTransfer.book_id == book_id)
            .group_by(FundTransfer.status)
            .order_by(FundTransfer.status)
        )
        return (
            session.scalar(select(func.count()).where(LedgerTransaction.book_id == book_id)),
            session.scalar(select(func.count()).where(TreasurerEntry.book_id == book_id)),
            tuple((status, count) for status, count in transfers),
        )


def cash_at(session: Session, book_id: int, end: date) -> dict[str, int]:
    """Bank, cash and Stripe clearing at the end of `end`, per receipts-and-payments column, from postings."""
    t, p, a = LedgerTransaction, LedgerPosting, LedgerAccount
    rows = session.execute(
        select(a.code, Fund.slug, func.sum(p.amount))
        .join(p, p.account_id == a.id)
        .join(t, t.id == p.transaction_id)
        .join(Fund, Fund.id == a.fund_id)
        .where(a.book_id == book_id, t.effective_date <= end)
        .group_by(a.code, Fund.slug)
    )
    columns = dict.fromkeys(("unrestricted", "restricted", "endowment"), 0)
    for code, slug, total in rows:
        if chart.place_of(code) in CASH_PLACES:
            columns[FUNDS[slug]] += int(total)
    return columns


def check_every_year(session: Session, book: Book, first_day: date, today: date) -> int:
    """For each financial year from the one holding `first_day` to the one holding `today`: its account's
    closing cash funds equal bank, cash and Stripe clearing at its last day, column by column, and opening
    plus receipts less payments (and transfers) equals closing. Returns how many years were checked."""
    years = range(statements.year_of(first_day, YEAR_START), statements.year_of(today, YEAR_START) + 1)
    for year in years:
        start, end = statements.year_starting(year, YEAR_START)
        account = receipts_payments.receipts_and_payments(session, book, start=start, end=end)
        net = account.net()
        held = cash_at(session, book.id, end)
        for column, _name in account.columns:
            closing = account.closing.amounts.get(column, 0)
            assert closing == held[column], (year, column, closing, held)
            moved = account.transfers.amounts.get(column, 0)
            assert closing == account.opening.amounts.get(column, 0) + net.amounts.get(column, 0) + moved, (
                year,
                column,
            )
        assert sum(account.transfers.amounts.values()) == 0, (year, account.transfers)  # fund to fund only
    return len(years)


def check_fund_exports(session: Session, book: Book, now: datetime) -> None:
    """Each fund's CSV export balances: every transaction in it sums to zero, so does the fund's own share of
    it, and the fund's rows add up, account by account, to the balances the ledger keeps."""
    kept = dict(
        session.execute(
            select(LedgerAccount.code, LedgerAccount.balance)
            .join(Fund, Fund.id == LedgerAccount.fund_id)
            .where(LedgerAccount.book_id == book.id)
        ).all()
    )
    for fund in FUNDS:
        export = open_export(session, "csv", ExportRequest(book, Filters(fund=fund), now))
        rows = list(csv.DictReader(io.StringIO("".join(export.chunks).lstrip("\ufeff"))))
        whole: dict[str, Decimal] = {}
        own: dict[str, Decimal] = {}
        by_account: dict[str, Decimal] = {}
        for row in rows:
            amount = Decimal(row["amount"])
            whole[row["sequence"]] = whole.get(row["sequence"], Decimal(0)) + amount
            if row["fund"] == fund:
                own[row["sequence"]] = own.get(row["sequence"], Decimal(0)) + amount
                by_account[row["account"]] = by_account.get(row["account"], Decimal(0)) + amount
        assert all(total == 0 for total in whole.values()), (fund, whole)
        assert all(total == 0 for total in own.values()), (fund, own)
        for code, balance in kept.items():
            if chart.fund_of(code) == fund:
                assert by_account.get(code, Decimal(0)) * 100 == balance, (fund, code)
    session.rollback()  # the export rows it recorded: this is a look, not an export anyone made


def check_book_verifies(session: Session, book: Book) -> None:
    """`ledger verify`: sums, balances and the hash chain all recompute."""
    check = check_book(session, book)
    assert check.ok, check.problems
