"""Per-account monthly totals recomputed from transactions, and the first month that disagrees."""

from __future__ import annotations

from datetime import date

from pledgebank.ledger.kinds import CASH_BANKED, GRANT_AWARDED, LEGACY_ATTRIBUTED, YEAR_CLOSED
from pledgebank.ledger.monthly import MonthlyTotals, first_wrong_month


def test_totals_split_cash_moves_from_the_rest_and_keep_closes_apart():
    totals = MonthlyTotals()
    totals.add(date(2026, 1, 5), CASH_BANKED, [("assets:bank:general", 500), ("assets:cash:general", -500)])
    totals.add(date(2026, 1, 20), GRANT_AWARDED, [("expenses:general:grants", 300), ("liabilities:x", -300)])
    totals.add(
        date(2026, 2, 1), YEAR_CLOSED, [("income:general:donations", 80), ("equity:general:balance", -80)]
    )
    totals.add(date(2026, 2, 2), LEGACY_ATTRIBUTED, [("assets:bank", -40), ("assets:bank:general", 40)])
    result = totals.result()
    assert result[("assets:bank:general", date(2026, 1, 1))] == (500, 0, 500, 0)
    assert result[("assets:cash:general", date(2026, 1, 1))] == (-500, 0, 0, -500)
    assert result[("expenses:general:grants", date(2026, 1, 1))] == (300, 0, 0, 0)
    assert result[("income:general:donations", date(2026, 2, 1))] == (80, 80, 0, 0)
    assert result[("assets:bank:general", date(2026, 2, 1))] == (40, 0, 0, 0)


def test_the_first_wrong_month_is_the_earliest_whatever_the_account():
    stored = {("b", date(2026, 3, 1)): (1, 0, 1, 0), ("a", date(2026, 4, 1)): (2, 0, 0, 0)}
    recomputed = {("b", date(2026, 3, 1)): (1, 0, 1, 0), ("a", date(2026, 4, 1)): (3, 0, 0, 0)}
    recomputed[("z", date(2026, 2, 1))] = (5, 0, 0, 0)
    wrong = first_wrong_month(stored, recomputed)
    assert (wrong.code, wrong.month) == ("z", date(2026, 2, 1))
    assert wrong.message.startswith("z in 2026-02:")
    del recomputed[("z", date(2026, 2, 1))]
    assert first_wrong_month(stored, recomputed).code == "a"
    assert first_wrong_month(stored, stored) is None
