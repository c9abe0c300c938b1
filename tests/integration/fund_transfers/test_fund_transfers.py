"""Transfers between funds through the real service: a second officer approves, the pair includes the chair;
restricted money moves only on a recorded basis, endowment capital not at all; too much is refused beside the
amount with nothing written, at proposal and again at approval."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from pledgebank.books.fund_transfer_models import FundTransfer
from pledgebank.books.models import AuditEvent
from pledgebank.books.services import book_of, post
from pledgebank.db import unit_of_work
from pledgebank.errors import Conflict, Forbidden, InvalidInput
from pledgebank.ledger import chart, rules, treasurer
from pledgebank.ledger.money import Money
from pledgebank.neighbourhoods.models import FundType
from pledgebank.neighbourhoods.services import get_neighbourhood
from tests.factories.fund_transfers import (
    add_fund,
    approve,
    counts,
    decline,
    propose,
    terms,
)
from tests.factories.grants import clock_now, give_fund, world
from tests.factories.pledges import assert_books_ok, balance


@pytest.fixture
def w(app, sessions):
    """A neighbourhood whose general fund has £500 in the bank, and a designated fund for repairs."""
    place = world(sessions)
    give_fund(app, place.slug, 50_000)
    add_fund(app, place.slug, "repairs", FundType.DESIGNATED)
    return place


def _post(app, slug: str, entry) -> None:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        post(
            session,
            book=book_of(session, get_neighbourhood(session, slug).id),
            entry=entry,
            now=clock_now(app),
        )


def test_designating_posts_when_the_chair_approves_a_members_proposal(app, w):
    transfer_id = propose(app, w.members[0], w.slug, terms(amount=20_000))
    assert balance(app, "assets:bank:repairs") == 0
    status, legs = approve(app, w.chair, w.slug, transfer_id)
    assert status == "posted"
    assert legs == [
        ("assets:bank:general", -20_000),
        ("equity:general:balance", 20_000),
        ("assets:bank:repairs", 20_000),
        ("equity:repairs:balance", -20_000),
    ]
    assert balance(app, "assets:bank:general") == 30_000 and balance(app, "assets:bank:repairs") == 20_000
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions[-2:] == ["fund_transfer.proposed", "fund_transfer.approved"]
    assert_books_ok(app)


def test_undesignating_returns_the_money_to_the_general_fund(app, w):
    approve(app, w.members[0], w.slug, propose(app, w.chair, w.slug, terms(amount=20_000)))
    back = propose(app, w.chair, w.slug, terms(from_fund="repairs", to_fund="general", amount=5_000))
    status, legs = approve(app, w.members[1], w.slug, back)
    assert status == "posted" and legs[0] == ("assets:bank:repairs", -5_000)
    assert balance(app, "assets:bank:repairs") == 15_000 and balance(app, "assets:bank:general") == 35_000
    assert_books_ok(app)


def test_the_proposer_cannot_approve_and_two_members_without_the_chair_cannot(app, w):
    transfer_id = propose(app, w.members[0], w.slug, terms())
    with pytest.raises(Forbidden, match="not the one who proposed"):
        approve(app, w.members[0], w.slug, transfer_id)
    with pytest.raises(Forbidden, match="chair"):
        approve(app, w.members[1], w.slug, transfer_id)
    with pytest.raises(Forbidden):
        approve(app, w.treasurer, w.slug, transfer_id)
    assert balance(app, "assets:bank:repairs") == 0
    assert approve(app, w.chair, w.slug, transfer_id)[0] == "posted"


def test_the_treasurer_and_residents_cannot_propose(app, w):
    for who in (w.treasurer, w.residents[0]):
        with pytest.raises(Forbidden):
            propose(app, who, w.slug, terms())
    assert counts(app)[0] == 0


def test_restricted_money_moves_only_on_a_recorded_basis(app, w):
    add_fund(app, w.slug, "trees", FundType.RESTRICTED, purpose="Plant twenty street trees")
    give_fund(app, w.slug, 10_000, fund="trees", key="trees")
    before = counts(app)
    with pytest.raises(InvalidInput) as refused:
        propose(app, w.chair, w.slug, terms(from_fund="trees", to_fund="general", amount=2_000))
    assert set(refused.value.fields) == {"basis", "basis_note"}
    assert "Plant twenty street trees" in refused.value.fields["basis"][0]
    assert counts(app) == before
    left_over = terms(
        from_fund="trees",
        to_fund="general",
        amount=2_000,
        basis="purpose_met",
        basis_note="All twenty trees planted on 14 February; £20 left over",
    )
    status, _legs = approve(app, w.members[0], w.slug, propose(app, w.chair, w.slug, left_over))
    assert status == "posted" and balance(app, "assets:bank:trees") == 8_000
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        transfer = session.scalars(select(FundTransfer)).one()
        assert (transfer.basis, transfer.basis_note) == ("purpose_met", left_over.basis_note)
    assert_books_ok(app)


def test_a_basis_is_refused_where_none_is_needed(app, w):
    with pytest.raises(InvalidInput) as refused:
        propose(app, w.chair, w.slug, terms(basis="donors_agreed", basis_note="Letter of 3 March"))
    assert set(refused.value.fields) == {"basis", "basis_note"}


def test_endowment_capital_neither_leaves_nor_joins(app, w):
    add_fund(app, w.slug, "hall-endowment", FundType.ENDOWMENT)
    give_fund(app, w.slug, 10_000, fund="hall-endowment", key="endowment")
    with pytest.raises(InvalidInput) as out:
        propose(app, w.chair, w.slug, terms(from_fund="hall-endowment", to_fund="general"))
    assert "endowment" in out.value.fields["from_fund"][0]
    with pytest.raises(InvalidInput) as into:
        propose(app, w.chair, w.slug, terms(to_fund="hall-endowment"))
    assert "endowment" in into.value.fields["to_fund"][0]
    assert counts(app)[0] == 0


def test_more_than_the_fund_has_available_is_refused_beside_the_amount(app, w):
    # £500 received, £200 awarded and not yet paid: £300 is available, though the bank holds £500.
    award = rules.grant_awarded(
        amount=Money(20_000, "GBP"), fund="general", key="award", on=date(2026, 3, 1), source={"grant": 1}
    )
    _post(app, w.slug, award)
    before = counts(app)
    with pytest.raises(InvalidInput) as refused:
        propose(app, w.chair, w.slug, terms(amount=30_001))
    assert refused.value.fields["amount"] == [
        "General fund has only £300.00 available to transfer; the amount is more."
    ]
    with pytest.raises(InvalidInput) as no_cash:
        propose(app, w.chair, w.slug, terms(amount=100, place="cash"))
    assert "holds only £0.00 in cash" in no_cash.value.fields["amount"][0]
    assert counts(app) == before
    propose(app, w.chair, w.slug, terms(amount=30_000))


def test_the_money_is_checked_again_at_approval(app, w):
    transfer_id = propose(app, w.members[0], w.slug, terms(amount=40_000))
    paid = treasurer.supplier_paid(
        amount=Money(20_000, "GBP"),
        fund="general",
        category="repairs",
        from_account=chart.BANK,
        key="paid",
        on=date(2026, 3, 1),
        source={"test": 1},
    )
    _post(app, w.slug, paid)
    before = counts(app)
    with pytest.raises(InvalidInput) as refused:
        approve(app, w.chair, w.slug, transfer_id)
    assert "£300.00 available" in refused.value.fields["amount"][0]
    assert counts(app) == before
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        assert session.get(FundTransfer, transfer_id).status == "proposed"
    assert_books_ok(app)


def test_a_form_sent_twice_proposes_once_and_approving_twice_posts_once(app, w):
    first = propose(app, w.members[0], w.slug, terms(), key="the-same-transfer-form")
    assert propose(app, w.members[0], w.slug, terms(), key="the-same-transfer-form") == first
    with pytest.raises(Conflict):
        propose(app, w.members[0], w.slug, terms(amount=2_000), key="the-same-transfer-form")
    approve(app, w.chair, w.slug, first)
    transactions = counts(app)[1]
    assert approve(app, w.chair, w.slug, first)[0] == "posted"
    assert counts(app)[1] == transactions and balance(app, "assets:bank:repairs") == 1_000
    with pytest.raises(Conflict):
        approve(app, w.members[1], w.slug, first)


def test_the_proposer_withdraws_and_another_officer_declines(app, w):
    mine = propose(app, w.members[0], w.slug, terms())
    assert decline(app, w.members[0], w.slug, mine) == "cancelled"
    theirs = propose(app, w.members[0], w.slug, terms())
    assert decline(app, w.chair, w.slug, theirs) == "declined"
    for transfer_id in (mine, theirs):
        with pytest.raises(Conflict):
            approve(app, w.chair, w.slug, transfer_id)
    with pytest.raises(Forbidden):
        decline(app, w.treasurer, w.slug, propose(app, w.chair, w.slug, terms()))
    assert balance(app, "assets:bank:repairs") == 0 and counts(app)[1] == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"reason": "x" * 201}, "reason"),
        ({"to_fund": "general"}, "to_fund"),
        ({"to_fund": "no-such-fund"}, "to_fund"),
        ({"from_fund": ""}, "from_fund"),
        ({"amount": 0}, "amount"),
        ({"amount": None}, "amount"),
        ({"place": "stripe"}, "place"),
        ({"basis": "because"}, "basis"),
    ],
)
def test_bad_terms_are_refused_by_field_and_write_nothing(app, w, changes, field):
    before = counts(app)
    with pytest.raises(InvalidInput) as refused:
        propose(app, w.chair, w.slug, terms(**changes))
    assert field in refused.value.fields
    assert counts(app) == before
