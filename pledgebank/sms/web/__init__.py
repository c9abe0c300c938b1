"""Texting's HTTP layer: the provider's webhook, the number and keyword settings, a phone on the account,
and the fake provider's form in development."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Blueprint


def page_blueprints() -> list[Blueprint]:
    """Its one blueprint, once every page module has added its routes to it."""
    from pledgebank.sms.web import (  # noqa: F401
        dev_views,
        phone_views,
        setting_views,
        template_globals,
        webhook_views,
    )
    from pledgebank.sms.web.blueprint import bp

    return [bp]
