"""A fund-filtered export of the generated book is a book of its own: bean-check and `hledger check -s`
pass, and the balances the tools read back for the fund's accounts equal the ledger's, so its bank, cash and
Stripe clearing shares are right and its assets less its liabilities equal the fund's balance in the app."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import realization
from sqlalchemy import select

from pledgebank.books import queries
from pledgebank.books.models import Book, LedgerAccount
from pledgebank.cli import main
from pledgebank.db import unit_of_work
from pledgebank.exports.naming import tool_account
from pledgebank.ledger import chart
from pledgebank.ledger.money import Money
from pledgebank.neighbourhoods.models import Fund
from tests.helpers.accounting_tools import _bean_check, _hledger

FUNDS = ("general", "playground-fund", "tree-planting")


@pytest.fixture(scope="module")
def by_fund(shared_app, tmp_path_factory) -> Path:
    """Each fund of the shared book exported on its own, as beancount and hledger."""
    folder = tmp_path_factory.mktemp("by-fund")
    runner = shared_app.test_cli_runner()
    for fund in FUNDS:
        for fmt, suffix in (("beancount", "beancount"), ("hledger", "journal")):
            output = folder / f"{fund}.{suffix}"
            result = runner.invoke(main, ["export", "--format", fmt, "--fund", fund, "--output", str(output)])
            assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def ledger(shared_app) -> dict[str, dict]:
    """Per fund: its accounts' maintained balances, and the fund's balance as the app shows it."""
    with unit_of_work(shared_app.extensions["pledgebank.sessions"]) as session:
        book = session.scalar(select(Book))  # the generated book is the only one
        figures = {balance.slug: balance.net for balance in queries.fund_balances(session, book)}
        rows = session.execute(
            select(Fund.slug, LedgerAccount.code, LedgerAccount.balance)
            .join(Fund, Fund.id == LedgerAccount.fund_id)
            .where(LedgerAccount.book_id == book.id)
        ).all()
    accounts: dict[str, dict[str, int]] = {fund: {} for fund in FUNDS}
    for fund, code, balance in rows:
        accounts[fund][code] = balance
    return {fund: {"accounts": accounts[fund], "net": figures[fund]} for fund in FUNDS}


@pytest.mark.parametrize("fund", FUNDS)
def test_each_fund_export_passes_bean_check_and_hledger_strict(by_fund, fund, hledger):
    checked = _bean_check(by_fund / f"{fund}.beancount")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    strict = _hledger(hledger, "-f", str(by_fund / f"{fund}.journal"), "check", "-s")
    assert strict.returncode == 0, strict.stdout + strict.stderr


@pytest.mark.parametrize("fund", FUNDS)
def test_hledger_reads_back_the_funds_own_balances_and_they_balance(by_fund, ledger, fund, hledger):
    result = _hledger(hledger, "-f", str(by_fund / f"{fund}.journal"), "balance", "-O", "csv", "--flat", "-N")
    assert result.returncode == 0, result.stderr
    read = {}
    for account, balance in list(csv.reader(io.StringIO(result.stdout)))[1:]:
        number = balance.split(" ")[0]
        read[account] = Money.from_decimal(number, "GBP").amount
    own = ledger[fund]["accounts"]
    assert {code: read.get(tool_account(code), 0) for code in own} == own
    assert sum(own.values()) == 0  # the fund's own accounts balance by themselves
    shares = sum(own[chart.held_in(place, fund)] for place in chart.FUND_HELD)
    assert shares == ledger[fund]["net"] != 0  # its assets less liabilities are its balance in the app
    assert own[chart.held_in(chart.BANK, fund)] > 0 and own[chart.held_in(chart.CASH, fund)] >= 0
    assert not [code for code in chart.FUND_HELD if read.get(tool_account(code))]  # no book-level money


@pytest.mark.parametrize("fund", FUNDS)
def test_beancount_reads_back_the_funds_own_balances(by_fund, ledger, fund):
    entries, errors, _options = loader.load_file(str(by_fund / f"{fund}.beancount"))
    assert errors == []
    root = realization.realize(entries)
    for code, amount in ledger[fund]["accounts"].items():
        units = realization.get(root, tool_account(code)).balance.get_currency_units("GBP").number
        assert Money.from_decimal(Decimal(units), "GBP").amount == amount, code
