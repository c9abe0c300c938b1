"""The generated book has its year to 31 March 2025 closed: exports of the whole book and from the first day
of the next year pass bean-check and `hledger check -s`, and the later ones open with the funds' balances
brought forward, not with income carried over."""

from __future__ import annotations

import re

import pytest

from pledgebank.cli import main
from tests.helpers.accounting_tools import _bean_check, _hledger


@pytest.fixture(scope="module")
def after_close(shared_app, tmp_path_factory):
    """The book exported from 1 April 2025, the day after its close, as beancount and hledger."""
    folder = tmp_path_factory.mktemp("after-close")
    runner = shared_app.test_cli_runner()
    for fmt, name in (("beancount", "next.beancount"), ("hledger", "next.journal")):
        result = runner.invoke(
            main, ["export", "--format", fmt, "--from", "2025-04-01", "--output", str(folder / name)]
        )
        assert result.exit_code == 0, result.output
    return folder


def _brought_forward(text: str) -> list[str]:
    block = text.split("Balances brought forward", 1)[1].split("\n\n", 1)[0]
    return [line.split()[0] for line in block.splitlines()[1:] if line.strip()]


def _opens_with_fund_balances(text: str) -> None:
    accounts = _brought_forward(text)
    assert {
        "Equity:General:Balance",
        "Equity:Playground-fund:Balance",
        "Equity:Tree-planting:Balance",
    } <= set(accounts)
    assert not [account for account in accounts if re.match(r"(Income|Expenses):", account)]


def test_a_beancount_export_after_a_close_opens_with_fund_balances_and_passes_bean_check(after_close):
    _opens_with_fund_balances((after_close / "next.beancount").read_text())
    checked = _bean_check(after_close / "next.beancount")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_an_hledger_export_after_a_close_opens_with_fund_balances_and_passes_hledger(after_close, hledger):
    _opens_with_fund_balances((after_close / "next.journal").read_text())
    strict = _hledger(hledger, "-f", str(after_close / "next.journal"), "check", "-s")
    assert strict.returncode == 0, strict.stdout + strict.stderr
