"""Households and levies through the services: the approval quorum in the audit log, one liability per
household, proration, a voluntary levy's threshold and leaving, cash, hardship waivers, run-due twice."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from pledgebank.books.models import AuditEvent
from pledgebank.db import unit_of_work
from pledgebank.errors import Conflict, Forbidden, InvalidInput, NotFound
from pledgebank.ledger import chart
from pledgebank.levies import households, queries
from pledgebank.levies.models import Levy, LevyHousehold
from pledgebank.payments.gateway import TestCard
from tests.factories.levies import (
    active_levy,
    approve,
    ask_hardship,
    charge_of,
    charges_of,
    decide,
    join,
    join_with_card,
    levy_world,
    make_levy,
    now_of,
    raised_in_ledger,
    record_cash,
    sources,
    today_of,
)
from tests.factories.pledges import assert_books_ok, balance, due, subjects


def levy_row(app, levy_id: int) -> Levy:
    """The levy as stored now."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return session.get(Levy, levy_id)


def audit(app, prefix: str = "levy.") -> list[tuple[str, int | None]]:
    """The levy audit events, oldest first: (action, actor)."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return [
            (e.action, e.actor_id)
            for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))
            if e.action.startswith(prefix)
        ]


def test_activation_needs_the_chair_and_another_committee_member_and_is_audited(app, sessions):
    slug, chair, member, (ann, _, _) = levy_world(sessions)
    levy = make_levy(app, slug, member)
    with pytest.raises(Forbidden):
        approve(app, levy, ann)  # a resident may not
    assert approve(app, levy, member) == "draft"
    with pytest.raises(Conflict, match="already approved"):
        approve(app, levy, member)
    assert due(app) == {}
    assert approve(app, levy, chair) == "active"
    assert audit(app) == [
        ("levy.created", member),
        ("levy.approved", member),
        ("levy.approved", chair),
        ("levy.decided", chair),
        ("levy.started", None),
    ]
    with pytest.raises(Conflict, match="already been decided"):
        approve(app, levy, chair)


def test_join_before_approval_is_refused(app, sessions):
    slug, _, member, (ann, _, _) = levy_world(sessions)
    levy = make_levy(app, slug, member)
    with pytest.raises(Conflict, match="not taking households"):
        join(app, levy, ann, "1 Elm Road")


def test_two_residents_of_one_household_share_one_liability_and_one_charge(app, sessions, outbox):
    slug, chair, member, (ann, ben, cat) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member, basis="banded", amount=900)
    first = join(app, levy, ann, "Flat 2, 14 Oak Avenue", "B")
    second = join(app, levy, ben, "flat 2 14 oak ave.", "B")  # the same household, written differently
    assert first == second
    with pytest.raises(InvalidInput) as wrong_band:
        join(app, levy, cat, "Flat 2, 14 Oak Avenue", "C")
    assert "registered in band B" in wrong_band.value.fields["band"][0]
    with pytest.raises(InvalidInput, match="registered at Flat 2"):
        join(app, levy, ann, "16 Oak Avenue", "B")  # one household per resident

    due(app)
    charge = charge_of(app, first)
    assert (charge.amount, charge.status) == (700, "due")  # band B: 7/9 of £9
    assert subjects(outbox, "resident0@example.org")[-1] == "Due now: Street lighting"
    assert subjects(outbox, "resident1@example.org")[-1] == "Due now: Street lighting"
    with unit_of_work(sessions) as session:
        assert len(list(session.scalars(select(LevyHousehold)))) == 1
    assert raised_in_ledger(app) == 700
    assert_books_ok(app)


def test_a_household_joining_mid_period_pays_for_its_days(app, sessions, clock):
    slug, chair, member, (ann, ben, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member, amount=3100, period="monthly")  # 2 March to 2 April: 31 days
    join(app, levy, ann, "1 Elm Road")
    whole = make_levy(app, slug, member, name="Garden square", prorate=False, amount=3100)
    approve(app, whole, member, chair)
    clock.advance(timedelta(days=10))  # 12 March: 21 days of the period left
    late = join(app, levy, ben, "2 Elm Road")
    join(app, whole, ben, "2 Elm Road")
    due(app)
    by_levy = {(c.levy_id, c.household_id): (c.amount, c.full_amount) for c in charges_of(app)}
    assert by_levy[(levy, late)] == (2100, 3100)  # 21/31 of £31
    assert by_levy[(whole, late)] == (3100, 3100)  # this levy does not prorate
    assert [c.amount for c in charges_of(app, levy) if c.household_id != late] == [3100]
    due(app, days=21)  # 2 April: everyone pays a whole period
    assert sorted(c.amount for c in charges_of(app, levy) if c.period_start == date(2026, 4, 2)) == [
        3100,
        3100,
    ]
    assert (
        raised_in_ledger(app)
        == sum(c.amount for c in charges_of(app))
        == 3100 + 2100 + 3100 + 3100 * 2 + 3100
    )
    assert_books_ok(app)


def test_a_voluntary_levy_starts_at_its_threshold_and_can_be_left(app, sessions, clock, outbox):
    slug, chair, member, (ann, ben, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member, voluntary=True, threshold=2)
    assert levy_row(app, levy).status == "open"
    first = join(app, levy, ann, "1 Elm Road")
    assert levy_row(app, levy).status == "open" and due(app) == {}
    clock.advance(timedelta(days=3))
    second = join(app, levy, ben, "2 Elm Road")
    assert (levy_row(app, levy).status, levy_row(app, levy).activated_on) == ("active", today_of(app))
    assert "Street lighting has started" in subjects(outbox, "resident0@example.org")
    due(app)
    # Charges run from the day it started: 5 March in a period from 2 March, so 28 of 31 days.
    assert {c.household_id: c.amount for c in charges_of(app)} == {first: 903, second: 903}

    with unit_of_work(sessions) as session:
        households.leave_levy(session, actor_id=ann, levy_id=levy, now=now_of(app), zone="Europe/London")
    with pytest.raises(NotFound), unit_of_work(sessions) as session:
        households.leave_levy(session, actor_id=ann, levy_id=levy, now=now_of(app), zone="Europe/London")
    for day in (1, 2, 4):  # the first charges fall into arrears: leaving does not clear them
        due(app, days=day)
    assert charge_of(app, first).status == "arrears"
    due(app, days=21)  # 2 April
    assert [c.period_start for c in charges_of(app) if c.household_id == first] == [date(2026, 3, 2)]
    assert [c.period_start for c in charges_of(app) if c.household_id == second] == [
        date(2026, 3, 2),
        date(2026, 4, 2),
    ]
    assert_books_ok(app)


def test_only_a_voluntary_levy_can_be_left(app, sessions):
    slug, chair, member, (ann, _, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member)
    join(app, levy, ann, "1 Elm Road")
    with pytest.raises(Conflict, match="cannot be left"), unit_of_work(sessions) as session:
        households.leave_levy(session, actor_id=ann, levy_id=levy, now=now_of(app), zone="Europe/London")


def test_cash_and_bank_transfers_recorded_by_the_treasurer(app, sessions, outbox):
    slug, chair, member, (ann, ben, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member)
    first, second = join(app, levy, ann, "1 Elm Road"), join(app, levy, ben, "2 Elm Road")
    due(app)
    with pytest.raises(Forbidden):
        record_cash(app, charge_of(app, first).id, member)  # only the treasurer records money
    record_cash(app, charge_of(app, first).id, chair, "cash")
    record_cash(app, charge_of(app, second).id, chair, "bank")
    with pytest.raises(Conflict, match="not waiting"):
        record_cash(app, charge_of(app, second).id, chair, "bank")
    assert {charge_of(app, h).paid_via for h in (first, second)} == {"cash", "bank"}
    assert (balance(app, chart.CASH), balance(app, chart.BANK)) == (1000, 1000)
    assert balance(app, "income:general:levies") == -2000 and balance(app, chart.RECEIVABLES) == 0
    assert subjects(outbox, "resident0@example.org")[-1] == "Receipt: Street lighting paid"
    assert due(app, days=8) == {}  # paid charges get no reminders
    assert_books_ok(app)


def test_a_waiver_and_a_reduction_are_written_off_referencing_the_decision(app, sessions, outbox):
    slug, chair, member, (ann, ben, cat) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member)
    waived = join_with_card(app, levy, ann, "1 Elm Road", card=TestCard.DECLINES_AT_CHARGE)
    reduced = join(app, levy, ben, "2 Elm Road")
    due(app)
    assert charge_of(app, waived).status == "retrying"

    full = ask_hardship(app, charge_of(app, waived).id, ann)
    part = ask_hardship(app, charge_of(app, reduced).id, ben, amount=400)
    with pytest.raises(Forbidden):
        ask_hardship(app, charge_of(app, waived).id, cat)  # not their household
    with pytest.raises(Conflict, match="already with the committee"):
        ask_hardship(app, charge_of(app, waived).id, ann)
    assert due(app, days=1) == {}  # collection pauses while the committee decides
    with pytest.raises(Forbidden):
        decide(app, full, ann)
    with pytest.raises(InvalidInput, match="Say why"):
        decide(app, full, member, approve=False)

    decide(app, full, member, note="Agreed for March.")
    decide(app, part, chair)
    charge = charge_of(app, waived)
    assert (charge.status, charge.waived_amount, charge.amount_due) == ("waived", 1000, 0)
    assert "Your hardship request: Street lighting" in subjects(outbox, "resident0@example.org")
    charge = charge_of(app, reduced)
    assert (charge.status, charge.waived_amount, charge.amount_due) == ("due", 400, 600)
    assert [s["hardship_request"] for s in sources(app, "receivable_written_off")] == [str(full), str(part)]
    with pytest.raises(Conflict, match="already been decided"):
        decide(app, full, chair)

    record_cash(app, charge.id, chair)
    assert balance(app, chart.CASH) == 600 and balance(app, chart.RECEIVABLES) == 0
    assert balance(app, "income:general:levies") == -600
    assert balance(app, chart.DEFERRED_INCOME) == 0
    with unit_of_work(sessions) as session:
        neighbourhood_id = session.get(Levy, levy).neighbourhood_id
        report = queries.levy_figures(
            session, neighbourhood_id=neighbourhood_id, today=today_of(app), zone="Europe/London"
        )
    total = report[0].total
    assert (total.raised, total.collected, total.waived, total.outstanding) == (2000, 600, 1400, 0)
    assert_books_ok(app)


def test_nobody_decides_their_own_households_request(app, sessions):
    slug, chair, member, _ = levy_world(sessions)
    levy = active_levy(app, slug, chair, member)
    home = join(app, levy, member, "1 Elm Road")
    due(app)
    request = ask_hardship(app, charge_of(app, home).id, member)
    with pytest.raises(Conflict, match="own household"):
        decide(app, request, member)
    decide(app, request, chair, approve=False, note="The fund cannot spare it this month.")
    assert charge_of(app, home).status == "due" and charge_of(app, home).paused is False
    assert sources(app, "receivable_written_off") == []  # a refusal writes nothing off
    assert_books_ok(app)


def test_run_due_twice_raises_one_charge_per_household_per_period(app, sessions, clock):
    slug, chair, member, people = levy_world(sessions)
    levy = active_levy(app, slug, chair, member, basis="banded", amount=1000)
    homes = [
        join(app, levy, person, f"{n} Elm Road", band)
        for n, (person, band) in enumerate(zip(people, "AEH", strict=True))
    ]
    first, again = due(app), due(app)
    assert first["levy charges raised"] == 3 and "levy charges raised" not in again
    clock.advance(timedelta(days=31))
    assert due(app)["levy charges raised"] == 3 and "levy charges raised" not in due(app)
    found = charges_of(app, levy)
    assert sorted((c.household_id, c.period_start) for c in found) == sorted(
        (h, start) for h in homes for start in (date(2026, 3, 2), date(2026, 4, 2))
    )
    assert raised_in_ledger(app) == sum(c.amount for c in found) == 2 * (667 + 1222 + 2000)
    assert len(sources(app, "receivable_raised")) == 6
    assert_books_ok(app)


def test_the_arrears_report_ages_unpaid_debts(app, sessions, clock):
    slug, chair, member, (ann, _, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member)
    join(app, levy, ann, "1 Elm Road")
    for _ in range(4):  # four months, nothing paid
        due(app)
        for day in (1, 2, 4):
            due(app, days=day)
        clock.advance(timedelta(days=31 - 7))
    due(app, days=1)  # 5 July: July's charge falls due, and goes the same way
    for day in (1, 2, 4):
        due(app, days=day)
    with unit_of_work(sessions) as session:
        neighbourhood_id = session.get(Levy, levy).neighbourhood_id
        report = queries.levy_figures(
            session, neighbourhood_id=neighbourhood_id, today=today_of(app), zone="Europe/London"
        )
    total = report[0].total
    # On 12 July: due 2 March and 2 April (90+ days), 3 May (70), 3 June (39) and 5 July (7 days ago).
    assert total.raised == total.outstanding == 5000
    assert total.arrears == {"0-30": 1000, "31-60": 1000, "61-90": 1000, "90+": 2000}
    assert [f.outstanding for _, _, f in report[0].periods] == [1000] * 5
    assert raised_in_ledger(app) == 5000 and balance(app, chart.RECEIVABLES) == 5000
    assert_books_ok(app)
