"""The whole-book model's transfers between funds, as a mixin of its state machine.

Officers (the chair and committee members; not the treasurer nor a resident) propose transfers between any
two funds: designating general money, undesignating it back, restricted money leaving with or without a
recorded basis, and money leaving or joining the endowment. A second officer approves (the pair must include
the chair) and it posts; the proposer withdraws it, or another officer declines it. The model predicts each
refusal (who may not, which fields are wrong, a transfer no longer waiting) and the app must refuse it so,
writing nothing; only the money check (a fund short of money, or of its share of the bank or cash) is left to
the app, and then only beside the amount.
"""

from __future__ import annotations

import secrets

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule
from sqlalchemy import func, select

from pledgebank.books.fund_transfer_checks import TransferTerms
from pledgebank.books.fund_transfer_models import CANCELLED, DECLINED, POSTED, PROPOSED, FundTransfer
from pledgebank.books.fund_transfers import approve_transfer, decline_transfer, propose_transfer
from pledgebank.books.models import LedgerAccount, LedgerPosting, LedgerTransaction
from pledgebank.errors import Conflict, DomainError, Forbidden, InvalidInput
from pledgebank.ledger import chart, kinds
from tests.helpers.ledger_model import whole_book_support as support

PEOPLE = ("chair", "member0", "member1", "treasurer", "resident")
OFFICERS = ("chair", "member0", "member1")
PLACES = {"bank": chart.BANK, "cash": chart.CASH}
RESTRICTED, ENDOWMENT = "street-trees", "capital"
# The chair and the fitting basis come up more often than their share, so that transfers post.
people = st.sampled_from(("chair", *PEOPLE))
transfer_funds = st.sampled_from(["general", "reserve", "street-trees", "capital", "general", "street-trees"])
FITTING = "fitting"  # a basis when money leaves the restricted fund, none otherwise


def proposal_refused(who: str, source: str, target: str, basis: str) -> object:
    """What the app must refuse a proposal with: "forbidden", the fields it names, or None."""
    if who not in OFFICERS:
        return "forbidden"
    if source == target:
        return {"to_fund"}
    fields = {"from_fund"} if source == ENDOWMENT else set()
    fields |= {"to_fund"} if target == ENDOWMENT else set()
    if (source == RESTRICTED) != bool(basis):
        fields |= {"basis", "basis_note"}
    return fields or None


def outcome(error: DomainError | None) -> object:
    """A refusal as the model predicts one."""
    if isinstance(error, Forbidden):
        return "forbidden"
    if isinstance(error, Conflict):
        return "conflict"
    if isinstance(error, InvalidInput):
        return set(error.fields)
    assert error is None, error
    return None


class TransferRules:
    """Transfers between funds proposed, approved, withdrawn and declined by the right and wrong people."""

    def person(self, name: str) -> int:
        w = self.w
        return {
            "chair": w.chair,
            "member0": w.members[0],
            "member1": w.members[1],
            "treasurer": w.treasurer,
            "resident": w.residents[0],
        }[name]

    def held(self, place: str, fund: str) -> int:
        """The fund's share of the bank or cash, summed from postings."""
        code = chart.held_in(PLACES[place], fund)
        with self.sessions() as session:
            return int(
                session.scalar(
                    select(func.coalesce(func.sum(LedgerPosting.amount), 0))
                    .join(LedgerAccount, LedgerAccount.id == LedgerPosting.account_id)
                    .where(LedgerAccount.book_id == self.w.book_id, LedgerAccount.code == code)
                )
            )

    @precondition(lambda self: self.held("bank", "general") > 0)
    @rule(share=st.integers(min_value=1, max_value=50))
    def reserve_designated(self, share):
        """The committee sets part of the general fund's bank money aside in the reserve (it may still be
        refused for the amount when grants awarded have a claim on it)."""
        amount = max(1, self.held("bank", "general") * share // 100)
        self.transfer_proposed(
            who="chair",
            from_fund="general",
            to_fund="reserve",
            amount=amount,
            place="bank",
            basis="",
            twice=False,
        )
        self.approve(max(self.transfers), "member0")

    @rule(
        who=people,
        from_fund=transfer_funds,
        to_fund=transfer_funds,
        amount=st.integers(min_value=1, max_value=8_000),
        place=st.sampled_from(sorted(PLACES)),
        basis=st.sampled_from([FITTING, FITTING, FITTING, "", "purpose_met", "donors_agreed"]),
        twice=st.booleans(),
    )
    def transfer_proposed(self, who, from_fund, to_fund, amount, place, basis, twice):
        source, target = from_fund, to_fund
        if basis == FITTING:
            basis = ("purpose_met", "donors_agreed")[amount % 2] if source == RESTRICTED else ""
        terms = TransferTerms(
            from_fund=source,
            to_fund=target,
            amount=amount,
            place=place,
            reason="Set aside for the playground" if source != RESTRICTED else "The trees are planted",
            basis=basis,
            basis_note="Receipts for all forty trees are filed." if basis else "",
        )
        form_key, found = secrets.token_urlsafe(18), []

        def propose(session):
            found.append(
                propose_transfer(
                    session,
                    actor_id=self.person(who),
                    neighbourhood_id=self.w.neighbourhood_id,
                    terms=terms,
                    form_key=form_key,
                    now=self.clock.now(),
                ).id
            )

        before = support.written(self.sessions, self.w.book_id)
        refused = outcome(self.refusal(propose, expected=DomainError))
        expected = proposal_refused(who, source, target, basis)
        if refused is not None:
            assert refused == expected or (expected is None and refused == {"amount"}), (refused, expected)
            return
        assert expected is None, expected
        after = support.written(self.sessions, self.w.book_id)
        assert after[:2] == before[:2]  # nothing reaches the ledger until a second officer approves
        if twice:  # the same form sent again finds the same transfer
            assert self.refusal(propose, expected=()) is None
            assert found[0] == found[1] and support.written(self.sessions, self.w.book_id) == after
        self.transfers[found[0]] = self.person(who)

    def chosen(self, data) -> int:
        return data.draw(st.sampled_from(sorted(self.transfers)), label="transfer")

    def decided(self, transfer_id: int) -> tuple[str, int | None]:
        with self.sessions() as session:
            transfer = session.get(FundTransfer, transfer_id)
            return transfer.status, transfer.decided_by_id

    def waiting(self) -> list[int]:
        return sorted(set(self.transfers) - set(self.decisions))

    @precondition(lambda self: self.transfers)
    @rule(data=st.data(), who=people, approves=st.booleans())
    def transfer_answered(self, data, who, approves):
        """Anyone approves or declines any transfer, waiting or not (the proposer declining withdraws it)."""
        (self.approve if approves else self.decline)(self.chosen(data), who)

    @precondition(lambda self: self.waiting())
    @rule(data=st.data(), member=st.sampled_from(["member0", "member1"]))
    def transfer_approved_by_a_second_officer(self, data, member):
        """The chair approves a member's proposal, or a member the chair's."""
        transfer_id = data.draw(st.sampled_from(self.waiting()), label="transfer")
        self.approve(transfer_id, "chair" if self.transfers[transfer_id] != self.w.chair else member)

    def approve(self, transfer_id: int, who: str) -> None:
        actor = self.person(who)
        status, decider = self.decisions.get(transfer_id, (PROPOSED, None))
        proposer = self.transfers[transfer_id]
        if who not in OFFICERS:
            expected = "forbidden"
        elif status == POSTED and decider == actor:
            expected = None  # approving twice posts once
        elif status != PROPOSED:
            expected = "conflict"
        elif proposer == actor or self.w.chair not in (proposer, actor):
            expected = "forbidden"
        else:
            expected = "posts"
        before = support.written(self.sessions, self.w.book_id)
        refused = outcome(
            self.refusal(
                lambda session: approve_transfer(
                    session,
                    actor_id=actor,
                    neighbourhood_id=self.w.neighbourhood_id,
                    transfer_id=transfer_id,
                    now=self.clock.now(),
                    today=self.today,
                ),
                expected=DomainError,
            )
        )
        if expected == "posts" and refused == {"amount"}:
            return  # the source fund no longer has the money (checked again at approval)
        if expected != "posts":
            assert refused == expected, (refused, expected)
            assert support.written(self.sessions, self.w.book_id) == before
            assert self.decided(transfer_id) == (status, decider)
            return
        assert refused is None, refused
        self.posted(transfer_id, actor, before)

    def posted(self, transfer_id: int, actor: int, before) -> None:
        """The transfer posted once, as one transaction moving its amount, and left no share below zero."""
        assert support.written(self.sessions, self.w.book_id)[0] == before[0] + 1
        with self.sessions() as session:
            transfer = session.get(FundTransfer, transfer_id)
            posted = session.get(LedgerTransaction, transfer.transaction_id)
            assert (transfer.status, transfer.decided_by_id) == (POSTED, actor)
            assert posted.kind == kinds.FUND_TRANSFER and posted.effective_date == self.today
            source, place, amount = transfer.from_fund.slug, transfer.place, transfer.amount
        assert self.held(place, source) >= 0, (source, place, amount)
        self.decisions[transfer_id] = (POSTED, actor)

    def decline(self, transfer_id: int, who: str) -> None:
        actor = self.person(who)
        status, decider = self.decisions.get(transfer_id, (PROPOSED, None))
        proposer = self.transfers[transfer_id]
        becomes = CANCELLED if proposer == actor else DECLINED
        if who not in OFFICERS:
            expected = "forbidden"
        elif status == becomes and decider == actor:
            expected = None  # withdrawing or declining twice does nothing more
        elif status != PROPOSED:
            expected = "conflict"
        else:
            expected = None
        before = support.written(self.sessions, self.w.book_id)
        refused = outcome(
            self.refusal(
                lambda session: decline_transfer(
                    session,
                    actor_id=actor,
                    neighbourhood_id=self.w.neighbourhood_id,
                    transfer_id=transfer_id,
                    now=self.clock.now(),
                ),
                expected=DomainError,
            )
        )
        assert refused == expected, (refused, expected)
        after = support.written(self.sessions, self.w.book_id)
        assert after[:2] == before[:2]  # nothing posted
        if refused is None and status == PROPOSED:
            self.decisions[transfer_id] = (becomes, actor)
        else:
            assert after == before
        assert self.decided(transfer_id) == self.decisions.get(transfer_id, (PROPOSED, None))
