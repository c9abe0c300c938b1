"""The canonical bytes split around the sequence number, so the database can seal an entry at its head."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from pledgebank.ledger.canonical import canonical_bytes, canonical_parts
from pledgebank.ledger.entries import JournalEntry, Posting
from pledgebank.ledger.money import Money

awkward_text = st.text(alphabet=st.sampled_from(['"', "\\", "s", "e", "q", ":", "1", "2", ",", "é", "}"]))


def entry(memo: str, source: dict[str, str], key: str) -> JournalEntry:
    return JournalEntry.build(
        kind="cash_received",
        effective_date=datetime.date(2026, 3, 2),
        postings=[
            Posting("assets:cash", Money(500, "GBP")),
            Posting("income:general:gifts", Money(-500, "GBP")),
        ],
        memo=memo[:200],
        idempotency_key=key or "k",
        source=source,
        actor_id=7,
        reverses_key="seq:1",
    )


@given(
    memo=awkward_text,
    source=st.dictionaries(st.sampled_from(["seq", "pledge", "s"]), awkward_text, max_size=3),
    key=awkward_text,
    sequence=st.integers(min_value=1, max_value=2**62),
    book_id=st.integers(min_value=1, max_value=2**40),
)
def test_the_parts_around_any_sequence_are_the_canonical_bytes(memo, source, key, sequence, book_id):
    sealed = entry(memo, source, key)
    before, after = canonical_parts(book_id=book_id, entry=sealed)
    assert before + str(sequence).encode() + after == canonical_bytes(
        book_id=book_id, sequence=sequence, entry=sealed
    )
