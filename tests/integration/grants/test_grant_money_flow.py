"""A grant's money through the ledger: award, payment, report and return, each transaction naming its source;
an award in part reduced later; the fund's money (received, committed, paid out, available) at every step."""

from __future__ import annotations

from sqlalchemy import select

from pledgebank.books.models import AuditEvent, LedgerAccount
from pledgebank.db import unit_of_work
from pledgebank.grants import funds
from pledgebank.grants.models import GrantDecision, GrantPayment, GrantReport
from tests.factories.grants import (
    apply,
    decide,
    declare,
    give_fund,
    make_round,
    pay,
    record_return,
    reduce,
    report,
    reviewed,
    status,
    transactions,
    world,
)
from tests.factories.pledges import assert_books_ok


def money(app, w, fund: str = "general"):
    """The fund's money as the public page shows it."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        found = {m.slug: m for m in funds.fund_money(session, w.neighbourhood_id)}[fund]
        return found.received, found.committed, found.paid_out, found.available


def grants_expense(app, fund: str = "general") -> int:
    """The fund's grants expense balance in the ledger."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return session.scalar(
            select(LedgerAccount.balance).where(LedgerAccount.code == f"expenses:{fund}:grants")
        )


def test_award_pay_report_and_return_each_post_once_naming_their_source(app, sessions, outbox):
    w = world(sessions)
    give_fund(app, w.slug, 100_000)
    round_id = make_round(app, w)
    grant = apply(app, round_id, w.residents[0], 20_000, group="Friends of Elm Park")
    reviewed(app, grant, w.members)
    declare(app, grant, w.chair)
    assert money(app, w) == (100_000, 0, 0, 100_000)

    decision_id = decide(app, grant, w.chair, "award")
    assert status(app, grant) == "awarded"
    [award] = transactions(app, "grant_awarded")
    assert award.source == {"grant_application": str(grant), "grant_decision": str(decision_id)}
    assert money(app, w) == (100_000, 20_000, 0, 80_000)

    assert pay(app, grant, w.treasurer) == "paid"
    [paid] = transactions(app, "grant_paid")
    with unit_of_work(sessions) as session:
        payment = session.scalar(select(GrantPayment))
        assert paid.source == {"grant_application": str(grant), "grant_payment": str(payment.id)}
        assert session.get(GrantDecision, decision_id).transaction_id == award.id
        assert payment.transaction_id == paid.id
    assert status(app, grant) == "paid"
    assert money(app, w) == (100_000, 0, 20_000, 80_000)

    assert report(app, grant, w.residents[0], spent=15_000, rating=5) == 5_000
    assert status(app, grant) == "reported"
    record_return(app, grant, w.treasurer)
    [returned] = transactions(app, "grant_returned")
    with unit_of_work(sessions) as session:
        grant_report = session.scalar(select(GrantReport))
        assert returned.source == {"grant_application": str(grant), "grant_report": str(grant_report.id)}
        assert grant_report.return_transaction_id == returned.id
        actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert money(app, w) == (100_000, 0, 15_000, 85_000)
    assert grants_expense(app) == 15_000
    assert [t.kind for t in transactions(app)] == [
        "cash_received",
        "grant_awarded",
        "grant_paid",
        "grant_returned",
    ]
    assert actions.count("grant.interest_declared") == 3
    assert {"grant.decided", "grant.payment_recorded", "grant.reported", "grant.unspent_returned"} <= set(
        actions
    )
    subjects = [mail.subject for mail in outbox.to("resident0@example.org")]
    assert subjects == [
        "Application received: Bulbs for the verges",
        "Decision on your application: Bulbs for the verges",
        "Your grant is paid: Bulbs for the verges",
    ]
    decision_mail = outbox.to("resident0@example.org")[1]
    assert 'awarded your application "Bulbs for the verges" in full: £200.00' in decision_mail.body
    assert_books_ok(app)


def test_an_award_in_part_reduced_later_is_reversed_and_posted_afresh(app, sessions, outbox):
    w = world(sessions)
    give_fund(app, w.slug, 100_000)
    grant = apply(app, make_round(app, w), w.residents[0], 30_000)
    reviewed(app, grant, w.members)
    declare(app, grant, w.chair)

    first = decide(
        app, grant, w.chair, "part_award", amount=25_000, reason="Tools are covered by the council."
    )
    assert status(app, grant) == "part_awarded"
    assert "in part: £250.00 of the £300.00" in outbox.last("resident0@example.org").body
    second = reduce(app, grant, w.chair, 18_000)
    assert status(app, grant) == "part_awarded"

    kinds = [(t.kind, t.source.get("grant_decision")) for t in transactions(app)][1:]
    assert kinds == [("grant_awarded", str(first)), ("reversal", str(second)), ("grant_awarded", str(second))]
    [reversal] = transactions(app, "reversal")
    with unit_of_work(sessions) as session:
        reduced = session.get(GrantDecision, second)
        assert (reduced.outcome, reduced.amount, reduced.reversal_transaction_id) == (
            "reduce",
            18_000,
            reversal.id,
        )
    assert grants_expense(app) == 18_000
    assert money(app, w) == (100_000, 18_000, 0, 82_000)
    assert "changed the award" in outbox.last("resident0@example.org").body
    assert_books_ok(app)


def test_deferral_and_rejection_move_no_money(app, sessions, outbox):
    w = world(sessions)
    give_fund(app, w.slug, 100_000)
    round_id = make_round(app, w)
    later = apply(app, round_id, w.residents[0], 10_000)
    no = apply(app, round_id, w.residents[1], 10_000, title="A new bench")
    for grant in (later, no):
        reviewed(app, grant, w.members)
        declare(app, grant, w.chair)
    decide(app, later, w.chair, "defer", defer_to_next_round=True, reason="Waiting for the council's plan.")
    decide(app, no, w.chair, "reject", reason="The park already has a bench there.")
    assert (status(app, later), status(app, no)) == ("deferred", "rejected")
    assert [t.kind for t in transactions(app)] == ["cash_received"]
    assert "deferred its decision" in outbox.last("resident0@example.org").body
    assert "The park already has a bench there." in outbox.last("resident1@example.org").body
    assert money(app, w) == (100_000, 0, 0, 100_000)
    assert_books_ok(app)
