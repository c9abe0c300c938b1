"""Retention periods: the financial-year cutoff and periods in words."""

from __future__ import annotations

from datetime import date

import pytest

from pledgebank import config
from pledgebank.privacy.retention import RetentionPolicy, describe_days


@pytest.mark.parametrize(
    ("today", "cutoff"),
    [
        # The year 1 April 2025 - 31 March 2026 has been over six years on 31 March 2032, not before.
        (date(2032, 3, 30), date(2025, 4, 1)),
        (date(2032, 3, 31), date(2025, 4, 1)),
        (date(2032, 4, 1), date(2026, 4, 1)),
        (date(2032, 12, 31), date(2026, 4, 1)),
        (date(2032, 2, 29), date(2025, 4, 1)),  # no 29 February six years back
    ],
)
def test_records_before_the_cutoff_lie_in_years_ended_six_years_ago(today, cutoff):
    assert RetentionPolicy().financial_cutoff(today) == cutoff


def test_a_calendar_financial_year_counts_from_january():
    policy = RetentionPolicy(financial_years=6, financial_year_start="01-01")
    assert policy.financial_cutoff(date(2032, 1, 1)) == date(2026, 1, 1)
    assert policy.financial_cutoff(date(2031, 12, 31)) == date(2025, 1, 1)


def test_periods_read_as_days_or_years():
    assert [describe_days(d) for d in (1, 30, 90, 365, 730)] == [
        "1 day",
        "30 days",
        "90 days",
        "1 year",
        "2 years",
    ]


def test_the_settings_give_the_policy_and_refuse_a_period_of_nothing(monkeypatch, tmp_path):
    monkeypatch.setenv("PLEDGEBANK_RETAIN_UNVERIFIED_ACCOUNTS_DAYS", "14")
    policy = RetentionPolicy.from_config(config.load(tmp_path, None, None))
    assert (policy.unverified_accounts_days, policy.declined_applications_days) == (14, 730)
    monkeypatch.setenv("PLEDGEBANK_RETAIN_SIGN_OUTS_DAYS", "0")
    with pytest.raises(config.ConfigError, match="PLEDGEBANK_RETAIN_SIGN_OUTS_DAYS"):
        config.load(tmp_path, None, None)
