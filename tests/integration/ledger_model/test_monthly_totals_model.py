"""Model-based test of the per-account monthly totals the database keeps at each seal.

Each Hypothesis example opens a neighbourhood with three funds and posts, over a year or two, what the engines
post: card pledges with their fee and refunds, cash pledges held then kept or handed back, levy charges
raised then paid or waived, grants awarded and paid, opening balances, cash banked, reversals of any earlier
transaction, and year-end closes. After every step the stored totals equal totals recomputed here from the
postings, the public chart's money in and out read from the totals equals the same read from the postings,
and `ledger verify` (which recomputes the totals too) passes.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from pledgebank.books.closing import close_year
from pledgebank.books.models import (
    Book,
    LedgerAccount,
    LedgerMonthlyTotal,
    LedgerPosting,
    LedgerTransaction,
)
from pledgebank.books.services import (
    AlreadyReversed,
    InsufficientFunds,
    closed_through,
    post,
    reverse,
)
from pledgebank.books.verify import check_book
from pledgebank.db import unit_of_work
from pledgebank.errors import DomainError
from pledgebank.exports import statements
from pledgebank.exports.chart import flows_from_postings
from pledgebank.exports.monthly_flows import monthly_flows
from pledgebank.ledger import chart, held, rules, treasurer
from pledgebank.ledger.entries import JournalEntry
from pledgebank.ledger.money import Money
from tests.factories.funded_books import book_with_funds
from tests.helpers.app import WHEN, make_user

FUNDS = ("general", "reserve", "street-trees")
EXTRA = (("Reserve", "designated", ""), ("Street trees", "restricted", "Plant street trees"))
FIRST_DAY = date(2025, 4, 10)
CASH_PLACES = (chart.BANK, chart.CASH, chart.STRIPE_CLEARING)
amounts = st.integers(min_value=1, max_value=20_000)
funds = st.sampled_from(FUNDS)

MODEL_SETTINGS = settings(
    max_examples=10,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def gbp(pence: int) -> Money:
    return Money(pence, "GBP")


def recomputed_totals(session, book_id: int) -> dict[tuple[int, date], tuple[int, int, int, int]]:
    """Per (account id, month): net, year-end closes, debits and credits in transactions moving cash."""
    t, p, a = LedgerTransaction, LedgerPosting, LedgerAccount
    legs: dict[int, list] = {}
    for transaction_id, day, kind, account_id, code, amount in session.execute(
        select(t.id, t.effective_date, t.kind, p.account_id, a.code, p.amount)
        .join(p, p.transaction_id == t.id)
        .join(a, a.id == p.account_id)
        .where(t.book_id == book_id)
    ):
        legs.setdefault(transaction_id, []).append((day, kind, account_id, code, int(amount)))
    totals: dict[tuple[int, date], list[int]] = {}
    for rows in legs.values():
        kind = rows[0][1]
        moves = kind not in ("year_closed", "legacy_attributed") and any(
            chart.place_of(code) in CASH_PLACES for *_, code, _ in rows
        )
        for day, _kind, account_id, _code, amount in rows:
            row = totals.setdefault((account_id, date(day.year, day.month, 1)), [0, 0, 0, 0])
            row[0] += amount
            row[1] += amount if kind == "year_closed" else 0
            row[2] += amount if moves and amount > 0 else 0
            row[3] += amount if moves and amount < 0 else 0
    return {key: (a, b, c, d) for key, (a, b, c, d) in totals.items()}


def stored_totals(session, book_id: int) -> dict[tuple[int, date], tuple[int, int, int, int]]:
    m = LedgerMonthlyTotal
    return {
        (row.account_id, row.month): (row.amount, row.closed, row.cash_debits, row.cash_credits)
        for row in session.execute(select(m).where(m.book_id == book_id)).scalars()
    }


def as_plain(flows) -> dict:
    """Flows without the zero entries, as plain dictionaries."""
    return {
        (fund, side, month): amount
        for fund, sides in flows.items()
        for side, months in sides.items()
        for month, amount in months.items()
        if amount
    }


def test_monthly_totals_follow_every_post_reversal_and_close(app, sessions, clock):
    chair = make_user(sessions, "chair@example.org", "Chair")
    numbers = itertools.count(1)

    class TotalsMachine(RuleBasedStateMachine):
        """Money movements of three funds across year ends, the totals checked after each."""

        def __init__(self) -> None:
            super().__init__()
            self.number = next(numbers)
            self.book_id = book_with_funds(sessions, chair, f"Totals Street {self.number}", EXTRA)
            self.keys = itertools.count(1)
            self.day = FIRST_DAY
            self.posted: list[int] = []
            self.cash_pledges: list[tuple[str, int]] = []
            self.levies: list[tuple[str, int]] = []
            self.awards: list[tuple[str, int]] = []

        def common(self) -> dict:
            n = next(self.keys)
            self.day += timedelta(days=9)
            return {"key": f"totals:{self.number}:{n}", "on": self.day, "actor_id": chair, "source": {"n": n}}

        def post(self, entry: JournalEntry) -> bool:
            """Post the entry; one a fund cannot afford is refused and writes nothing."""
            try:
                with unit_of_work(sessions) as session:
                    posted = post(session, book=session.get(Book, self.book_id), entry=entry, now=clock.now())
                    self.posted.append(posted.transaction.id)
            except InsufficientFunds:
                return False
            return True

        @rule(days=st.integers(min_value=1, max_value=200), close=st.booleans())
        def time_passes(self, days, close):
            self.day += timedelta(days=days)
            if close:
                year = statements.year_of(self.day, "04-01") - 1
                _start, end = statements.year_starting(year, "04-01")
                with unit_of_work(sessions) as session:
                    book = session.get(Book, self.book_id)
                    done = closed_through(session, book.id)
                    if end >= FIRST_DAY and (done is None or done < end):
                        close_year(session, actor_id=chair, book=book, through=end, now=WHEN, today=self.day)

        @rule(fund=funds, gross=amounts, fee=st.integers(min_value=0, max_value=500))
        def card_pledge(self, fund, gross, fee):
            entry = rules.card_payment_received(
                gross=gbp(gross),
                fee=gbp(min(fee, gross)),
                fund=fund,
                income_source="pledges",
                **self.common(),
            )
            assert self.post(entry)
            if gross > 1:
                self.post(
                    rules.refund(amount=gbp(gross // 2), fund=fund, income_source="pledges", **self.common())
                )

        @rule(fund=funds, bank=amounts, cash=amounts)
        def opening(self, fund, bank, cash):
            assert self.post(
                treasurer.opening_balance(bank=gbp(bank), cash=gbp(cash), fund=fund, **self.common())
            )

        @rule(fund=funds, amount=amounts, into=st.sampled_from([chart.CASH, chart.BANK]))
        def cash_pledge(self, fund, amount, into):
            assert self.post(held.pledge_cash_held(amount=gbp(amount), fund=fund, into=into, **self.common()))
            self.cash_pledges.append((fund, amount))

        @precondition(lambda self: self.cash_pledges)
        @rule(kept=st.booleans())
        def pledge_closes(self, kept):
            fund, amount = self.cash_pledges.pop()
            close = held.pledge_cash_recognised if kept else held.pledge_cash_returned
            self.post(close(amount=gbp(amount), fund=fund, **self.common()))

        @rule(fund=funds, amount=amounts)
        def levy_raised(self, fund, amount):
            assert self.post(rules.receivable_raised(amount=gbp(amount), fund=fund, **self.common()))
            self.levies.append((fund, amount))

        @precondition(lambda self: self.levies)
        @rule(via=st.sampled_from(["card", "cash", "waived"]))
        def levy_settled(self, via):
            fund, amount = self.levies.pop()
            if via == "waived":
                entry = rules.receivable_written_off(amount=gbp(amount), fund=fund, **self.common())
            else:
                into = chart.STRIPE_CLEARING if via == "card" else chart.CASH
                entry = rules.receivable_settled(
                    amount=gbp(amount),
                    fund=fund,
                    income_source="levies",
                    into=into,
                    fee=gbp(min(amount, 30) if via == "card" else 0),
                    **self.common(),
                )
            assert self.post(entry)

        @rule(fund=funds, amount=amounts)
        def grant_awarded(self, fund, amount):
            assert self.post(rules.grant_awarded(amount=gbp(amount), fund=fund, **self.common()))
            self.awards.append((fund, amount))

        @precondition(lambda self: self.awards)
        @rule(source=st.sampled_from([chart.BANK, chart.CASH]))
        def grant_paid(self, source):
            fund, amount = self.awards[-1]
            if self.post(
                rules.grant_paid(amount=gbp(amount), fund=fund, from_account=source, **self.common())
            ):
                self.awards.pop()

        @rule(fund=funds)
        def cash_banked(self, fund):
            with sessions() as session:
                cash = session.scalar(
                    select(LedgerAccount.balance).where(
                        LedgerAccount.book_id == self.book_id,
                        LedgerAccount.code == chart.held_in(chart.CASH, fund),
                    )
                )
            if cash > 0:
                assert self.post(rules.cash_banked(amount=gbp(cash), fund=fund, **self.common()))

        @precondition(lambda self: self.posted)
        @rule(data=st.data())
        def reversed_(self, data):
            transaction_id = data.draw(st.sampled_from(self.posted), label="reversed")
            self.day += timedelta(days=3)
            try:
                with unit_of_work(sessions) as session:
                    book = session.get(Book, self.book_id)
                    reverse(
                        session,
                        book=book,
                        transaction_id=transaction_id,
                        on=self.day,
                        actor_id=chair,
                        reason_code="entered-in-error",
                        now=clock.now(),
                    )
            except (InsufficientFunds, AlreadyReversed, DomainError):
                pass  # a reversal the funds cannot afford, or of a reversal or a close, is refused

        @invariant()
        def totals_match_the_postings(self):
            with sessions() as session:
                assert stored_totals(session, self.book_id) == recomputed_totals(session, self.book_id)
                book = session.get(Book, self.book_id)
                since = FIRST_DAY.replace(day=1)
                from_totals = monthly_flows(session, book, since=since, until=self.day)
                assert from_totals is not None
                assert as_plain(from_totals) == as_plain(
                    flows_from_postings(session, book, since=since, until=self.day)
                )
                check = check_book(session, book)
                assert check.ok, check.problems

    run_state_machine_as_test(TotalsMachine, settings=MODEL_SETTINGS)
