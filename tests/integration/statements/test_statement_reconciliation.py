"""A year of the bank account matched and reconciled through the real services: suggestions by amount, date
and reference, the bank's charges, interest and a trust's transfer posted from their lines (once, however
often asked), a bounced cheque matched both ways, and the year end reconciled to the statement's balance
with a payment the bank had not yet shown."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from pledgebank.books.models import LedgerTransaction
from pledgebank.db import unit_of_work
from pledgebank.errors import Conflict, InvalidInput
from pledgebank.statements import matching
from pledgebank.statements.models import LineRule
from pledgebank.statements.reconciling import last_reconciliation
from tests.factories.grants import world
from tests.factories.pledges import assert_books_ok, balance
from tests.factories.statements import (
    YEAR_END,
    YEAR_LAYOUT,
    books_of_the_year,
    lines,
    position,
    reconcile,
    settle_the_year,
    statement_of_the_year,
    upload,
)


def _year(app, sessions):
    w = world(sessions)
    books_of_the_year(app, w.slug)
    upload(app, w.treasurer, w.slug, statement_of_the_year().data, layout=YEAR_LAYOUT)
    return w


def _suggested(app, slug: str) -> dict[str, tuple[int, bool]]:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        found = lines(app, slug)
        book_id = found[0].book_id
        chosen = matching.suggest(session, book_id, found)
        return {
            line.description: (chosen[line.id].movement.sequence, chosen[line.id].reference)
            for line in found
            if line.id in chosen
        }


def test_matches_are_suggested_by_amount_date_and_reference(app, sessions):
    w = _year(app, sessions)
    suggested = _suggested(app, w.slug)
    # 1 opening, 2 Smith, 3 fence, 4 card, 5 payout, 6 Jones's cheque, 7 its reversal, 8 paint.
    assert suggested == {
        "FASTER PAYMENT A SMITH": (2, True),  # the source names Smith
        "OAK FENCING LTD": (3, False),
        "STRIPE PAYMENTS UK": (5, True),
        "CHEQUE PAID IN": (6, False),
        "RETURNED CHEQUE": (7, False),
    }


def test_the_year_reconciles_to_the_statement_balance(app, sessions):
    w = _year(app, sessions)
    before = position(app, w.slug)
    assert before.statement_balance == statement_of_the_year().closing
    # Before matching, Smith's gift is in the books the day before the statement starts and on it as well.
    assert before.difference == -25_000
    settle_the_year(app, w.treasurer, w.slug)

    at_end = position(app, w.slug)
    assert [line.description for line in at_end.lines] == []
    # Paid on 30 December, on the bank's statement on 3 January: the one outstanding item.
    assert [(m.effective_date, m.amount) for m in at_end.movements] == [(date(2025, 12, 30), -6_000)]
    assert at_end.agrees
    on, statement_balance, ledger_balance = reconcile(app, w.treasurer, w.slug)
    assert on == YEAR_END
    assert statement_balance == statement_of_the_year().closing
    assert ledger_balance == statement_balance - 6_000
    charges, interest = 12 * 500, 4 * 123
    assert balance(app, "expenses:general:bank-charges") == charges
    assert balance(app, "income:general:interest") == -interest
    assert_books_ok(app)


def test_posting_a_line_twice_posts_once_and_the_rule_is_remembered(app, sessions):
    w = _year(app, sessions)
    charge, other = [line for line in lines(app, w.slug) if line.description == "SERVICE CHARGE"][:2]
    for _ in range(2):
        with unit_of_work(sessions) as session:
            matching.post_line(
                session,
                actor_id=w.treasurer,
                neighbourhood_id=w.neighbourhood_id,
                line_id=charge.id,
                kind="bank_charges",
                fund="general",
                now=app.extensions["pledgebank.clock"].now(),
                remember="service charge",
            )
    with unit_of_work(sessions) as session:
        keyed = session.scalars(
            select(LedgerTransaction.idempotency_key).where(
                LedgerTransaction.idempotency_key == f"statement-line:{charge.id}"
            )
        ).all()
        assert keyed == [f"statement-line:{charge.id}"]
        [rule] = session.scalars(select(LineRule)).all()
        assert (rule.contains, rule.kind) == ("service charge", "bank_charges")
        assert matching.rule_for(session, other.book_id, other).id == rule.id
    assert_books_ok(app)


def test_a_line_posted_as_the_wrong_way_round_kind_is_refused(app, sessions):
    w = _year(app, sessions)
    charge = next(line for line in lines(app, w.slug) if line.description == "SERVICE CHARGE")
    for kind, fund in (
        ("bank_interest", "general"),
        ("donation_received", "general"),
        ("bank_charges", "nope"),
        ("supplier_paid", "general"),
    ):
        with pytest.raises(InvalidInput), unit_of_work(sessions) as session:
            matching.post_line(
                session,
                actor_id=w.treasurer,
                neighbourhood_id=w.neighbourhood_id,
                line_id=charge.id,
                kind=kind,
                fund=fund,
                now=app.extensions["pledgebank.clock"].now(),
            )
    assert [line.state for line in lines(app, w.slug) if line.id == charge.id] == ["unmatched"]


def test_one_posting_cannot_be_matched_to_two_lines(app, sessions):
    w = _year(app, sessions)
    cheque = next(line for line in lines(app, w.slug) if line.description == "CHEQUE PAID IN")
    suggested = _suggested(app, w.slug)
    with unit_of_work(sessions) as session:
        transaction_id = session.scalar(select(LedgerTransaction.id).where(LedgerTransaction.sequence == 6))
        matching.match_line(
            session,
            actor_id=w.treasurer,
            neighbourhood_id=w.neighbourhood_id,
            line_id=cheque.id,
            transaction_id=transaction_id,
            now=app.extensions["pledgebank.clock"].now(),
        )
    smith = next(line for line in lines(app, w.slug) if line.description == "FASTER PAYMENT A SMITH")
    with pytest.raises(InvalidInput), unit_of_work(sessions) as session:  # a different amount
        matching.match_line(
            session,
            actor_id=w.treasurer,
            neighbourhood_id=w.neighbourhood_id,
            line_id=smith.id,
            transaction_id=transaction_id,
            now=app.extensions["pledgebank.clock"].now(),
        )
    assert suggested["CHEQUE PAID IN"][0] == 6
    assert "CHEQUE PAID IN" not in _suggested(app, w.slug)


def test_the_year_does_not_reconcile_while_lines_are_unexplained_and_nothing_is_saved(app, sessions):
    w = _year(app, sessions)
    found = position(app, w.slug)
    assert len(found.lines) == 22 and not found.agrees
    with pytest.raises(InvalidInput) as refused:
        reconcile(app, w.treasurer, w.slug, given=found.statement_balance + 1)
    assert "on" in refused.value.fields
    with pytest.raises(InvalidInput) as refused:
        reconcile(app, w.treasurer, w.slug, on=date(2024, 12, 31))
    assert "on" in refused.value.fields
    with unit_of_work(sessions) as session:
        assert last_reconciliation(session, found.lines[0].book_id, YEAR_END) is None


def test_a_reconciliation_is_saved_once_and_found_by_date(app, sessions):
    w = _year(app, sessions)
    settle_the_year(app, w.treasurer, w.slug)
    first = reconcile(app, w.treasurer, w.slug)
    assert reconcile(app, w.chair, w.slug) == first
    with pytest.raises(InvalidInput):
        reconcile(app, w.treasurer, w.slug, given=first[1] + 100)
    fence = next(line for line in lines(app, w.slug) if line.description == "OAK FENCING LTD")
    with unit_of_work(sessions) as session:
        matching.unmatch_line(
            session,
            actor_id=w.treasurer,
            neighbourhood_id=w.neighbourhood_id,
            line_id=fence.id,
            now=app.extensions["pledgebank.clock"].now(),
        )
    assert position(app, w.slug).agrees  # the fence is outstanding on both sides now
    with pytest.raises(Conflict):
        reconcile(app, w.treasurer, w.slug)
    book_id = lines(app, w.slug)[0].book_id
    with unit_of_work(sessions) as session:
        assert last_reconciliation(session, book_id, date(2026, 6, 1)).reconciled_on == YEAR_END
        assert last_reconciliation(session, book_id, date(2025, 12, 30)) is None
