import datetime
import hashlib
import json

import pytest

from pledgebank.ledger import rules
from pledgebank.ledger.canonical import (
    FORMAT_VERSION,
    GENESIS_HASH,
    canonical_bytes,
    chain_hash,
    decode,
    encode,
    from_hex,
    to_hex,
)
from pledgebank.ledger.errors import LedgerError
from pledgebank.ledger.money import Money

GOLDEN_CANONICAL = (
    b'{"actor":7,"book":3,"date":"2025-01-02","key":"stripe:pi_123","kind":"card_payment_received",'
    b'"memo":"card_payment_received fund=roof-repair income=pledges","postings":'
    b'[["assets:stripe-clearing:roof-repair",955,"GBP"],["expenses:roof-repair:fees",45,"GBP"],'
    b'["income:roof-repair:pledges",-1000,"GBP"]],"reverses":null,"seq":1,'
    b'"source":{"pledge":"12","stripe_payment_intent":"pi_123"},"v":1}'
)
GOLDEN_HASH = "182af75d6d1d38599f00915ca8bfa3e527ed8b9eb385d3abce10d6daf0c6d010"


def golden_entry():
    return rules.card_payment_received(
        gross=Money(1000, "GBP"),
        fee=Money(45, "GBP"),
        fund="roof-repair",
        income_source="pledges",
        key="stripe:pi_123",
        on=datetime.date(2025, 1, 2),
        source={"stripe_payment_intent": "pi_123", "pledge": 12},
        actor_id=7,
    )


def test_canonical_bytes_are_stable():
    data = canonical_bytes(book_id=3, sequence=1, entry=golden_entry())
    assert data == GOLDEN_CANONICAL
    assert to_hex(chain_hash(GENESIS_HASH, data)) == GOLDEN_HASH


def test_chain_hash_is_sha256_of_prev_and_bytes():
    prev = bytes(range(32))
    assert chain_hash(prev, b"abc") == hashlib.sha256(prev + b"abc").digest()
    assert len(chain_hash(GENESIS_HASH, b"")) == 32
    assert bytes(32) == GENESIS_HASH


@pytest.mark.parametrize("prev", [b"", bytes(31), bytes(33), "00" * 32])
def test_chain_hash_rejects_bad_previous_hash(prev):
    with pytest.raises(LedgerError):
        chain_hash(prev, b"x")


def test_decode_round_trip():
    data = canonical_bytes(book_id=3, sequence=1, entry=golden_entry())
    doc = decode(data)
    assert doc["v"] == FORMAT_VERSION
    assert doc["postings"][0] == ["assets:stripe-clearing:roof-repair", 955, "GBP"]
    assert encode(doc) == data


def test_non_ascii_memo_is_escaped():
    entry = rules.payout(
        shares={"roof": Money(1, "EUR")}, key="clé", on=datetime.date(2025, 1, 2), source={"payout": "po_1"}
    )
    data = canonical_bytes(book_id=1, sequence=2, entry=entry)
    assert data.isascii()
    assert decode(data)["key"] == "clé"


def test_canonical_rejects_bad_book_and_sequence():
    for book_id, sequence in [(0, 1), (1, 0), (True, 1), ("1", 1)]:
        with pytest.raises(LedgerError):
            canonical_bytes(book_id=book_id, sequence=sequence, entry=golden_entry())


def _mutated(**changes):
    doc = json.loads(GOLDEN_CANONICAL)
    doc.update(changes)
    return json.dumps(doc).encode()


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not json",
        b"[]",
        '{"v":1}'.encode("utf-16"),
        b'{"v":1,"v":1}',
        _mutated(v=2),
        _mutated(v="1"),
        _mutated(v=True),
        _mutated(extra=1),
        _mutated(book="3"),
        _mutated(actor=1.5),
        _mutated(date="2025-13-01"),
        _mutated(postings=[["a", 1.0, "GBP"]]),
        _mutated(postings=[["a", 1]]),
        _mutated(source={"pledge": 12}),
        GOLDEN_CANONICAL.replace(b"955", b"NaN"),
        GOLDEN_CANONICAL.replace(b'"v":1', b'"w":1'),
    ],
)
def test_decode_rejects(data):
    with pytest.raises(LedgerError):
        decode(data)


def test_hex_helpers():
    digest = bytes(range(32))
    assert from_hex(to_hex(digest)) == digest
    for bad in ["", "00" * 31, "zz" * 32, "00 " * 32, None]:
        with pytest.raises(LedgerError):
            from_hex(bad)
