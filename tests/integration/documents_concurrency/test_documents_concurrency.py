"""On PostgreSQL with real threads: one "Attach a document" form sent twenty times at once stores one
document, one audit event and one file; twenty different files at once are twenty documents; verify passes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pledgebank.books.models import AuditEvent
from pledgebank.db import unit_of_work
from pledgebank.documents.models import Document, Subject
from pledgebank.documents.storage import app_store
from tests.factories.documents import attach, paid_world, pdf
from tests.helpers.backups import cli

pytestmark = pytest.mark.postgres


def _counts(app) -> tuple[int, int, int]:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        rows = session.scalar(select(func.count()).select_from(Document))
        sealed = session.scalar(select(func.count()).where(AuditEvent.action == "document.attached"))
    return rows, sealed, len(list(app_store(app).iter()))


def test_one_form_sent_twenty_times_at_once_stores_one_document(app, sessions, together):
    paid = paid_world(app, sessions)
    invoice = pdf()
    outcomes = together(
        20,
        lambda _n: attach(
            app, paid.w.treasurer, Subject.TREASURER_ENTRY, paid.entry_id, invoice, key="the-same-form-key-01"
        ),
    )
    assert [o.error for o in outcomes if o.error] == []
    assert len({o.value for o in outcomes}) == 1
    assert _counts(app) == (1, 1, 1)
    assert cli(app, "ledger", "verify").exit_code == 0


def test_twenty_different_forms_at_once_store_twenty_documents(app, sessions, together):
    paid = paid_world(app, sessions)
    outcomes = together(
        20,
        lambda n: attach(app, paid.w.treasurer, Subject.TREASURER_ENTRY, paid.entry_id, pdf(f"Invoice {n}")),
    )
    assert [o.error for o in outcomes if o.error] == []
    assert _counts(app) == (20, 20, 20)
    assert cli(app, "ledger", "verify").exit_code == 0
