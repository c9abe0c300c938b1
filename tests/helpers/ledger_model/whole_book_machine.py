"""The whole-book model's state machine, less its rules for each kind of money movement (the mixins in
whole_book_rules, whole_book_stripe and whole_book_transfers): the book it opens, the way a step's unit of
work is run (an expected refusal must write nothing), time passing, year closes and the checks after every
step. The test binds `app`, `sessions` and `clock` on a subclass."""

from __future__ import annotations

import itertools
import secrets

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from pledgebank.books import treasurer
from pledgebank.books.closing import PaymentsAwaitingApproval, close_year
from pledgebank.books.models import Book
from pledgebank.books.services import InsufficientFunds, closed_through
from pledgebank.clock import local_date
from pledgebank.db import unit_of_work
from pledgebank.errors import DomainError, InvalidInput
from pledgebank.exports import statements
from tests.helpers.ledger_model import whole_book_steps as steps
from tests.helpers.ledger_model import whole_book_support as support

THRESHOLD = 5_000  # above this a supplier or grant payment waits for a second committee member
EXPECTED = (InsufficientFunds, InvalidInput, PaymentsAwaitingApproval)
funds = st.sampled_from(sorted(support.FUNDS))


class BookMachine(RuleBasedStateMachine):
    """One book, checked after each step; subclasses bind `app`, `sessions`, `clock` and `numbers`."""

    app = sessions = clock = None
    numbers = itertools.count(1)

    def __init__(self) -> None:
        super().__init__()
        self.zone = self.app.config["TIMEZONE"]
        self.w = support.make_world(self.sessions, next(self.numbers), self.clock.now())
        self.first_day = self.today
        self.households: dict[int, int] = {}  # levy household -> the resident who joined for it
        self.applications: list[int] = []  # reviewed, not yet awarded
        self.awards: list[int] = []  # awarded, payment not yet recorded
        self.waiting_grants: list[int] = []
        self.waiting_entries: list[int] = []
        self.transfers: dict[int, int] = {}  # each transfer proposed -> who proposed it
        self.decisions: dict[int, tuple[str, int]] = {}  # transfers posted, declined or cancelled -> by whom
        self.checked = None  # the book's transactions and the year when its accounts were last checked
        self.paid_out: set[str] = set()  # Stripe ids whose money a payout has carried to the bank

    @property
    def today(self):
        return local_date(self.clock.now(), self.zone)

    def refusal(self, work, expected=EXPECTED) -> DomainError | None:
        """Run one unit of work; an expected refusal (returned) writes nothing at all."""
        before = support.written(self.sessions, self.w.book_id)
        try:
            with unit_of_work(self.sessions) as session:
                work(session)
        except expected as error:
            assert support.written(self.sessions, self.w.book_id) == before, error
            return error
        return None

    def attempt(self, work) -> bool:
        """Run one unit of work: True if done, False if refused as expected (having written nothing)."""
        return self.refusal(work) is None

    def record(self, session, terms):
        return treasurer.record_entry(
            session,
            actor_id=self.w.treasurer,
            neighbourhood_id=self.w.neighbourhood_id,
            terms=terms,
            form_key=secrets.token_urlsafe(18),
            threshold=THRESHOLD,
            now=self.clock.now(),
            today=self.today,
        )

    @initialize(gifts=st.lists(st.integers(min_value=0, max_value=30_000), min_size=8, max_size=8))
    def donations_received(self, gifts):
        places = itertools.cycle(["bank", "cash"])
        for fund, amount, place in zip(sorted(support.FUNDS) * 2, gifts, places, strict=False):
            if amount:
                terms = steps.entry_terms(
                    "donation", fund=fund, amount=amount, on=self.today, place=place, for_purpose=False
                )
                assert self.attempt(lambda session, terms=terms: self.record(session, terms))

    @rule(days=st.integers(min_value=1, max_value=200))
    def time_passes(self, days):
        steps.later(self.app, days=days)

    @rule()
    def year_closed(self):
        _start, end = statements.year_starting(
            statements.year_of(self.today, support.YEAR_START) - 1, "04-01"
        )
        with self.sessions() as session:
            done = closed_through(session, self.w.book_id)
        if end < self.first_day or (done is not None and done >= end):
            return

        def close(session):
            book = session.get(Book, self.w.book_id)
            close_year(
                session, actor_id=self.w.chair, book=book, through=end, now=self.clock.now(), today=self.today
            )

        assert self.attempt(close) or self.waiting_grants or self.waiting_entries

    @invariant()
    def books_agree_with_their_cash(self):
        """The book verifies; and unless it holds the same transactions as at the last check (and the
        years so far are the same), every year's account agrees with its cash and each fund's export
        balances."""
        seen = (support.written(self.sessions, self.w.book_id)[0], statements.year_of(self.today, "04-01"))
        with self.sessions() as session:
            book = session.get(Book, self.w.book_id)
            if self.checked != seen:
                support.check_every_year(session, book, self.first_day, self.today)
                support.check_fund_exports(session, book, self.clock.now())
                self.checked = seen
            support.check_book_verifies(session, session.get(Book, self.w.book_id))
