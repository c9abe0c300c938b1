"""The checklist's questions on the evidence kept beside the books: the bank reconciled at the year end (green
when a saved reconciliation there still holds, amber when the latest is earlier, red when there is none or the
books have moved since) and a supporting document behind every supplier and grant payment (red naming each
payment without one, with a link to its documents page)."""

from __future__ import annotations

from datetime import date

from pledgebank.books.treasurer_checks import DONATION, SUPPLIER_PAYMENT
from pledgebank.db import unit_of_work
from pledgebank.documents.models import Subject
from pledgebank.examiners.evidence_checks import SHOWN
from pledgebank.examiners.examination import examine
from pledgebank.examiners.models import ExaminerAppointment
from tests.factories.documents import attach, pdf
from tests.factories.examiners import PAYMENT, appoint, document_payments, kept_year, reconcile_bank
from tests.factories.grants import THRESHOLD
from tests.factories.pledges import assert_books_ok
from tests.factories.treasurer import record, terms
from tests.helpers.app import make_user

FENCE = "Payment to Oak Fencing Ltd: Mend the fence"


def _answer(app, appointment_id: int, key: str):
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        appointment = session.get_one(ExaminerAppointment, appointment_id)
        items = {
            i.question.key: i.answer for i in examine(session, appointment=appointment, threshold=THRESHOLD)
        }
    answer = items[key]
    links = [(e.endpoint, dict(e.values)) for e in answer.evidence]
    for endpoint, values in links:  # every link names a page there is
        app.url_map.bind("localhost").build(endpoint, values)
    return answer.status.value, answer.sentence, answer.missing, links


def _kept_year(app, sessions):
    w = kept_year(app, sessions)
    examiner = make_user(sessions, "examiner@example.org", "Helen Marsh")
    return w, appoint(app, w.chair, w.neighbourhood_id, examiner)


def test_a_bank_never_reconciled_is_red_and_links_to_the_reconciliation(app, sessions):
    w, appointment_id = _kept_year(app, sessions)
    status, sentence, missing, links = _answer(app, appointment_id, "bank")
    assert status == "red" and sentence == "The bank has not been reconciled for the year."
    assert missing == ("No reconciliation of the bank is saved on or before 31 March 2025.",)
    assert ("statements.reconcile_page", {"slug": w.slug, "on": "2025-03-31"}) in links


def test_a_bank_reconciled_before_the_year_end_only_is_amber(app, sessions):
    w, appointment_id = _kept_year(app, sessions)
    reconcile_bank(app, w, on=date(2024, 12, 31))
    status, _sentence, missing, _links = _answer(app, appointment_id, "bank")
    assert status == "amber"
    assert missing == (
        "The bank was last reconciled at 31 December 2024, not at the year end (31 March 2025): ask the "
        "treasurer to reconcile it there.",
    )


def test_a_bank_reconciled_at_the_year_end_is_green_until_the_books_move_under_it(app, sessions):
    w, appointment_id = _kept_year(app, sessions)
    reconcile_bank(app, w)
    status, sentence, _missing, links = _answer(app, appointment_id, "bank")
    assert status == "green", sentence
    assert sentence == "The bank statement (£1,700.00) and the books (£1,700.00) agree at 31 March 2025."
    assert links[0] == ("statements.reconcile_page", {"slug": w.slug, "on": "2025-03-31"})
    # The year is still open: a gift dated in it, entered after the reconciliation, changes the books' bank.
    late = terms(app, DONATION, on=date(2025, 3, 20), amount=7_500, place="bank", donor="Late Donor")
    record(app, w.treasurer, w.slug, late)
    status, sentence, missing, _links = _answer(app, appointment_id, "bank")
    assert status == "red" and "no longer agree" in sentence
    assert missing == (
        "Reconciled at 31 March 2025 with the statement at £1,700.00 and the books at £1,700.00; the "
        "statement now gives £1,700.00 and the books £1,775.00.",
    )
    assert_books_ok(app)


def test_payments_without_a_document_are_red_each_with_a_link_to_its_documents(app, sessions):
    w, appointment_id = _kept_year(app, sessions)
    status, sentence, missing, links = _answer(app, appointment_id, "documents")
    assert status == "red" and sentence == "Payments of the year lack a supporting document."
    assert missing == (
        f"£200.00 on 1 September 2024, {FENCE}, has no supporting document.",
        f"£600.00 on 1 October 2024, {FENCE}, has no supporting document.",
    )
    assert [endpoint for endpoint, _values in links] == ["documents.page", "documents.page"]
    assert all(values["subject_name"] == "treasurer-entry" for _endpoint, values in links)

    # One documented, one not: only the one without is named.
    first_id = links[0][1]["subject_id"]
    attach(app, w.treasurer, Subject.TREASURER_ENTRY, first_id, pdf("Invoice 1"))
    status, _sentence, missing, links = _answer(app, appointment_id, "documents")
    assert status == "red" and len(missing) == 1 and missing[0].startswith("£600.00 on 1 October 2024")
    assert links[0][1]["subject_id"] != first_id


def test_every_payment_documented_is_green_with_links_to_the_documents(app, sessions):
    w, appointment_id = _kept_year(app, sessions)
    documented = document_payments(app, w)
    status, sentence, missing, links = _answer(app, appointment_id, "documents")
    assert status == "green" and not missing
    assert sentence == "Each of the 2 supplier and grant payments of the year has a supporting document."
    assert [(v["subject_name"], v["subject_id"]) for _e, v in links] == documented
    # A payment after the year end is not this year's question.
    later = terms(app, SUPPLIER_PAYMENT, on=date(2025, 4, 2), amount=1_000, **PAYMENT)
    assert record(app, w.treasurer, w.slug, later)[1] == "posted"
    assert _answer(app, appointment_id, "documents")[0] == "green"


def test_a_year_without_payments_is_green_for_documents(app, sessions):
    from tests.factories.grants import world

    w = world(sessions, members=1, residents=0)
    examiner = make_user(sessions, "examiner@example.org", "Helen Marsh")
    appointment_id = appoint(app, w.chair, w.neighbourhood_id, examiner)
    status, sentence, _missing, links = _answer(app, appointment_id, "documents")
    assert (status, sentence, links) == ("green", "The year has no supplier or grant payments.", [])


def test_a_year_of_many_documented_payments_links_the_first_twenty_and_the_ledger(app, sessions):
    w, appointment_id = _kept_year(app, sessions)
    for day in range(1, 21):
        small = terms(app, SUPPLIER_PAYMENT, on=date(2024, 11, day), amount=100, **PAYMENT)
        assert record(app, w.treasurer, w.slug, small)[1] == "posted"
    document_payments(app, w)
    status, sentence, _missing, links = _answer(app, appointment_id, "documents")
    assert status == "green" and sentence.startswith("Each of the 22 supplier and grant payments")
    assert [endpoint for endpoint, _values in links] == ["documents.page"] * SHOWN + ["books.ledger"]
