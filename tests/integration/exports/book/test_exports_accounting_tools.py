"""The generated book (every kind of transaction, 1,100 of them) exported and opened with the real tools:
bean-check and `hledger check -s` pass, the balances they read back equal the ledger's to the penny, and
changing one amount makes each of them fail. Expense categories a neighbourhood added pass them too."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import realization
from sqlalchemy import select

from pledgebank.accounts.models import User
from pledgebank.books.models import LedgerAccount
from pledgebank.cli import main
from pledgebank.db import unit_of_work
from pledgebank.exports.naming import tool_account
from pledgebank.ledger.kinds import KINDS
from pledgebank.ledger.money import Money
from tests.factories.categories import add, rename, retire
from tests.factories.grants import give_fund
from tests.factories.treasurer import record, terms
from tests.helpers.accounting_tools import _bean_check, _hledger

FILES = {"jsonl": "book.jsonl", "beancount": "book.beancount", "hledger": "book.journal", "csv": "book.csv"}


@pytest.fixture(scope="module")
def exported(shared_app, tmp_path_factory) -> Path:
    """The shared book exported in every ledger format, through the command line."""
    folder = tmp_path_factory.mktemp("exported")
    runner = shared_app.test_cli_runner()
    for fmt, name in FILES.items():
        result = runner.invoke(main, ["export", "--format", fmt, "--output", str(folder / name)])
        assert result.exit_code == 0, result.output
    filtered = ["--fund", "playground-fund", "--from", "2025-06-01", "--to", "2026-01-31"]
    for fmt, name in (("beancount", "fund.beancount"), ("hledger", "fund.journal")):
        result = runner.invoke(main, ["export", "--format", fmt, *filtered, "--output", str(folder / name)])
        assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def ledger_balances(shared_app) -> dict[str, int]:
    """Every account's maintained balance in the ledger."""
    with unit_of_work(shared_app.extensions["pledgebank.sessions"]) as session:
        return {
            code: balance
            for code, balance in session.execute(select(LedgerAccount.code, LedgerAccount.balance))
        }


def test_the_export_holds_every_kind_of_transaction_and_more_than_a_thousand(exported):
    lines = [json.loads(line) for line in (exported / FILES["jsonl"]).read_text().splitlines()]
    transactions = [line for line in lines if line["type"] == "transaction"]
    assert len(transactions) >= 1000
    assert {t["kind"] for t in transactions} == set(KINDS)
    assert any(t["reverses"] for t in transactions)
    rows = list(csv.DictReader(io.StringIO((exported / FILES["csv"]).read_text(encoding="utf-8-sig"))))
    assert len(rows) == sum(len(t["postings"]) for t in transactions) == lines[-1]["postings"]


@pytest.mark.parametrize("name", ["book.beancount", "fund.beancount"])
def test_bean_check_passes(exported, name):
    result = _bean_check(exported / name)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", ["book.journal", "fund.journal"])
def test_hledger_strict_check_passes(exported, name, hledger):
    result = _hledger(hledger, "-f", str(exported / name), "check", "-s")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", ["book.journal", "fund.journal"])
def test_hledger_finds_the_transactions_in_date_order_though_some_were_backdated(exported, name, hledger):
    result = _hledger(hledger, "-f", str(exported / name), "check", "ordereddates")
    assert result.returncode == 0, result.stdout + result.stderr


def test_hledger_reads_back_the_ledgers_balances_to_the_penny(exported, ledger_balances, hledger):
    result = _hledger(hledger, "-f", str(exported / FILES["hledger"]), "balance", "-O", "csv", "--flat", "-N")
    assert result.returncode == 0, result.stderr
    read = {}
    for account, balance in list(csv.reader(io.StringIO(result.stdout)))[1:]:
        number, currency = balance.split(" ") if " " in balance else (balance, "GBP")
        read[account] = Money.from_decimal(number, currency).amount
    expected = {tool_account(code): amount for code, amount in ledger_balances.items() if amount}
    assert read == expected
    assert len(expected) > 15


def test_beancount_reads_back_the_ledgers_balances_to_the_penny(exported, ledger_balances):
    entries, errors, _options = loader.load_file(str(exported / FILES["beancount"]))
    assert errors == []
    root = realization.realize(entries)
    for code, amount in ledger_balances.items():
        inventory = realization.get(root, tool_account(code)).balance
        units = inventory.get_currency_units("GBP").number
        assert Money.from_decimal(Decimal(units), "GBP").amount == amount, code


def _nudge(text: str, start: re.Pattern[str]) -> str:
    """Add a penny to the first posting of the first transaction the pattern finds."""
    lines = text.splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if start.match(line))
    posting = next(n for n in range(at + 1, len(lines)) if re.search(r"\s-?\d+\.\d\d GBP$", lines[n]))
    lines[posting] = re.sub(
        r"(-?\d+\.\d\d)( GBP)$", lambda m: f"{Decimal(m[1]) + Decimal('0.01')}{m[2]}", lines[posting]
    )
    return "".join(lines)


def _changed_journal(exported: Path, folder: Path) -> Path:
    journal = folder / "changed.journal"
    journal.write_text(
        _nudge((exported / FILES["hledger"]).read_text(), re.compile(r"^\d{4}-\d\d-\d\d \* \(5\)"))
    )
    return journal


def test_changing_one_amount_makes_bean_check_and_verify_export_fail(exported, shared_app, tmp_path):
    bean = tmp_path / "changed.beancount"
    bean.write_text(
        _nudge((exported / FILES["beancount"]).read_text(), re.compile(r"^\d{4}-\d\d-\d\d \* \""))
    )
    checked = _bean_check(bean)
    assert checked.returncode != 0
    assert "does not balance" in checked.stdout + checked.stderr

    journal = _changed_journal(exported, tmp_path)
    runner = shared_app.test_cli_runner()
    for changed in (bean, journal):
        result = runner.invoke(main, ["verify-export", str(exported / FILES["csv"]), str(changed)])
        assert result.exit_code == 1, result.output
        assert "the postings shown differ from the postings sealed" in result.output


def test_changing_one_amount_makes_hledger_fail(exported, tmp_path, hledger):
    checked = _hledger(hledger, "-f", str(_changed_journal(exported, tmp_path)), "check", "-s")
    assert checked.returncode != 0
    assert "could not balance" in checked.stdout + checked.stderr


def test_added_renamed_and_retired_categories_pass_both_tools(app, sessions, tmp_path, hledger):
    # The generated book with categories of the neighbourhood's own (one starting with a digit), a payment
    # filed under each, then one renamed and one retired: still a book both tools accept, to the penny.
    with unit_of_work(sessions) as session:
        chair = session.scalar(select(User.id).where(User.email == "chair@example.org"))
    give_fund(app, "elm-park", 10_000, key="categories")
    made = [add(app, chair, "elm-park", name) for name in ("Garden supplies", "4x4 hire")]
    assert made == ["garden-supplies", "4x4-hire"]
    for n, category in enumerate(made):
        payment = {"payee": "Green Thumb", "purpose": "Bulbs", "place": "bank", "category": category}
        record(app, chair, "elm-park", terms(app, "supplier_payment", amount=1_000 + n, **payment))
    rename(app, chair, "elm-park", "garden-supplies", "Plants and compost")
    retire(app, chair, "elm-park", "4x4-hire")
    runner = app.test_cli_runner()
    for fmt, name in (("beancount", "book.beancount"), ("hledger", "book.journal")):
        result = runner.invoke(main, ["export", "--format", fmt, "--output", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    beancount, journal = (tmp_path / "book.beancount"), (tmp_path / "book.journal")
    assert _bean_check(beancount).returncode == 0, _bean_check(beancount).stderr
    checked = _hledger(hledger, "-f", str(journal), "check", "-s")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    for code, pence in (("expenses:general:garden-supplies", 1_000), ("expenses:general:4x4-hire", 1_001)):
        assert tool_account(code) in beancount.read_text() and tool_account(code) in journal.read_text()
        shown = _hledger(hledger, "-f", str(journal), "balance", "--flat", "-N", f"^{tool_account(code)}$")
        assert f"£{Decimal(pence) / 100}" in shown.stdout or f"{Decimal(pence) / 100}" in shown.stdout, shown
