"""Financial records are kept for six years after their financial year ends, never deleted; then the people
they name are handed to the pseudonymiser, and the books still verify."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from pledgebank.accounts.erasure import pseudonym
from pledgebank.accounts.models import User
from pledgebank.books.models import AuditEvent, LedgerTransaction
from pledgebank.db import unit_of_work
from pledgebank.jobs import run_due
from pledgebank.neighbourhoods.roles import remove_member
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.privacy.enforce import ACTION
from pledgebank.privacy.financial import people_past_keeping
from pledgebank.privacy.retention import RetentionPolicy
from tests.factories.grants import ZONE, apply, decide, declare, give_fund, make_round, pay, reviewed, world
from tests.factories.pledges import assert_books_ok


def _award_and_pay(app, w, applicant: int, title: str) -> None:
    grant = apply(app, make_round(app, w, title=title), applicant, 10_000, title=title)
    reviewed(app, grant, w.members)
    declare(app, grant, w.chair)
    decide(app, grant, w.chair, "award")
    pay(app, grant, w.treasurer)


def _move_to(clock, when: datetime) -> None:
    clock.advance(when - clock.now())


def _due(sessions, today) -> list[int]:
    with unit_of_work(sessions) as session:
        return people_past_keeping(session, cutoff=RetentionPolicy().financial_cutoff(today), zone=ZONE)


def test_people_are_due_only_once_all_their_financial_records_are_past_keeping(app, sessions, clock):
    w = world(sessions)
    give_fund(app, w.slug, 50_000)
    _award_and_pay(app, w, w.residents[0], "Spring bulbs")  # 2 March 2026: the year ending 31 March 2026
    _move_to(clock, datetime(2027, 4, 6, 10, tzinfo=UTC))
    _award_and_pay(app, w, w.residents[1], "A new bench")  # the year ending 31 March 2028
    with unit_of_work(sessions) as session:
        transactions_before = session.scalar(select(func.count()).select_from(LedgerTransaction))

    assert _due(sessions, datetime(2032, 3, 31).date()) == []
    assert _due(sessions, datetime(2032, 4, 1).date()) == [w.residents[0]]
    assert _due(sessions, datetime(2034, 3, 31).date()) == [w.residents[0]], (
        "the chair and treasurer acted later"
    )
    assert _due(sessions, datetime(2034, 4, 1).date()) == sorted([w.chair, w.treasurer, *w.residents])

    handed: list[int] = []
    app.extensions["pledgebank.pseudonymiser"] = lambda session, user_id, now: handed.append(user_id)
    _move_to(clock, datetime(2032, 4, 1, 9, tzinfo=UTC))
    done = run_due(app)
    assert handed == [w.residents[0]]
    assert done["retention: people past financial keeping"] == 1
    assert done["retention: people pseudonymised on financial records"] == 1
    with unit_of_work(sessions) as session:
        assert session.scalar(select(func.count()).select_from(LedgerTransaction)) == transactions_before
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == ACTION))
        assert event.after["people past financial keeping"] == 1
    assert_books_ok(app)


def test_people_past_keeping_who_are_still_members_keep_their_accounts_and_former_members_are_pseudonymised(
    app, sessions, clock
):
    w = world(sessions)
    give_fund(app, w.slug, 50_000)
    _award_and_pay(app, w, w.residents[0], "Spring bulbs")
    applicant = w.residents[0]
    _move_to(clock, datetime(2032, 4, 1, 9, tzinfo=UTC))
    done = run_due(app)
    assert done["retention: people past financial keeping"] == 3  # the applicant, the chair, the treasurer
    assert done["retention: people pseudonymised on financial records"] == 0, "all three are still members"
    with unit_of_work(sessions) as session:
        assert session.get(User, applicant).erased_at is None

    with unit_of_work(sessions) as session:
        remove_member(
            session,
            actor_id=applicant,
            neighbourhood=get_neighbourhood(session, w.slug),
            user_id=applicant,
            now=clock.now(),
        )
    _move_to(clock, datetime(2032, 4, 2, 9, tzinfo=UTC))
    done = run_due(app)
    assert done["retention: people pseudonymised on financial records"] == 1
    with unit_of_work(sessions) as session:
        person = session.get(User, applicant)
        assert person.erased_at is not None
        assert person.display_name == pseudonym(applicant)

    _move_to(clock, datetime(2032, 4, 3, 9, tzinfo=UTC))
    assert run_due(app)["retention: people pseudonymised on financial records"] == 0, "nothing twice"
    assert_books_ok(app)
