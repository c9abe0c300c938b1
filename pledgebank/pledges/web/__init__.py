"""The pledges feature's HTTP layer: its blueprint, pages, forms, API and schemas."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Blueprint


def page_blueprints() -> list[Blueprint]:
    """Its page blueprints, for create_app to register; importing every page module adds its routes."""
    from pledgebank.pledges.web import (
        card_views,
        cash_views,
        edit_views,
        fix_views,
        manage_views,
        share_views,
        social_views,
        views,
    )

    del (
        card_views,
        cash_views,
        edit_views,
        fix_views,
        manage_views,
        share_views,
        social_views,
    )  # their routes are on the same blueprint
    return [views.bp]


def api_blueprints() -> list[Any]:
    """Its API blueprints (flask-smorest), for create_app to register."""
    from pledgebank.pledges.web import api

    return [api.blp]
