"""The neighbourhoods feature's HTTP layer: its blueprint, pages, forms, API and schemas."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Blueprint


def page_blueprints() -> list[Blueprint]:
    """Its page blueprints, for create_app to register; importing every page module adds its routes."""
    from pledgebank.neighbourhoods.web import audit_views, leave_views, views

    del audit_views, leave_views  # their routes are on the same blueprint
    return [views.bp]


def api_blueprints() -> list[Any]:
    """Its API blueprints (flask-smorest), for create_app to register."""
    from pledgebank.neighbourhoods.web import api

    return [api.blp]
