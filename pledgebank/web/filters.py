"""Template filters: money with Babel, times in the neighbourhood's time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.numbers import format_currency
from flask import Flask, current_app

from pledgebank.ledger.money import Money
from pledgebank.web.mailer import absolute_url


def money(value: Money | None) -> str:
    """Format money for people, e.g. £1,234.50."""
    if value is None:
        return ""
    return format_currency(value.to_decimal(), value.currency, locale=current_app.config["LOCALE"])


def minor(amount: int | None, currency: str | None = None) -> str:
    """Format an integer count of minor units in the given (or default) currency."""
    if amount is None:
        return ""
    return money(Money(amount, currency or current_app.config["CURRENCY"]))


def when(value: datetime | None, fmt: str = "d MMM yyyy, HH:mm") -> str:
    """Format an aware datetime in the service's time zone."""
    if value is None:
        return ""
    local = value.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
    return format_datetime(local, fmt, locale=current_app.config["LOCALE"])


def init_app(app: Flask) -> None:
    """Register the filters."""
    app.add_template_filter(money)
    app.add_template_filter(minor)
    app.add_template_filter(when)
    app.add_template_global(absolute_url)
