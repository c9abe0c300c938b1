"""How long each kind of record is kept: the settings, read once from the app's config.

The due job (`pledgebank.privacy.enforce`) removes what is past its period; the privacy notice states the
same periods, so what the notice says and what the service does come from one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pledgebank.exports.statements import year_of, year_starting


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """The retention periods (PLEDGEBANK_RETAIN_*) and the financial year they are counted in."""

    unverified_accounts_days: int = 30
    declined_applications_days: int = 730
    webhook_payloads_days: int = 90
    sign_outs_days: int = 90
    revoked_tokens_days: int = 90
    dead_jobs_days: int = 30
    financial_years: int = 6
    financial_year_start: str = "04-01"

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> RetentionPolicy:
        """The policy the settings give."""
        return cls(
            unverified_accounts_days=config["RETAIN_UNVERIFIED_ACCOUNTS_DAYS"],
            declined_applications_days=config["RETAIN_DECLINED_APPLICATIONS_DAYS"],
            webhook_payloads_days=config["RETAIN_WEBHOOK_PAYLOADS_DAYS"],
            sign_outs_days=config["RETAIN_SIGN_OUTS_DAYS"],
            revoked_tokens_days=config["RETAIN_REVOKED_TOKENS_DAYS"],
            dead_jobs_days=config["RETAIN_DEAD_JOBS_DAYS"],
            financial_years=config["RETAIN_FINANCIAL_YEARS"],
            financial_year_start=config["FINANCIAL_YEAR_START"],
        )

    def period(self, kind: str) -> timedelta:
        """The retention period of a kind kept for a number of days."""
        return timedelta(days=getattr(self, f"{kind}_days"))

    def financial_cutoff(self, today: date) -> date:
        """The first day still kept: records dated before it lie in financial years that ended at least
        `financial_years` years before today."""
        try:
            back = today.replace(year=today.year - self.financial_years)
        except ValueError:  # 29 February, in a year without one
            back = date(today.year - self.financial_years, 2, 28)
        first, _last = year_starting(year_of(back, self.financial_year_start), self.financial_year_start)
        return first


def describe_days(days: int) -> str:
    """A period in words a resident reads easily: "30 days", "2 years", "90 days"."""
    if days % 365 == 0:
        years = days // 365
        return "1 year" if years == 1 else f"{years} years"
    return "1 day" if days == 1 else f"{days} days"
