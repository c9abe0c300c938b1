"""The demo attaches a document to every payment and report: no supplier payment or grant payment is left
without one, each grantee's report has its receipt, and `ledger verify` re-hashes them all."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from pledgebank import demo
from pledgebank.books.services import book_of
from pledgebank.db import unit_of_work
from pledgebank.documents.models import Document, Subject
from pledgebank.documents.queries import payments_without_documents
from pledgebank.grants.models import GrantPayment, GrantReport
from pledgebank.neighbourhoods.services import get_neighbourhood
from tests.helpers.app import with_stripe
from tests.helpers.backups import cli


@pytest.fixture
def app_config(app_config, stripe_api):
    """The demo as the quick start runs it: demo mode, card payments against the Stripe emulator."""
    return {**with_stripe(app_config, stripe_api), "DEMO": True}


def test_every_demo_payment_and_report_has_a_document(app, sessions):
    assert demo.load(app) is not None
    with unit_of_work(sessions) as session:
        place = get_neighbourhood(session, demo.DEMO_SLUG)
        book = book_of(session, place.id)
        assert payments_without_documents(session, book.id, date(2000, 1, 1), date(2100, 1, 1)) == []
        by_subject = dict(
            session.execute(select(Document.subject_type, func.count()).group_by(Document.subject_type)).all()
        )
        grant_payments = session.scalar(select(func.count()).select_from(GrantPayment))
        reports = session.scalar(select(func.count()).select_from(GrantReport))
    assert by_subject[Subject.GRANT_PAYMENT] == grant_payments >= 2
    assert by_subject[Subject.GRANT_REPORT] == reports >= 1
    assert by_subject[Subject.TREASURER_ENTRY] >= 1
    verified = cli(app, "ledger", "verify")
    assert verified.exit_code == 0, verified.output
    assert demo.load(app) is None  # loaded once: a second run attaches nothing more
