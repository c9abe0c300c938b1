"""The whole-book model's grant and treasurer rules, as mixins of its state machine: grant awards made, cut
and paid (above the threshold only once a second member approves); the treasurer's donations, cash banked,
supplier payments (those above the threshold waiting for approval), bank charges, interest and corrections."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from pledgebank.books import treasurer
from pledgebank.books.treasurer_checks import EntryTerms
from pledgebank.grants import amendments, payments
from pledgebank.grants.models import GrantApplication
from pledgebank.ledger import kinds
from tests.helpers.ledger_model import whole_book_steps as steps
from tests.helpers.ledger_model.whole_book_machine import THRESHOLD, funds

TREASURER_KINDS = ("donation", "cash_banked", "supplier_payment", "bank_charges", "bank_interest")


class GrantRules:
    """Applications reviewed, awarded in full, cut, paid by bank transfer or cash, and approved."""

    @rule(
        fund=st.sampled_from(["general", "street-trees"]),
        amount=st.integers(min_value=100, max_value=9_000),
    )
    def grant_applied(self, fund, amount):
        self.applications.append(steps.open_application(self.app, self.w, fund=fund, amount=amount))

    @precondition(lambda self: self.applications)
    @rule()
    def grant_awarded(self):
        application_id = self.applications.pop()
        if self.attempt(lambda session: steps.award(session, self.app, self.w, application_id)):
            self.awards.append(application_id)

    @precondition(lambda self: self.awards)
    @rule(data=st.data())
    def grant_cut(self, data):
        application_id = data.draw(st.sampled_from(self.awards), label="award")
        with self.sessions() as session:
            awarded = session.get(GrantApplication, application_id).awarded_amount
        if awarded > 1:
            lower = data.draw(st.integers(min_value=1, max_value=awarded - 1), label="cut to")
            assert self.attempt(
                lambda session: amendments.reduce_award(
                    session,
                    actor_id=self.w.chair,
                    application_id=application_id,
                    amount=lower,
                    reason="Costs came in lower.",
                    now=self.clock.now(),
                    zone=self.zone,
                )
            )

    @precondition(lambda self: self.awards)
    @rule(method=st.sampled_from(["bank_transfer", "cash"]))
    def grant_paid(self, method):
        application_id = self.awards[0]
        found = []

        def pay(session):
            found.append(
                payments.record_payment(
                    session,
                    actor_id=self.w.treasurer,
                    application_id=application_id,
                    paid_on=self.today,
                    method=method,
                    reference="" if method == "cash" else "GRANT-REF-1",
                    threshold=THRESHOLD,
                    now=self.clock.now(),
                    zone=self.zone,
                ).status
            )

        if self.attempt(pay):
            self.awards.remove(application_id)
            if found[0] != "paid":
                self.waiting_grants.append(application_id)

    @precondition(lambda self: self.waiting_grants)
    @rule()
    def grant_payment_approved(self):
        application_id = self.waiting_grants[0]
        if self.attempt(
            lambda session: payments.approve_payment(
                session, actor_id=self.w.members[1], application_id=application_id, now=self.clock.now()
            )
        ):
            self.waiting_grants.remove(application_id)


class TreasurerRules:
    """What the treasurer records on Record money, second approvals, and corrections of entries."""

    @rule(
        kind=st.sampled_from(TREASURER_KINDS),
        fund=funds,
        amount=st.integers(min_value=1, max_value=9_000),
        back=st.integers(min_value=0, max_value=60),
        place=st.sampled_from(["bank", "cash"]),
        for_purpose=st.booleans(),
    )
    def treasurer_entry(self, kind, fund, amount, back, place, for_purpose):
        terms = steps.entry_terms(
            kind,
            fund=fund,
            amount=amount,
            on=self.today - timedelta(days=back),
            place=place,
            for_purpose=for_purpose,
        )
        found = []

        def record(session):
            found.append(self.record(session, terms))

        if self.attempt(record) and found[0].status != treasurer.POSTED:
            self.waiting_entries.append(found[0].id)

    @precondition(lambda self: self.waiting_entries)
    @rule()
    def supplier_payment_approved(self):
        entry_id = self.waiting_entries[0]
        if self.attempt(
            lambda session: treasurer.approve_entry(
                session, actor_id=self.w.members[0], entry_id=entry_id, now=self.clock.now()
            )
        ):
            self.waiting_entries.remove(entry_id)

    @rule(data=st.data())
    def correction(self, data):
        with self.sessions() as session:
            found = steps.correctable(session, self.w.book_id, (*kinds.TREASURER_KINDS, kinds.CASH_BANKED))
        if found:
            number = data.draw(st.sampled_from(found), label="transaction")
            terms = EntryTerms(
                kind="correction", on=self.today, description="Entered twice", transaction=number
            )
            self.attempt(lambda session: self.record(session, terms))
