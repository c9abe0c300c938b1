"""Withdrawing a document is a new audit event with its reason: the document and its file stay (still listed,
still re-hashed by `ledger verify`), it no longer supports its payment, and it is withdrawn only once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pledgebank.books.models import AuditEvent
from pledgebank.books.services import book_of
from pledgebank.db import unit_of_work
from pledgebank.documents.models import Document, Subject
from pledgebank.documents.queries import payments_without_documents
from pledgebank.documents.withdrawals import withdraw_document, withdrawals_of
from pledgebank.errors import Conflict, Forbidden, InvalidInput
from tests.factories.documents import attach, paid_world, pdf
from tests.factories.grants import clock_now, today
from tests.helpers.backups import cli


def _withdraw(
    app, actor: int, document_id: int, reason: str = "The wrong invoice: this one is for the hall."
):
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        withdraw_document(session, actor_id=actor, document_id=document_id, reason=reason, now=clock_now(app))


def test_a_withdrawn_document_stays_but_no_longer_supports_its_payment(app, sessions):
    paid = paid_world(app, sessions)
    document_id, sha256 = attach(app, paid.w.treasurer, Subject.TREASURER_ENTRY, paid.entry_id, pdf())
    day = today(app)
    with unit_of_work(sessions) as session:
        book_id = book_of(session, paid.w.neighbourhood_id).id
        missing = {(m.subject, m.subject_id) for m in payments_without_documents(session, book_id, day, day)}
    assert (Subject.TREASURER_ENTRY, paid.entry_id) not in missing
    _withdraw(app, paid.w.chair, document_id)
    with unit_of_work(sessions) as session:
        missing = payments_without_documents(session, book_id, day, day)
        assert (Subject.TREASURER_ENTRY, paid.entry_id) in {(m.subject, m.subject_id) for m in missing}
        assert session.get(Document, document_id).sha256 == sha256
        found = withdrawals_of(session, [document_id])[document_id]
        assert found.actor_id == paid.w.chair and found.reason.startswith("The wrong invoice")
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "document.withdrawn"))
        assert event.subject_id == str(document_id) and event.after["sha256"] == sha256
    assert cli(app, "ledger", "verify").exit_code == 0
    with pytest.raises(Conflict):
        _withdraw(app, paid.w.treasurer, document_id)


def test_a_withdrawal_needs_a_reason_and_the_right_to_attach(app, sessions):
    paid = paid_world(app, sessions)
    document_id, _ = attach(app, paid.w.treasurer, Subject.TREASURER_ENTRY, paid.entry_id, pdf())
    with pytest.raises(InvalidInput) as refused:
        _withdraw(app, paid.w.treasurer, document_id, "  ")
    assert list(refused.value.fields) == ["reason"]
    for who in (paid.w.members[0], paid.w.residents[1], paid.grantee):
        with pytest.raises(Forbidden):
            _withdraw(app, who, document_id)
    with unit_of_work(sessions) as session:
        assert session.scalar(select(func.count()).where(AuditEvent.action == "document.withdrawn")) == 0
