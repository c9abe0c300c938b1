"""Model-based test of posting: random money movements, reversals, replays and overdrafts against a real book.

Each Hypothesis example opens a new neighbourhood (so a new, empty book) in the test's database and keeps a
small reference model beside it: balances per account code, the keys posted and the number of transactions.
After every step the database must agree with the model, and the book must verify.
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

from pledgebank.books.models import Book, LedgerAccount, LedgerPosting, LedgerTransaction
from pledgebank.books.services import (
    AlreadyReversed,
    IdempotencyConflict,
    InsufficientFunds,
    book_by_slug,
    entry_of,
    post,
    reverse,
)
from pledgebank.books.verify import check_book
from pledgebank.db import unit_of_work
from pledgebank.ledger import chart, rules
from pledgebank.ledger.entries import JournalEntry
from pledgebank.ledger.money import Money
from tests.helpers.app import make_neighbourhood, make_user
from tests.helpers.ledger_model.ledger_reference import FUND, GUARDED, Model, Record

FIRST_DAY = date(2026, 3, 2)

amounts = st.integers(min_value=1, max_value=40_000)
days = st.integers(min_value=0, max_value=60)
income_sources = st.sampled_from(chart.INCOME_SOURCES)

MODEL_SETTINGS = settings(
    max_examples=15,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def gbp(pence: int) -> Money:
    return Money(pence, "GBP")


def test_posting_agrees_with_a_reference_model(app, sessions, clock):
    chair_id = make_user(sessions, "treasurer@example.org", "Treasurer")
    numbers = itertools.count(1)

    class LedgerMachine(RuleBasedStateMachine):
        """Random movements, reversals and replays on one fresh book, checked against the model."""

        def __init__(self) -> None:
            super().__init__()
            self.number = next(numbers)
            slug = make_neighbourhood(sessions, chair_id, name=f"Model Street {self.number}")
            with sessions() as session:
                self.book_id = book_by_slug(session, slug).id
            self.model = Model()
            self.keys = itertools.count(1)

        def new_key(self) -> str:
            return f"model:{self.number}:{next(self.keys)}"

        def post(self, entry: JournalEntry):
            with unit_of_work(sessions) as session:
                book = session.get(Book, self.book_id)
                posted = post(session, book=book, entry=entry, now=clock.now())
                return posted.transaction.id, posted.transaction.sequence, posted.created

        def post_and_expect(self, entry: JournalEntry) -> None:
            """Post a new entry: sealed as the next sequence, or refused with nothing written."""
            if self.model.would_overdraw(entry):
                with pytest.raises(InsufficientFunds):
                    self.post(entry)
                return
            transaction_id, sequence, created = self.post(entry)
            assert created
            assert sequence == len(self.model.records) + 1
            self.model.apply(entry, transaction_id, sequence)

        def common(self, day: int) -> dict:
            return {"key": self.new_key(), "on": FIRST_DAY + timedelta(days=day), "actor_id": chair_id}

        @rule(amount=amounts, into=st.sampled_from([chart.CASH, chart.BANK]), source=income_sources, day=days)
        def receive_cash(self, amount, into, source, day):
            entry = rules.cash_received(
                amount=gbp(amount),
                fund=FUND,
                income_source=source,
                into=into,
                source={"kind": "cash"},
                **self.common(day),
            )
            self.post_and_expect(entry)

        @rule(gross=amounts, data=st.data(), source=income_sources, day=days)
        def receive_card(self, gross, data, source, day):
            fee = data.draw(st.integers(min_value=0, max_value=gross), label="fee")
            entry = rules.card_payment_received(
                gross=gbp(gross),
                fee=gbp(fee),
                fund=FUND,
                income_source=source,
                source={"kind": "card"},
                **self.common(day),
            )
            self.post_and_expect(entry)

        @rule(amount=amounts, day=days)
        def pay_out(self, amount, day):
            self.post_and_expect(
                rules.payout(shares={FUND: gbp(amount)}, source={"kind": "payout"}, **self.common(day))
            )

        def debit(self, data, account: str) -> Money:
            """An amount to take from account: often one it can afford, sometimes any amount at all."""
            available = self.model.balances[chart.held_in(account, FUND)]
            if available > 0 and data.draw(st.booleans(), label="affordable"):
                return gbp(data.draw(st.integers(min_value=1, max_value=available), label="amount"))
            return gbp(data.draw(amounts, label="amount"))

        @rule(data=st.data(), day=days)
        def bank_cash(self, data, day):
            amount = self.debit(data, chart.CASH)
            self.post_and_expect(
                rules.cash_banked(amount=amount, fund=FUND, source={"kind": "banking"}, **self.common(day))
            )

        @rule(amount=amounts, day=days)
        def award_grant(self, amount, day):
            entry = rules.grant_awarded(
                amount=gbp(amount), fund=FUND, source={"grant": 1}, **self.common(day)
            )
            self.post_and_expect(entry)

        @rule(data=st.data(), account=st.sampled_from([chart.BANK, chart.CASH]), day=days)
        def pay_grant(self, data, account, day):
            amount = self.debit(data, account)
            entry = rules.grant_paid(
                amount=amount, fund=FUND, from_account=account, source={"grant": 1}, **self.common(day)
            )
            self.post_and_expect(entry)

        @rule(
            data=st.data(),
            account=st.sampled_from([chart.STRIPE_CLEARING, chart.BANK, chart.CASH]),
            source=income_sources,
            day=days,
        )
        def refund(self, data, account, source, day):
            entry = rules.refund(
                amount=self.debit(data, account),
                fund=FUND,
                income_source=source,
                from_account=account,
                source={"kind": "refund"},
                **self.common(day),
            )
            self.post_and_expect(entry)

        @rule(
            account=st.sampled_from([chart.BANK, chart.CASH]), extra=st.integers(min_value=1, max_value=5_000)
        )
        def overdraw(self, account, extra):
            amount = self.model.balances[chart.held_in(account, FUND)] + extra
            entry = rules.grant_paid(
                amount=gbp(amount), fund=FUND, from_account=account, source={"grant": 2}, **self.common(0)
            )
            assert self.model.would_overdraw(entry)
            with pytest.raises(InsufficientFunds):
                self.post(entry)

        @precondition(lambda self: any(r.reversal_id is None for r in self.model.records))
        @rule(data=st.data())
        def reverse_once(self, data):
            record = data.draw(st.sampled_from([r for r in self.model.records if r.reversal_id is None]))
            expected = rules.reversal(
                record.entry,
                key=f"reversal:{record.key}",
                on=FIRST_DAY,
                actor_id=chair_id,
                reason_code="entered-in-error",
            )
            if self.model.would_overdraw(expected):
                with pytest.raises(InsufficientFunds):
                    self.reverse(record)
                return
            transaction_id, sequence, created = self.reverse(record)
            assert created
            with sessions() as session:
                stored = session.get(LedgerTransaction, transaction_id)
                assert stored.reverses_id == record.transaction_id
                assert entry_of(stored) == expected
            record.reversal_id = transaction_id
            self.model.apply(expected, transaction_id, sequence)

        @precondition(lambda self: any(r.reversal_id is not None for r in self.model.records))
        @rule(data=st.data())
        def reverse_again(self, data):
            record = data.draw(st.sampled_from([r for r in self.model.records if r.reversal_id is not None]))
            transaction_id, _, created = self.reverse(record)
            assert (transaction_id, created) == (record.reversal_id, False)
            second = rules.reversal(
                record.entry, key=self.new_key(), on=FIRST_DAY, actor_id=chair_id, reason_code="again"
            )
            with pytest.raises(AlreadyReversed):
                self.post(second)

        def reverse(self, record: Record):
            with unit_of_work(sessions) as session:
                posted = reverse(
                    session,
                    book=session.get(Book, self.book_id),
                    transaction_id=record.transaction_id,
                    on=FIRST_DAY,
                    actor_id=chair_id,
                    reason_code="entered-in-error",
                    now=clock.now(),
                )
                return posted.transaction.id, posted.transaction.sequence, posted.created

        @precondition(lambda self: self.model.records)
        @rule(data=st.data())
        def replay_same_entry(self, data):
            record = data.draw(st.sampled_from(self.model.records))
            transaction_id, sequence, created = self.post(record.entry)
            assert (transaction_id, sequence, created) == (record.transaction_id, record.sequence, False)

        @precondition(lambda self: self.model.records)
        @rule(data=st.data(), amount=amounts)
        def replay_key_with_other_entry(self, data, amount):
            record = data.draw(st.sampled_from(self.model.records))
            entry = rules.cash_received(
                amount=gbp(amount),
                fund=FUND,
                income_source="donations",
                key=record.key,
                on=FIRST_DAY,
                source={"kind": "other"},
                into=chart.BANK,
            )
            assert entry != record.entry
            with pytest.raises(IdempotencyConflict):
                self.post(entry)

        @invariant()
        def database_agrees_with_model(self):
            with sessions() as session:
                book = session.get(Book, self.book_id)
                accounts = session.execute(
                    select(LedgerAccount.code, LedgerAccount.balance, LedgerAccount.currency).where(
                        LedgerAccount.book_id == book.id
                    )
                ).all()
                assert {row.code: row.balance for row in accounts} == self.model.balances
                totals: dict[str, int] = {}
                for row in accounts:
                    totals[row.currency] = totals.get(row.currency, 0) + row.balance
                assert set(totals.values()) <= {0}
                assert all(row.balance >= 0 for row in accounts if row.code in GUARDED)
                transactions = session.execute(
                    select(LedgerTransaction.sequence, LedgerTransaction.idempotency_key)
                    .where(LedgerTransaction.book_id == book.id)
                    .order_by(LedgerTransaction.sequence)
                ).all()
                assert [row.sequence for row in transactions] == list(range(1, len(self.model.records) + 1))
                assert [row.idempotency_key for row in transactions] == [r.key for r in self.model.records]
                postings = session.scalar(
                    select(func.count()).select_from(LedgerPosting).where(LedgerPosting.book_id == book.id)
                )
                assert postings == self.model.postings
                result = check_book(session, book)
                assert result.ok, result.problems
                assert result.report.head_sequence == len(self.model.records)

    run_state_machine_as_test(LedgerMachine, settings=MODEL_SETTINGS)
