"""The grant pages through the test client: opening a round, applying with budget lines, the committee's
tools on the application page (declare, score, decide), paying and reporting, and the public page."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from pledgebank.db import unit_of_work
from pledgebank.grants.models import GrantApplication, GrantRound
from tests.factories.grants import apply, decide, declare, give_fund, make_round, reviewed, score, world
from tests.factories.pledges import assert_books_ok
from tests.helpers.foundation import field_error, signed_in_client, visible_text


def text(response) -> str:
    """The page as visible text."""
    return html.unescape(visible_text(response.get_data(as_text=True)))


def page(response) -> str:
    """The page's HTML."""
    return response.get_data(as_text=True)


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


def test_the_committee_opens_a_round_and_mistakes_are_shown_beside_the_fields(app, sessions):
    w = world(sessions)
    chair = signed_in_client(app, sessions, w.chair)
    assert chair.get(f"/n/{w.slug}/grants/rounds/new").status_code == 200
    wrong = chair.post(
        f"/n/{w.slug}/grants/rounds/new", {**ROUND, "max_award": "2000", "criteria": "Benefit: eleven"}
    )
    assert wrong.status_code == 422
    assert "end it with a colon and a weight" in field_error(page(wrong), "criteria")
    wrong = chair.post(f"/n/{w.slug}/grants/rounds/new", {**ROUND, "max_award": "2000"})
    assert wrong.status_code == 422
    assert (
        field_error(page(wrong), "max_award")
        == "Error: The largest award must be above zero and within the budget."
    )

    made = chair.post(f"/n/{w.slug}/grants/rounds/new", ROUND)
    assert made.status_code == 302
    with unit_of_work(sessions) as session:
        grant_round = session.scalar(select(GrantRound))
        assert (grant_round.budget, grant_round.max_award, len(grant_round.criteria)) == (100_000, 25_000, 2)
        # Midnight at the end of 31 March in London, which is on summer time by then (from 29 March).
        assert grant_round.closes_at.isoformat() == "2026-03-31T23:00:00+00:00"
    shown = text(chair.get(made.headers["Location"]))
    assert "Open for applications until the end of 31 March 2026" in shown
    assert "Benefit to the neighbourhood (weight 3)" in shown

    resident = signed_in_client(app, sessions, w.residents[0])
    assert resident.get(f"/n/{w.slug}/grants/rounds/new").status_code == 403
    assert resident.post(f"/n/{w.slug}/grants/rounds/new", ROUND).status_code == 403


def test_a_resident_applies_and_the_committee_reviews_decides_and_pays_on_the_page(app, sessions, outbox):
    w = world(sessions)
    give_fund(app, w.slug, 100_000)
    round_id = make_round(app, w)
    resident = signed_in_client(app, sessions, w.residents[0])
    form = {
        "title": "Bulbs for the verges",
        "summary": "Crocus bulbs along Victoria Road, planted by volunteers in October.",
        "amount_requested": "120",
        "budget_lines": "Bulbs: 90\nCompost and tools: 25",
        "group_name": "Victoria Road Gardeners",
    }
    wrong = resident.post(f"/grants/rounds/{round_id}/apply", form)
    assert wrong.status_code == 422
    assert "must add up to the amount requested" in field_error(page(wrong), "budget_lines")
    saved = resident.post(
        f"/grants/rounds/{round_id}/apply", {**form, "budget_lines": "Bulbs: 90\nCompost and tools: 30"}
    )
    assert saved.status_code == 302
    with unit_of_work(sessions) as session:
        grant = session.scalar(select(GrantApplication.id))
    draft = text(resident.get(f"/grants/applications/{grant}"))
    assert "Draft." in draft and "the committee cannot see it until you submit it" in draft
    member = signed_in_client(app, sessions, w.members[0])
    assert member.get(f"/grants/applications/{grant}").status_code == 404  # drafts are the applicant's
    assert resident.post(f"/grants/applications/{grant}/submit").status_code == 302
    assert outbox.last("resident0@example.org").subject == "Application received: Bulbs for the verges"

    before = text(member.get(f"/grants/applications/{grant}"))
    assert "Declare your interest" in before and "Your scores" not in before
    declared = member.post(f"/grants/applications/{grant}/declare", {"declare-interest": "none"})
    assert declared.status_code == 302
    shown = page(member.get(f"/grants/applications/{grant}"))
    criteria = re.findall(r'<select[^>]*\bid="(review-score_\d+)"', shown)
    assert len(criteria) == 2
    wrong = member.post(f"/grants/applications/{grant}/review", {"review-recommendation": "award"})
    assert wrong.status_code == 422 and "from 0 to 5" in field_error(page(wrong), criteria[0])
    scored = member.post(
        f"/grants/applications/{grant}/review",
        {**dict.fromkeys(criteria, "4"), "review-recommendation": "award"},
    )
    assert scored.status_code == 302
    again = page(member.get(f"/grants/applications/{grant}"))  # the saved review is there to revise
    assert again.count('<option selected value="4">4</option>') == 2
    reviewed(app, grant, [w.members[1]])
    declare(app, grant, w.chair)

    chair = signed_in_client(app, sessions, w.chair)
    refused = chair.post(f"/grants/applications/{grant}/decide", {"decision-outcome": "reject"})
    assert refused.status_code == 422
    assert "the applicant is told" in field_error(page(refused), "decision-reason")
    too_much = chair.post(
        f"/grants/applications/{grant}/decide",
        {"decision-outcome": "part_award", "decision-amount": "130", "decision-reason": "All of it."},
    )
    assert too_much.status_code == 422
    assert "more than the applicant asked for" in field_error(page(too_much), "decision-amount")
    decided = chair.post(
        f"/grants/applications/{grant}/decide",
        {"decision-outcome": "part_award", "decision-amount": "100", "decision-reason": "Tools are lent."},
    )
    assert decided.status_code == 302
    after = text(chair.get(f"/grants/applications/{grant}"))
    assert "Awarded in part: £100.00" in after and "Reason: Tools are lent." in after
    assert "Recorded in ledger transaction #2" in after
    assert f'href="/n/{w.slug}/money/t/2"' in page(chair.get(f"/grants/applications/{grant}"))
    assert "£100.00 of the £120.00 you asked for" in outbox.last("resident0@example.org").body

    treasurer = signed_in_client(app, sessions, w.treasurer)
    paid = treasurer.post(
        f"/grants/applications/{grant}/payment",
        {
            "payment-paid_on": "2026-03-02",
            "payment-method": "bank_transfer",
            "payment-reference": "EP-GRANT-1",
        },
    )
    assert paid.status_code == 302
    mine = text(resident.get(f"/grants/applications/{grant}"))
    assert "£100.00 paid by bank transfer on 2 March 2026" in mine and "ledger transaction #3" in mine
    # The applicant (a resident, who cannot open the members' ledger) follows it to the open books.
    assert f'href="/n/{w.slug}/money/t/3"' in page(resident.get(f"/grants/applications/{grant}"))
    public = app.test_client().get(f"/n/{w.slug}/money/t/3")
    assert public.status_code == 200 and "Grant paid to " in text(public)
    assert "EP-GRANT-1" not in mine  # the bank reference is for the officers
    reported = resident.post(
        f"/grants/applications/{grant}/report",
        {
            "report-amount_spent": "80",
            "report-what_happened": "Three hundred crocuses came up in March.",
            "report-rating": "5",
        },
    )
    assert reported.status_code == 302
    assert "£20.00 was not spent and is due back" in text(treasurer.get(f"/grants/applications/{grant}"))
    assert treasurer.post(f"/grants/applications/{grant}/return", {"into": "bank"}).status_code == 302
    public = text(app.test_client().get(f"/n/{w.slug}/grants"))
    assert "Bulbs for the verges Victoria Road Gardeners £100.00 2 March 2026 General fund" in public
    assert_books_ok(app)


def test_the_public_page_names_groups_only_and_shows_each_funds_money(app, sessions):
    w = world(sessions)
    give_fund(app, w.slug, 50_000)
    round_id = make_round(app, w)
    alone = apply(app, round_id, w.residents[0], 10_000, title="Hanging baskets")
    group = apply(app, round_id, w.residents[1], 15_000, title="Street party", group="Elm Street Residents")
    for grant in (alone, group):
        reviewed(app, grant, w.members)
        declare(app, grant, w.chair)
        decide(app, grant, w.chair)
    shown = text(app.test_client().get(f"/n/{w.slug}/grants"))
    assert "Hanging baskets Individual recipient £100.00" in shown
    assert "Street party Elm Street Residents £150.00" in shown
    assert "Resident 0" not in shown and "Resident 1" not in shown
    assert "General fund £500.00 £250.00 £0.00 £0.00 £250.00" in shown
    assert_books_ok(app)


def test_pages_hide_scores_from_conflicted_members_and_refuse_outsiders(app, sessions):
    w = world(sessions, members=3)
    oak = world(sessions, members=1, prefix="oak-", name="Oak Vale")
    grant = apply(app, make_round(app, w), w.residents[0])
    declare(app, grant, w.members[0], "conflict", "My brother runs the group.")
    for member in w.members[1:]:
        declare(app, grant, member)
        score(app, grant, member)
    conflicted = text(signed_in_client(app, sessions, w.members[0]).get(f"/grants/applications/{grant}"))
    assert "You declared a conflict of interest: My brother runs the group." in conflicted
    assert "Other members' scores are hidden until the decision" in conflicted
    assert "Member 1" not in conflicted and "Member 2" not in conflicted
    free = text(signed_in_client(app, sessions, w.members[1]).get(f"/grants/applications/{grant}"))
    assert "Member 1" in free and "Member 2" in free and "80%" in free
    other = signed_in_client(app, sessions, w.residents[1])
    assert other.get(f"/grants/applications/{grant}").status_code == 404
    outsider = signed_in_client(app, sessions, oak.chair)
    assert outsider.get(f"/grants/applications/{grant}").status_code == 404
    assert (
        outsider.post(f"/grants/applications/{grant}/declare", {"declare-interest": "none"}).status_code
        == 403
    )
    assert (
        outsider.post(f"/grants/applications/{grant}/decide", {"decision-outcome": "award"}).status_code
        == 403
    )
    assert outsider.post(f"/grants/applications/{grant}/payment", {}).status_code == 403


def test_an_applicant_changes_a_draft_and_withdraws_until_the_decision(app, sessions):
    w = world(sessions)
    give_fund(app, w.slug, 50_000)
    round_id = make_round(app, w)
    draft = apply(app, round_id, w.residents[0], 12_000, submit=False)
    resident = signed_in_client(app, sessions, w.residents[0])
    shown = page(resident.get(f"/grants/applications/{draft}/edit"))
    assert 'value="120.00"' in shown and "Bulbs: 90.00\nTools and compost: 30.00" in shown
    smaller = {
        "title": "Bulbs for the verges",
        "summary": "Crocus bulbs along Victoria Road, planted by volunteers in October.",
        "amount_requested": "100",
        "budget_lines": "Bulbs: 100",
    }
    changed = resident.post(f"/grants/applications/{draft}/edit", smaller)
    assert changed.status_code == 302
    with unit_of_work(sessions) as session:
        stored = session.get(GrantApplication, draft)
        assert (stored.amount_requested, [line.amount for line in stored.budget_lines]) == (10_000, [10_000])
    assert (
        signed_in_client(app, sessions, w.residents[1]).get(f"/grants/applications/{draft}/edit").status_code
        == 404
    )
    assert resident.post(f"/grants/applications/{draft}/submit").status_code == 302
    frozen = resident.post(f"/grants/applications/{draft}/edit", {**smaller, "title": "Something else"})
    assert frozen.status_code == 409 and "cannot edit" in text(frozen)
    assert resident.post(f"/grants/applications/{draft}/withdraw").status_code == 302
    assert "Withdrawn." in text(resident.get(f"/grants/applications/{draft}"))

    decided = apply(app, round_id, w.residents[0], 10_000, title="A new bench")
    reviewed(app, decided, w.members)
    declare(app, decided, w.chair)
    decide(app, decided, w.chair, "reject", reason="The park already has a bench there.")
    refused = resident.post(f"/grants/applications/{decided}/withdraw")
    assert refused.status_code == 409
    assert "cannot withdraw" in text(refused)
