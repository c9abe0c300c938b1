"""The format writers on hand-made sealed transactions: CSV cells stay text, the journals escape what they
must, and month-end balances are right when dates arrive out of order."""

from __future__ import annotations

import csv
import io
import json

import pytest

from pledgebank.exports import beancount_format, csv_format, hledger_format, jsonl_format
from pledgebank.exports.header import MonthEndBalances, Tally
from pledgebank.exports.job import ExportJob
from pledgebank.ledger import rules
from pledgebank.ledger.money import Money
from tests.helpers.exports_units import day, scope_for, sealed


def gbp(pence: int) -> Money:
    """Pounds sterling in pence."""
    return Money(pence, "GBP")


def entries():
    """A donation, a card payment with a fee, and a refund dated before both."""
    return [
        rules.cash_received(
            amount=gbp(5_000),
            fund="general",
            income_source="donations",
            key="k1",
            on=day(3, 2),
            source={"r": 1},
        ),
        rules.card_payment_received(
            gross=gbp(1_000),
            fee=gbp(35),
            fund="general",
            income_source="pledges",
            key="k2",
            on=day(4, 9),
            source={"charge": "ch_1", "note": '=HYPERLINK("x")'},
        ),
        rules.refund(
            amount=gbp(200),
            fund="general",
            income_source="pledges",
            key="k3",
            on=day(2, 27),
            source={"refund": "re_1"},
        ),
    ]


def _write(module, transactions) -> str:
    tally = Tally()

    def counted():
        for tx in transactions:
            tally.transactions += 1
            tally.postings += len(tx.postings)
            if tally.last_sequence is None or tx.sequence > tally.last_sequence:
                tally.last_sequence, tally.head_hash = tx.sequence, tx.hash
            yield tx

    return "".join(module.write(ExportJob(scope_for(transactions), counted(), tally)))


def test_csv_has_a_header_row_and_keeps_formulas_as_text():
    transactions = sealed(entries())
    text = _write(csv_format, transactions)
    assert text.startswith("\ufeffsequence,date,description,kind,memo,line,account,")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [(r["sequence"], r["account"], r["amount"]) for r in rows][:5] == [
        ("1", "assets:cash:general", "50.00"),
        ("1", "income:general:donations", "-50.00"),
        ("2", "assets:stripe-clearing:general", "9.65"),
        ("2", "expenses:general:fees", "0.35"),
        ("2", "income:general:pledges", "-10.00"),
    ]
    assert rows[2]["source"] == '{"charge": "ch_1", "note": "=HYPERLINK(\\"x\\")"}'
    assert rows[2]["hash"] == transactions[1].hash.hex()
    tricky = 'says "hi", then\nleaves\r'
    transactions[0].memo = tricky
    reread = list(
        csv.reader(io.StringIO(_write(csv_format, transactions).removeprefix("\ufeff"), newline=""))
    )
    assert reread[1][4] == reread[2][4] == tricky
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([tricky])
    assert csv_format.field(tricky) == buffer.getvalue().removesuffix("\r\n")
    assert csv_format.cell("=1+1") == "'=1+1"
    assert [csv_format.cell(text) for text in ("+x", "-x", "@x", "\tx", "plain")] == [
        "'+x",
        "'-x",
        "'@x",
        "'\tx",
        "plain",
    ]


def test_json_lines_carry_header_transactions_with_sealed_bytes_and_trailer():
    transactions = sealed(entries())
    header, *lines, trailer = (json.loads(line) for line in _write(jsonl_format, transactions).splitlines())
    assert (header["type"], header["first_sequence"], header["last_sequence"], header["complete"]) == (
        "header",
        1,
        3,
        True,
    )
    assert [line["canonical"].encode() for line in lines] == [t.canonical for t in transactions]
    assert lines[1]["postings"][1] == {
        "line": 2,
        "account": "expenses:general:fees",
        "fund": "general",
        "amount": "0.35",
        "minor": 35,
        "currency": "GBP",
    }
    assert trailer == {**trailer, "transactions": 3, "postings": 7, "head_hash": transactions[-1].hash.hex()}


def by_date(transactions):
    """The transactions as the reader gives them to the journal writers: by date, then sequence."""
    return sorted(transactions, key=lambda tx: (tx.effective_date, tx.sequence))


def test_the_journals_escape_text_and_assert_month_end_balances():
    transactions = by_date(sealed(entries()))
    transactions[1].memo = 'a "quoted"; memo | with note'
    bean = _write(beancount_format, transactions)
    assert '2026-03-02 * "a \\"quoted\\"; memo | with note" ^seq-1 ^r-1' in bean
    assert "^charge-ch_1 ^note--HYPERLINK--x--" in bean
    assert "2026-02-27 open Assets:Cash GBP" in bean
    assert "2026-03-01 balance Assets:Stripe-clearing:General  -2.00 GBP" in bean
    assert "2026-05-01 balance Assets:Stripe-clearing:General  7.65 GBP" in bean
    ledger = _write(hledger_format, transactions)
    assert '2026-03-02 * (1) a "quoted", memo / with note' in ledger
    assert "    Income:General:Pledges  0.00 GBP = 2.00 GBP" in ledger
    assert "2026-04-30 Balances at the end of April 2026" in ledger
    assert "commodity 1000.00 GBP" in ledger


def test_month_end_balances_fold_out_of_order_dates():
    balances = MonthEndBalances({7: 100}, None)
    balances.add(day(3, 31), [(1, 7, 10, "GBP")])
    balances.add(day(1, 15), [(1, 7, -30, "GBP"), (2, 8, 30, "GBP")])
    balances.add(day(3, 1), [(1, 8, 5, "GBP")])
    assert list(balances.month_ends()) == [
        (day(1, 31), {7: 70, 8: 30}),
        (day(2, 28), {7: 70, 8: 30}),
        (day(3, 31), {7: 80, 8: 35}),
    ]


def test_the_journals_list_transactions_by_date_with_each_months_assertions_before_the_next_month():
    transactions = by_date(sealed(entries()))
    ledger = _write(hledger_format, transactions)
    dated = [line.split(" ", 1) for line in ledger.splitlines() if line[:1].isdigit()]
    assert [when for when, _rest in dated] == sorted(when for when, _rest in dated)
    assert [rest if rest.startswith("Balances") else rest[:5] for _when, rest in dated] == [
        "* (3)",
        "Balances at the end of February 2026",
        "* (1)",
        "Balances at the end of March 2026",
        "* (2)",
        "Balances at the end of April 2026",
    ]
    bean = _write(beancount_format, transactions)
    dated = [
        line.split(" ", 1)[0] for line in bean.splitlines() if line[:1].isdigit() and " open " not in line
    ]
    assert dated == sorted(dated)


def test_month_end_balances_refuse_a_month_already_given():
    balances = MonthEndBalances({}, None)
    balances.add(day(1, 15), [(1, 7, 10, "GBP")])
    assert list(balances.month_ends(before=day(3, 2))) == [(day(1, 31), {7: 10}), (day(2, 28), {7: 10})]
    assert list(balances.month_ends(before=day(3, 9))) == []
    balances.add(day(3, 9), [(1, 7, 5, "GBP")])
    with pytest.raises(ValueError, match="already given"):
        balances.add(day(2, 27), [(1, 7, 1, "GBP")])
    assert list(balances.month_ends()) == [(day(3, 31), {7: 15})]


def test_hledger_commodity_declarations_always_carry_a_decimal_mark():
    assert [hledger_format.commodity_directive(code) for code in ("GBP", "JPY", "KWD")] == [
        "commodity 1000.00 GBP",
        "commodity 1000. JPY",
        "commodity 1000.000 KWD",
    ]
