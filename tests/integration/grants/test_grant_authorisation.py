"""Who may see and do what with grants: residents see only their own applications, conflicted (and
undeclared) members see nobody else's scores until the decision, and nobody from outside the neighbourhood
can act on its grants."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pledgebank.db import unit_of_work
from pledgebank.errors import Forbidden, NotAuthenticated, NotFound
from pledgebank.grants import access, amendments, applications, decisions, payments, reports, reviews, rounds
from pledgebank.neighbourhoods.services import get_neighbourhood
from tests.factories.grants import (
    ZONE,
    application_terms,
    apply,
    decide,
    declare,
    give_fund,
    make_round,
    round_terms,
    score,
    world,
)
from tests.factories.pledges import assert_books_ok


@pytest.fixture
def place(app, sessions):
    """Elm Park with three applications (one a draft), and Oak Vale next door with its own officers."""
    w = world(sessions, members=3, residents=3)
    give_fund(app, w.slug, 100_000)
    round_id = make_round(app, w)
    ids = {
        "first": apply(app, round_id, w.residents[0], 10_000),
        "second": apply(app, round_id, w.residents[1], 10_000, title="Book swap shelf"),
        "draft": apply(app, round_id, w.residents[1], 10_000, title="Unfinished idea", submit=False),
    }
    oak = world(sessions, members=1, residents=1, prefix="oak-", name="Oak Vale")
    return w, oak, round_id, ids


def test_residents_see_only_their_own_applications_and_officers_see_every_submitted_one(app, sessions, place):
    w, oak, _, ids = place
    viewers = {
        "applicant": w.residents[0],
        "other resident": w.residents[1],
        "bystander": w.residents[2],
        "committee": w.members[0],
        "treasurer": w.treasurer,
        "chair": w.chair,
        "outsider chair": oak.chair,
        "signed out": None,
    }
    expected = {
        "applicant": {"first"},
        "other resident": {"second", "draft"},
        "bystander": set(),
        "committee": {"first", "second"},
        "treasurer": {"first", "second"},
        "chair": {"first", "second"},
        "outsider chair": set(),
        "signed out": set(),
    }
    names = {number: name for name, number in ids.items()}
    seen = {}
    with unit_of_work(sessions) as session:
        for who, user_id in viewers.items():
            listed = applications.list_applications(
                session, neighbourhood_id=w.neighbourhood_id, user_id=user_id
            )
            viewable = {
                name
                for name, number in ids.items()
                if access.can_view(session, applications.get_application(session, number), user_id)
            }
            seen[who] = {names[a.id] for a in listed}
            assert viewable == seen[who], who
        with pytest.raises(NotFound):
            access.require_view(session, applications.get_application(session, ids["first"]), w.residents[1])
    assert seen == expected


def test_scores_stay_hidden_from_conflicted_and_undeclared_members_until_the_decision(app, sessions, place):
    w, _, _, ids = place
    grant = ids["first"]
    declare(app, grant, w.members[0], "conflict", "The applicant is my neighbour and friend.")
    for member in (w.members[1], w.chair):
        declare(app, grant, member)
        score(app, grant, member, value=3)

    def sees(user_id):
        with unit_of_work(sessions) as session:
            application = applications.get_application(session, grant)
            lines = reviews.visible_reviews(session, application, user_id)
            return sorted(line.member_id for line in lines), access.can_see_scores(
                session, application, user_id
            )

    everyone = sorted([w.members[1], w.chair])
    assert sees(w.members[1]) == (everyone, True)
    assert sees(w.members[0]) == ([], False)  # conflicted
    assert sees(w.members[2]) == ([], False)  # not declared yet
    assert sees(w.residents[0]) == ([], False)  # the applicant
    assert sees(w.treasurer) == ([], False)  # an officer, but not on the committee

    decide(app, grant, w.chair, "award")
    assert sees(w.members[0]) == (everyone, True)
    assert sees(w.members[2]) == (everyone, True)
    assert sees(w.residents[0]) == ([], False)
    assert sees(w.treasurer) == ([], False)
    assert_books_ok(app)


def test_nobody_outside_the_neighbourhood_and_no_resident_can_act_on_its_grants(app, sessions, place):
    w, oak, round_id, ids = place
    grant = ids["first"]
    for member in (w.members[0], w.members[1], w.chair):
        declare(app, grant, member)
        score(app, grant, member)
    decide(app, grant, w.chair, "award")
    awarded, pending = grant, ids["second"]
    now = app.extensions["pledgebank.clock"].now()

    operations = {
        "open a round": lambda s, u: rounds.create_round(
            s, actor_id=u, neighbourhood=get_neighbourhood(s, w.slug), terms=round_terms(now), now=now
        ),
        "apply": lambda s, u: applications.create_application(
            s, actor_id=u, grant_round=rounds.get_round(s, round_id), terms=application_terms(), now=now
        ),
        "declare": lambda s, u: reviews.declare_interest(
            s, actor_id=u, application_id=pending, interest="none", reason="", now=now
        ),
        "score": lambda s, u: reviews.submit_review(
            s,
            actor_id=u,
            application_id=pending,
            scores={},
            recommendation="award",
            recommended_amount=None,
            comment="",
            now=now,
        ),
        "decide": lambda s, u: decisions.decide(
            s, actor_id=u, application_id=pending, outcome="reject", reason="No.", now=now, zone=ZONE
        ),
        "name the decider": lambda s, u: decisions.name_decider(
            s, actor_id=u, application_id=pending, member_id=w.members[0], now=now
        ),
        "reduce": lambda s, u: amendments.reduce_award(
            s, actor_id=u, application_id=awarded, amount=1_000, reason="Less.", now=now, zone=ZONE
        ),
        "pay": lambda s, u: payments.record_payment(
            s,
            actor_id=u,
            application_id=awarded,
            paid_on=now.date(),
            method="cash",
            reference="",
            threshold=50_000,
            now=now,
            zone=ZONE,
        ),
        "approve": lambda s, u: payments.approve_payment(s, actor_id=u, application_id=awarded, now=now),
        "report": lambda s, u: reports.submit_report(
            s,
            actor_id=u,
            application_id=awarded,
            amount_spent=0,
            what_happened="Nothing happened at all.",
            rating=1,
            now=now + timedelta(days=1),
        ),
        "return": lambda s, u: reports.record_return(
            s, actor_id=u, application_id=awarded, into="bank", now=now, zone=ZONE
        ),
    }
    outsiders = {
        "outside chair": oak.chair,
        "outside committee": oak.members[0],
        "outside treasurer": oak.treasurer,
    }
    refusals = {who: {name: Forbidden for name in operations} for who in outsiders}
    # A resident of Elm Park who did not apply may apply, and nothing else.
    refusals["resident"] = {name: Forbidden for name in operations if name != "apply"}
    people = {**outsiders, "resident": w.residents[2]}
    wrong = []
    for who, expected in refusals.items():
        for name, error in expected.items():
            try:
                with unit_of_work(sessions) as session:
                    operations[name](session, people[who])
            except Forbidden:
                continue
            except Exception as other:
                wrong.append(f"{who} {name}: {type(other).__name__} instead of {error.__name__}")
            else:
                wrong.append(f"{who} {name}: allowed")
    assert not wrong, "\n".join(wrong)
    with pytest.raises(NotAuthenticated), unit_of_work(sessions) as session:
        operations["declare"](session, None)
    assert_books_ok(app)
