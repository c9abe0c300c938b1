"""Books kept before migration 0010 attributed money to funds: a grant awarded and cash held then, and paid
or banked after the upgrade, meet an empty fund share. `pledgebank ledger attribute-legacy` moves what sits on
the book-level accounts into the funds' shares with one appended transaction; then the grant is paid and the
cash banked, a second run moves nothing, every fund's accounts balance on their own, the exports pass
bean-check and `hledger check -s`, and `ledger verify` passes."""

from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pledgebank.books import treasurer
from pledgebank.books.models import LedgerTransaction
from pledgebank.books.services import InsufficientFunds, book_by_slug
from pledgebank.books.treasurer_checks import EntryTerms
from pledgebank.cli import main
from pledgebank.db import unit_of_work
from pledgebank.errors import InvalidInput
from pledgebank.exports.cash_flows import cash_flows
from pledgebank.ledger import chart
from pledgebank.ledger.kinds import LEGACY_ATTRIBUTED
from pledgebank.neighbourhoods.services import get_neighbourhood
from tests.factories.grants import (
    apply,
    clock_now,
    decide,
    give_fund,
    make_round,
    pay,
    reviewed,
    today,
    world,
)
from tests.factories.pledges import assert_books_ok, make_pledge, record_cash, sign
from tests.helpers.legacy import (
    add_fund,
    attribute,
    balances,
    fund_totals,
    posting_as_before_fund_attribution,
)

TREES = "street-trees"
BEAN_CHECK = str(Path(sys.executable).parent / "bean-check")


def count(sessions) -> int:
    """How many transactions the books hold."""
    with unit_of_work(sessions) as session:
        return session.scalar(select(func.count()).select_from(LedgerTransaction))


def bank_cash(app, slug: str, actor: int, amount: int) -> None:
    """The treasurer records the street-trees fund's cash paid into the bank (Record money)."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        treasurer.record_entry(
            session,
            actor_id=actor,
            neighbourhood_id=get_neighbourhood(session, slug).id,
            terms=EntryTerms(
                kind="cash_banked", on=today(app), description="Pledged cash", amount=amount, fund=TREES
            ),
            form_key=secrets.token_urlsafe(16),
            threshold=50_000,
            now=clock_now(app),
            today=today(app),
        )


def cash_flows_now(app, slug: str) -> list:
    """The receipts, payments and transfers between funds the statements read, through today."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        book = book_by_slug(session, slug)
        return list(cash_flows(session, book, until=today(app)))


def test_legacy_balances_move_into_fund_shares_and_then_pay(
    app, sessions, database_url, monkeypatch, tmp_path, hledger
):
    w = world(sessions)
    add_fund(app, w, "Street trees")
    with posting_as_before_fund_attribution(monkeypatch):
        give_fund(app, w.slug, 60_000, fund=TREES, key="trees-gift")
        give_fund(app, w.slug, 25_000, key="general-gift")
        pledge = make_pledge(app, w.slug, w.chair, fund_slug=TREES, title="Plant twenty street trees")
        record_cash(app, sign(app, pledge, w.residents[1], method="cash"), w.treasurer)
        application = apply(app, make_round(app, w, fund_slug=TREES), w.residents[0], 20_000)
        reviewed(app, application, w.committee)
        decide(app, application, w.chair)
    legacy = balances(sessions)
    assert legacy == {
        chart.BANK: 85_000,
        chart.CASH: 1_000,
        chart.PLEDGES_HELD: -1_000,
        chart.GRANTS_PAYABLE: -20_000,
        f"income:{TREES}:donations": -60_000,
        "income:general:donations": -25_000,
        f"expenses:{TREES}:grants": 20_000,
    }

    with pytest.raises(InsufficientFunds):
        pay(app, application, w.treasurer)
    with pytest.raises(InvalidInput) as refused:
        bank_cash(app, w.slug, w.treasurer, 1_000)
    assert "amount" in refused.value.fields

    before = count(sessions)
    dry = attribute(app, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert f"assets:bank -> assets:bank:{TREES}  600.00" in dry.output
    assert "assets:bank -> assets:bank:general  250.00" in dry.output
    assert "0 to the general fund by default" in dry.output and "would post (dry run)" in dry.output
    assert count(sessions) == before and balances(sessions) == legacy

    flows = cash_flows_now(app, w.slug)
    done = attribute(app)
    assert done.exit_code == 0, done.output
    assert f"posted #{before + 1}" in done.output
    assert balances(sessions) == {
        chart.held_in(chart.BANK, TREES): 60_000,
        chart.held_in(chart.BANK, "general"): 25_000,
        chart.held_in(chart.CASH, TREES): 1_000,
        chart.held_in(chart.PLEDGES_HELD, TREES): -1_000,
        chart.held_in(chart.GRANTS_PAYABLE, TREES): -20_000,
        f"income:{TREES}:donations": -60_000,
        "income:general:donations": -25_000,
        f"expenses:{TREES}:grants": 20_000,
    }
    assert cash_flows_now(app, w.slug) == flows  # moving between shares is no receipt, payment or transfer
    again = attribute(app)
    assert again.exit_code == 0 and "nothing to move" in again.output, again.output
    assert count(sessions) == before + 1

    assert pay(app, application, w.treasurer) == "paid"
    bank_cash(app, w.slug, w.treasurer, 1_000)
    after = balances(sessions)
    assert after[chart.held_in(chart.BANK, TREES)] == 60_000 - 20_000 + 1_000
    assert not any(code in chart.FUND_HELD for code in after)
    assert set(fund_totals(sessions).values()) == {0}  # each fund balances on its own
    assert_books_ok(app)
    runner = app.test_cli_runner()
    for fund in (None, TREES, "general"):
        name = fund or "book"
        only = ["--fund", fund] if fund else []
        for fmt, path in (
            ("beancount", tmp_path / f"{name}.beancount"),
            ("hledger", tmp_path / f"{name}.journal"),
        ):
            result = runner.invoke(main, ["export", "--format", fmt, *only, "--output", str(path)])
            assert result.exit_code == 0, result.output
        checked = subprocess.run(
            [BEAN_CHECK, str(tmp_path / f"{name}.beancount")], capture_output=True, text=True
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr
        strict = subprocess.run(
            [hledger, "-f", str(tmp_path / f"{name}.journal"), "check", "-s"], capture_output=True, text=True
        )
        assert strict.returncode == 0, strict.stderr
    with unit_of_work(sessions) as session:
        kinds = session.scalars(select(LedgerTransaction.kind).order_by(LedgerTransaction.sequence)).all()
    assert kinds.count(LEGACY_ATTRIBUTED) == 1
