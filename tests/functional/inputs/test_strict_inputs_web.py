"""Every money, count and date field on the pages takes only what it can read exactly: a decimal comma, a
space, another currency, digits of other scripts or a date thousands of years away are each refused beside
the field with a 422, and nothing is written. Ids and page numbers too large for the database are 404s."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from sqlalchemy import func, select

from pledgebank.db import unit_of_work
from pledgebank.grants.models import GrantApplication, GrantRound
from pledgebank.levies.models import Levy
from pledgebank.pledges.models import Pledge, PledgeSignup
from tests.factories.grants import give_fund, make_round, world
from tests.factories.levies import levy_world
from tests.factories.pledges import make_pledge
from tests.helpers.foundation import signed_in_client
from tests.helpers.pledge_pages import error_beside, people

ARABIC_TEN = "\u0661\u0660"
BOLD_TEN = "\U0001d7cf\U0001d7ce"
SUPERSCRIPT_TWO = "\u00b2"
HUGE = "99999999999999999999"

PLEDGE = {
    "fund": "+own",
    "title": "Mend the playground fence",
    "description": "New posts and panels along the north side of the playground.",
    "amount_kind": "fixed",
    "amount": "10",
    "target_pledgers": "40",
    "target_amount": "",
    "deadline": "2026-03-14",
    "deadline_time": "18:00",
    "cap": "",
    "allow_cash": "y",
}
SHAPE = "as a number of pounds, like 10 or 7.50."
FOREIGN = "in pounds (£): other currencies are not accepted."
BAD_PLEDGES = [
    ("amount", "10,50", "Enter the amount with a point, not a comma, before the decimal part, like 10.50."),
    ("amount", "5,00", "Enter the amount with a point, not a comma, before the decimal part, like 5.00."),
    ("amount", "10 50", f"Enter the amount {SHAPE}"),
    ("amount", "1,2,3", f"Enter the amount {SHAPE}"),
    ("amount", "€10", f"Enter the amount {FOREIGN}"),
    ("amount", "$10", f"Enter the amount {FOREIGN}"),
    ("amount", "10 USD", f"Enter the amount {FOREIGN}"),
    ("amount", ARABIC_TEN, f"Enter the amount {SHAPE}"),
    ("target_amount", "99999999999", "Enter the money needed of at most £10,000,000.00."),
    ("target_pledgers", SUPERSCRIPT_TWO, "Enter the number of people as a whole number, like 40."),
    ("target_pledgers", ARABIC_TEN, "Enter the number of people as a whole number, like 40."),
    ("target_pledgers", BOLD_TEN, "Enter the number of people as a whole number, like 40."),
    ("target_pledgers", HUGE, "Enter the number of people from 1 to 1,000,000."),
    ("cap", SUPERSCRIPT_TWO, "Enter the most people as a whole number, like 40."),
    ("cap", str(2**63), "Enter the most people from 1 to 1,000,000."),
    ("deadline", "9999-12-31", "Enter the date between 2000 and 2100."),
    ("deadline", "0001-01-01", "Enter the date between 2000 and 2100."),
    ("deadline_time", "\u0661\u0668:00", "Enter the time like 18:00."),
]


def count(sessions, model) -> int:
    """Rows of a model."""
    with unit_of_work(sessions) as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(("field", "value", "message"), BAD_PLEDGES)
def test_a_pledge_form_refuses_what_it_cannot_read_exactly(app, sessions, field, value, message):
    world_ = people(sessions, "ann")
    ann = world_.client(app, sessions, "ann")
    response = ann.post(f"/n/{world_.slug}/pledges/new", {**PLEDGE, field: value})
    assert response.status_code == 422
    assert message in error_beside(response.get_data(as_text=True), field)
    assert count(sessions, Pledge) == 0


def test_a_pledge_in_pounds_with_a_grouped_target_still_opens(app, sessions):
    world_ = people(sessions, "ann")
    ann = world_.client(app, sessions, "ann")
    good = {**PLEDGE, "amount": "£7.50", "target_amount": "£1,200.50", "cap": "1,000"}
    assert ann.post(f"/n/{world_.slug}/pledges/new", good).status_code == 302
    with unit_of_work(sessions) as session:
        pledge = session.scalar(select(Pledge))
        assert (pledge.amount, pledge.target_amount, pledge.cap) == (750, 120_050, 1000)


@pytest.mark.parametrize("typed", ["10,50", "€10", ARABIC_TEN])
def test_pledging_an_amount_refuses_a_decimal_comma_and_other_currencies(app, sessions, typed):
    world_ = people(sessions, "ann", "ben")
    pledge_id = make_pledge(app, world_.slug, world_.ids["ann"], amount_kind="minimum", amount=500)
    ben = world_.client(app, sessions, "ben")
    response = ben.post(f"/p/{pledge_id}/pledge", {"amount": typed, "method": "cash"})
    assert response.status_code == 422
    assert "Enter your amount" in error_beside(response.get_data(as_text=True), "amount")
    assert count(sessions, PledgeSignup) == 0


ROUND = {
    "fund": "general",
    "title": "Summer small grants",
    "description": "Money for street parties and planting this summer.",
    "eligibility": "Anyone living in Elm Park.",
    "budget": "1,000",
    "max_award": "250",
    "opens_on": "2026-03-02",
    "closes_on": "2026-03-31",
    "criteria": "Benefit to the neighbourhood: 3\nValue for money: 1",
    "quorum_rule": "majority",
    "quorum_minimum": "2",
}
BAD_ROUNDS = [
    ("closes_on", "9999-12-31", "Enter the date between 2000 and 2100."),
    ("opens_on", "0001-01-01", "Enter the date between 2000 and 2100."),
    ("budget", "10,50", "Enter the budget with a point, not a comma, before the decimal part, like 10.50."),
    ("max_award", "€250", f"Enter the largest award {FOREIGN}"),
    ("criteria", f"Benefit: {SUPERSCRIPT_TWO}", "Line 1: end it with a colon and a weight from 1 to 10."),
    ("criteria", f"Benefit: {ARABIC_TEN}", "Line 1: end it with a colon and a weight from 1 to 10."),
    ("criteria", "\n".join(f"Criterion {n}: 1" for n in range(51)), "Give at most 50 lines."),
    ("quorum_minimum", BOLD_TEN, "Enter the number of reviews as a whole number, like 2."),
    ("quorum_minimum", str(2**63), "Enter the number of reviews from 1 to 1,000."),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_ROUNDS)
def test_a_round_form_refuses_dates_out_of_range_and_loose_numbers(app, sessions, field, value, message):
    w = world(sessions)
    chair = signed_in_client(app, sessions, w.chair)
    response = chair.post(f"/n/{w.slug}/grants/rounds/new", {**ROUND, field: value})
    assert response.status_code == 422
    assert message in error_beside(response.get_data(as_text=True), field)
    assert count(sessions, GrantRound) == 0


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ("Bulbs: 90,00\nTools: 30", "Enter the amount on line 1 with a point, not a comma"),
        ("Bulbs: 90\nTools: $30", "Enter the amount on line 2 in pounds (£)"),
        ("Bulbs: 90\nTools 30", "Line 2: end it with a colon and a number"),
    ],
)
def test_budget_lines_use_the_same_money_rules(app, sessions, lines, message):
    w = world(sessions)
    give_fund(app, w.slug, 100_000)
    round_id = make_round(app, w)
    resident = signed_in_client(app, sessions, w.residents[0])
    application = {
        "title": "Bulbs for the verges",
        "summary": "Crocus bulbs along Victoria Road, planted by volunteers in October.",
        "amount_requested": "120",
        "budget_lines": lines,
        "group_name": "",
    }
    response = resident.post(f"/grants/rounds/{round_id}/apply", application)
    assert response.status_code == 422
    assert message in error_beside(response.get_data(as_text=True), "budget_lines")
    assert count(sessions, GrantApplication) == 0


LEVY = {
    "fund": "general",
    "name": "Street lighting",
    "purpose": "Keeping the lamps on along the footpath behind Elm Road.",
    "basis": "flat",
    "amount": "9",
    "period": "monthly",
    "starts_on": "2026-03-02",
    "ends_on": "",
    "threshold": "",
    "prorate": "y",
}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("amount", "€9", f"Enter the amount {FOREIGN}"),
        ("amount", "9,50", "Enter the amount with a point, not a comma, before the decimal part, like 9.50."),
        ("threshold", ARABIC_TEN, "Enter the number of households as a whole number, like 40."),
        ("threshold", HUGE, "Enter the number of households from 1 to 100,000."),
        ("starts_on", "9999-12-31", "Enter the date between 2000 and 2100."),
        ("ends_on", "0001-01-01", "Enter the date between 2000 and 2100."),
    ],
)
def test_a_levy_form_refuses_loose_money_counts_and_dates(app, sessions, field, value, message):
    slug, _, member, _ = levy_world(sessions)
    committee = signed_in_client(app, sessions, member)
    response = committee.post(f"/n/{slug}/levies/new", {**LEVY, "voluntary": "y", field: value})
    assert response.status_code == 422
    assert message in error_beside(response.get_data(as_text=True), field)
    assert count(sessions, Levy) == 0


@pytest.mark.parametrize(
    "path",
    [
        f"/p/{HUGE}",
        f"/p/{2**63}",
        "/p/0",
        f"/grants/rounds/{HUGE}",
        f"/levies/{2**63}",
        f"/api/v1/pledges/{HUGE}",
        f"/api/v1/grant-rounds/{2**63}",
    ],
)
def test_ids_beyond_the_database_are_not_found(app, path):
    assert app.test_client().get(path).status_code == 404


def test_page_numbers_beyond_the_database_are_not_found(app, sessions):
    w = people(sessions)
    chair = w.client(app, sessions, "chair")
    assert chair.get(f"/n/{w.slug}/ledger?page=2").status_code == 200
    for page in ("9223372036854775807", HUGE, SUPERSCRIPT_TWO, ARABIC_TEN, "0", "-1"):
        assert chair.get(f"/n/{w.slug}/ledger?page={page}").status_code == 404, page
    for before in ("9223372036854775808", ARABIC_TEN):
        assert chair.get(f"/n/{w.slug}/audit?before={before}").status_code == 404, before
    assert chair.get(f"/n/{w.slug}/audit?before=5").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "exports/download?format=hledger&date_from=9999-12-31",
        "exports/download?format=csv&date_from=0001-01-01&date_to=9999-12-31",
        f"exports/download?format=csv&date_to={ARABIC_TEN * 2}-01-01",
        "statements/trial-balance?on=9999-12-31",
        "statements/trial-balance?on=0001-01-01",
    ],
)
def test_export_and_statement_dates_out_of_range_are_refused(app, sessions, query):
    w = people(sessions)
    chair = w.client(app, sessions, "chair")
    path, _, params = query.partition("?")
    if path == "exports/download":  # the download form posts (an export is recorded)
        response = chair.post(f"/n/{w.slug}/{path}", dict(parse_qsl(params)))
    else:
        response = chair.get(f"/n/{w.slug}/{query}")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    field = query.split("?")[1].split("&")[-1].split("=")[0]
    assert "Enter the date" in error_beside(page, field)
