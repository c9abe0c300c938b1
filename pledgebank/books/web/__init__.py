"""The books feature's HTTP layer: its blueprint, pages, forms, API and schemas."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Blueprint


def page_blueprints() -> list[Blueprint]:
    """Its page blueprints, for create_app to register."""
    from pledgebank.books.web import category_views, fund_transfer_views, money_views, treasurer_views, views

    return [views.bp, money_views.bp, treasurer_views.bp, category_views.bp, fund_transfer_views.bp]


def api_blueprints() -> list[Any]:
    """Its API blueprints (flask-smorest), for create_app to register."""
    from pledgebank.books.web import api, category_api, fund_transfer_api, treasurer_api

    return [api.blp, treasurer_api.blp, category_api.blp, fund_transfer_api.blp]
