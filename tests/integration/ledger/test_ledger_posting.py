"""Posting through books.services on a real database: idempotency, sequences, balances, guards, reversals."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pledgebank.books.models import ChainHead, LedgerAccount, LedgerPosting, LedgerTransaction
from pledgebank.books.services import (
    AlreadyReversed,
    IdempotencyConflict,
    InsufficientFunds,
    UnknownAccount,
    book_by_slug,
    entry_of,
    post,
    reverse,
)
from pledgebank.books.verify import check_book
from pledgebank.db import unit_of_work
from pledgebank.ledger import chart, rules
from pledgebank.ledger.canonical import GENESIS_HASH, chain_hash
from pledgebank.neighbourhoods import funds, services
from tests.helpers.app import make_neighbourhood
from tests.helpers.ledger_sql import BANK, CASH, DAY, DONATIONS, gbp, snapshot, standard_entries


def cash(pence: int, key: str, fund: str = "general"):
    """Cash handed to the treasurer for a fund's donations."""
    return rules.cash_received(
        amount=gbp(pence), fund=fund, income_source="donations", key=key, on=DAY, source={"receipt": key}
    )


def assert_intact(sessions, slug: str) -> None:
    """The book verifies: sums, balances and chain."""
    with unit_of_work(sessions) as session:
        result = check_book(session, book_by_slug(session, slug))
    assert result.ok, result.problems


def test_the_same_key_and_entry_returns_the_sealed_transaction_and_writes_nothing(
    ledger_book, sessions, engine, clock
):
    entry = cash(1_500, "retry:1")
    with unit_of_work(sessions) as session:
        first = post(session, book=book_by_slug(session, ledger_book.slug), entry=entry, now=clock.now())
        assert first.created
        first_id, first_hash = first.transaction.id, first.transaction.hash
    before = snapshot(engine)
    clock.advance(timedelta(hours=1))
    with unit_of_work(sessions) as session:
        again = post(session, book=book_by_slug(session, ledger_book.slug), entry=entry, now=clock.now())
    assert not again.created
    assert (again.transaction.id, again.transaction.hash) == (first_id, first_hash)
    assert snapshot(engine) == before
    assert_intact(sessions, ledger_book.slug)


def test_the_same_key_with_a_different_entry_is_a_conflict(ledger_book, sessions, engine, clock):
    before = snapshot(engine)
    with pytest.raises(IdempotencyConflict), unit_of_work(sessions) as session:
        post(
            session,
            book=book_by_slug(session, ledger_book.slug),
            entry=cash(12_001, "t:cash:1"),
            now=clock.now(),
        )
    assert snapshot(engine) == before


def test_sequences_are_gapless_and_each_hash_chains_to_the_one_before(ledger_book, sessions):
    with unit_of_work(sessions) as session:
        book = book_by_slug(session, ledger_book.slug)
        rows = session.scalars(
            select(LedgerTransaction)
            .where(LedgerTransaction.book_id == book.id)
            .order_by(LedgerTransaction.id)
        ).all()
        head = session.get(ChainHead, book.id)
        assert [row.sequence for row in rows] == list(range(1, 9))
        previous = GENESIS_HASH
        for row in rows:
            assert bytes(row.prev_hash) == previous
            assert bytes(row.hash) == chain_hash(previous, bytes(row.canonical))
            previous = bytes(row.hash)
        assert (head.sequence, bytes(head.hash)) == (8, previous)


def test_maintained_balances_equal_the_sums_of_postings(ledger_book, sessions):
    with unit_of_work(sessions) as session:
        book = book_by_slug(session, ledger_book.slug)
        accounts = session.scalars(select(LedgerAccount).where(LedgerAccount.book_id == book.id)).all()
        sums = dict(
            session.execute(
                select(LedgerPosting.account_id, func.sum(LedgerPosting.amount))
                .where(LedgerPosting.book_id == book.id)
                .group_by(LedgerPosting.account_id)
            ).all()
        )
        balances = {account.code: account.balance for account in accounts}
        for account in accounts:
            assert account.balance == int(sums.get(account.id, 0)), account.code
    # Cash in 120.00, banked 100.00; card 25.00 less 0.58 fee paid out; a grant of 75.00 awarded and paid.
    assert balances[CASH] == 2_000
    assert balances[BANK] == 2_442 + 10_000 - 7_500
    assert balances[chart.held_in(chart.STRIPE_CLEARING, "general")] == 0
    assert balances[chart.held_in(chart.RECEIVABLES, "general")] == 0
    assert balances[chart.fees_expense("general")] == 58
    assert balances[DONATIONS] == -12_000
    assert sum(balances.values()) == 0


def test_a_guarded_account_cannot_go_below_zero_and_nothing_is_written(ledger_book, sessions, engine, clock):
    before = snapshot(engine)
    too_much = rules.grant_paid(
        fund="general", amount=gbp(4_943), key="pay:too-much", on=DAY, source={"grant": 5}
    )
    with unit_of_work(sessions) as session:
        book = book_by_slug(session, ledger_book.slug)
        with pytest.raises(InsufficientFunds):
            post(session, book=book, entry=too_much, now=clock.now())
    assert snapshot(engine) == before
    exactly = rules.grant_paid(fund="general", amount=gbp(4_942), key="pay:all", on=DAY, source={"grant": 5})
    with unit_of_work(sessions) as session:
        post(session, book=book_by_slug(session, ledger_book.slug), entry=exactly, now=clock.now())
        assert (
            session.scalar(
                select(LedgerAccount.balance).where(LedgerAccount.id == ledger_book.accounts[BANK])
            )
            == 0
        )
    assert_intact(sessions, ledger_book.slug)


def test_a_reversal_negates_the_original_and_happens_once(ledger_book, sessions, clock):
    card = ledger_book.transactions[2]
    with unit_of_work(sessions) as session:
        book = book_by_slug(session, ledger_book.slug)
        original = entry_of(session.get(LedgerTransaction, card))
        done = reverse(
            session,
            book=book,
            transaction_id=card,
            on=DAY,
            actor_id=None,
            reason_code="duplicate",
            now=clock.now(),
        )
        assert done.created
        assert done.transaction.sequence == 9
        assert done.transaction.reverses_id == card
        undone = entry_of(done.transaction)
        assert [(p.account, p.amount) for p in undone.postings] == [
            (p.account, -p.amount) for p in original.postings
        ]
        reversal_id = done.transaction.id
    with unit_of_work(sessions) as session:
        retry = reverse(
            session,
            book=book_by_slug(session, ledger_book.slug),
            transaction_id=card,
            on=DAY + timedelta(days=1),
            actor_id=None,
            reason_code="duplicate",
            now=clock.now(),
        )
        assert (retry.created, retry.transaction.id) == (False, reversal_id)
    second = rules.reversal(original, key="another-reversal", on=DAY, reason_code="duplicate")
    with pytest.raises(AlreadyReversed), unit_of_work(sessions) as session:
        post(session, book=book_by_slug(session, ledger_book.slug), entry=second, now=clock.now())
    assert_intact(sessions, ledger_book.slug)


def test_an_unknown_account_is_refused(ledger_book, sessions, engine, clock):
    before = snapshot(engine)
    with pytest.raises(UnknownAccount, match="income:nosuch:donations"), unit_of_work(sessions) as session:
        post(
            session,
            book=book_by_slug(session, ledger_book.slug),
            entry=cash(100, "k", "nosuch"),
            now=clock.now(),
        )
    assert snapshot(engine) == before


def test_books_are_independent(ledger_book, sessions, clock):
    other = make_neighbourhood(sessions, ledger_book.chair_id, name="Oak Hill", district="SE22")
    with unit_of_work(sessions) as session:
        book = book_by_slug(session, other)
        first = post(session, book=book, entry=standard_entries(ledger_book.chair_id)[0], now=clock.now())
        assert first.created, "the same key is free in another book"
        assert (first.transaction.sequence, bytes(first.transaction.prev_hash)) == (1, GENESIS_HASH)
        second = post(session, book=book, entry=cash(700, "oak:1"), now=clock.now())
        assert second.transaction.sequence == 2
        balances = defaultdict(int)
        for code, balance in session.execute(
            select(LedgerAccount.code, LedgerAccount.balance).where(LedgerAccount.book_id == book.id)
        ):
            balances[code] = balance
        assert balances[CASH] == 12_700
        assert session.get(ChainHead, ledger_book.book_id).sequence == 8
    assert_intact(sessions, other)
    assert_intact(sessions, ledger_book.slug)


def test_a_fund_added_later_gets_its_accounts_and_takes_postings(ledger_book, sessions, clock):
    with unit_of_work(sessions) as session:
        place = services.get_neighbourhood(session, ledger_book.slug)
        fund = funds.add_fund(
            session,
            actor_id=ledger_book.chair_id,
            neighbourhood=place,
            name="Tree planting",
            description="",
            now=clock.now(),
        )
        assert fund.slug == "tree-planting"
    expected = {spec.code for spec in chart.fund_accounts("tree-planting", "Tree planting")}
    with unit_of_work(sessions) as session:
        book = book_by_slug(session, ledger_book.slug)
        codes = set(
            session.scalars(
                select(LedgerAccount.code).where(
                    LedgerAccount.book_id == book.id, LedgerAccount.fund_id == fund.id
                )
            )
        )
        assert codes == expected
        posted = post(session, book=book, entry=cash(2_500, "trees:1", "tree-planting"), now=clock.now())
        assert posted.transaction.sequence == 9
        income = session.scalar(
            select(LedgerAccount.balance).where(
                LedgerAccount.book_id == book.id, LedgerAccount.code == "income:tree-planting:donations"
            )
        )
        assert income == -2_500
    assert_intact(sessions, ledger_book.slug)
