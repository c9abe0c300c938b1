"""Model-based test of the receipts-and-payments account: its cash funds agree with the money each year end.

Each Hypothesis example opens a neighbourhood with a fund of every type (the general fund, a designated
reserve, restricted street trees and an endowment) and posts, across two or three financial years, what the
pledge, levy and grant engines and `reconcile stripe` post: card pledges with their fee, refunds, cash
pledges held then kept or handed back, levy charges raised then paid or waived, grants awarded, cut and paid,
cash banked and Stripe payouts, and the chair closes each year once it is over. After every step, for every
financial year so far, the account's cash funds at the end of the year equal the bank, the cash box and
Stripe clearing at that date in each column (designated counted as unrestricted), its cash funds at the start
plus receipts less payments equal its cash funds at the end, and no line is negative; the book verifies.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from pledgebank.books.closing import close_year
from pledgebank.books.models import Book, LedgerAccount, LedgerPosting, LedgerTransaction
from pledgebank.books.services import InsufficientFunds, closed_through, post
from pledgebank.books.verify import check_book
from pledgebank.db import unit_of_work
from pledgebank.exports import receipts_payments, statements
from pledgebank.ledger import chart, held, rules
from pledgebank.ledger.entries import JournalEntry
from pledgebank.ledger.money import Money
from pledgebank.neighbourhoods.models import Fund
from tests.factories.funded_books import book_with_funds
from tests.helpers.app import WHEN, make_user

FUNDS = {
    "general": "unrestricted",
    "reserve": "unrestricted",
    "street-trees": "restricted",
    "capital": "endowment",
}
EXTRA = (
    ("Reserve", "designated", ""),
    ("Street trees", "restricted", "Plant street trees"),
    ("Capital", "endowment", ""),
)
FIRST_DAY = date(2025, 4, 10)
CASH_PLACES = (chart.BANK, chart.CASH, chart.STRIPE_CLEARING)
amounts = st.integers(min_value=1, max_value=20_000)
funds = st.sampled_from(sorted(FUNDS))

MODEL_SETTINGS = settings(
    max_examples=15,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def gbp(pence: int) -> Money:
    return Money(pence, "GBP")


def test_cash_funds_equal_bank_cash_and_stripe_at_every_year_end(app, sessions, clock):
    chair = make_user(sessions, "chair@example.org", "Chair")
    numbers = itertools.count(1)

    class AccountMachine(RuleBasedStateMachine):
        """Money movements of four funds across year ends, the account checked after each."""

        def __init__(self) -> None:
            super().__init__()
            self.number = next(numbers)
            self.book_id = book_with_funds(sessions, chair, f"Cash Street {self.number}", EXTRA)
            self.keys = itertools.count(1)
            self.day = FIRST_DAY
            self.cards: list[tuple[str, int]] = []
            self.cash_pledges: list[tuple[str, int]] = []
            self.levies: list[tuple[str, int]] = []
            self.awards: list[tuple[str, JournalEntry]] = []

        def common(self) -> dict:
            n = next(self.keys)
            self.day += timedelta(days=15)
            return {
                "key": f"rp-model:{self.number}:{n}",
                "on": self.day,
                "actor_id": chair,
                "source": {"n": n},
            }

        def held(self, code: str) -> int:
            with sessions() as session:
                return session.scalar(
                    select(LedgerAccount.balance).where(
                        LedgerAccount.book_id == self.book_id, LedgerAccount.code == code
                    )
                )

        def post(self, entry: JournalEntry) -> bool:
            """Post the entry; a fund short of bank or cash is refused and nothing is written."""
            short = any(
                chart.place_of(p.account) in (chart.BANK, chart.CASH)
                and self.held(p.account) + p.amount.amount < 0
                for p in entry.postings
            )
            if short:
                with pytest.raises(InsufficientFunds), unit_of_work(sessions) as session:
                    post(session, book=session.get(Book, self.book_id), entry=entry, now=clock.now())
                return False
            with unit_of_work(sessions) as session:
                assert post(
                    session, book=session.get(Book, self.book_id), entry=entry, now=clock.now()
                ).created
            return True

        @rule(days=st.integers(min_value=1, max_value=250), close=st.booleans())
        def time_passes(self, days, close):
            self.day += timedelta(days=days)
            if close:
                self.year_closed()

        @rule()
        def year_closed(self):
            year = statements.year_of(self.day, "04-01") - 1
            _start, end = statements.year_starting(year, "04-01")
            with unit_of_work(sessions) as session:
                book = session.get(Book, self.book_id)
                done = closed_through(session, book.id)
                if end < FIRST_DAY or (done is not None and done >= end):
                    return
                close_year(session, actor_id=chair, book=book, through=end, now=WHEN, today=self.day)

        @rule(fund=funds, gross=amounts, data=st.data())
        def card_pledge(self, fund, gross, data):
            fee = data.draw(st.integers(min_value=0, max_value=min(gross, 500)), label="fee")
            entry = rules.card_payment_received(
                gross=gbp(gross), fee=gbp(fee), fund=fund, income_source="pledges", **self.common()
            )
            assert self.post(entry)
            self.cards.append((fund, gross))

        @precondition(lambda self: self.cards)
        @rule(data=st.data())
        def card_refunded(self, data):
            fund, gross = self.cards.pop(data.draw(st.integers(0, len(self.cards) - 1), label="card"))
            amount = data.draw(st.integers(min_value=1, max_value=gross), label="refund")
            self.post(rules.refund(amount=gbp(amount), fund=fund, income_source="pledges", **self.common()))

        @rule(fund=funds, amount=amounts, into=st.sampled_from([chart.CASH, chart.BANK]))
        def cash_pledge(self, fund, amount, into):
            assert self.post(held.pledge_cash_held(amount=gbp(amount), fund=fund, into=into, **self.common()))
            self.cash_pledges.append((fund, amount))

        @precondition(lambda self: self.cash_pledges)
        @rule(data=st.data(), succeeded=st.booleans())
        def pledge_closes(self, data, succeeded):
            index = data.draw(st.integers(0, len(self.cash_pledges) - 1), label="pledge")
            fund, amount = self.cash_pledges[index]
            if succeeded:
                entry = held.pledge_cash_recognised(amount=gbp(amount), fund=fund, **self.common())
            else:
                entry = held.pledge_cash_returned(amount=gbp(amount), fund=fund, **self.common())
            if self.post(entry):
                self.cash_pledges.pop(index)

        @rule(fund=funds, amount=amounts)
        def levy_raised(self, fund, amount):
            assert self.post(rules.receivable_raised(amount=gbp(amount), fund=fund, **self.common()))
            self.levies.append((fund, amount))

        @precondition(lambda self: self.levies)
        @rule(data=st.data(), via=st.sampled_from(["card", "cash", "bank", "waived"]))
        def levy_settled(self, data, via):
            fund, amount = self.levies.pop(data.draw(st.integers(0, len(self.levies) - 1), label="charge"))
            if via == "waived":
                entry = rules.receivable_written_off(amount=gbp(amount), fund=fund, **self.common())
            else:
                into = {"card": chart.STRIPE_CLEARING, "cash": chart.CASH, "bank": chart.BANK}[via]
                fee = data.draw(st.integers(0, min(amount, 300)), label="fee") if via == "card" else 0
                entry = rules.receivable_settled(
                    amount=gbp(amount),
                    fund=fund,
                    income_source="levies",
                    into=into,
                    fee=gbp(fee),
                    **self.common(),
                )
            assert self.post(entry)

        @rule(fund=funds, amount=amounts)
        def grant_awarded(self, fund, amount):
            entry = rules.grant_awarded(amount=gbp(amount), fund=fund, **self.common())
            assert self.post(entry)
            self.awards.append((fund, entry))

        @precondition(lambda self: self.awards)
        @rule(data=st.data(), cut=st.booleans(), source=st.sampled_from([chart.BANK, chart.CASH]))
        def grant_paid(self, data, cut, source):
            index = data.draw(st.integers(0, len(self.awards) - 1), label="award")
            fund, award = self.awards[index]
            amount = award.postings[0].amount.amount
            if cut and amount > 1:
                common = self.common()
                assert self.post(
                    rules.reversal(award, key=common["key"], on=self.day, reason_code="grant-reduced")
                )
                amount = data.draw(st.integers(1, amount - 1), label="cut to")
                award = rules.grant_awarded(amount=gbp(amount), fund=fund, **self.common())
                assert self.post(award)
                self.awards[index] = (fund, award)
            entry = rules.grant_paid(amount=gbp(amount), fund=fund, from_account=source, **self.common())
            if self.post(entry):
                self.awards.pop(index)

        @rule(fund=funds, data=st.data())
        def cash_banked(self, fund, data):
            cash = self.held(chart.held_in(chart.CASH, fund))
            if cash > 0:
                amount = data.draw(st.integers(1, cash), label="banked")
                assert self.post(rules.cash_banked(amount=gbp(amount), fund=fund, **self.common()))

        @rule(data=st.data())
        def payout(self, data):
            shares = {}
            for fund in sorted(FUNDS):
                clearing = self.held(chart.held_in(chart.STRIPE_CLEARING, fund))
                if clearing > 0 and data.draw(st.booleans(), label=f"pays {fund}"):
                    shares[fund] = gbp(data.draw(st.integers(1, clearing), label=fund))
            if shares:
                assert self.post(rules.payout(shares=shares, **self.common()))

        def cash_at(self, session, end: date) -> dict[str, int]:
            """Bank, cash and Stripe clearing at the end of `end`, per CC16a column, from the postings."""
            t, p, a = LedgerTransaction, LedgerPosting, LedgerAccount
            rows = session.execute(
                select(a.code, Fund.slug, func.sum(p.amount))
                .join(p, p.account_id == a.id)
                .join(t, t.id == p.transaction_id)
                .join(Fund, Fund.id == a.fund_id)
                .where(a.book_id == self.book_id, t.effective_date <= end)
                .group_by(a.code, Fund.slug)
            )
            columns = {"unrestricted": 0, "restricted": 0, "endowment": 0}
            for code, slug, total in rows:
                if chart.place_of(code) in CASH_PLACES:
                    columns[FUNDS[slug]] += int(total)
            return columns

        @invariant()
        def cash_funds_agree_at_every_year_end(self):
            with sessions() as session:
                book = session.get(Book, self.book_id)
                for year in range(2025, statements.year_of(self.day, "04-01") + 1):
                    start, end = statements.year_starting(year, "04-01")
                    account = receipts_payments.receipts_and_payments(session, book, start=start, end=end)
                    net = account.net()
                    for column, _name in account.columns:
                        closing = account.closing.amounts.get(column, 0)
                        assert closing == self.cash_at(session, end)[column]
                        assert closing == account.opening.amounts.get(column, 0) + net.amounts[column]
                    for line in account.receipts + account.payments:
                        assert all(amount >= 0 for amount in line.amounts.values()) or line.key == "pledges"
                check = check_book(session, book)
                assert check.ok, check.problems

    run_state_machine_as_test(AccountMachine, settings=MODEL_SETTINGS)
