"""The payments feature's HTTP layer: its blueprint, pages, forms, API and schemas."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Blueprint


def page_blueprints() -> list[Blueprint]:
    """Its page blueprints, for create_app to register."""
    from pledgebank.payments.web import refund_views, views

    return [views.bp, refund_views.bp]


def api_blueprints() -> list[Any]:
    """Its API blueprints (flask-smorest), for create_app to register."""
    from pledgebank.payments.web import refund_api

    return [refund_api.blp]
