"""Gift Aid's HTTP layer: a donor's declarations, the charity's HMRC reference, claims and their schedule."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Blueprint


def page_blueprints() -> list[Blueprint]:
    """Its one blueprint, for create_app to register, once every page module has added its routes to it."""
    from pledgebank.giftaid.web import claim_views, views  # noqa: F401
    from pledgebank.giftaid.web.blueprint import bp

    return [bp]


def api_blueprints() -> list[Any]:
    """Its API blueprint (flask-smorest), for create_app to register."""
    from pledgebank.giftaid.web import api

    return [api.blp]
