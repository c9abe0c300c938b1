"""The whole-book model's income rules, as mixins of its state machine: pledges collected by card (through
the Stripe emulator) and in cash, kept or handed back; levies whose charges are raised, paid in cash or by
bank transfer, or waived for hardship; refunds and disputes of card payments booked as the webhook handler
books them, some delivered twice; and Stripe payouts posted by the reconciliation from Stripe's report."""

from __future__ import annotations

import secrets
from datetime import timedelta

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule
from sqlalchemy import select

from pledgebank.books.models import Book
from pledgebank.db import unit_of_work
from pledgebank.errors import InvalidInput
from pledgebank.exports.clearing import ledger_movements
from pledgebank.exports.reconcile import StripeActivity, reconcile_stripe, start_of
from pledgebank.ledger import kinds
from pledgebank.levies import charges, hardship
from pledgebank.levies.models import LevyCharge
from pledgebank.levies.states import UNPAID
from pledgebank.payments.gateway import BalanceTransaction, Payout
from pledgebank.payments.refund_books import card_payments
from tests.helpers.ledger_model import whole_book_steps as steps
from tests.helpers.ledger_model import whole_book_support as support
from tests.helpers.ledger_model.whole_book_machine import funds


class PledgeRules:
    """Pledges run from signing to their outcome."""

    @rule(
        fund=funds,
        amount=st.integers(min_value=100, max_value=5_000),
        by_card=st.integers(min_value=0, max_value=2),
        in_cash=st.integers(min_value=0, max_value=2),
        succeeds=st.booleans(),
        into=st.sampled_from(["assets:cash", "assets:bank"]),
    )
    def pledge(self, fund, amount, by_card, in_cash, succeeds, into):
        if support.FUNDS[fund] == "endowment":
            # An endowment's capital is given to be kept: it takes no pledges; starting one writes nothing.
            error = self.refusal(
                lambda session: steps.start_pledge(session, self.app, self.w, fund=fund, amount=amount)
            )
            assert isinstance(error, InvalidInput) and "fund" in error.fields, error
        elif by_card + in_cash:
            steps.run_pledge(
                self.app,
                self.w,
                fund=fund,
                amount=amount,
                by_card=by_card,
                in_cash=in_cash,
                succeeds=succeeds,
                into=into,
            )


class LevyRules:
    """Levies started, their charges paid or waived for hardship."""

    @rule(
        fund=funds,
        amount=st.integers(min_value=100, max_value=3_000),
        period=st.sampled_from(["monthly", "quarterly"]),
    )
    def levy_started(self, fund, amount, period):
        self.households.update(steps.start_levy(self.app, self.w, fund=fund, amount=amount, period=period))

    def unpaid(self, data) -> int | None:
        with self.sessions() as session:
            found = session.scalars(
                select(LevyCharge.id)
                .where(
                    LevyCharge.household_id.in_(self.households),
                    LevyCharge.status.in_([s.value for s in UNPAID]),
                )
                .order_by(LevyCharge.id)
            ).all()
        return data.draw(st.sampled_from(found), label="charge") if found else None

    @precondition(lambda self: self.households)
    @rule(data=st.data(), into=st.sampled_from(["cash", "bank"]))
    def levy_paid(self, data, into):
        charge_id = self.unpaid(data)
        if charge_id is not None:
            self.attempt(
                lambda session: charges.record_payment(
                    session,
                    actor_id=self.w.treasurer,
                    charge_id=charge_id,
                    into=into,
                    now=self.clock.now(),
                    zone=self.zone,
                )
            )

    @precondition(lambda self: self.households)
    @rule(data=st.data())
    def levy_waived(self, data):
        charge_id = self.unpaid(data)
        if charge_id is None:
            return
        with self.sessions() as session:
            person = self.households[session.get(LevyCharge, charge_id).household_id]
        with unit_of_work(self.sessions) as session:
            request = hardship.request_hardship(
                session,
                actor_id=person,
                charge_id=charge_id,
                reason="I lost my job.",
                amount=None,
                now=self.clock.now(),
            ).id
        self.attempt(
            lambda session: hardship.decide_hardship(
                session,
                actor_id=self.w.members[0],
                request_id=request,
                approve=True,
                amount=None,
                note="",
                now=self.clock.now(),
                zone=self.zone,
            )
        )


class CardRules:
    """What Stripe reports about card payments: refunds, disputes, and payouts to the bank."""

    def card_paid(self, data):
        with self.sessions() as session:
            book = session.get(Book, self.w.book_id)
            left = [p for p in card_payments(session, book) if p.left > 0]
        return data.draw(st.sampled_from(left), label="payment") if left else None

    @rule(data=st.data(), twice=st.booleans())
    def card_refunded(self, data, twice):
        payment = self.card_paid(data)
        if payment is not None:
            amount = data.draw(st.integers(min_value=1, max_value=payment.left), label="refund")
            refund = steps.refund_of(payment, amount, int(self.clock.now().timestamp()))
            for _delivery in range(1 + twice):
                steps.book_stripe_news(self.app, payment, refund, None)

    @rule(
        data=st.data(),
        won=st.booleans(),
        fee=st.integers(min_value=0, max_value=2_000),
        twice=st.booleans(),
    )
    def card_disputed(self, data, won, fee, twice):
        payment = self.card_paid(data)
        if payment is not None:
            dispute = steps.dispute_of(payment, fee, won, int(self.clock.now().timestamp()))
            for _delivery in range(1 + twice):
                steps.book_stripe_news(self.app, payment, None, dispute)

    @rule(data=st.data(), twice=st.booleans())
    def stripe_paid_out(self, data, twice):
        """Stripe pays the oldest movements of the clearing account not yet paid out (when they come to more
        than nothing) into the bank; the reconciliation matches them and posts the payout, once."""
        with self.sessions() as session:
            book = session.get(Book, self.w.book_id)
            moves = [
                m
                for m in ledger_movements(session, since=self.first_day - timedelta(days=1))
                if m.book == book.slug and m.key and m.kind != kinds.PAYOUT and m.key not in self.paid_out
            ]
        nets: dict[str, int] = {}
        made: dict[str, int] = {}  # when Stripe made each balance transaction: the day it was booked
        for move in moves:
            nets[move.key] = nets.get(move.key, 0) + move.clearing
            made.setdefault(move.key, start_of(move.effective_date, self.zone))
        if not nets:
            return
        count = data.draw(st.integers(min_value=1, max_value=len(nets)), label="movements paid out")
        carried = list(nets.items())[:count]
        total = sum(net for _key, net in carried)
        if total <= 0:
            return  # Stripe pays out only a positive balance
        now = int(self.clock.now().timestamp())
        currency = moves[0].currency
        lines = [
            BalanceTransaction(key, "charge", key, net, 0, net, currency, made[key]) for key, net in carried
        ]
        payout = Payout(f"po_{secrets.token_hex(8)}", total, currency, "paid", now, now)
        for run in range(1 + twice):
            before = support.written(self.sessions, self.w.book_id)
            with unit_of_work(self.sessions) as session:
                report = reconcile_stripe(
                    session,
                    StripeActivity([(payout, lines)], []),
                    since=self.today,
                    zone=self.zone,
                    now=self.clock.now(),
                )
            assert report.payouts[0].reconciled, report
            assert support.written(self.sessions, self.w.book_id)[0] == before[0] + (run == 0)
        self.paid_out.update(key for key, _net in carried)
