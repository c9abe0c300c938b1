import dataclasses
import datetime
import json

import pytest

from pledgebank.ledger import chart, rules
from pledgebank.ledger.canonical import GENESIS_HASH, canonical_bytes, chain_hash
from pledgebank.ledger.chart import book_accounts, fund_accounts
from pledgebank.ledger.entries import JournalEntry, Posting
from pledgebank.ledger.money import Money
from pledgebank.ledger.verify import StoredTransaction, seal, verify_book

BOOK = 1
DAY = datetime.date(2025, 5, 1)
CURRENCIES = {spec.code: "GBP" for spec in book_accounts() + fund_accounts("roof", "Roof")}

BANK, CASH, STRIPE_CLEARING = (
    chart.held_in(place, "roof") for place in (chart.BANK, chart.CASH, chart.STRIPE_CLEARING)
)


def gbp(amount):
    return Money(amount, "GBP")


def sample_entries():
    card = rules.card_payment_received(
        gross=gbp(1000),
        fee=gbp(45),
        fund="roof",
        income_source="pledges",
        key="k1",
        on=DAY,
        source={"pledge": 1},
        actor_id=None,
    )
    cash = rules.cash_received(
        amount=gbp(500),
        fund="roof",
        income_source="donations",
        key="k2",
        on=DAY,
        source={"pledge": 2},
        actor_id=4,
    )
    payout = rules.payout(
        shares={"roof": gbp(955)}, key="k3", on=DAY, source={"payout": "po_1"}, actor_id=None
    )
    grant = rules.grant_awarded(
        amount=gbp(300), fund="roof", key="k4", on=DAY, source={"grant": 9}, actor_id=4
    )
    undo = rules.reversal(cash, key="k5", on=DAY, actor_id=4, reason_code="duplicate")
    return [card, cash, payout, grant, undo]


def build(entries, book_id=BOOK):
    records, prev = [], GENESIS_HASH
    for sequence, entry in enumerate(entries, start=1):
        record = seal(book_id=book_id, sequence=sequence, prev_hash=prev, entry=entry)
        records.append(record)
        prev = record.hash
    balances = {}
    for record in records:
        for account, amount, _ in record.postings:
            balances[account] = balances.get(account, 0) + amount
    head = (records[-1].sequence, records[-1].hash) if records else None
    return records, balances, head


def run(records, balances, head, currencies=CURRENCIES, book_id=BOOK):
    return verify_book(
        book_id=book_id,
        transactions=iter(records),
        account_currencies=currencies,
        maintained_balances=balances,
        chain_head=head,
    )


def rechain(records, start):
    """Recompute prev/hash from `start` (0-based) onwards, as a forger with write access would."""
    out = list(records[:start])
    prev = out[-1].hash if out else GENESIS_HASH
    for record in records[start:]:
        fixed = dataclasses.replace(record, prev_hash=prev, hash=chain_hash(prev, record.canonical))
        out.append(fixed)
        prev = fixed.hash
    return out


def test_clean_chain_verifies():
    records, balances, head = build(sample_entries())
    report = run(records, balances, head)
    assert report.ok, report.problems
    assert report.first_problem is None
    assert report.transactions == 5
    assert report.postings == 3 + 2 + 2 + 2 + 2
    assert (report.head_sequence, report.head_hash) == head
    assert balances[CASH] == 0 and balances[BANK] == 955


def test_empty_book():
    report = run([], {}, None)
    assert report.ok and report.head_sequence == 0 and report.head_hash == GENESIS_HASH
    assert run([], {}, (0, GENESIS_HASH)).ok


def test_seal_matches_canonical_bytes():
    entry = sample_entries()[0]
    record = seal(book_id=BOOK, sequence=1, prev_hash=GENESIS_HASH, entry=entry)
    assert record.canonical == canonical_bytes(book_id=BOOK, sequence=1, entry=entry)
    assert record.hash == chain_hash(GENESIS_HASH, record.canonical)
    assert record.source == {"pledge": "1"}


TAMPERS = {
    "amount": {"postings": ((BANK, 956, "GBP"), (STRIPE_CLEARING, -956, "GBP"))},
    "one leg": {"postings": ((BANK, 956, "GBP"), (STRIPE_CLEARING, -955, "GBP"))},
    "account": {"postings": ((CASH, 955, "GBP"), (STRIPE_CLEARING, -955, "GBP"))},
    "currency": {"postings": ((BANK, 955, "EUR"), (STRIPE_CLEARING, -955, "EUR"))},
    "order": {"postings": ((STRIPE_CLEARING, -955, "GBP"), (BANK, 955, "GBP"))},
    "date": {"effective_date": datetime.date(2025, 5, 2)},
    "memo": {"memo": "payout edited"},
    "actor": {"actor_id": 99},
    "kind": {"kind": "refund"},
    "key": {"idempotency_key": "k3-edited"},
    "source": {"source": {"payout": "po_2"}},
    "reverses": {"reverses_key": "k1"},
    "canonical": {"canonical": b"{}"},
    "hash": {"hash": bytes(32)},
    "prev_hash": {"prev_hash": bytes(32)},
}


@pytest.mark.parametrize("field", sorted(TAMPERS))
def test_tampering_a_column_is_caught_at_its_sequence(field):
    records, balances, head = build(sample_entries())
    records[2] = dataclasses.replace(records[2], **TAMPERS[field])
    report = run(records, balances, head)
    assert not report.ok
    assert report.first_problem.sequence == 3, report.problems


def test_tampered_bytes_with_recomputed_hash_are_caught():
    records, balances, head = build(sample_entries())
    doc = json.loads(records[2].canonical)
    doc["postings"][0][1] = 10_000
    doc["postings"][1][1] = -10_000
    forged = json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()
    records[2] = dataclasses.replace(records[2], canonical=forged, hash=chain_hash(records[1].hash, forged))
    report = run(records, balances, head)
    assert report.first_problem.sequence == 3
    assert {p.check for p in report.problems} >= {"canonical", "link"}


def test_non_canonical_encoding_is_caught():
    records, balances, _ = build(sample_entries())
    spaced = json.dumps(json.loads(records[1].canonical), sort_keys=True).encode()
    records[1] = dataclasses.replace(records[1], canonical=spaced)
    records = rechain(records, 1)
    report = run(records, balances, (5, records[-1].hash))
    assert report.first_problem.sequence == 2
    assert "canonical form" in report.first_problem.message


def test_deleted_record_is_caught():
    records, balances, head = build(sample_entries())
    del records[2]
    report = run(records, balances, head)
    assert report.first_problem.sequence == 3
    assert "expected sequence 3, found 4" in report.first_problem.message


def test_deleted_first_record_is_caught():
    records, balances, head = build(sample_entries())
    report = run(records[1:], balances, head)
    assert report.first_problem.sequence == 1


def test_swapped_records_are_caught():
    records, balances, head = build(sample_entries())
    records[2], records[3] = records[3], records[2]
    report = run(records, balances, head)
    assert report.first_problem.sequence == 3


def test_forged_insertion_is_caught():
    records, balances, head = build(sample_entries())
    extra = rules.cash_received(
        amount=gbp(1), fund="roof", income_source="donations", key="kx", on=DAY, source={"pledge": 7}
    )
    forged = seal(book_id=BOOK, sequence=3, prev_hash=records[1].hash, entry=extra)
    records.insert(2, forged)
    report = run(records, balances, head)
    assert report.first_problem.sequence == 3


def test_forged_insertion_with_renumbering_is_caught_at_the_first_broken_link():
    records, balances, head = build(sample_entries())
    extra = rules.cash_received(
        amount=gbp(1), fund="roof", income_source="donations", key="kx", on=DAY, source={"pledge": 7}
    )
    forged = seal(book_id=BOOK, sequence=3, prev_hash=records[1].hash, entry=extra)
    shifted = [dataclasses.replace(r, sequence=r.sequence + 1) for r in records[2:]]
    report = run([*records[:2], forged, *shifted], balances, head)
    assert report.first_problem.sequence == 4
    assert {p.check for p in report.problems} >= {"link", "canonical", "balance", "head"}


def test_appended_record_beyond_head_is_caught():
    records, balances, head = build(sample_entries())
    extra = rules.payout(shares={"roof": gbp(1)}, key="k6", on=DAY, source={})
    records.append(seal(book_id=BOOK, sequence=6, prev_hash=records[-1].hash, entry=extra))
    report = run(records, balances, head)
    assert report.first_problem.sequence == 6


def test_truncated_head_is_caught():
    records, balances, head = build(sample_entries())
    report = run(records[:-1], balances, head)
    assert report.first_problem.sequence == 5
    assert "truncated" in report.first_problem.message


def test_rewritten_tail_with_stale_head_is_caught():
    records, balances, head = build(sample_entries())
    edited = dataclasses.replace(sample_entries()[3], memo="grant_awarded fund=roof edited")
    records[3] = seal(book_id=BOOK, sequence=4, prev_hash=records[2].hash, entry=edited)
    records = rechain(records, 3)
    report = run(records, balances, head)
    assert [p.check for p in report.problems] == ["head"]
    assert report.first_problem.sequence == 5


def test_missing_head_is_caught():
    records, balances, _ = build(sample_entries())
    report = run(records, balances, None)
    assert [p.check for p in report.problems] == ["head"]


def test_wrong_maintained_balance_is_caught():
    records, balances, head = build(sample_entries())
    balances[BANK] += 1
    report = run(records, balances, head)
    assert [p.check for p in report.problems] == ["balance"]
    assert report.first_problem.sequence is None
    assert BANK in report.first_problem.message
    assert "last posted at sequence 3" in report.first_problem.message
    report = run(records, {**balances, "expenses:roof:grants": 5}, head)
    assert "expenses:roof:grants" in report.problems[-1].message


def test_wrong_book_is_caught():
    records, balances, head = build(sample_entries())
    report = run(records, balances, head, book_id=2)
    assert report.first_problem.sequence == 1
    assert "book" in report.first_problem.message


def test_unknown_account_and_wrong_currency_are_caught():
    records, balances, head = build(sample_entries())
    report = run(records, balances, head, currencies={**CURRENCIES, BANK: "EUR"})
    assert report.first_problem.sequence == 3 and BANK in report.first_problem.message
    missing = {k: v for k, v in CURRENCIES.items() if k != "income:roof:donations"}
    report = run(records, balances, head, currencies=missing)
    assert report.first_problem.sequence == 2 and "unknown account" in report.first_problem.message


def entry(key, reverses=None):
    return JournalEntry(
        kind="test",
        effective_date=DAY,
        postings=(Posting(BANK, gbp(1)), Posting(CASH, gbp(-1))),
        memo="test",
        idempotency_key=key,
        reverses_key=reverses,
    )


@pytest.mark.parametrize(
    ("entries", "bad_sequence", "check"),
    [
        ([entry("a"), entry("b"), entry("a")], 3, "key"),
        ([entry("a"), entry("b", "a"), entry("c", "a")], 3, "reversal"),
        ([entry("a"), entry("b", "zz")], 2, "reversal"),
        ([entry("a", "b"), entry("b")], 1, "reversal"),
    ],
)
def test_key_and_reversal_rules(entries, bad_sequence, check):
    records, balances, head = build(entries)
    report = run(records, balances, head)
    assert report.first_problem.sequence == bad_sequence
    assert report.first_problem.check == check


def test_first_bad_sequence_is_named_when_several_records_are_bad():
    records, balances, head = build(sample_entries())
    records[3] = dataclasses.replace(records[3], memo="late")
    records[1] = dataclasses.replace(records[1], memo="early")
    report = run(records, balances, head)
    assert report.first_problem.sequence == 2
    sequences = [p.sequence for p in report.problems if p.sequence is not None]
    assert sequences == sorted(sequences)


def test_malformed_rows_are_reported_not_raised():
    records, balances, head = build(sample_entries())
    records[0] = dataclasses.replace(records[0], postings=(("x", "1", "GBP"),), effective_date=None)
    report = run(records, balances, head)
    assert report.first_problem.sequence == 1
    assert isinstance(records[0], StoredTransaction)
