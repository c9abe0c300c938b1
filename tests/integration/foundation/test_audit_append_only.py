"""The audit-event log is append-only, enforced by the database itself on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from pledgebank.books.audit import list_events, record_event
from pledgebank.books.models import AuditEvent
from pledgebank.db import unit_of_work
from pledgebank.neighbourhoods import roles, services
from tests.helpers.app import WHEN, add_member, make_neighbourhood, make_user


def _snapshot(sessions) -> list[tuple]:
    with unit_of_work(sessions) as session:
        return [
            (e.id, e.action, e.actor_id, e.subject_id, e.before, e.after, e.reason, e.occurred_at)
            for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]


def _refused(sessions, statement: str, **params) -> None:
    with pytest.raises(DBAPIError) as raised, unit_of_work(sessions) as session:
        session.execute(text(statement), params)
    assert "append-only" in str(raised.value), str(raised.value)[:300]


def test_role_changes_are_recorded_with_who_what_when_before_and_after(sessions):
    chair = make_user(sessions, "chair@example.org")
    member = make_user(sessions, "member@example.org")
    slug = make_neighbourhood(sessions, chair)
    add_member(sessions, slug, member)
    with unit_of_work(sessions) as session:
        neighbourhood = services.get_neighbourhood(session, slug)
        roles.grant_role(
            session, actor_id=chair, neighbourhood=neighbourhood, user_id=member, role="treasurer", now=WHEN
        )
    with unit_of_work(sessions) as session:
        newest = list_events(session, neighbourhood_id=neighbourhood.id, limit=1)[0]
    assert newest.action == "role.granted"
    assert newest.actor_id == chair
    assert (newest.subject_type, newest.subject_id) == ("user", str(member))
    assert newest.before == {"roles": ["resident"]}
    assert newest.after == {"roles": ["resident", "treasurer"]}
    assert newest.occurred_at == WHEN


def test_audit_events_cannot_be_changed_or_deleted(sessions):
    chair = make_user(sessions, "chair@example.org")
    make_neighbourhood(sessions, chair)
    before = _snapshot(sessions)
    assert len(before) == 2
    first = before[0][0]

    _refused(sessions, "UPDATE audit_events SET action = 'role.revoked'")
    _refused(sessions, "UPDATE audit_events SET reason = 'edited' WHERE id = :id", id=first)
    _refused(sessions, "UPDATE audit_events SET before = NULL, after = NULL WHERE id = :id", id=first)
    _refused(sessions, "DELETE FROM audit_events")
    _refused(sessions, "DELETE FROM audit_events WHERE id = :id", id=first)

    with pytest.raises(DBAPIError), unit_of_work(sessions) as session:
        session.get(AuditEvent, first).reason = "changed through the ORM"
    with pytest.raises(DBAPIError), unit_of_work(sessions) as session:
        session.delete(session.get(AuditEvent, first))

    with unit_of_work(sessions) as session:
        dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        # INSERT OR REPLACE would delete the clashing row without firing the delete trigger.
        _refused(
            sessions,
            "INSERT OR REPLACE INTO audit_events (id, neighbourhood_id, actor_id, action, subject_type, "
            "subject_id, reason, occurred_at) VALUES (:id, NULL, NULL, 'forged', 'user', '1', '', "
            "'2026-01-01 00:00:00')",
            id=first,
        )
    else:
        _refused(sessions, "TRUNCATE audit_events")
        _refused(sessions, "TRUNCATE audit_events CASCADE")
    assert _snapshot(sessions) == before, "nothing changed"

    with unit_of_work(sessions) as session:
        record_event(
            session,
            actor_id=chair,
            neighbourhood_id=None,
            action="test.appended",
            subject=("user", 1),
            now=WHEN,
        )
    assert _snapshot(sessions)[:2] == before
    assert _snapshot(sessions)[2][1] == "test.appended", "appending still works"
