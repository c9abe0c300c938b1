"""A book kept through a year end by the real services (a pledge collected by card, levy charges with a late
catch-up sweep, a grant paid, the year to 31 March 2026 closed): its beancount and hledger exports, of the
whole book and from the day after the close, pass bean-check, `hledger check -s` and `hledger check
ordereddates`, and the balances the tools read back equal the app's trial balance, account by account."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import realization
from sqlalchemy import select

from pledgebank.books.closing import close_year
from pledgebank.books.models import LedgerTransaction
from pledgebank.books.services import book_of
from pledgebank.cli import main
from pledgebank.db import unit_of_work
from pledgebank.exports.naming import tool_account
from pledgebank.exports.statements import trial_balance
from pledgebank.ledger.money import Money
from tests.factories.grants import apply, decide, declare, give_fund, make_round, pay, reviewed, world
from tests.factories.levies import active_levy, charges_of, join, record_cash, sources
from tests.factories.pledges import assert_books_ok, due, make_pledge, pledge_with_card
from tests.helpers.app import with_stripe

BEAN_CHECK = str(Path(sys.executable).parent / "bean-check")
YEAR_END = date(2026, 3, 31)
LATER = date(2026, 12, 31)


@pytest.fixture
def app_config(app_config: dict, stripe_api: str) -> dict:
    """The test app, pointed at a freshly emptied emulator."""
    return with_stripe(app_config, stripe_api)


def _run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(list(command), capture_output=True, text=True, check=False)


def keep_book_through_year_end(app, sessions, clock):
    """Post the book through the services; return the world and the levy's two households (first, late)."""
    w = world(sessions, members=2, residents=3)
    give_fund(app, w.slug, 100_000)  # 2 March 2026
    levy = active_levy(app, w.slug, w.chair, w.members[0])  # £10 a month from 2 March
    first = join(app, levy, w.residents[0], "1 Elm Road")
    pledge = make_pledge(app, w.slug, w.chair, target_pledgers=2, amount=1000)
    pledge_with_card(app, pledge, w.residents[1])
    pledge_with_card(app, pledge, w.residents[2])
    assert due(app)["levy charges raised"] == 1  # the first household's March charge, dated 2 March
    assert due(app, hours=73)["payments captured"] == 2  # 5 March

    grant = apply(app, make_round(app, w), w.residents[2], 20_000, title="Benches for the green")
    reviewed(app, grant, w.members)
    declare(app, grant, w.chair)
    decide(app, grant, w.chair)
    assert pay(app, grant, w.treasurer) == "paid"  # 5 March

    clock.advance(timedelta(days=15))  # 20 March: a second household joins; no sweep runs until April
    late = join(app, levy, w.residents[1], "2 Elm Road")
    clock.advance(timedelta(days=14))  # 3 April
    with unit_of_work(sessions) as session:
        close_year(
            session,
            actor_id=w.chair,
            book=book_of(session, w.neighbourhood_id),
            through=YEAR_END,
            now=clock.now(),
        )
    [march] = charges_of(app, levy)
    record_cash(app, march.id, w.treasurer)  # dated 3 April
    # The catch-up sweep: the late joiner's March charge (its period began in the closed year) and both
    # households' April charges (from 2 April), posted after the cash dated 3 April.
    assert due(app)["levy charges raised"] == 3
    return w, first, late


@pytest.fixture
def year_end_book(app, sessions, clock, tmp_path):
    """The book kept through the year end, exported whole and from 1 April 2026 in both journal formats."""
    w, _first, _late = keep_book_through_year_end(app, sessions, clock)
    runner = app.test_cli_runner()
    for scope, extra in (("whole", []), ("next", ["--from", "2026-04-01"])):
        for fmt, suffix in (("beancount", "beancount"), ("hledger", "journal")):
            path = tmp_path / f"{scope}.{suffix}"
            result = runner.invoke(main, ["export", "--format", fmt, *extra, "--output", str(path)])
            assert result.exit_code == 0, result.output
    assert_books_ok(app)
    with unit_of_work(sessions) as session:
        book = book_of(session, w.neighbourhood_id)
        balances = {
            on: {
                tool_account(line.account.code): line.balance
                for line in trial_balance(session, book, on).lines
            }
            for on in (YEAR_END, LATER)
        }
    return tmp_path, balances, w.slug


def test_the_catch_up_sweep_dates_charges_to_their_periods_and_a_closed_years_to_the_first_open_day(
    app, sessions, clock
):
    _w, first, late = keep_book_through_year_end(app, sessions, clock)
    raised = {(charge.household_id, charge.period_start): charge.id for charge in charges_of(app)}
    with unit_of_work(sessions) as session:
        dated = {
            int(row.source["levy_charge"]): (row.effective_date, row.memo)
            for row in session.execute(
                select(LedgerTransaction).where(LedgerTransaction.kind == "receivable_raised")
            ).scalars()
        }
    march, april = date(2026, 3, 2), date(2026, 4, 2)
    assert dated[raised[(first, march)]] == (march, "receivable_raised")
    assert dated[raised[(first, april)]] == (april, "receivable_raised")
    assert dated[raised[(late, april)]] == (april, "receivable_raised")
    assert dated[raised[(late, march)]] == (
        date(2026, 4, 1),
        "receivable_raised period=2026-03-02 closed_through=2026-03-31",
    )
    assert len(sources(app, "receivable_raised")) == 4
    assert "levy charges raised" not in due(app)
    assert_books_ok(app)


def _hledger_balances(hledger: str, path: Path, *args: str) -> dict[str, int]:
    result = _run(hledger, "-f", str(path), "balance", "-O", "csv", "--flat", "-N", *args)
    assert result.returncode == 0, result.stderr
    read = {}
    for account, balance in list(csv.reader(io.StringIO(result.stdout)))[1:]:
        number, currency = balance.split(" ") if " " in balance else (balance, "GBP")
        read[account] = Money.from_decimal(number, currency).amount
    return read


def _beancount_balances(path: Path, names) -> dict[str, int]:
    entries, errors, _options = loader.load_file(str(path))
    assert errors == []
    root = realization.realize(entries)
    read = {}
    for name in names:
        units = realization.get(root, name).balance.get_currency_units("GBP").number
        read[name] = Money.from_decimal(Decimal(units), "GBP").amount
    return read


def _nonzero(balances: dict[str, int]) -> dict[str, int]:
    return {name: amount for name, amount in balances.items() if amount}


@pytest.mark.parametrize("scope", ["whole", "next"])
def test_the_journals_pass_the_tools_checks_in_date_order(year_end_book, scope, hledger):
    folder, _balances, _slug = year_end_book
    checked = _run(BEAN_CHECK, str(folder / f"{scope}.beancount"))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    journal = str(folder / f"{scope}.journal")
    strict = _run(hledger, "-f", journal, "check", "-s")
    assert strict.returncode == 0, strict.stdout + strict.stderr
    ordered = _run(hledger, "-f", journal, "check", "ordereddates")
    assert ordered.returncode == 0, ordered.stdout + ordered.stderr
    # The book's own order is not the dates' order: the catch-up sweep posted charges dated before the cash.
    codes = [
        int(code) for code in re.findall(r"^\d{4}-\d\d-\d\d \* \((\d+)\)", Path(journal).read_text(), re.M)
    ]
    assert codes != sorted(codes)


@pytest.mark.parametrize("scope", ["whole", "next"])
def test_the_balances_the_tools_read_back_equal_the_trial_balance(year_end_book, scope, hledger):
    folder, balances, _slug = year_end_book
    expected = _nonzero(balances[LATER])
    assert len(expected) >= 7, expected
    assert _hledger_balances(hledger, folder / f"{scope}.journal") == expected
    assert _nonzero(_beancount_balances(folder / f"{scope}.beancount", balances[LATER])) == expected


def test_the_export_from_the_day_after_the_close_opens_with_the_funds_balances(year_end_book, hledger):
    folder, balances, _slug = year_end_book
    opening = _hledger_balances(hledger, folder / "next.journal", "desc:^Balances brought forward$")
    assert opening == _nonzero(balances[YEAR_END])
    assert opening["Equity:General:Balance"] < 0  # the year's surplus, carried as the fund's balance
    assert not [name for name in opening if name.startswith(("Income:", "Expenses:"))]
    text = (folder / "next.beancount").read_text()
    assert '2026-04-01 * "Balances brought forward"' in text


def test_verify_export_rehashes_the_date_ordered_journals_in_chain_order(year_end_book, app):
    folder, _balances, _slug = year_end_book
    runner = app.test_cli_runner()
    old = folder / "old.jsonl"
    assert runner.invoke(main, ["export", "--format", "jsonl", "--output", str(old)]).exit_code == 0
    for name in ("whole.journal", "whole.beancount"):
        verified = runner.invoke(main, ["verify-export", str(old), str(folder / name)])
        assert verified.exit_code == 0, verified.output
    blocks = (folder / "whole.journal").read_text().split("\n\n")
    [charge] = [block for block in blocks if "closed_through=2026-03-31" in block]
    cut = folder / "cut.journal"
    cut.write_text("\n\n".join(block for block in blocks if block is not charge))
    refused = runner.invoke(main, ["verify-export", str(old), str(cut)])
    assert refused.exit_code == 1
    assert "the history is reordered or has a gap" in refused.output


def test_the_web_download_from_the_day_after_the_close_opens_with_the_funds_balances_too(
    year_end_book, web, hledger
):
    folder, balances, slug = year_end_book
    web.login("treasurer@example.org")
    download = web.post(f"/n/{slug}/exports/download", {"format": "hledger", "date_from": "2026-04-01"})
    assert download.status_code == 200
    journal = folder / "web.journal"
    journal.write_bytes(download.get_data())
    for check in (["check", "-s"], ["check", "ordereddates"]):
        checked = _run(hledger, "-f", str(journal), *check)
        assert checked.returncode == 0, checked.stdout + checked.stderr
    opening = _hledger_balances(hledger, journal, "desc:^Balances brought forward$")
    assert opening == _nonzero(balances[YEAR_END])
    assert _hledger_balances(hledger, journal) == _nonzero(balances[LATER])
