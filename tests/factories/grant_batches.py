"""Many grant applications at once, ready for the committee's decision (for the concurrency tests)."""

from __future__ import annotations

from pledgebank.db import unit_of_work
from pledgebank.grants import applications, reviews, rounds
from tests.factories.grants import World, application_terms, clock_now


def reviewed_applications(app, w: World, round_id: int, count: int, amount: int) -> list[int]:
    """`count` submitted applications of `amount`, each declared on and reviewed to quorum (in one unit
    of work)."""
    now = clock_now(app)
    ids = []
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        grant_round = rounds.get_round(session, round_id)
        criteria = [c.id for c in grant_round.criteria]
        for n in range(count):
            application = applications.create_application(
                session,
                actor_id=w.residents[n % len(w.residents)],
                grant_round=grant_round,
                terms=application_terms(amount, title=f"Small thing {n}"),
                now=now,
            )
            applications.submit_application(
                session, actor_id=application.applicant_id, application=application, now=now
            )
            for member in w.committee:
                reviews.declare_interest(
                    session,
                    actor_id=member,
                    application_id=application.id,
                    interest="none",
                    reason="",
                    now=now,
                )
            for member in w.members:
                reviews.submit_review(
                    session,
                    actor_id=member,
                    application_id=application.id,
                    scores=dict.fromkeys(criteria, 3),
                    recommendation="award",
                    recommended_amount=None,
                    comment="",
                    now=now,
                )
            ids.append(application.id)
    return ids
