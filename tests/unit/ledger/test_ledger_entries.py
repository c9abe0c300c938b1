import datetime

import pytest

from pledgebank.ledger.entries import JournalEntry, Posting, make_source
from pledgebank.ledger.errors import InvalidEntry, UnbalancedEntry
from pledgebank.ledger.money import Money

DAY = datetime.date(2025, 3, 1)


def gbp(amount):
    return Money(amount, "GBP")


def entry(**overrides):
    fields = {
        "kind": "test",
        "effective_date": DAY,
        "postings": (Posting("assets:bank", gbp(100)), Posting("income:roof:pledges", gbp(-100))),
        "memo": "test",
        "idempotency_key": "key-1",
    }
    fields.update(overrides)
    return JournalEntry(**fields)


def test_valid_entry_and_helpers():
    e = entry(
        postings=(
            Posting("assets:stripe-clearing", gbp(955)),
            Posting("expenses:roof:fees", gbp(45)),
            Posting("income:roof:pledges", gbp(-1000)),
            Posting("assets:bank", Money(5, "EUR")),
            Posting("income:roof:donations", Money(-5, "EUR")),
        ),
        source=(("stripe_payment_intent", "pi_1"), ("pledge", "12")),
    )
    assert e.currencies() == ("EUR", "GBP")
    assert e.total_debits() == {"GBP": gbp(1000), "EUR": Money(5, "EUR")}
    assert e.amount_for("expenses:roof:fees") == gbp(45)
    assert e.amount_for("assets:cash") is None
    assert e.source == (("pledge", "12"), ("stripe_payment_intent", "pi_1"))
    assert e.source_dict() == {"pledge": "12", "stripe_payment_intent": "pi_1"}
    assert e.accounts()[0] == "assets:stripe-clearing"
    assert e.postings[0].is_debit and not e.postings[2].is_debit


def test_amount_for_nets_repeated_account():
    e = entry(
        postings=(
            Posting("assets:bank", gbp(100)),
            Posting("assets:bank", gbp(-30)),
            Posting("income:roof:pledges", gbp(-70)),
        )
    )
    assert e.amount_for("assets:bank") == gbp(70)


def test_build_from_mapping_source_and_list_postings():
    e = JournalEntry.build(
        kind="test",
        effective_date=DAY,
        postings=[Posting("assets:bank", gbp(1)), Posting("income:roof:pledges", gbp(-1))],
        memo="",
        idempotency_key="k",
        source={"stripe_payment_intent": "pi_9", "pledge": 12},
        actor_id=7,
    )
    assert e.source == (("pledge", "12"), ("stripe_payment_intent", "pi_9"))
    assert isinstance(e.postings, tuple)
    assert e.actor_id == 7


def test_make_source_sorts_and_stringifies():
    assert make_source({"b": 2, "a": "x"}) == (("a", "x"), ("b", "2"))
    with pytest.raises(InvalidEntry):
        make_source({"a": True})
    with pytest.raises(InvalidEntry):
        make_source({"": "1"})


def test_entry_is_frozen():
    e = entry()
    with pytest.raises(AttributeError):
        e.memo = "changed"


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"postings": ()}, InvalidEntry),
        ({"postings": (Posting("assets:bank", gbp(100)),)}, InvalidEntry),
        ({"postings": ("assets:bank", "income:roof:pledges")}, InvalidEntry),
        (
            {
                "postings": (
                    Posting("assets:bank", gbp(100)),
                    Posting("assets:bank", Money(-100, "EUR")),
                    Posting("income:x:pledges", gbp(-100)),
                    Posting("income:y:pledges", Money(100, "EUR")),
                )
            },
            InvalidEntry,
        ),
        (
            {"postings": (Posting("assets:bank", gbp(100)), Posting("income:roof:pledges", gbp(-99)))},
            UnbalancedEntry,
        ),
        (
            {
                "postings": (
                    Posting("assets:bank", gbp(100)),
                    Posting("income:roof:pledges", Money(-100, "EUR")),
                )
            },
            UnbalancedEntry,
        ),
        ({"kind": ""}, InvalidEntry),
        ({"kind": None}, InvalidEntry),
        ({"idempotency_key": ""}, InvalidEntry),
        ({"memo": "x" * 201}, InvalidEntry),
        ({"memo": None}, InvalidEntry),
        ({"effective_date": "2025-03-01"}, InvalidEntry),
        ({"effective_date": datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)}, InvalidEntry),
        ({"actor_id": "7"}, InvalidEntry),
        ({"actor_id": True}, InvalidEntry),
        ({"reverses_key": ""}, InvalidEntry),
        ({"reverses_key": "key-1"}, InvalidEntry),
        ({"source": (("a", "1"), ("a", "2"))}, InvalidEntry),
        ({"source": (("a", 1),)}, InvalidEntry),
        ({"source": "pledge=1"}, InvalidEntry),
        ({"source": (("a", "1", "x"),)}, InvalidEntry),
    ],
)
def test_entry_validation(overrides, error):
    with pytest.raises(error) as caught:
        entry(**overrides)
    assert type(caught.value) is error


def test_unbalanced_is_an_invalid_entry():
    assert issubclass(UnbalancedEntry, InvalidEntry)


def test_memo_at_limit_is_accepted():
    assert len(entry(memo="x" * 200).memo) == 200


@pytest.mark.parametrize(
    ("account", "amount"),
    [("assets:bank", gbp(0)), ("", gbp(1)), (None, gbp(1)), ("assets:bank", 100)],
)
def test_posting_validation(account, amount):
    with pytest.raises(InvalidEntry):
        Posting(account, amount)
