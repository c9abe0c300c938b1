"""The fund a pledge pays into: by default a restricted fund of its own, opened with the pledge and holding
the money for what the pledge says; grant rounds cannot spend it and a supplier payment from it needs its
purpose confirmed. Only the committee or the chair may put a pledge into an existing fund."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pledgebank import demo
from pledgebank.books.models import AuditEvent, LedgerAccount
from pledgebank.books.treasurer_checks import SUPPLIER_PAYMENT
from pledgebank.db import unit_of_work
from pledgebank.errors import InvalidInput
from pledgebank.grants import funds as grant_funds
from pledgebank.grants import rounds
from pledgebank.ledger import chart
from pledgebank.neighbourhoods import funds
from pledgebank.neighbourhoods.models import Fund
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.pledges.models import Pledge
from pledgebank.pledges.services import edit_pledge, get_pledge
from tests.factories.grants import clock_now, give_fund, round_terms, world
from tests.factories.pledges import (
    FUND,
    assert_books_ok,
    balance,
    due,
    make_pledge,
    pledge_state,
    record_cash,
    sign,
)
from tests.factories.pledges import terms as pledge_terms
from tests.factories.treasurer import record, terms, transaction_count

PURPOSE = (
    "Pledged for “Mend the playground fence”: New posts and panels along the north side of the playground."
)


def fund_of(app, pledge_id: int) -> Fund:
    """The fund the pledge pays into now."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return session.get(Fund, session.get(Pledge, pledge_id).fund_id)


def fund_count(app) -> int:
    """How many funds there are."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return session.scalar(select(func.count()).select_from(Fund))


def add_fund(app, w, name: str, fund_type: str, purpose: str = "") -> None:
    """The chair adds a fund."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        funds.add_fund(
            session,
            actor_id=w.chair,
            neighbourhood=get_neighbourhood(session, w.slug),
            name=name,
            description="",
            fund_type=fund_type,
            purpose=purpose,
            now=clock_now(app),
        )


def change(app, pledge_id: int, actor: int, **changes) -> None:
    """Change the pledge's terms through the service."""
    now = clock_now(app)
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        edit_pledge(
            session,
            actor_id=actor,
            pledge=get_pledge(session, pledge_id),
            terms=pledge_terms(now, **changes),
            now=now,
        )


def succeeded_with_cash(app, w) -> int:
    """A resident's pledge that two residents paid in cash and that succeeded; return its id."""
    pledge = make_pledge(app, w.slug, w.residents[0], target_pledgers=2)
    for resident in w.residents:
        record_cash(app, sign(app, pledge, resident, method="cash"), w.treasurer)
    due(app)
    due(app, hours=73)
    assert pledge_state(app, pledge) == "succeeded"
    return pledge


def test_a_residents_pledge_opens_a_restricted_fund_for_what_it_says(app, sessions):
    w = world(sessions)
    before = fund_count(app)
    pledge = make_pledge(app, w.slug, w.residents[0])
    fund = fund_of(app, pledge)
    assert (fund.slug, fund.name, fund.fund_type) == (FUND, "Mend the playground fence", "restricted")
    assert fund.purpose == PURPOSE
    assert fund.may_fund_grants is False and fund.can_fund_grants is False
    assert fund_count(app) == before + 1
    with unit_of_work(sessions) as session:
        assert session.get(Pledge, pledge).own_fund is True
        codes = set(session.scalars(select(LedgerAccount.code).where(LedgerAccount.fund_id == fund.id)))
        assert {chart.income_account(FUND, "pledges"), chart.fund_balance(FUND)} <= codes
        created = session.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "fund.created", AuditEvent.subject_id == str(fund.id)
            )
        )
        assert created is not None and created.actor_id == w.residents[0]


@pytest.mark.parametrize(
    ("titles", "slugs"),
    [
        (
            ["Mend the fence", "Mend the fence", "Mend  the FENCE!"],
            ["mend-the-fence", "mend-the-fence-2", "mend-the-fence-3"],
        ),
        (["General"], ["general-2"]),
        (["Café garden"], ["cafe-garden"]),
        (["Ремонт забора"], ["pledge"]),
        (
            ["A very long title that goes on and on about the playground fence"],
            ["a-very-long-title-that-goes-on-a"],
        ),
    ],
)
def test_each_pledge_fund_gets_a_free_slug_from_its_title(app, sessions, titles, slugs):
    w = world(sessions)
    made = [fund_of(app, make_pledge(app, w.slug, w.residents[0], title=title)).slug for title in titles]
    assert made == slugs
    assert_books_ok(app)


@pytest.mark.parametrize("fund", ["general", "trees", "no-such-fund"])
def test_a_resident_cannot_put_a_pledge_into_an_existing_fund(app, sessions, fund):
    w = world(sessions)
    add_fund(app, w, "Trees", "restricted", "Street trees on Elm Road")
    before = fund_count(app)
    with pytest.raises(InvalidInput) as refused:
        make_pledge(app, w.slug, w.residents[0], fund_slug=fund)
    assert list(refused.value.fields) == ["fund"]
    with unit_of_work(sessions) as session:
        assert session.scalar(select(func.count()).select_from(Pledge)) == 0
    assert fund_count(app) == before


def test_the_committee_may_pick_an_existing_fund_but_never_an_endowment(app, sessions):
    w = world(sessions)
    add_fund(app, w, "Trees", "restricted", "Street trees on Elm Road")
    add_fund(app, w, "Hall capital", "endowment")
    before = fund_count(app)
    trees = make_pledge(app, w.slug, w.members[0], fund_slug="trees")
    general = make_pledge(app, w.slug, w.chair, fund_slug="general", title="Our running costs")
    assert (fund_of(app, trees).slug, fund_of(app, general).slug) == ("trees", "general")
    assert fund_count(app) == before, "no fund is opened for a pledge put into an existing one"
    with pytest.raises(InvalidInput) as refused:
        make_pledge(app, w.slug, w.chair, fund_slug="hall-capital")
    assert "endowment" in refused.value.fields["fund"][0]


def test_its_money_is_held_for_its_purpose_and_no_grant_round_may_spend_it(app, sessions):
    w = world(sessions)
    give_fund(app, w.slug, 5_000)
    pledge = succeeded_with_cash(app, w)
    assert balance(app, chart.income_account(FUND, "pledges")) == -2_000
    with unit_of_work(sessions) as session:
        fund_id = session.get(Pledge, pledge).fund_id
        money = {m.slug: m for m in grant_funds.fund_money(session, w.neighbourhood_id)}
        assert grant_funds.available(session, fund_id) == 0
    assert (money[FUND].received, money[FUND].available, money[FUND].held) == (2_000, 0, 2_000)
    assert money["general"].available == 5_000
    listed = app.test_client().get(f"/api/v1/neighbourhoods/{w.slug}/fund-balances").get_json()
    shown = next(row for row in listed if row["slug"] == FUND)
    assert (shown["fund_type"], shown["available"], shown["held"]) == ("restricted", 0, 2_000)
    page = app.test_client().get(f"/n/{w.slug}/grants").get_data(as_text=True)
    assert "Held for its purpose" in page and "Mend the playground fence" in page
    now = clock_now(app)
    with pytest.raises(InvalidInput) as refused, unit_of_work(sessions) as session:
        rounds.create_round(
            session,
            actor_id=w.chair,
            neighbourhood=get_neighbourhood(session, w.slug),
            terms=round_terms(now, fund_slug=FUND),
            now=now,
        )
    assert "Mend the playground fence" in refused.value.fields["fund"][0]
    assert_books_ok(app)


def test_a_supplier_payment_from_it_needs_its_purpose_confirmed(app, sessions):
    w = world(sessions)
    succeeded_with_cash(app, w)
    values = {
        "fund": FUND,
        "place": "cash",
        "payee": "Oak Fencing",
        "purpose": "Posts",
        "category": "repairs",
    }
    written = transaction_count(app)
    with pytest.raises(InvalidInput) as refused:
        record(app, w.treasurer, w.slug, terms(app, SUPPLIER_PAYMENT, amount=1_500, **values))
    assert "Mend the playground fence" in refused.value.fields["for_fund_purpose"][0]
    assert transaction_count(app) == written
    record(
        app, w.treasurer, w.slug, terms(app, SUPPLIER_PAYMENT, amount=1_500, for_fund_purpose=True, **values)
    )
    assert balance(app, chart.expense_account(FUND, "repairs")) == 1_500
    assert_books_ok(app)


def test_changing_the_words_before_anyone_pledges_changes_its_own_funds_words(app, sessions):
    w = world(sessions)
    pledge = make_pledge(app, w.slug, w.residents[0])
    change(
        app,
        pledge,
        w.residents[0],
        title="Mend the whole fence",
        description="Every post and panel, all round.",
    )
    fund = fund_of(app, pledge)
    assert (fund.slug, fund.name) == (FUND, "Mend the whole fence"), "the slug in the books stays"
    assert fund.purpose == "Pledged for “Mend the whole fence”: Every post and panel, all round."
    assert balance(app, chart.income_account(FUND, "pledges")) == 0
    with unit_of_work(sessions) as session:
        names = set(session.scalars(select(LedgerAccount.name).where(LedgerAccount.fund_id == fund.id)))
        assert "Mend the whole fence: pledges" in names
        assert not any(name.startswith("Mend the playground fence") for name in names)
        assert session.scalar(select(AuditEvent).where(AuditEvent.action == "fund.reworded")) is not None


def test_a_fund_with_money_in_or_chosen_by_the_committee_keeps_its_purpose(app, sessions):
    w = world(sessions)
    add_fund(app, w, "Trees", "restricted", "Street trees on Elm Road")
    gifted = make_pledge(app, w.slug, w.residents[0])
    give_fund(app, w.slug, 1_000, fund=FUND)  # a donation for the same purpose, before anyone pledged
    change(app, gifted, w.residents[0], title="Something else entirely")
    assert fund_of(app, gifted).purpose == PURPOSE

    shared = make_pledge(app, w.slug, w.residents[1], title="Paint the benches")
    make_pledge(app, w.slug, w.chair, fund_slug="paint-the-benches", title="Paint the benches again")
    change(app, shared, w.residents[1], title="Paint the railings")
    assert fund_of(app, shared).name == "Paint the benches", "another pledge pays into it too"

    picked = make_pledge(app, w.slug, w.members[0], fund_slug="trees", title="Plant trees")
    change(app, picked, w.members[0], fund_slug="trees", title="Plant more trees")
    assert fund_of(app, picked).purpose == "Street trees on Elm Road"
    assert_books_ok(app)


def test_a_creator_may_keep_the_committees_choice_or_take_an_own_fund_but_not_pick_another(app, sessions):
    w = world(sessions)
    pledge = make_pledge(app, w.slug, w.chair, fund_slug="general")
    with unit_of_work(sessions) as session:
        session.get(Pledge, pledge).creator_id = w.residents[0]  # a resident's pledge the chair placed
    change(app, pledge, w.residents[0], fund_slug="general", title="Mend the fence soon")
    assert fund_of(app, pledge).slug == "general"
    add_fund(app, w, "Benches", "designated")
    with pytest.raises(InvalidInput) as refused:
        change(app, pledge, w.residents[0], fund_slug="benches")
    assert list(refused.value.fields) == ["fund"]
    change(app, pledge, w.residents[0], fund_slug=None, title="Mend the fence soon")
    fund = fund_of(app, pledge)
    assert (fund.slug, fund.fund_type) == ("mend-the-fence-soon", "restricted")
    with unit_of_work(sessions) as session:
        assert session.get(Pledge, pledge).own_fund is True


def test_the_demos_tree_pledge_pays_into_the_restricted_street_trees_fund(app, sessions, clock):
    with unit_of_work(sessions) as session:
        ids = demo.seed(session, at=clock.now(), currency="GBP")
    demo.seed_pledges(app, ids)
    with unit_of_work(sessions) as session:
        placed = {
            pledge.title: (fund.name, fund.fund_type)
            for pledge, fund in session.execute(select(Pledge, Fund).join(Fund, Fund.id == Pledge.fund_id))
        }
    assert placed == {
        "Mend the playground fence": ("Playground fund", "designated"),
        "Plant twenty street trees": ("Street trees", "restricted"),
    }
    assert_books_ok(app)
