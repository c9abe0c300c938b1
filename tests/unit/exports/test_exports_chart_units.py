"""The fund chart's scales, months and bar heights."""

from __future__ import annotations

from datetime import date

from pledgebank.exports.chart import PLOT, FlowChart, FundPanel, _lay_out, month_starts, nice_ceiling


def test_nice_ceilings_and_months():
    assert [nice_ceiling(n) for n in (0, 1, 3, 11, 2_000, 2_001, 49_999)] == [
        1,
        1,
        5,
        20,
        2_000,
        5_000,
        50_000,
    ]
    starts = month_starts(date(2026, 2, 14), 3)
    assert starts == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]


def test_bars_are_scaled_to_each_funds_largest_month():
    panel = FundPanel("general", "General fund", [12_000, 0, -500], [0, 7_500, 0])
    chart = FlowChart("GBP", month_starts(date(2026, 3, 2), 3), [panel])
    _lay_out(chart)
    assert panel.scale == 20_000
    heights = {(bar.direction, bar.amount): bar.height for bar in panel.bars}
    assert heights == {
        ("in", 12_000): PLOT * 0.6,
        ("out", 0): 0,
        ("in", 0): 0,
        ("out", 7_500): round(PLOT * 0.375, 1),
        ("in", -500): 0,
    }
    assert all(bar.y + bar.height == panel.baseline for bar in panel.bars)
