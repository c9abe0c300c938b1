"""A community dividend's payment terms: the exact payment for fixed, tiered and pro-rata terms, the checks on
bad terms, and (property-based) that the payment never falls as the outcome improves nor passes the cap."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pledgebank.dividends.terms import (
    Direction,
    Terms,
    TermsKind,
    Tier,
    payment,
    problems,
    reaches,
    terms_hash,
)

DOWN, UP = Direction.DOWN, Direction.UP

FIRES_FIXED = Terms(TermsKind.FIXED, DOWN, baseline=40, target=30, cap=500_000, amount=500_000)
FIRES_TIERED = Terms(
    TermsKind.TIERED,
    DOWN,
    baseline=40,
    target=25,
    cap=250_000,
    tiers=(Tier(35, 100_000), Tier(30, 200_000), Tier(25, 300_000)),
)
SAY_PRO_RATA = Terms(TermsKind.PRO_RATA, UP, baseline=31, target=40, cap=150_000, amount=90_000, floor=32)


def test_fixed_pays_the_whole_amount_at_the_target_and_nothing_short_of_it():
    assert problems(FIRES_FIXED) == {}
    assert [payment(FIRES_FIXED, v) for v in (41, 40, 31, 30, 12)] == [0, 0, 0, 500_000, 500_000]


def test_tiered_pays_the_best_tier_reached_up_to_the_cap():
    assert problems(FIRES_TIERED) == {}
    got = [payment(FIRES_TIERED, v) for v in (40, 36, 35, 31, 30, 26, 25, 0)]
    assert got == [0, 0, 100_000, 100_000, 200_000, 200_000, 250_000, 250_000]


def test_pro_rata_pays_in_proportion_from_the_floor_rounding_down_and_stops_at_the_cap():
    assert problems(SAY_PRO_RATA) == {}
    # 8 points from the floor (32) to the target (40): £900 / 8 = £112.50 a point.
    got = [payment(SAY_PRO_RATA, v) for v in (30, 32, 33, 35, 40, 42, 45, 60)]
    assert got == [0, 0, 11_250, 33_750, 90_000, 112_500, 146_250, 150_000]
    thirds = Terms(TermsKind.PRO_RATA, UP, baseline=0, target=3, cap=100, amount=100, floor=0)
    assert [payment(thirds, v) for v in (1, 2, 3)] == [33, 66, 100]


def test_a_target_on_the_wrong_side_of_the_baseline_is_refused():
    wrong = Terms(TermsKind.FIXED, DOWN, baseline=40, target=45, cap=10, amount=10)
    assert "below the baseline" in problems(wrong)["target"][0]
    level = Terms(TermsKind.FIXED, UP, baseline=40, target=40, cap=10, amount=10)
    assert "above the baseline" in problems(level)["target"][0]


def test_a_tier_table_that_is_not_monotonic_is_refused():
    for tiers in (
        (Tier(30, 200_000), Tier(35, 300_000)),  # needs a worse outcome for more
        (Tier(35, 200_000), Tier(30, 100_000)),  # pays less for a better outcome
        (Tier(35, 200_000), Tier(35, 300_000)),  # two tiers at one outcome
        (Tier(45, 100_000),),  # worse than the baseline
        (),
    ):
        bad = Terms(TermsKind.TIERED, DOWN, baseline=40, target=25, cap=900_000, tiers=tiers)
        assert list(problems(bad)) == ["tiers"], tiers


def test_a_cap_below_the_fixed_payment_is_refused():
    bad = Terms(TermsKind.FIXED, DOWN, baseline=40, target=30, cap=499_999, amount=500_000)
    assert problems(bad) == {"cap": ["The cap cannot be below the fixed payment."]}


def test_a_pro_rata_floor_outside_the_baseline_and_target_is_refused():
    for floor in (None, 30, 40, 41):
        bad = Terms(TermsKind.PRO_RATA, UP, baseline=31, target=40, cap=90_000, amount=90_000, floor=floor)
        assert list(problems(bad)) == ["floor"], floor


def test_the_terms_hash_is_of_the_canonical_terms():
    assert terms_hash({"a": 1, "b": "é"}) == terms_hash({"b": "é", "a": 1})
    assert terms_hash({"a": 1}) != terms_hash({"a": 2})


@st.composite
def sound_terms(draw) -> Terms:
    direction = draw(st.sampled_from(list(Direction)))
    sign = 1 if direction == Direction.UP else -1
    baseline = draw(st.integers(-1_000, 1_000))
    target = baseline + sign * draw(st.integers(1, 500))
    kind = draw(st.sampled_from(list(TermsKind)))
    amount = draw(st.integers(1, 10_000_000))
    cap = amount + draw(st.integers(0, 10_000_000))
    if kind == TermsKind.TIERED:
        steps = draw(st.lists(st.integers(1, 100), min_size=1, max_size=6))
        raises = draw(st.lists(st.integers(1, 1_000_000), min_size=len(steps), max_size=len(steps)))
        marks = [baseline + sign * sum(steps[: n + 1]) for n in range(len(steps))]
        amounts = [sum(raises[: n + 1]) for n in range(len(raises))]
        tiers = tuple(Tier(m, a) for m, a in zip(marks, amounts, strict=True))
        cap = draw(st.integers(1, 10_000_000))
        return Terms(kind, direction, baseline, target, cap, tiers=tiers)
    floor = baseline + sign * draw(st.integers(0, abs(target - baseline) - 1))
    return Terms(kind, direction, baseline, target, cap, amount=amount, floor=floor)


@settings(deadline=None, max_examples=200)  # bounded; no deadline: a loaded CI machine is not a failure
@given(sound_terms(), st.integers(-3_000, 3_000), st.integers(0, 3_000))
def test_the_payment_never_falls_as_the_outcome_improves_and_never_passes_the_cap(terms, value, step):
    assert problems(terms) == {}
    better = value + step if terms.direction == Direction.UP else value - step
    paid, paid_better = payment(terms, value), payment(terms, better)
    assert 0 <= paid <= paid_better <= terms.cap


@settings(deadline=None, max_examples=100)
@given(sound_terms())
def test_reaching_the_target_earns_the_terms_full_payment(terms):
    reached = [t.amount for t in terms.tiers if reaches(terms.direction, terms.target, t.reached)]
    full = max(reached, default=0) if terms.kind == TermsKind.TIERED else terms.amount
    assert payment(terms, terms.target) == min(full, terms.cap)
