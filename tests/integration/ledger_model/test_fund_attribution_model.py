"""Model-based test of fund attribution: random pledges, levy charges, grants and payouts across two funds.

Each Hypothesis example opens a new neighbourhood with a general fund and a street-trees fund, and posts what
the pledge, levy and grant engines and `reconcile stripe` post: card pledges (captured with their fee, or
declined and booking nothing), cash pledges held then kept or handed back, levy charges raised then paid by
card, cash or bank transfer or waived, grants awarded and paid, cash banked, and Stripe payouts split by fund.
After every step each fund's legs of every transaction sum to zero, no fund's bank or cash share is negative,
the funds' shares of each asset and liability add up to the book's totals as the pages show them, each fund's
shares of the assets less its shares of the liabilities equal its balance, and the book verifies.
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

from pledgebank.books import queries
from pledgebank.books.models import Book, LedgerAccount, LedgerPosting, LedgerTransaction
from pledgebank.books.services import InsufficientFunds, post
from pledgebank.books.verify import check_book
from pledgebank.db import unit_of_work
from pledgebank.exports.reader import accounts_of
from pledgebank.exports.statements import _sums, place_totals
from pledgebank.ledger import chart, held, rules
from pledgebank.ledger.entries import JournalEntry
from pledgebank.ledger.money import Money
from tests.factories.funded_books import book_with_funds
from tests.helpers.app import make_user

FUNDS = ("general", "street-trees")
DAY = date(2026, 3, 2)
amounts = st.integers(min_value=1, max_value=20_000)
funds = st.sampled_from(FUNDS)

MODEL_SETTINGS = settings(
    max_examples=12,
    stateful_step_count=18,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def gbp(pence: int) -> Money:
    return Money(pence, "GBP")


def test_every_fund_balances_on_its_own_whatever_money_moves(app, sessions, clock):
    treasurer = make_user(sessions, "treasurer@example.org", "Treasurer")
    numbers = itertools.count(1)

    class FundMachine(RuleBasedStateMachine):
        """Money movements of two funds in one fresh book, the book checked after each."""

        def __init__(self) -> None:
            super().__init__()
            self.number = next(numbers)
            self.book_id = book_with_funds(
                sessions, treasurer, f"Fund Street {self.number}", (("Street trees", "designated", ""),)
            )
            self.keys = itertools.count(1)
            self.cash_pledges: list[tuple[str, int, str]] = []  # fund, amount, where the money went
            self.levies: list[tuple[str, int]] = []  # fund, amount still owed
            self.awards: list[tuple[str, int]] = []  # fund, amount awarded and not paid

        def common(self) -> dict:
            n = next(self.keys)
            return {
                "key": f"fund-model:{self.number}:{n}",
                "on": DAY + timedelta(days=n),
                "actor_id": treasurer,
            }

        def held(self, place: str, fund: str) -> int:
            with sessions() as session:
                code = chart.held_in(place, fund)
                return session.scalar(
                    select(LedgerAccount.balance).where(
                        LedgerAccount.book_id == self.book_id, LedgerAccount.code == code
                    )
                )

        def count(self) -> int:
            with sessions() as session:
                return session.scalar(
                    select(func.count())
                    .select_from(LedgerTransaction)
                    .where(LedgerTransaction.book_id == self.book_id)
                )

        def post(self, entry: JournalEntry) -> bool:
            """Post the entry; a fund short of bank or cash is refused and nothing is written."""
            short = any(
                chart.place_of(p.account) in (chart.BANK, chart.CASH)
                and self.held(chart.place_of(p.account), chart.fund_of(p.account)) + p.amount.amount < 0
                for p in entry.postings
            )
            before = self.count()
            if short:
                with pytest.raises(InsufficientFunds), unit_of_work(sessions) as session:
                    post(session, book=session.get(Book, self.book_id), entry=entry, now=clock.now())
                assert self.count() == before
                return False
            with unit_of_work(sessions) as session:
                assert post(
                    session, book=session.get(Book, self.book_id), entry=entry, now=clock.now()
                ).created
            return True

        @rule(fund=funds, gross=amounts, data=st.data(), captured=st.booleans())
        def card_pledge(self, fund, gross, data, captured):
            if not captured:
                return  # a declined card books nothing
            fee = data.draw(st.integers(min_value=0, max_value=min(gross, 500)), label="fee")
            entry = rules.card_payment_received(
                gross=gbp(gross),
                fee=gbp(fee),
                fund=fund,
                income_source="pledges",
                source={"n": 1},
                **self.common(),
            )
            assert self.post(entry)

        @rule(fund=funds, amount=amounts, into=st.sampled_from([chart.CASH, chart.BANK]))
        def cash_pledge(self, fund, amount, into):
            entry = held.pledge_cash_held(
                amount=gbp(amount), fund=fund, into=into, source={"n": 2}, **self.common()
            )
            assert self.post(entry)
            self.cash_pledges.append((fund, amount, into))

        @precondition(lambda self: self.cash_pledges)
        @rule(data=st.data(), succeeded=st.booleans())
        def pledge_closes(self, data, succeeded):
            index = data.draw(st.integers(min_value=0, max_value=len(self.cash_pledges) - 1), label="pledge")
            fund, amount, into = self.cash_pledges[index]
            if succeeded:
                entry = held.pledge_cash_recognised(
                    amount=gbp(amount), fund=fund, source={"n": 3}, **self.common()
                )
            else:
                entry = held.pledge_cash_returned(
                    amount=gbp(amount), fund=fund, from_account=into, source={"n": 3}, **self.common()
                )
            if self.post(entry):
                self.cash_pledges.pop(index)

        @rule(fund=funds, amount=amounts)
        def levy_raised(self, fund, amount):
            entry = rules.receivable_raised(amount=gbp(amount), fund=fund, source={"n": 4}, **self.common())
            assert self.post(entry)
            self.levies.append((fund, amount))

        @precondition(lambda self: self.levies)
        @rule(data=st.data(), via=st.sampled_from(["card", "cash", "bank", "waived"]))
        def levy_settled(self, data, via):
            index = data.draw(st.integers(min_value=0, max_value=len(self.levies) - 1), label="charge")
            fund, amount = self.levies.pop(index)
            if via == "waived":
                entry = rules.receivable_written_off(
                    amount=gbp(amount), fund=fund, source={"n": 5}, **self.common()
                )
            else:
                into = {"card": chart.STRIPE_CLEARING, "cash": chart.CASH, "bank": chart.BANK}[via]
                fee = (
                    data.draw(st.integers(min_value=0, max_value=min(amount, 300)), label="fee")
                    if via == "card"
                    else 0
                )
                entry = rules.receivable_settled(
                    amount=gbp(amount),
                    fund=fund,
                    income_source="levies",
                    into=into,
                    fee=gbp(fee),
                    source={"n": 5},
                    **self.common(),
                )
            assert self.post(entry)

        @rule(fund=funds, amount=amounts)
        def grant_awarded(self, fund, amount):
            assert self.post(
                rules.grant_awarded(amount=gbp(amount), fund=fund, source={"n": 6}, **self.common())
            )
            self.awards.append((fund, amount))

        @precondition(lambda self: self.awards)
        @rule(data=st.data(), source=st.sampled_from([chart.BANK, chart.CASH]))
        def grant_paid(self, data, source):
            index = data.draw(st.integers(min_value=0, max_value=len(self.awards) - 1), label="award")
            fund, amount = self.awards[index]
            entry = rules.grant_paid(
                amount=gbp(amount), fund=fund, from_account=source, source={"n": 7}, **self.common()
            )
            if self.post(entry):  # refused when the fund's own bank or cash cannot pay it
                self.awards.pop(index)

        @rule(fund=funds, data=st.data())
        def cash_banked(self, fund, data):
            cash = self.held(chart.CASH, fund)
            amount = data.draw(st.integers(min_value=1, max_value=max(cash, 1) + 100), label="amount")
            self.post(rules.cash_banked(amount=gbp(amount), fund=fund, source={"n": 8}, **self.common()))

        @rule(data=st.data())
        def payout(self, data):
            shares = {}
            for fund in FUNDS:
                clearing = self.held(chart.STRIPE_CLEARING, fund)
                if clearing > 0 and data.draw(st.booleans(), label=f"pays {fund}"):
                    shares[fund] = gbp(data.draw(st.integers(min_value=1, max_value=clearing), label=fund))
            if shares:
                assert self.post(rules.payout(shares=shares, source={"payout": "po"}, **self.common()))

        @invariant()
        def each_fund_balances_on_its_own(self):
            with sessions() as session:
                book = session.get(Book, self.book_id)
                a, p = LedgerAccount, LedgerPosting
                unbalanced = session.execute(
                    select(p.transaction_id, a.fund_id, p.currency, func.sum(p.amount))
                    .join(a, a.id == p.account_id)
                    .where(p.book_id == book.id)
                    .group_by(p.transaction_id, a.fund_id, p.currency)
                    .having(func.sum(p.amount) != 0)
                ).all()
                assert unbalanced == []
                book_level = session.scalar(
                    select(func.count())
                    .select_from(p)
                    .join(a, a.id == p.account_id)
                    .where(p.book_id == book.id, a.fund_id.is_(None))
                )
                assert book_level == 0  # every posting is attributable to a fund

                lines = {line.code: line for line in queries.account_balances(session, book)}
                for fund in FUNDS:
                    for place in (chart.BANK, chart.CASH):
                        assert lines[chart.held_in(place, fund)].balance >= 0
                infos = list(accounts_of(session, book))
                shown = {
                    line.account.code: line.balance for line in place_totals(infos, _sums(session, book))
                }
                for place in chart.FUND_HELD:
                    shares = sum(lines[chart.held_in(place, fund)].balance for fund in FUNDS)
                    assert lines[place].total == shares == shown[place]

                result = {balance.slug: balance.net for balance in queries.fund_balances(session, book)}
                for fund in FUNDS:
                    # Signed balances (debits positive): the assets count up and the liabilities down.
                    net_assets = sum(lines[chart.held_in(place, fund)].balance for place in chart.FUND_HELD)
                    assert net_assets == result[fund]
                check = check_book(session, book)
                assert check.ok, check.problems

    run_state_machine_as_test(FundMachine, settings=MODEL_SETTINGS)
