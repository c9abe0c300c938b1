"""The pledges feature's HTTP layer: its blueprint, pages, forms, API and schemas."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Blueprint


def page_blueprints() -> list[Blueprint]:
    """Its one blueprint, for create_app to register, once every page module has added its routes to it."""
    from pledgebank.pledges.language import language_of_pledge, language_of_short_code
    from pledgebank.pledges.web import (  # noqa: F401
        card_views,
        cash_views,
        edit_views,
        fix_views,
        manage_views,
        share_views,
        social_views,
        views,
    )
    from pledgebank.pledges.web.blueprint import bp
    from pledgebank.web.i18n import page_language_from

    page_language_from("pledge_id", language_of_pledge)
    page_language_from("code", language_of_short_code)
    return [bp]


def api_blueprints() -> list[Any]:
    """Its API blueprints (flask-smorest), for create_app to register."""
    from pledgebank.pledges.web import api

    return [api.blp]
