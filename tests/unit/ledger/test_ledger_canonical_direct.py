"""The directly written canonical bytes, which `ledger verify` compares first, are the documented encoding."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from pledgebank.ledger.canonical import canonical_document, encode, encode_fields

text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
fields = st.fixed_dictionaries(
    {
        "book_id": st.integers(1, 2**40),
        "sequence": st.integers(1, 2**40),
        "effective_date": st.dates(),
        "kind": text,
        "memo": text,
        "source": st.dictionaries(text, text, max_size=4),
        "actor_id": st.none() | st.integers(-(2**63), 2**63),
        "idempotency_key": text,
        "reverses_key": st.none() | text,
        "postings": st.lists(st.tuples(text, st.integers(-(2**63), 2**63), text), max_size=4).map(tuple),
    }
)


@given(fields)
def test_the_direct_bytes_are_the_documents_encoding(given_fields):
    assert encode_fields(**given_fields) == encode(canonical_document(**given_fields))


PLAIN = {
    "book_id": 3,
    "sequence": 1,
    "effective_date": datetime.date(2025, 1, 2),
    "kind": "cash_received",
    "memo": 'Café £5 "quoted" \\ and\ttab',
    "source": {"pledge": "12", "gift": "é"},
    "actor_id": None,
    "idempotency_key": "k:1",
    "reverses_key": None,
    "postings": (("assets:bank", 5, "GBP"), ("income:general:donations", -5, "GBP")),
}


def test_plain_fields_with_escapes_match():
    assert encode_fields(**PLAIN) == encode(canonical_document(**PLAIN))


def test_fields_of_other_types_are_left_to_the_document_way():
    for name, odd in [
        ("sequence", 0),
        ("book_id", True),
        ("effective_date", datetime.datetime(2025, 1, 2, 3, 4)),
        ("actor_id", 1.0),
        ("memo", None),
        ("source", {"pledge": 12}),
        ("postings", (("assets:bank", 5.0, "GBP"),)),
        ("postings", (["assets:bank", 5, "GBP"],)),
        ("reverses_key", 7),
    ]:
        assert encode_fields(**{**PLAIN, name: odd}) is None, name
