"""A community dividend in the ledger: verified and earned, a receivable from the body (Dr receivables, Cr
deferred income); paid, the receivable settled into the fund's bank share and the income recognised; lapsed,
nothing at all. Each naming its agreement in every export, and `ledger verify` clean after each step."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from pledgebank.books.models import LedgerAccount
from pledgebank.cli import main
from pledgebank.db import unit_of_work
from pledgebank.dividends import jobs
from pledgebank.state_tables import InvalidTransition
from tests.factories.dividends import agreed, agreement, evidence, fire_draft, pay, tiered, verify
from tests.factories.grants import clock_now, today, transactions, world
from tests.factories.pledges import assert_books_ok


def balances(app, fund: str = "general") -> dict[str, int]:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        rows = session.execute(select(LedgerAccount.code, LedgerAccount.balance))
        return {code: balance for code, balance in rows if f":{fund}" in code and balance}


def test_earned_raises_a_receivable_and_paid_settles_it_into_the_bank(app, sessions, tmp_path):
    w = world(sessions)
    agreement_id = agreed(app, w)
    evidence(app, w, agreement_id, 28)
    assert transactions(app) == []
    verify(app, agreement_id)
    [earned] = transactions(app)
    assert (earned.kind, earned.source, earned.memo) == (
        "dividend_earned",
        {"dividend_agreement": str(agreement_id)},
        "dividend_earned fund=general",
    )
    assert agreement(app, agreement_id).earned_transaction_id == earned.id
    assert balances(app) == {
        "assets:receivables:general": 500_000,
        "liabilities:deferred-income:general": -500_000,
    }
    assert_books_ok(app)

    pay(app, w, agreement_id)
    [_, received] = transactions(app)
    assert received.kind == "dividend_received"
    assert agreement(app, agreement_id).received_transaction_id == received.id
    assert balances(app) == {"assets:bank:general": 500_000, "income:general:sponsorship": -500_000}
    assert_books_ok(app)

    output = tmp_path / "book.csv"
    result = app.test_cli_runner().invoke(main, ["export", "--format", "csv", "--output", str(output)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(output.read_text(encoding="utf-8-sig"))))
    described = {row["description"] for row in rows}
    title = "South London Fire Service: Fewer deliberate fires on the estates"
    assert f"Community dividend earned from {title}" in described
    assert f"Community dividend received from {title}" in described
    jsonl = tmp_path / "book.jsonl"
    assert (
        app.test_cli_runner().invoke(main, ["export", "--format", "jsonl", "--output", str(jsonl)]).exit_code
        == 0
    )
    assert "Community dividend earned from South London Fire Service" in jsonl.read_text()
    json.loads(jsonl.read_text().splitlines()[-1])


def test_a_second_verification_or_payment_is_refused_and_posts_nothing_more(app, sessions):
    w = world(sessions)
    agreement_id = agreed(app, w)
    evidence(app, w, agreement_id, 28)
    verify(app, agreement_id)
    with pytest.raises(InvalidTransition):
        verify(app, agreement_id)
    pay(app, w, agreement_id)
    with pytest.raises(InvalidTransition):
        pay(app, w, agreement_id)
    assert [t.kind for t in transactions(app)] == ["dividend_earned", "dividend_received"]
    assert_books_ok(app)


def test_tiered_terms_earn_the_best_tier_reached_capped(app, sessions):
    w = world(sessions)
    agreement_id = agreed(app, w, tiered(app))
    evidence(app, w, agreement_id, 24)  # past the top tier (£3,000), capped at £2,500
    verify(app, agreement_id)
    assert agreement(app, agreement_id).earned_amount == 250_000
    assert balances(app)["assets:receivables:general"] == 250_000
    assert_books_ok(app)


def test_pro_rata_terms_earn_in_proportion(app, sessions):
    w = world(sessions)
    draft = fire_draft(app, terms_kind="pro_rata", amount=400_000, cap=600_000, floor_value=38, tiers=())
    agreement_id = agreed(app, w, draft)
    evidence(app, w, agreement_id, 33)  # 5 of the 8 fires from the floor (38) to the target (30)
    verify(app, agreement_id)
    assert agreement(app, agreement_id).earned_amount == 250_000
    assert balances(app)["assets:receivables:general"] == 250_000
    assert_books_ok(app)


def test_a_lapsed_agreement_posts_nothing(app, sessions, clock):
    w = world(sessions)
    agreement_id = agreed(app, w, fire_draft(app, deadline=today(app) + timedelta(days=3)))
    evidence(app, w, agreement_id, 20)
    clock.advance(timedelta(days=4))
    jobs.run_due(sessions, now=clock_now(app), zone="Europe/London")
    assert agreement(app, agreement_id).status == "lapsed"
    assert transactions(app) == []
    assert balances(app) == {}
    assert_books_ok(app)
