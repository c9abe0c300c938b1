"""Each question of the examiner's checklist, answered green on a year kept well and red (or amber) on a year
made to fail it: unapproved payments above the threshold, an overspent restricted fund, a year left open, a
ledger changed behind PledgeBank's back, a year with nothing in it (the bank and the documents: see
test_checklist_evidence)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from pledgebank.books.closing import close_year
from pledgebank.books.models import LedgerPosting, LedgerTransaction
from pledgebank.books.services import book_of
from pledgebank.books.treasurer_checks import DONATION, SUPPLIER_PAYMENT
from pledgebank.db import unit_of_work
from pledgebank.examiners.examination import examine
from pledgebank.examiners.models import ExaminerAppointment
from tests.factories.examiners import (
    PAYMENT,
    YEAR,
    appoint,
    document_payments,
    kept_year,
    reconcile_bank,
)
from tests.factories.grants import THRESHOLD, clock_now, world
from tests.factories.pledges import assert_books_ok
from tests.factories.treasurer import record, terms
from tests.helpers.app import WebClient, make_user
from tests.helpers.foundation import field_error
from tests.helpers.ledger_tampering import run, tampering

FIRST, LAST = YEAR


def _answers(app, appointment_id: int, threshold: int = THRESHOLD) -> dict[str, tuple[str, str, tuple]]:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        appointment = session.get_one(ExaminerAppointment, appointment_id)
        items = examine(session, appointment=appointment, threshold=threshold)
        for item in items:
            for evidence in item.answer.evidence:  # every link names a page there is
                app.url_map.bind("localhost").build(evidence.endpoint, dict(evidence.values))
        return {i.question.key: (i.answer.status.value, i.answer.sentence, i.answer.missing) for i in items}


def _close(app, w) -> None:
    now = clock_now(app)
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        book = book_of(session, w.neighbourhood_id)
        close_year(session, actor_id=w.treasurer, book=book, through=LAST, now=now, today=now.date())


def _kept_year(app, sessions):
    w = kept_year(app, sessions)
    examiner = make_user(sessions, "examiner@example.org", "Helen Marsh")
    return w, appoint(app, w.chair, w.neighbourhood_id, examiner)


def test_a_year_kept_well_with_its_evidence_is_all_green(app, sessions):
    w, appointment_id = _kept_year(app, sessions)
    document_payments(app, w)
    reconcile_bank(app, w)
    _close(app, w)
    answers = _answers(app, appointment_id)
    assert list(answers) == [
        "records",
        "agree",
        "statements",
        "closed",
        "approvals",
        "funds",
        "bank",
        "documents",
    ]
    assert {key: status for key, (status, _s, _m) in answers.items()} == dict.fromkeys(answers, "green")
    assert answers["closed"][1] == "The books are closed through 31 March 2025."
    assert "above £500.00 was approved by a second person" in answers["approvals"][1]
    assert "agree at 31 March 2025" in answers["bank"][1]
    assert answers["documents"][1] == (
        "Each of the 2 supplier and grant payments of the year has a supporting document."
    )
    assert_books_ok(app)


def test_payments_above_the_examiners_threshold_without_a_second_approver_are_red(app, sessions):
    _w, appointment_id = _kept_year(app, sessions)
    status, sentence, missing = _answers(app, appointment_id, threshold=10_000)["approvals"]
    assert status == "red" and "above £100.00" in sentence
    assert missing == ("£200.00 to Oak Fencing Ltd on 1 September 2024 has no second approver.",)
    # A payment the recorder approved themselves counts as one approver, not two.
    assert _answers(app, appointment_id, threshold=20_000)["approvals"][0] == "green"


def test_a_year_left_open_is_red(app, sessions):
    _w, appointment_id = _kept_year(app, sessions)
    status, _sentence, missing = _answers(app, appointment_id)["closed"]
    assert status == "red" and missing == ("The books are not closed through 31 March 2025.",)


def test_a_restricted_fund_spent_before_its_money_came_is_red(app, sessions):
    w, appointment_id = _kept_year(app, sessions)
    # Money given after the year end, and a payment dated in the year that only that money covers: the
    # fund has enough today, but at the year end it had spent more than it was given.
    later = terms(app, DONATION, on=date(2025, 6, 1), amount=100_000, fund="trees", place="bank", donor="B")
    record(app, w.treasurer, w.slug, later)
    early = terms(
        app,
        SUPPLIER_PAYMENT,
        on=date(2024, 11, 1),
        amount=40_000,
        fund="trees",
        for_fund_purpose=True,
        **PAYMENT,
    )
    assert record(app, w.treasurer, w.slug, early)[1] == "posted"
    status, _sentence, missing = _answers(app, appointment_id)["funds"]
    assert status == "red"
    assert missing == ("Trees (restricted) is overspent by £100.00 at the end of the year.",)
    assert_books_ok(app)


def test_a_ledger_changed_behind_pledgebanks_back_is_red_twice(app, sessions):
    _w, appointment_id = _kept_year(app, sessions)
    with unit_of_work(sessions) as session:
        posting = session.scalars(
            select(LedgerPosting.id)
            .join(LedgerTransaction, LedgerTransaction.id == LedgerPosting.transaction_id)
            .where(LedgerTransaction.effective_date == date(2024, 6, 1), LedgerPosting.amount > 0)
        ).first()
    with tampering(app.extensions["pledgebank.engine"]) as conn:
        run(conn, "UPDATE ledger_postings SET amount = amount + 1000 WHERE id = :id", id=posting)
    answers = _answers(app, appointment_id)
    assert answers["records"][0] == "red" and answers["records"][2]
    status, _sentence, missing = answers["agree"]
    assert status == "red"
    assert any("The trial balance at 31 March 2025 does not balance" in line for line in missing), missing


def test_a_year_with_nothing_in_it_is_flagged(app, sessions):
    w = world(sessions, members=1, residents=0)
    examiner = make_user(sessions, "examiner@example.org", "Helen Marsh")
    appointment_id = appoint(app, w.chair, w.neighbourhood_id, examiner)
    status, _sentence, missing = _answers(app, appointment_id)["statements"]
    assert status == "amber"
    assert missing == ("Nothing is recorded in the books between 1 April 2024 to 31 March 2025.",)


@pytest.mark.parametrize("threshold", ["abc", "-5", "1.234", "99999999999999999"])
def test_the_checklist_refuses_a_bad_threshold_beside_it(app, sessions, threshold):
    w = world(sessions, members=0, residents=0)
    examiner = make_user(sessions, "examiner@example.org", "Helen Marsh")
    appointment_id = appoint(app, w.chair, w.neighbourhood_id, examiner)
    web = WebClient(app.test_client())
    web.login("examiner@example.org")
    url = f"/n/{w.slug}/examiners/{appointment_id}/checklist"
    page = web.get(url, query_string={"threshold": threshold})
    assert page.status_code == 422 and field_error(page.text, "threshold")
    assert web.get(url, query_string={"threshold": "100.00"}).status_code == 200
